package dev.airworthy.checks.env;

import dev.airworthy.checks.env.EnvFile.EnvSyntaxError;
import dev.airworthy.checks.env.EnvFile.Resolved;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Expands the references in one env-file value against the definitions before it, as docker
 * compose does ({@code $NAME}, {@code ${NAME}}, {@code ${NAME:-fallback}}, {@code ${NAME-fallback}},
 * {@code ${NAME:?message}}, {@code ${NAME:+alternative}}, {@code $$} for a dollar). A reference the
 * file does not define stays in the text as written and is marked as coming from outside; a
 * fallback stands in for it, since that is what the service gets when the environment does not
 * set the name. Fallbacks nest at most {@value #MAX_NESTING} deep; the text each value and the
 * whole file may expand to is capped, so a hostile file cannot multiply itself.
 */
final class EnvReferences {
    static final int MAX_NESTING = 8;
    /** All values of a file together may expand to this many characters. */
    static final int MAX_EXPANDED = 4 * EnvFile.MAX_BYTES;

    private final Map<String, Resolved> defined;
    private final String label;
    private final int line;
    private final int[] budget;

    /**
     * @param defined the values of the names defined before this one (a bare {@code NAME} line maps to null)
     * @param budget the characters the rest of the file may still expand to; decremented
     */
    EnvReferences(Map<String, Resolved> defined, String label, int line, int[] budget) {
        this.defined = defined;
        this.label = label;
        this.line = line;
        this.budget = budget;
    }

    /** Expands {@code template}: its {@code $$} is a literal dollar (an escaped {@code \$} is written so). */
    Resolved expand(String template) throws EnvSyntaxError {
        Builder b = new Builder();
        expand(template, 0, template.length(), b, 0);
        return b.build();
    }

    private void expand(String t, int from, int to, Builder out, int depth) throws EnvSyntaxError {
        int i = from;
        while (i < to) {
            char c = t.charAt(i);
            if (c != '$' || i + 1 >= to) {
                out.literal(c);
                i++;
                continue;
            }
            char next = t.charAt(i + 1);
            if (next == '$') {
                out.literal('$');
                i += 2;
            } else if (next == '{') {
                int end = closingBrace(t, i + 2, to);
                if (end < 0 || !braced(t, i, end, out, depth)) {
                    // Not a reference compose would take: the text stays as it is, and is judged so.
                    out.literal('$');
                    i++;
                } else {
                    i = end + 1;
                }
            } else if (isNameStart(next)) {
                int end = i + 1;
                while (end < to && isNamePart(t.charAt(end))) {
                    end++;
                }
                String name = t.substring(i + 1, end);
                reference(name, t.substring(i, end), "$" + name, true, out);
                i = end;
            } else {
                out.literal(c);
                i++;
            }
        }
    }

    /** {@code ${...}} from {@code start} (the dollar) to {@code end} (its closing brace); false when it is not a reference. */
    private boolean braced(String t, int start, int end, Builder out, int depth) throws EnvSyntaxError {
        int n = start + 2;
        if (n >= end || !isNameStart(t.charAt(n))) {
            return false;
        }
        while (n < end && isNamePart(t.charAt(n))) {
            n++;
        }
        String name = t.substring(start + 2, n);
        String written = t.substring(start, end + 1);
        String shown = "${" + name + "}";
        if (n == end) {
            reference(name, written, shown, false, out);
            return true;
        }
        boolean colon = t.charAt(n) == ':';
        int op = colon ? n + 1 : n;
        if (op >= end || "-?+".indexOf(t.charAt(op)) < 0) {
            return false;
        }
        char kind = t.charAt(op);
        Resolved value = defined.get(name);
        boolean known = value != null && value.known();
        boolean set = known && (!colon || !value.text().isEmpty());
        if (depth >= MAX_NESTING) {
            throw new EnvSyntaxError(label + ":" + line + ":1: references nest more than " + MAX_NESTING + " levels deep");
        }
        switch (kind) {
            case '-' -> {
                if (set) {
                    out.copy(value, name);
                } else {
                    out.via("the fallback of ${" + name + "}");
                    expand(t, op + 1, end, out, depth + 1);
                }
            }
            case '+' -> {
                if (set) {
                    expand(t, op + 1, end, out, depth + 1);
                } else if (!known) {
                    out.outside(written, shown, false);
                }
            }
            default -> {
                if (set) {
                    out.copy(value, name);
                } else {
                    out.outside(written, shown, false);
                }
            }
        }
        return true;
    }

    private void reference(String name, String written, String shown, boolean bare, Builder out) throws EnvSyntaxError {
        Resolved value = defined.get(name);
        if (value != null && value.known()) {
            out.copy(value, name);
        } else {
            out.outside(written, shown, bare);
        }
    }

    /** The index of the brace closing one opened before {@code from}, counting nested ones; -1 when there is none. */
    private static int closingBrace(String s, int from, int to) {
        int open = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '{') {
                open++;
            } else if (c == '}') {
                if (open == 0) {
                    return i;
                }
                open--;
            }
        }
        return -1;
    }

    static boolean isNameStart(char c) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    static boolean isNamePart(char c) {
        return isNameStart(c) || c >= '0' && c <= '9';
    }

    /** The expanded text, which of its characters came from outside, and how it was expanded. */
    private final class Builder {
        private final StringBuilder text = new StringBuilder();
        private final BitSet outside = new BitSet();
        private final List<String> references = new ArrayList<>();
        private final List<String> via = new ArrayList<>();
        private boolean bareOnly = true;

        void literal(char c) throws EnvSyntaxError {
            spend(1);
            text.append(c);
        }

        void copy(Resolved value, String name) throws EnvSyntaxError {
            spend(value.text().length());
            int at = text.length();
            text.append(value.text());
            for (int i = value.outsideMask().nextSetBit(0); i >= 0; i = value.outsideMask().nextSetBit(i + 1)) {
                outside.set(at + i);
            }
            value.references().stream().filter(r -> !references.contains(r)).forEach(references::add);
            bareOnly &= value.bareReferencesOnly();
            via("${" + name + "} (line " + value.line() + ")");
            via.addAll(value.via());
        }

        /** A reference the file does not define: kept as written, and named as {@code shown} (never with its fallback or message). */
        void outside(String written, String shown, boolean bare) throws EnvSyntaxError {
            spend(written.length());
            int at = text.length();
            text.append(written);
            outside.set(at, text.length());
            if (!references.contains(shown)) {
                references.add(shown);
            }
            bareOnly &= bare;
        }

        void via(String how) {
            if (!via.contains(how)) {
                via.add(how);
            }
        }

        private void spend(int chars) throws EnvSyntaxError {
            budget[0] -= chars;
            if (budget[0] < 0) {
                throw new EnvSyntaxError(label + ":" + line + ":1: its references expand to more than " + (MAX_EXPANDED >> 20)
                        + " MiB: not an env file a service reads");
            }
        }

        Resolved build() {
            return new Resolved(text.toString(), (BitSet) outside.clone(), List.copyOf(references), List.copyOf(via),
                    !references.isEmpty() && bareOnly, line);
        }
    }
}
