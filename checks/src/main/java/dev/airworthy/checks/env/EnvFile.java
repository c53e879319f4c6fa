package dev.airworthy.checks.env;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dotenv file read as docker compose and python-dotenv read it: {@code KEY=value} and
 * {@code export KEY=value}; single-quoted values literal; double-quoted values with backslash
 * escapes; both may span lines; unquoted values end at a {@code #} preceded by whitespace and are
 * trimmed of whitespace as Python's {@code strip} trims it (no-break spaces too); lines end at
 * {@code \n}, {@code \r\n} or a lone {@code \r}; blank and {@code #} lines skipped; a later
 * definition of a name wins. {@link Variable#value()} is the value as written; {@link #resolved}
 * is the value with its references expanded against the definitions before it (see
 * {@link EnvReferences}): what the service gets when the environment sets none of the names the
 * file leaves open. A line that is none of these is a syntax error naming {@code file:line:col};
 * messages never quote values.
 */
public final class EnvFile {
    /** Env files are small; anything larger is not one, and is not read whole. */
    public static final int MAX_BYTES = 1 << 20;

    /** How a value was written: single-quoted values are literal, the others have their references expanded. */
    public enum Quoting { NONE, SINGLE, DOUBLE }

    /**
     * One definition: its name, its value as written ({@code null} for a bare {@code KEY} line without
     * '='; escapes decoded, references not expanded), its 1-based line, and how it was quoted.
     */
    public record Variable(String name, String value, int line, Quoting quoting) {
        public Variable(String name, String value, int line) {
            this(name, value, line, Quoting.NONE);
        }

        /** The value, or the empty string for a bare name. */
        public String text() {
            return value == null ? "" : value;
        }
    }

    /**
     * A value with its references expanded. Characters that come from a reference the file does
     * not define (left as written, {@code ${DB_PASSWORD}}) are marked {@link #outside}; {@link #via}
     * says which definitions and fallbacks were put in, by name, never by value.
     */
    public record Resolved(String text, BitSet outsideMask, List<String> references, List<String> via,
            boolean bareReferencesOnly, int line) {
        /** Every character is known from the file itself. */
        public boolean complete() {
            return outsideMask.isEmpty();
        }

        /** Some character in {@code [from, to)} comes from a reference the file does not define. */
        public boolean outside(int from, int to) {
            int next = outsideMask.nextSetBit(from);
            return next >= 0 && next < to;
        }

        /** Nothing but references the file does not define (and whitespace): the value comes from elsewhere. */
        public boolean fromElsewhere() {
            if (complete()) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                if (!outsideMask.get(i) && !isPythonSpace(text.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** The file gives the name a value (possibly partly from elsewhere): not a bare name, not only references. */
        boolean known() {
            return !fromElsewhere();
        }

        /** Whether a reference or fallback was expanded. */
        public boolean expanded() {
            return !via.isEmpty();
        }

        /** "via ${WEAK} (line 1)", or the empty string: how the value was reached, for messages. */
        public String how() {
            return via.isEmpty() ? "" : "via " + String.join(", ", via);
        }

        /** The part of the text that is known, outside references cut out; for judging what the file fixes. */
        public String known(int from, int to) {
            StringBuilder b = new StringBuilder();
            for (int i = from; i < to; i++) {
                if (!outsideMask.get(i)) {
                    b.append(text.charAt(i));
                }
            }
            return b.toString();
        }

        @Override
        public String toString() {
            // References and how, never the text: it may be a secret.
            return "Resolved" + references + via;
        }
    }

    /** A line that is not dotenv syntax; the message is {@code file:line:col: problem}. */
    public static final class EnvSyntaxError extends Exception {
        public EnvSyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Variable> variables;
    private final Map<String, Resolved> resolved;

    private EnvFile(Map<String, Variable> variables, Map<String, Resolved> resolved) {
        this.variables = variables;
        this.resolved = resolved;
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

    /**
     * The value of the effective definition {@code v} with its references expanded against the
     * definitions before it; null for a bare name (its value comes from the environment).
     */
    public Resolved resolved(Variable v) {
        Variable effective = variables.get(v.name());
        return effective == null || effective.value() == null ? null : resolved.get(v.name());
    }

    /** Python's {@code str.isspace}: Java's whitespace plus the no-break spaces and NEL. */
    static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\u0085';
    }

    /** Python's {@code str.strip}. */
    static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static final class Parser {
        private final String s;
        private final String label;
        private int pos;
        private int line = 1;
        private int lineStart;

        Parser(String text, String label) {
            // A lone CR ends a line too, as python-dotenv reads it.
            String t = text.replace("\r\n", "\n").replace('\r', '\n');
            this.s = t.startsWith("\uFEFF") ? t.substring(1) : t;
            this.label = label;
        }

        EnvFile parse() throws EnvSyntaxError {
            Map<String, Variable> out = new LinkedHashMap<>();
            // Each value is expanded against the definitions before it, in the order of the file.
            Map<String, Resolved> resolved = new HashMap<>();
            int[] budget = {EnvReferences.MAX_EXPANDED};
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
                    resolved.remove(key);
                    skipToNextLine();
                    continue;
                }
                if (peek() != '=') {
                    // The name is not quoted: a line that is not a definition may be part of a secret.
                    throw error(keyLine, keyCol, "not a KEY=value line (no '=' after the name; a name cannot contain spaces)");
                }
                pos++;
                skipBlanks();
                Variable v = value(key, keyLine);
                out.remove(key);
                out.put(key, v);
                resolved.put(key, v.quoting() == Quoting.SINGLE ? literal(v.value(), keyLine)
                        : new EnvReferences(resolved, label, keyLine, budget).expand(template));
            }
            return new EnvFile(out, resolved);
        }

        private static Resolved literal(String value, int line) {
            return new Resolved(value, new BitSet(), List.of(), List.of(), false, line);
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

        /** The value's text with {@code $$} for a dollar that is not a reference: what {@link EnvReferences} expands. */
        private String template;

        private Variable value(String key, int keyLine) throws EnvSyntaxError {
            if (pos >= s.length() || peek() == '\n') {
                template = "";
                return new Variable(key, "", keyLine, Quoting.NONE);
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
                return new Variable(key, v, keyLine, c == '\'' ? Quoting.SINGLE : Quoting.DOUBLE);
            }
            int end = s.indexOf('\n', pos);
            String raw = s.substring(pos, end < 0 ? s.length() : end);
            pos = end < 0 ? s.length() : end;
            skipToNextLine();
            String v = unquoted(raw);
            template = v;
            return new Variable(key, v, keyLine, Quoting.NONE);
        }

        /** Up to the first {@code #} that follows whitespace, trimmed (python-dotenv's rule, with Python's whitespace). */
        private static String unquoted(String raw) {
            for (int i = 1; i < raw.length(); i++) {
                if (raw.charAt(i) == '#' && isPythonSpace(raw.charAt(i - 1))) {
                    return pythonStrip(raw.substring(0, i));
                }
            }
            return pythonStrip(raw);
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
            template = v.replace("$", "$$");
            return v;
        }

        private String doubleQuoted(String key, int openLine, int openCol) throws EnvSyntaxError {
            StringBuilder v = new StringBuilder();
            StringBuilder t = new StringBuilder();
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
                        // An escaped dollar is a dollar, not the start of a reference.
                        t.append(e == '$' ? "$$" : decoded);
                        pos += 2;
                        continue;
                    }
                }
                v.append(c);
                t.append(c);
                advance();
            }
            if (pos >= s.length()) {
                throw error(openLine, openCol, "unterminated double-quoted value of " + key);
            }
            pos++;
            template = t.toString();
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

        /** Whitespace within a line: Python's, as python-dotenv skips it around names and values. */
        private static boolean isBlank(char c) {
            return c != '\n' && isPythonSpace(c);
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
