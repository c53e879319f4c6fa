package dev.airworthy.checks.compose;

import dev.airworthy.checks.docker.CheckedFiles;
import dev.airworthy.checks.docker.Interpolation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables docker compose interpolates a compose file with, as far as the repository holds
 * them: the project's {@code .env} file (in the compose file's directory), or the {@code env_file}
 * an {@code include:} names. A service's own {@code env_file} is not among them: compose passes it
 * to the container and never interpolates with it. The shell's environment, which wins over the
 * file at deploy time, is not known.
 *
 * <p>The file is read as compose reads it: {@code KEY=value} (or {@code KEY: value}), optional
 * {@code export}, {@code #} comment lines, single-quoted values literal, double-quoted values with
 * backslash escapes, both possibly spanning lines, unquoted values ending at a {@code #} after a
 * blank; unquoted and double-quoted values interpolate the variables defined above them.
 */
final class ProjectEnv {
    private static final int MAX_BYTES = 1 << 20;
    /**
     * The value of a variable the file sets from one it does not know ({@code TAG=${CI_TAG}}): set
     * at deploy time, to something the repository does not say.
     */
    static final String UNKNOWN = "\u0000unknown";
    private static final ProjectEnv NONE = new ProjectEnv(List.of(), Map.of());

    private final List<String> files;
    private final Map<String, String> values;

    private ProjectEnv(List<String> files, Map<String, String> values) {
        this.files = List.copyOf(files);
        this.values = Map.copyOf(values);
    }

    static ProjectEnv none() {
        return NONE;
    }

    /**
     * The variables of the env files at {@code paths} (relative to the repository root, later ones
     * winning), those that exist inside the repository; what cannot be read is noted.
     */
    static ProjectEnv read(Path root, List<String> paths, List<String> notes) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> read = new java.util.ArrayList<>();
        for (String path : paths) {
            Optional<Path> abs = CheckedFiles.regularFileInside(root, path);
            if (abs.isEmpty()) {
                continue;
            }
            try (InputStream in = Files.newInputStream(abs.get())) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    notes.add(path + " not read for interpolation: larger than 1 MiB");
                    continue;
                }
                values.putAll(parse(new String(bytes, StandardCharsets.UTF_8)));
                read.add(path);
            } catch (IOException e) {
                notes.add(path + " not read for interpolation: " + e.getMessage());
            }
        }
        return read.isEmpty() ? NONE : new ProjectEnv(read, values);
    }

    /** The value the file sets, or null; {@link #UNKNOWN} for one that depends on the environment. */
    String get(String name) {
        return values.get(name);
    }

    /** The files the values come from (empty when there is none). */
    List<String> files() {
        return files;
    }

    int size() {
        return values.size();
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int eol = lineEnd(s, i);
            int start = i;
            while (start < eol && Character.isWhitespace(s.charAt(start))) {
                start++;
            }
            int next = eol + 1;
            if (start == eol || s.charAt(start) == '#') {
                i = next;
                continue;
            }
            if (s.startsWith("export ", start)) {
                start += 7;
            }
            int sep = separator(s, start, eol);
            if (sep <= start) {
                i = next;
                continue; // not an assignment: compose rejects the file, nothing to learn from it
            }
            String key = s.substring(start, sep).strip();
            int valueStart = sep + 1;
            while (valueStart < eol && (s.charAt(valueStart) == ' ' || s.charAt(valueStart) == '\t')) {
                valueStart++;
            }
            char q = valueStart < eol ? s.charAt(valueStart) : 0;
            String value;
            if (q == '\'' || q == '"') {
                int close = closingQuote(s, valueStart + 1, q);
                String raw = s.substring(valueStart + 1, close < 0 ? n : close);
                value = q == '\'' ? raw : expanded(unescaped(raw), out);
                next = close < 0 ? n : lineEnd(s, close) + 1;
            } else {
                String raw = s.substring(valueStart, eol);
                int comment = inlineComment(raw);
                value = expanded((comment < 0 ? raw : raw.substring(0, comment)).strip(), out);
            }
            out.put(key, value);
            i = next;
        }
        return out;
    }

    /** A value with the variables defined above it put in, or {@link #UNKNOWN} when it uses one the file does not know. */
    private static String expanded(String raw, Map<String, String> above) {
        boolean[] unknown = {false};
        Interpolation.Resolved r = Interpolation.resolve(raw, n -> {
            String v = above.get(n);
            unknown[0] |= UNKNOWN.equals(v);
            return UNKNOWN.equals(v) ? null : v;
        });
        return r.complete() && !unknown[0] ? r.text() : UNKNOWN;
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        int end = nl < 0 ? s.length() : nl;
        return end > from && s.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    /** Where the name ends: the first {@code =} or {@code :} of the line, if what comes before is a name. */
    private static int separator(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == ' ' || c == '\t')) {
                return -1;
            }
        }
        return -1;
    }

    private static int closingQuote(String s, int from, char q) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && q == '"') {
                i++;
            } else if (c == q) {
                return i;
            }
        }
        return -1;
    }

    private static String unescaped(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char e = raw.charAt(++i);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A {@code #} that starts a comment: at the start, or after a blank. */
    private static int inlineComment(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i == 0 || raw.charAt(i - 1) == ' ' || raw.charAt(i - 1) == '\t')) {
                return i;
            }
        }
        return -1;
    }
}
