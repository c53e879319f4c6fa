package dev.airworthy.checks.cmd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a stream (a command's output, a log file) in bounded memory: a line longer than
 * {@code maxLineBytes} is cut there (the rest up to its newline is skipped, and the line says it
 * was cut), so a stream without newlines cannot exhaust the heap. Lines end at {@code \n}; a
 * {@code \r} before it is dropped; bytes are decoded as UTF-8, malformed ones replaced.
 */
public final class BoundedLines {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int end;
    private boolean eof;
    private byte[] line = new byte[256];

    /** One line, and whether it was longer than the limit and cut. */
    public record Line(String text, boolean cut) {
    }

    public BoundedLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the stream. */
    public Line next() throws IOException {
        int length = 0;
        boolean cut = false;
        boolean any = false;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    return any ? line(length, cut) : null;
                }
            }
            any = true;
            byte b = buffer[pos++];
            if (b == '\n') {
                return line(length, cut);
            }
            if (length < maxLineBytes) {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                }
                line[length++] = b;
            } else {
                cut = true;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private Line line(int length, boolean cut) {
        int n = !cut && length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        return new Line(new String(line, 0, n, StandardCharsets.UTF_8), cut);
    }
}
