package dev.airworthy.checks.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airworthy.checks.secrets.SecretValues;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets written into a log line. Deliberately small: {@code secrets.scan}'s rules will take its
 * place; until then it knows bearer and basic credentials, JWTs, {@code password=...}-style
 * assignments, and JSON fields named like secrets that hold a literal value. Every pattern starts
 * at a fixed word and has bounded quantifiers: log lines are untrusted text.
 */
final class LogSecrets {
    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)(?<![A-Za-z0-9])(bearer|basic)\\s{1,8}([A-Za-z0-9._~+/=-]{16,4096}+)");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,4096}+\\.eyJ[A-Za-z0-9_-]{8,4096}+\\.[A-Za-z0-9_-]{0,4096}+");
    private static final Pattern ASSIGNMENT = Pattern.compile("(?i)(?<![A-Za-z0-9])(password|passwd|secret|token|api[_-]?key"
            + "|access[_-]?key|client[_-]?secret)\\s{0,3}[=:]\\s{0,3}[\"']?([^\\s&,;\"'<>(){}\\[\\]]{4,512}+)");
    /** Header names whose values are credentials, though {@link SecretValues#isSecretName} does not say so. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie",
            "x-api-key");
    private static final Pattern REDACTED = Pattern.compile("(?i)redact|filter|mask|hidden|removed|omitted|sanitiz|scrub|[*•]{3}");
    private static final int MAX_FIELDS = 1000;

    private LogSecrets() {
    }

    /**
     * What secret {@code line} shows, masked ("a JWT (eyJh…(143 chars))"), or null. {@code json} is
     * the line parsed, or null when it is not JSON.
     */
    static String find(String line, JsonNode json) {
        Matcher m = AUTH_SCHEME.matcher(line);
        while (m.find()) {
            String token = m.group(2);
            if (token.chars().anyMatch(Character::isDigit) && token.chars().anyMatch(Character::isLetter)) {
                return "a " + capitalized(m.group(1)) + " credential (" + SecretValues.masked(token) + ")";
            }
        }
        m = JWT.matcher(line);
        if (m.find()) {
            return "a JWT (" + SecretValues.masked(m.group()) + ")";
        }
        m = ASSIGNMENT.matcher(line);
        while (m.find()) {
            // In prose ("secret: rotated"), a plain word is not a credential; a secret has digits or symbols, or length.
            String v = m.group(2);
            boolean wordLike = v.length() < 12 && v.chars().allMatch(Character::isLetter);
            if (literal(v) && !wordLike) {
                return m.group(1) + "=… (" + SecretValues.masked(m.group(2)) + ")";
            }
        }
        return json == null ? null : secretField(json, 0, new int[] {0});
    }

    /** The first field named like a secret that holds a literal string, searched a few levels deep. */
    private static String secretField(JsonNode node, int depth, int[] fields) {
        if (depth > 8 || !node.isContainerNode()) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.isObject() ? node.fields() : null;
        if (it == null) {
            for (JsonNode item : node) {
                String found = ++fields[0] > MAX_FIELDS ? null : secretField(item, depth + 1, fields);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        while (it.hasNext() && ++fields[0] <= MAX_FIELDS) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            boolean named = SecretValues.isSecretName(e.getKey()) || CREDENTIAL_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT));
            if (named && v.isTextual() && literal(v.asText())) {
                return "\"" + e.getKey() + "\" with a literal value (" + SecretValues.masked(v.asText()) + ")";
            }
            String found = secretField(v, depth + 1, fields);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** A value that is the secret itself: not empty, not a redaction marker, reference or placeholder, not a flag. */
    private static boolean literal(String value) {
        String v = value.strip();
        return v.length() >= 4 && !REDACTED.matcher(v).find() && !SecretValues.isReference(v) && !SecretValues.isPlaceholder(v)
                && !Set.of("true", "false", "null", "none", "undefined").contains(v.toLowerCase(Locale.ROOT));
    }

    private static String capitalized(String word) {
        return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1).toLowerCase(Locale.ROOT);
    }
}
