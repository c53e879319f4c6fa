package dev.airworthy.checks.env;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dotenv file read as docker compose and python-dotenv read it: {@code KEY=value} and
 * {@code export KEY=value}; single-quoted values literal; double-quoted values with backslash
 * escapes; both may span lines; unquoted values end at a {@code #} preceded by whitespace and are
 * trimmed; blank and {@code #} lines skipped; a later definition of a name wins. Values are kept as
 * written: {@code ${VAR}} is not expanded (callers treat it as a reference). A line that is none
 * of these is a syntax error naming {@code file:line:col}; messages never quote values.
 */
public final class EnvFile {
    /** Env files are small; anything larger is not one, and is not read whole. */
    public static final int MAX_BYTES = 1 << 20;

    /** One definition: its name, its value ({@code null} for a bare {@code KEY} line without '='), and its 1-based line. */
    public record Variable(String name, String value, int line) {
        /** The value, or the empty string for a bare name. */
        public String text() {
            return value == null ? "" : value;
        }
    }

    /** A line that is not dotenv syntax; the message is {@code file:line:col: problem}. */
    public static final class EnvSyntaxError extends Exception {
        public EnvSyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Variable> variables;

    private EnvFile(Map<String, Variable> variables) {
        this.variables = variables;
    }

    /** Reads {@code file}; {@code label} names it in errors (a path relative to the repository). */
    public static EnvFile read(Path file, String label) throws IOException, EnvSyntaxError {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new EnvSyntaxError(label + ":1:1: larger than " + (MAX_BYTES >> 20) + " MiB: not an env file");
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new EnvSyntaxError(label + ":1:1: holds NUL bytes: a binary file, not an env file");
            }
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), label);
    }

    public static EnvFile parse(String text, String label) throws EnvSyntaxError {
        return new Parser(text, label).parse();
    }

    /** The effective definitions (the last of each name), in the order of their lines. */
    public List<Variable> variables() {
        return variables.values().stream().sorted(Comparator.comparingInt(Variable::line)).toList();
    }

    public Optional<Variable> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    public int size() {
        return variables.size();
    }

    private static final class Parser {
        private final String s;
        private final String label;
        private int pos;
        private int line = 1;
        private int lineStart;

        Parser(String text, String label) {
            String t = text.replace("\r\n", "\n");
            this.s = t.startsWith("\uFEFF") ? t.substring(1) : t;
            this.label = label;
        }

        EnvFile parse() throws EnvSyntaxError {
            Map<String, Variable> out = new LinkedHashMap<>();
            while (pos < s.length()) {
                skipBlanks();
                if (atLineEnd() || peek() == '#') {
                    skipToNextLine();
                    continue;
                }
                if (s.startsWith("export", pos) && pos + 6 < s.length() && isBlank(s.charAt(pos + 6))) {
                    pos += 6;
                    skipBlanks();
                }
                int keyLine = line;
                int keyCol = col();
                String key = key();
                skipBlanks();
                if (atLineEnd() || peek() == '#') {
                    // A bare name: compose takes its value from the environment; the file gives none.
                    out.remove(key);
                    out.put(key, new Variable(key, null, keyLine));
                    skipToNextLine();
                    continue;
                }
                if (peek() != '=') {
                    // The name is not quoted: a line that is not a definition may be part of a secret.
                    throw error(keyLine, keyCol, "not a KEY=value line (no '=' after the name; a name cannot contain spaces)");
                }
                pos++;
                skipBlanks();
                String value = value(key);
                out.remove(key);
                out.put(key, new Variable(key, value, keyLine));
            }
            return new EnvFile(out);
        }

        private String key() throws EnvSyntaxError {
            int start = pos;
            while (pos < s.length() && isKeyChar(s.charAt(pos))) {
                pos++;
            }
            if (pos == start || !isKeyStart(s.charAt(start))) {
                throw error(line, start - lineStart + 1, "not a KEY=value line");
            }
            if (pos < s.length() && !isBlank(peek()) && peek() != '=' && peek() != '\n' && peek() != '#') {
                throw error(line, start - lineStart + 1, "not a KEY=value line (a name holds only letters, digits, '_', '.' and '-')");
            }
            return s.substring(start, pos);
        }

        private String value(String key) throws EnvSyntaxError {
            if (pos >= s.length() || peek() == '\n') {
                return "";
            }
            char c = peek();
            if (c == '\'' || c == '"') {
                int openLine = line;
                int openCol = col();
                pos++;
                String v = c == '\'' ? singleQuoted(key, openLine, openCol) : doubleQuoted(key, openLine, openCol);
                skipBlanks();
                if (!atLineEnd() && peek() != '#') {
                    throw error(line, col(), "unexpected text after the closing quote of " + key);
                }
                skipToNextLine();
                return v;
            }
            int end = s.indexOf('\n', pos);
            String raw = s.substring(pos, end < 0 ? s.length() : end);
            pos = end < 0 ? s.length() : end;
            skipToNextLine();
            return unquoted(raw);
        }

        /** Up to the first {@code #} that follows whitespace, trimmed (python-dotenv's rule). */
        private static String unquoted(String raw) {
            for (int i = 1; i < raw.length(); i++) {
                if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                    return raw.substring(0, i).strip();
                }
            }
            return raw.strip();
        }

        private String singleQuoted(String key, int openLine, int openCol) throws EnvSyntaxError {
            int start = pos;
            while (pos < s.length() && peek() != '\'') {
                advance();
            }
            if (pos >= s.length()) {
                throw error(openLine, openCol, "unterminated single-quoted value of " + key);
            }
            String v = s.substring(start, pos);
            pos++;
            return v;
        }

        private String doubleQuoted(String key, int openLine, int openCol) throws EnvSyntaxError {
            StringBuilder v = new StringBuilder();
            while (pos < s.length() && peek() != '"') {
                char c = peek();
                if (c == '\\' && pos + 1 < s.length()) {
                    char e = s.charAt(pos + 1);
                    String decoded = switch (e) {
                        case 'n' -> "\n";
                        case 't' -> "\t";
                        case 'r' -> "\r";
                        case 'a' -> "\u0007";
                        case 'b' -> "\b";
                        case 'f' -> "\f";
                        case 'v' -> "\u000B";
                        case '\\', '"', '\'', '$' -> String.valueOf(e);
                        default -> null;
                    };
                    if (decoded != null) {
                        v.append(decoded);
                        pos += 2;
                        continue;
                    }
                }
                v.append(c);
                advance();
            }
            if (pos >= s.length()) {
                throw error(openLine, openCol, "unterminated double-quoted value of " + key);
            }
            pos++;
            return v.toString();
        }

        private void advance() {
            if (s.charAt(pos) == '\n') {
                line++;
                lineStart = pos + 1;
            }
            pos++;
        }

        private void skipToNextLine() {
            int end = s.indexOf('\n', pos);
            if (end < 0) {
                pos = s.length();
                return;
            }
            pos = end;
            advance();
        }

        private void skipBlanks() {
            while (pos < s.length() && isBlank(peek())) {
                pos++;
            }
        }

        private boolean atLineEnd() {
            return pos >= s.length() || peek() == '\n';
        }

        private char peek() {
            return s.charAt(pos);
        }

        private int col() {
            return pos - lineStart + 1;
        }

        private EnvSyntaxError error(int atLine, int atCol, String problem) {
            return new EnvSyntaxError(label + ":" + atLine + ":" + atCol + ": " + problem);
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
        }

        private static boolean isKeyStart(char c) {
            return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
        }

        private static boolean isKeyChar(char c) {
            return isKeyStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-';
        }
    }

    @Override
    public String toString() {
        // Names only: values may be secrets.
        return "EnvFile" + new ArrayList<>(variables.keySet());
    }
}
