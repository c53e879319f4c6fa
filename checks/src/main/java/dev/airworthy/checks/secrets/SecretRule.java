package dev.airworthy.checks.secrets;

import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * One kind of secret the scanner finds: the keywords that must occur for it to be looked for (the
 * prefilter), the pattern that finds it around them, and what else a match must satisfy.
 *
 * @param id          the rule's name; findings are {@code secrets.scan.<id>}
 * @param keywords    literal text every match contains; the scanner runs {@code pattern} only near them
 * @param exactCase   true when the keywords must match their case
 * @param pattern     linear (bounded, possessive where it can be); group {@code group} is the secret
 * @param before      how far before a keyword a match may start (bytes; the region stops at a line start,
 *                    or for a rule {@code atWord} at the start of the word around the keyword)
 * @param after       how far after a keyword a match may end (bytes; the region stops at a line end
 *                    unless {@code multiline})
 * @param multiline   true when a match spans lines (private key blocks); its secret is the group without
 *                    whitespace and {@code \n} escapes, so a key reformatted or moved into JSON keeps its fingerprint
 * @param atWord      true when a match starts where the word around the keyword starts (a name such as
 *                    {@code db_password}, a URL scheme): the region begins there, not {@code before} earlier
 * @param generic     true for rules that judge by context rather than by a vendor's format; where a
 *                    specific rule finds the same secret, only the specific finding is kept
 * @param minEntropy  the least Shannon entropy of the secret, in bits per character (0: no gate)
 * @param judge       further conditions (a checksum, a decodable header), or {@link Judge#ANY}
 * @param gate        a byte-level test of a keyword's surroundings, before any region or pattern work:
 *                    for keywords common in ordinary code ({@code oken}, {@code ://}), so that their
 *                    many harmless occurrences cost almost nothing
 */
public record SecretRule(String id, String description, List<String> keywords, boolean exactCase, Pattern pattern,
        int group, int before, int after, boolean multiline, boolean atWord, boolean generic, double minEntropy, Judge judge,
        Gate gate) {

    /** One match as the judge sees it. */
    public record Candidate(String secret, MatchResult match, String path) {
        @Override
        public String toString() {
            return "candidate in " + path + " (" + SecretValues.masked(secret) + ")";
        }
    }

    /** What else a match must satisfy to be reported. */
    @FunctionalInterface
    public interface Judge {
        Judge ANY = c -> true;

        boolean isSecret(Candidate candidate);
    }

    /** Whether an occurrence of a keyword, at {@code [start, end)} of {@code text[0, length)}, is worth a look. */
    @FunctionalInterface
    public interface Gate {
        Gate ANY = (text, start, end, length) -> true;

        boolean plausible(byte[] text, int start, int end, int length);
    }

    public SecretRule {
        keywords = List.copyOf(keywords);
        if (keywords.isEmpty()) {
            throw new IllegalArgumentException(id + ": a rule needs at least one keyword for the prefilter");
        }
        if (group < 1 || group > pattern.matcher("").groupCount()) {
            throw new IllegalArgumentException(id + ": pattern has no group " + group);
        }
    }

    /**
     * A vendor-format token such as {@code ghp_...}: case-sensitive keywords (its prefix, or a part of it
     * with {@link #window}), the secret is group 1, the match starts at the keyword and ends within 600
     * bytes on its line, and its entropy is at least 3 bits per character.
     */
    static SecretRule token(String id, String description, String regex, String... keywords) {
        return new SecretRule(id, description, List.of(keywords), true, Pattern.compile(regex), 1, 0, 600, false, false, false,
                3.0, Judge.ANY, Gate.ANY);
    }

    /** The finding rule id: {@code secrets.scan.<id>}. */
    public String findingRule() {
        return "secrets.scan." + id;
    }

    SecretRule ignoreCase() {
        return new SecretRule(id, description, keywords, false, pattern, group, before, after, multiline, atWord, generic, minEntropy, judge, gate);
    }

    SecretRule group(int secretGroup) {
        return new SecretRule(id, description, keywords, exactCase, pattern, secretGroup, before, after, multiline, atWord, generic, minEntropy, judge, gate);
    }

    SecretRule window(int bytesBefore, int bytesAfter) {
        return new SecretRule(id, description, keywords, exactCase, pattern, group, bytesBefore, bytesAfter, multiline, atWord, generic, minEntropy, judge, gate);
    }

    SecretRule spanningLines() {
        return new SecretRule(id, description, keywords, exactCase, pattern, group, before, after, true, atWord, generic, minEntropy, judge, gate);
    }

    SecretRule startingAtWord() {
        return new SecretRule(id, description, keywords, exactCase, pattern, group, before, after, multiline, true, generic, minEntropy, judge, gate);
    }

    SecretRule asGeneric() {
        return new SecretRule(id, description, keywords, exactCase, pattern, group, before, after, multiline, atWord, true, minEntropy, judge, gate);
    }

    SecretRule entropy(double bitsPerChar) {
        return new SecretRule(id, description, keywords, exactCase, pattern, group, before, after, multiline, atWord, generic, bitsPerChar, judge, gate);
    }

    SecretRule gate(Gate g) {
        return new SecretRule(id, description, keywords, exactCase, pattern, group, before, after, multiline, atWord, generic, minEntropy, judge, g);
    }

    SecretRule judge(Judge j) {
        return new SecretRule(id, description, keywords, exactCase, pattern, group, before, after, multiline, atWord, generic, minEntropy, j, gate);
    }
}
