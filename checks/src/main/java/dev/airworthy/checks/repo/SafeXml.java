package dev.airworthy.checks.repo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * StAX for files from the repository: no DTD is processed or fetched (JaCoCo and coverage.py name
 * one in their DOCTYPE; it is skipped, not loaded), and no entity, internal or external, is
 * expanded, so an XXE or entity-bomb file fails to parse instead of reading local files.
 */
final class SafeXml {
    private SafeXml() {
    }

    /** A handler of one document's events; returns normally at the end of the document. */
    interface Reader<T> {
        T read(XMLStreamReader xml) throws XMLStreamException, UnreadableFile;
    }

    static <T> T parse(Path file, String label, long maxBytes, Reader<T> reader) throws UnreadableFile {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnreadableFile(label + ": not a regular file");
            }
            if (Files.size(file) > maxBytes) {
                throw new UnreadableFile(label + ": larger than " + (maxBytes >> 20) + " MiB; not read");
            }
            try (InputStream in = Files.newInputStream(file)) {
                XMLStreamReader xml = factory().createXMLStreamReader(in);
                try {
                    return reader.read(xml);
                } finally {
                    xml.close();
                }
            }
        } catch (XMLStreamException e) {
            throw problem(label, e);
        } catch (IOException e) {
            throw new UnreadableFile(label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** {@code file:line:col: problem}, without the JDK's "ParseError at [row,col]" preamble. */
    static UnreadableFile problem(String label, XMLStreamException e) {
        String msg = e.getMessage() == null ? "not well-formed XML" : e.getMessage();
        int m = msg.indexOf("Message: ");
        if (m >= 0) {
            msg = msg.substring(m + "Message: ".length());
        }
        msg = msg.lines().findFirst().orElse("not well-formed XML").strip();
        Location loc = e.getLocation();
        if (loc != null && loc.getLineNumber() > 0) {
            return UnreadableFile.at(label, loc.getLineNumber(), Math.max(1, loc.getColumnNumber()), msg);
        }
        return new UnreadableFile(label + ": " + msg);
    }

    /** Where the reader is, for problems found while reading the content. */
    static UnreadableFile problem(String label, XMLStreamReader xml, String problem) {
        Location loc = xml.getLocation();
        return UnreadableFile.at(label, loc.getLineNumber(), Math.max(1, loc.getColumnNumber()), problem);
    }
}
