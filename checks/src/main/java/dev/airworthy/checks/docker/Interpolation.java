package dev.airworthy.checks.docker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Shell-style variable references as compose files and Dockerfiles write them: {@code $NAME},
 * {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?error}},
 * {@code ${NAME:+alternative}} and {@code $$} for a literal dollar. A reference whose value is not
 * known is left unresolved, unless it carries a default, which is what a deployment gets when the
 * variable is not set. One pass over the text; nesting in defaults is bounded.
 */
public final class Interpolation {
    private static final int MAX_NESTING = 8;

    /**
     * The text with every known variable and every default put in; {@code unresolved} names the
     * variables whose value depends on the environment at deploy or build time, {@code supplied}
     * those whose known value was put in.
     */
    public record Resolved(String text, List<String> unresolved, boolean usedDefault, List<String> supplied) {
        public boolean complete() {
            return unresolved.isEmpty();
        }
    }

    private Interpolation() {
    }

    /** Resolves with no variable known: what a deployment gets when none of them is set. */
    public static Resolved resolve(String raw) {
        return resolve(raw, name -> null);
    }

    /** Resolves with the values {@code known} returns (null for a variable it does not know). */
    public static Resolved resolve(String raw, Function<String, String> known) {
        List<String> unresolved = new ArrayList<>();
        Set<String> supplied = new LinkedHashSet<>();
        boolean[] usedDefault = {false};
        Function<String, String> tracked = name -> {
            String value = known.apply(name);
            if (value != null) {
                supplied.add(name);
            }
            return value;
        };
        String text = resolve(raw, tracked, unresolved, usedDefault, 0);
        return new Resolved(text, List.copyOf(unresolved), usedDefault[0], List.copyOf(supplied));
    }

    /** True when the text refers to at least one variable. */
    public static boolean hasReference(String raw) {
        for (int i = 0; i + 1 < raw.length(); i++) {
            if (raw.charAt(i) == '$') {
                char next = raw.charAt(i + 1);
                if (next == '$') {
                    i++;
                } else if (next == '{' || isNameStart(next)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String resolve(String raw, Function<String, String> known, List<String> unresolved,
            boolean[] usedDefault, int depth) {
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != '$' || i + 1 >= raw.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = raw.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int end = closingBrace(raw, i + 2);
                if (end < 0) {
                    out.append(raw, i, raw.length());
                    break;
                }
                out.append(braced(raw.substring(i + 2, end), known, unresolved, usedDefault, depth));
                i = end + 1;
            } else if (isNameStart(next)) {
                int end = i + 1;
                while (end < raw.length() && isNamePart(raw.charAt(end))) {
                    end++;
                }
                String name = raw.substring(i + 1, end);
                String value = known.apply(name);
                if (value == null) {
                    unresolved.add(name);
                } else {
                    out.append(value);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The body of {@code ${...}}: a name, then optionally an operator and its word. */
    private static String braced(String body, Function<String, String> known, List<String> unresolved,
            boolean[] usedDefault, int depth) {
        int n = 0;
        while (n < body.length() && isNamePart(body.charAt(n))) {
            n++;
        }
        String name = body.substring(0, n);
        String value = name.isEmpty() ? null : known.apply(name);
        String rest = body.substring(n);
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1) : rest;
        char kind = op.isEmpty() ? 0 : op.charAt(0);
        String word = op.isEmpty() ? "" : op.substring(1);
        boolean unset = value == null || (colon && value.isEmpty());
        switch (kind) {
            case '-' -> {
                if (!unset) {
                    return value;
                }
                usedDefault[0] = true;
                return nested(word, known, unresolved, usedDefault, depth);
            }
            case '+' -> {
                if (value == null) {
                    // Empty unless the variable is set: which one a deployment gets is not known.
                    unresolved.add(name);
                    return "";
                }
                return unset ? "" : nested(word, known, unresolved, usedDefault, depth);
            }
            default -> {
                if (value == null) {
                    unresolved.add(name.isEmpty() ? body : name);
                    return "";
                }
                return value;
            }
        }
    }

    private static String nested(String word, Function<String, String> known, List<String> unresolved,
            boolean[] usedDefault, int depth) {
        return depth >= MAX_NESTING ? word : resolve(word, known, unresolved, usedDefault, depth + 1);
    }

    private static int closingBrace(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
