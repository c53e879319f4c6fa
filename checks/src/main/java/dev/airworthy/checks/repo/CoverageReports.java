package dev.airworthy.checks.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/** Reads the line totals of coverage reports: JaCoCo XML, Cobertura XML, lcov and coverage.py (or Istanbul summary) JSON. */
final class CoverageReports {
    static final long MAX_BYTES = 256L * 1024 * 1024;
    private static final int MAX_LCOV_LINE = 64 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    enum Format {
        JACOCO("JaCoCo"), COBERTURA("Cobertura"), LCOV("lcov"), COVERAGE_PY("coverage.py JSON"), ISTANBUL("Istanbul summary");

        final String label;

        Format(String label) {
            this.label = label;
        }
    }

    /** One report's line totals. */
    record Report(String file, Format format, long covered, long total) {
        double percent() {
            return total == 0 ? 0 : covered * 100.0 / total;
        }
    }

    private CoverageReports() {
    }

    /** The format a file name suggests, or null for names no coverage tool writes. */
    static Format guess(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".info")) {
            return Format.LCOV;
        }
        if (n.endsWith(".json")) {
            return Format.COVERAGE_PY; // coverage.json or an Istanbul summary: told apart by content
        }
        if (n.endsWith(".xml")) {
            return Format.JACOCO; // JaCoCo or Cobertura: told apart by the root element
        }
        return null;
    }

    static Report read(Path file, String label) throws UnreadableFile {
        Format f = guess(file.getFileName().toString());
        if (f == null) {
            throw new UnreadableFile(label + ": not a coverage report this check reads (JaCoCo or Cobertura XML, lcov .info, coverage.py JSON)");
        }
        return switch (f) {
            case LCOV -> lcov(file, label);
            case COVERAGE_PY, ISTANBUL -> json(file, label);
            default -> xml(file, label);
        };
    }

    private static Report xml(Path file, String label) throws UnreadableFile {
        return SafeXml.parse(file, label, MAX_BYTES, xml -> {
            int depth = 0;
            boolean jacoco = false;
            int events = 0;
            while (xml.hasNext()) {
                int e = next(xml, label, ++events);
                if (e == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String name = xml.getLocalName();
                    if (depth == 1) {
                        if (name.equals("coverage")) {
                            return cobertura(xml, label);
                        }
                        if (!name.equals("report")) {
                            throw SafeXml.problem(label, xml, "root element <" + name + "> is neither JaCoCo's <report> nor Cobertura's <coverage>");
                        }
                        jacoco = true;
                    } else if (jacoco && depth == 2 && name.equals("counter") && "LINE".equals(xml.getAttributeValue(null, "type"))) {
                        long missed = number(xml, label, "missed");
                        long covered = number(xml, label, "covered");
                        return new Report(label, Format.JACOCO, covered, covered + missed);
                    }
                } else if (e == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            throw new UnreadableFile(label + ": JaCoCo report without a report-level LINE counter (no class was measured?)");
        });
    }

    /**
     * Cobertura: the root's {@code lines-covered}/{@code lines-valid}; without them, the {@code <line>}
     * elements of every {@code <class>} (methods repeat their class's lines and are not counted). A
     * report that gives only a {@code line-rate} says nothing about how many lines it measured: error.
     */
    private static Report cobertura(XMLStreamReader xml, String label) throws UnreadableFile, javax.xml.stream.XMLStreamException {
        String valid = xml.getAttributeValue(null, "lines-valid");
        String covered = xml.getAttributeValue(null, "lines-covered");
        if (valid != null && covered != null) {
            long v = number(xml, label, "lines-valid");
            long c = number(xml, label, "lines-covered");
            if (c > v) {
                throw SafeXml.problem(label, xml, "lines-covered " + c + " exceeds lines-valid " + v);
            }
            return new Report(label, Format.COBERTURA, c, v);
        }
        java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
        long total = 0;
        long hit = 0;
        int events = 0;
        while (xml.hasNext()) {
            int e = next(xml, label, ++events);
            if (e == XMLStreamConstants.START_ELEMENT) {
                String name = xml.getLocalName();
                if (name.equals("line") && "lines".equals(path.peek()) && path.size() >= 2
                        && "class".equals(path.stream().skip(1).findFirst().orElse(null))) {
                    total++;
                    String hits = xml.getAttributeValue(null, "hits");
                    if (hits == null || !hits.strip().matches("\\d{1,20}")) {
                        throw SafeXml.problem(label, xml, "<line> hits is " + (hits == null ? "missing" : "'" + PythonRequirements.short40(hits)
                                + "', not a count"));
                    }
                    if (!hits.strip().matches("0+")) {
                        hit++;
                    }
                }
                path.push(name);
            } else if (e == XMLStreamConstants.END_ELEMENT && !path.isEmpty()) {
                path.pop();
            }
        }
        if (total == 0) {
            throw new UnreadableFile(label + ": the report gives a rate without line counts (no lines-valid/lines-covered, no <line> "
                    + "elements), so how much was measured is unknown");
        }
        return new Report(label, Format.COBERTURA, hit, total);
    }

    /** The next XML event; every 100,000 events, stops when the check's deadline interrupted it. */
    private static int next(XMLStreamReader xml, String label, int events) throws UnreadableFile, javax.xml.stream.XMLStreamException {
        if (events % 100_000 == 0 && Thread.currentThread().isInterrupted()) {
            throw new UnreadableFile(label + ": reading was interrupted (deadline)");
        }
        return xml.next();
    }

    private static long number(XMLStreamReader xml, String label, String attribute) throws UnreadableFile {
        String v = xml.getAttributeValue(null, attribute);
        if (v == null || !v.strip().matches("\\d{1,15}")) {
            throw SafeXml.problem(label, xml, attribute + " is " + (v == null ? "missing" : "'" + PythonRequirements.short40(v) + "', not a count"));
        }
        return Long.parseLong(v.strip());
    }

    /**
     * lcov tracefile: per record, the {@code DA} lines (one per instrumented line, the ground truth) when
     * there are any, else its {@code LF}/{@code LH} summary; summed over records. A last record without
     * {@code end_of_record} means the file was cut short: error.
     */
    private static Report lcov(Path file, String label) throws UnreadableFile {
        long total = 0;
        long covered = 0;
        int records = 0;
        long lf = -1;
        long lh = -1;
        long da = 0;
        long daHit = 0;
        int openRecord = 0;
        try (LineReader in = new LineReader(open(file, label))) {
            String line;
            while ((line = in.next()) != null) {
                if (in.lineNumber() % 10_000 == 0 && Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException();
                }
                if (openRecord == 0 && (line.startsWith("SF:") || line.startsWith("DA:") || line.startsWith("LF:") || line.startsWith("LH:"))) {
                    openRecord = in.lineNumber();
                }
                if (line.startsWith("LF:")) {
                    lf = count(line.substring(3), label, in.lineNumber());
                } else if (line.startsWith("LH:")) {
                    lh = count(line.substring(3), label, in.lineNumber());
                } else if (line.startsWith("DA:")) {
                    String[] parts = line.substring(3).split(",", 3);
                    if (parts.length < 2) {
                        throw UnreadableFile.at(label, in.lineNumber(), 1, "DA line without a hit count");
                    }
                    da++;
                    if (!parts[1].strip().matches("\\d{1,20}")) {
                        throw UnreadableFile.at(label, in.lineNumber(), 1, "DA hit count '" + PythonRequirements.short40(parts[1]) + "' is not a number");
                    }
                    if (!parts[1].strip().matches("0+")) {
                        daHit++;
                    }
                } else if (line.equals("end_of_record")) {
                    records++;
                    boolean byDa = da > 0 || lf < 0;
                    long t = byDa ? da : lf;
                    long c = byDa ? daHit : Math.max(lh, 0);
                    if (c > t) {
                        throw UnreadableFile.at(label, in.lineNumber(), 1, "a record with more lines hit (" + c + ") than found (" + t + ")");
                    }
                    total += t;
                    covered += c;
                    lf = -1;
                    lh = -1;
                    da = 0;
                    daHit = 0;
                    openRecord = 0;
                }
            }
            if (openRecord > 0) {
                throw UnreadableFile.at(label, openRecord, 1, "the record starting here has no end_of_record: the file is cut short");
            }
        } catch (InterruptedIOException e) {
            throw new UnreadableFile(label + ": reading was interrupted (deadline)");
        } catch (IOException e) {
            throw new UnreadableFile(label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (records == 0) {
            throw new UnreadableFile(label + ": no lcov record (end_of_record) in the file");
        }
        return new Report(label, Format.LCOV, covered, total);
    }

    private static long count(String s, String label, int line) throws UnreadableFile {
        String v = s.strip();
        if (!v.matches("\\d{1,15}")) {
            throw UnreadableFile.at(label, line, 4, "'" + PythonRequirements.short40(v) + "' is not a line count");
        }
        return Long.parseLong(v);
    }

    /** coverage.py's {@code totals} (covered_lines / num_statements), or an Istanbul summary's {@code total.lines}. */
    private static Report json(Path file, String label) throws UnreadableFile {
        try (InputStream in = open(file, label); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableFile(label + ": not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("totals") && v == JsonToken.START_OBJECT) {
                    return totals(p, label, Format.COVERAGE_PY, "covered_lines", "num_statements", "percent_covered");
                }
                if (field.equals("total") && v == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        if (p.nextToken() == JsonToken.START_OBJECT && f.equals("lines")) {
                            return totals(p, label, Format.ISTANBUL, "covered", "total", "pct");
                        }
                        p.skipChildren();
                    }
                    break;
                }
                p.skipChildren();
            }
            throw new UnreadableFile(label + ": no \"totals\" (coverage.py) or \"total.lines\" (Istanbul summary) in the JSON");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String msg = e.getOriginalMessage() == null ? "not valid JSON" : e.getOriginalMessage().lines().findFirst().orElse("").strip();
            throw loc == null ? new UnreadableFile(label + ": " + msg) : UnreadableFile.at(label, loc.getLineNr(), loc.getColumnNr(), msg);
        } catch (IOException e) {
            throw new UnreadableFile(label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Report totals(JsonParser p, String label, Format format, String coveredKey, String totalKey, String pctKey)
            throws IOException, UnreadableFile {
        long covered = -1;
        long total = -1;
        double pct = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NUMBER_INT && (f.equals(coveredKey) || f.equals(totalKey))) {
                long n = p.getLongValue();
                if (n < 0) {
                    throw new UnreadableFile(label + ": " + f + " is negative");
                }
                if (f.equals(coveredKey)) {
                    covered = n;
                } else {
                    total = n;
                }
            } else if (f.equals(pctKey) && (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT)) {
                pct = p.getDoubleValue();
            }
            p.skipChildren();
        }
        if (covered >= 0 && total >= 0) {
            if (covered > total) {
                throw new UnreadableFile(label + ": " + coveredKey + " " + covered + " exceeds " + totalKey + " " + total);
            }
            return new Report(label, format, covered, total);
        }
        if (pct >= 0) {
            throw new UnreadableFile(label + ": the report gives a rate (" + pctKey + ") without line counts (" + coveredKey + "/"
                    + totalKey + "), so how much was measured is unknown");
        }
        throw new UnreadableFile(label + ": the totals name neither " + coveredKey + "/" + totalKey + " nor " + pctKey);
    }

    private static InputStream open(Path file, String label) throws IOException, UnreadableFile {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnreadableFile(label + ": not a regular file");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new UnreadableFile(label + ": larger than " + (MAX_BYTES >> 20) + " MiB; not read");
        }
        return Files.newInputStream(file);
    }

    /** Lines of at most {@link #MAX_LCOV_LINE} characters (longer ones are cut), so a hostile file cannot exhaust memory. */
    private static final class LineReader implements AutoCloseable {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int len;
        private long line;

        LineReader(InputStream in) {
            this.in = in;
        }

        int lineNumber() {
            return (int) Math.min(Integer.MAX_VALUE, line);
        }

        String next() throws IOException {
            StringBuilder sb = new StringBuilder();
            boolean any = false;
            while (true) {
                if (pos == len) {
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        if (!any) {
                            return null;
                        }
                        break;
                    }
                }
                any = true;
                int start = pos;
                while (pos < len && buf[pos] != '\n') {
                    pos++;
                }
                int take = Math.min(pos - start, MAX_LCOV_LINE - sb.length());
                if (take > 0) {
                    sb.append(new String(buf, start, take, StandardCharsets.UTF_8));
                }
                if (pos < len) {
                    pos++;
                    break;
                }
            }
            line++;
            int end = sb.length();
            if (end > 0 && sb.charAt(end - 1) == '\r') {
                sb.setLength(end - 1);
            }
            return sb.toString().strip();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
