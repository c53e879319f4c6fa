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
 * Secrets written into a log line, beyond what {@code secrets.scan}'s rules find (the check runs
 * those too): credentials in headers (Basic of any length, Bearer tokens of 20 characters or more
 * in any alphabet), token shapes without the checksums the repository scanner demands (a log has
 * no test fixtures: {@code ghp_...}, {@code github_pat_...}, {@code sk_live_...}, {@code AKIA...}),
 * private key headers, JWTs, {@code password=...}-style assignments to any name ending in a secret
 * word ({@code secret_key=}, {@code db_password=}; after {@code =} even a plain word is a secret),
 * and JSON fields named like secrets that hold a literal string or a number. Every pattern starts at
 * a fixed word and has bounded quantifiers: log lines are untrusted text.
 */
final class LogSecrets {
    private static final Pattern BASIC = Pattern.compile("(?i)(?<![A-Za-z0-9])basic\\s{1,8}([A-Za-z0-9+/]{4,4096}+={0,2})(?![A-Za-z0-9+/=])");
    private static final Pattern BEARER = Pattern.compile("(?i)(?<![A-Za-z0-9])bearer\\s{1,8}([^\\s\"',;]{20,4096}+)");
    private static final Pattern TOKEN = Pattern.compile("(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{30,255}+|github_pat_[A-Za-z0-9_]{30,255}+"
            + "|[sr]k_live_[A-Za-z0-9]{16,247}+|(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Za-z0-9])|xox[abeoprs]-[A-Za-z0-9-]{10,255}+"
            + "|glpat-[A-Za-z0-9_-]{20,80}+)");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY( BLOCK)?-----");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,4096}+\\.eyJ[A-Za-z0-9_-]{8,4096}+\\.[A-Za-z0-9_-]{0,4096}+");
    /** A name that ends in a secret word, {@code =} or {@code :}, and a value; the name starts at a word's start. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?i)(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{0,40}?(?:password|passwd|pwd|secret"
            + "|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|auth[_-]?key|client[_-]?secret))\\s{0,3}([=:])"
            + "\\s{0,3}[\"']?([^\\s&,;\"'<>(){}\\[\\]]{1,512}+)");
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
        Matcher m = BASIC.matcher(line);
        while (m.find()) {
            if (basicCredentials(m.group(1))) {
                return "a Basic credential (" + SecretValues.masked(m.group(1)) + ")";
            }
        }
        m = BEARER.matcher(line);
        while (m.find()) {
            if (literal(m.group(1))) {
                return "a Bearer credential (" + SecretValues.masked(m.group(1)) + ")";
            }
        }
        m = TOKEN.matcher(line);
        if (m.find()) {
            return "a token (" + SecretValues.masked(m.group(1)) + ")";
        }
        if (PRIVATE_KEY.matcher(line).find()) {
            return "a private key";
        }
        m = JWT.matcher(line);
        if (m.find()) {
            return "a JWT (" + SecretValues.masked(m.group()) + ")";
        }
        m = ASSIGNMENT.matcher(line);
        while (m.find()) {
            // After '=' any value is the secret; after ':' a plain word may be prose ("secret: rotated").
            String v = m.group(3);
            boolean wordLike = v.length() < 12 && v.chars().allMatch(Character::isLetter);
            if (literal(v) && (m.group(2).equals("=") || !wordLike)) {
                return m.group(1) + "=… (" + SecretValues.masked(v) + ")";
            }
        }
        return json == null ? null : secretField(json, 0, new int[] {0});
    }

    /** Base64 of printable {@code user:password}, as a Basic credential is. */
    private static boolean basicCredentials(String token) {
        byte[] decoded;
        try {
            decoded = java.util.Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean colon = false;
        for (byte b : decoded) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
            colon |= b == ':';
        }
        return colon && decoded.length >= 2;
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
            if (named && v.isTextual() && v.asText().strip().length() >= 4 && literal(v.asText())) {
                return "\"" + e.getKey() + "\" with a literal value (" + SecretValues.masked(v.asText()) + ")";
            }
            // A PIN or a numeric password is a number in JSON; a count or an id is short, or not named so.
            if (named && v.isIntegralNumber() && v.asText().replace("-", "").length() >= 4) {
                return "\"" + e.getKey() + "\" with a numeric value (" + SecretValues.masked(v.asText()) + ")";
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
        return !v.isEmpty() && !REDACTED.matcher(v).find() && !SecretValues.isReference(v) && !SecretValues.isPlaceholderValue(v)
                && !Set.of("true", "false", "null", "none", "nil", "undefined", "required", "missing", "invalid", "expired")
                        .contains(v.toLowerCase(Locale.ROOT));
    }
}
