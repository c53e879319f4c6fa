package dev.airworthy.checks.repo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Just enough TOML for pyproject.toml and Cargo.toml: which tables exist, and each {@code key = value}
 * with its full dotted key ({@code tool.poetry.dependencies.requests}) and raw value text, arrays and
 * multi-line strings spanning lines joined. Values are not interpreted beyond {@link #strings}; that
 * is all the dependency checks need, and it keeps a TOML library out of the build.
 */
record TomlLines(Set<String> tables, List<Entry> entries) {

    record Entry(String key, String value, int line) {
    }

    static TomlLines parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        Set<String> tables = new LinkedHashSet<>();
        List<Entry> entries = new ArrayList<>();
        String table = "";
        int i = 0;
        while (i < lines.length) {
            String s = lines[i].strip();
            int start = i;
            i++;
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (s.startsWith("[")) {
                boolean array = s.startsWith("[[");
                int close = s.indexOf(array ? "]]" : "]");
                if (close > 0) {
                    table = normalizeKey(s.substring(array ? 2 : 1, close));
                    tables.add(table);
                }
                continue;
            }
            int eq = keyEnd(s);
            if (eq < 0) {
                continue;
            }
            String key = normalizeKey(s.substring(0, eq));
            StringBuilder value = new StringBuilder(s.substring(eq + 1).strip());
            // Arrays, inline tables and multi-line strings may go on over the next lines.
            Balance balance = new Balance();
            balance.feed(value);
            while (balance.open() && i < lines.length) {
                value.append('\n').append(lines[i]);
                balance.feed(lines[i]);
                i++;
            }
            String fullKey = table.isEmpty() ? key : table + "." + key;
            entries.add(new Entry(fullKey, value.toString(), start + 1));
            inlineMembers(fullKey, value.toString(), start + 1, entries, 0);
        }
        return new TomlLines(Set.copyOf(tables), List.copyOf(entries));
    }

    private static final int MAX_INLINE_DEPTH = 8;

    /**
     * An inline table's members as entries of their own: {@code dependencies = { requests = "^2" }}
     * under {@code [tool.poetry]} gives {@code tool.poetry.dependencies.requests}, as the table form would.
     */
    private static void inlineMembers(String key, String value, int line, List<Entry> out, int depth) {
        String v = value.strip();
        if (depth >= MAX_INLINE_DEPTH || !v.startsWith("{")) {
            return;
        }
        int close = v.lastIndexOf('}');
        String body = close > 0 ? v.substring(1, close) : v.substring(1);
        for (String member : splitTopLevel(body)) {
            int eq = keyEnd(member.strip());
            if (eq > 0) {
                String m = member.strip();
                String memberKey = key + "." + normalizeKey(m.substring(0, eq));
                String memberValue = m.substring(eq + 1).strip();
                out.add(new Entry(memberKey, memberValue, line));
                inlineMembers(memberKey, memberValue, line, out, depth + 1);
            }
        }
    }

    /** Splits at commas outside quotes, brackets and braces. */
    private static List<String> splitTopLevel(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int from = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(body.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(body.substring(from));
        return parts;
    }

    /** Entries whose key starts with {@code prefix} followed by a dot. */
    List<Entry> under(String prefix) {
        return entries.stream().filter(e -> e.key().startsWith(prefix + ".")).toList();
    }

    /** The value of one key, if present. */
    String value(String key) {
        return entries.stream().filter(e -> e.key().equals(key)).map(Entry::value).findFirst().orElse(null);
    }

    /** The string literals in a raw value (an array of strings gives its items). */
    static List<String> strings(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (c == '#') {
                while (i < n && raw.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                boolean triple = raw.startsWith(String.valueOf(c).repeat(3), i);
                String delim = triple ? String.valueOf(c).repeat(3) : String.valueOf(c);
                int from = i + delim.length();
                int end = from;
                StringBuilder sb = new StringBuilder();
                while (end < n && !raw.startsWith(delim, end)) {
                    if (c == '"' && raw.charAt(end) == '\\' && end + 1 < n) {
                        sb.append(raw.charAt(end + 1));
                        end += 2;
                        continue;
                    }
                    sb.append(raw.charAt(end));
                    end++;
                }
                out.add(sb.toString());
                i = Math.min(n, end + delim.length());
            } else {
                i++;
            }
        }
        return out;
    }

    /** Where the key ends: the first {@code =} outside quotes, or -1. */
    private static int keyEnd(String s) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=') {
                return i;
            } else if (c == '#') {
                return -1;
            }
        }
        return -1;
    }

    /** {@code "a" . b} becomes {@code a.b}: quotes and spaces around dots removed. */
    private static String normalizeKey(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String part : raw.split("\\.")) {
            String p = part.strip();
            if (p.length() >= 2 && (p.charAt(0) == '"' || p.charAt(0) == '\'') && p.charAt(p.length() - 1) == p.charAt(0)) {
                p = p.substring(1, p.length() - 1);
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    /**
     * Whether brackets, braces or a multi-line string opened in a value are still open, fed one line
     * at a time so a long multi-line array costs one pass.
     */
    private static final class Balance {
        private int depth;
        /** The quote character of an open multi-line string, or 0. */
        private char triple;

        boolean open() {
            return depth > 0 || triple != 0;
        }

        void feed(CharSequence v) {
            int i = 0;
            int n = v.length();
            while (i < n) {
                char c = v.charAt(i);
                if (triple != 0) {
                    if (c == '\\' && triple == '"') {
                        i += 2;
                    } else if (c == triple && i + 2 < n && v.charAt(i + 1) == c && v.charAt(i + 2) == c) {
                        triple = 0;
                        i += 3;
                    } else {
                        i++;
                    }
                    continue;
                }
                if (c == '#') {
                    return; // a comment runs to the end of the line
                }
                if (c == '"' || c == '\'') {
                    if (i + 2 < n && v.charAt(i + 1) == c && v.charAt(i + 2) == c) {
                        triple = c;
                        i += 3;
                        continue;
                    }
                    int j = i + 1;
                    while (j < n && v.charAt(j) != c) {
                        j += c == '"' && v.charAt(j) == '\\' ? 2 : 1;
                    }
                    i = j + 1;
                    continue;
                }
                if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    depth--;
                }
                i++;
            }
        }
    }
}
