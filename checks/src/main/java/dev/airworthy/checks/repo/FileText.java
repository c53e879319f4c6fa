package dev.airworthy.checks.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Reads a repository file as UTF-8 text, refusing what no manifest or CI file can be: huge, binary, not a regular file. */
public final class FileText {
    private FileText() {
    }

    public static String read(Path file, String label, long maxBytes) throws UnreadableFile {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnreadableFile(label + ": not a regular file");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new UnreadableFile(label + ": " + size + " bytes, larger than the " + maxBytes / 1024 + " KiB read for such files");
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new UnreadableFile(label + ": binary content (NUL bytes)");
            }
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new UnreadableFile(label + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UnreadableFile(label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
