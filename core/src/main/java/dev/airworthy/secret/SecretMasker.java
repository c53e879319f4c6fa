package dev.airworthy.secret;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in any text airworthy prints: values taken from the environment that look like
 * secrets, credentials in headers, cookies, URLs and query strings. The runner passes every
 * message, evidence line and finding through it, so no report can forget to.
 */
public final class SecretMasker {
    public static final String MASK = "****";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|auth|credential|cookie|session|private|signature|dsn|bearer|cert).*");
    private static final Pattern HEADER = Pattern.compile(
            "(?im)^([<>]?\\s*(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|x-access-token)\\s*:\\s*)(?:(bearer|basic|token|digest)\\s+)?(\\S.*)$");
    private static final Pattern COOKIE_HEADER = Pattern.compile("(?im)^([<>]?\\s*(?:set-)?cookie\\s*:\\s*)(.*)$");
    private static final Pattern COOKIE_PAIR = Pattern.compile("(^|;\\s*)([^=;\\s]+)=([^;]*)");
    private static final Pattern URL_USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]*:)([^@\\s/]+)(@)");
    private static final Pattern QUERY_SECRET = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|token|access_token|api[_-]?key|secret|sig|signature|client_secret)=)([^&\\s;]+)");
    private static final List<String> COOKIE_ATTRIBUTES =
            List.of("path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority", "partitioned");

    private final List<Map.Entry<String, String>> values;

    private SecretMasker(List<Map.Entry<String, String>> values) {
        this.values = values;
    }

    /** A masker for the values a checklist took from the environment ({@code name -> value}). */
    public static SecretMasker of(Map<String, String> fromEnvironment) {
        List<Map.Entry<String, String>> v = new ArrayList<>();
        fromEnvironment.forEach((name, value) -> {
            if (value != null && value.length() >= 4 && (SECRET_NAME.matcher(name).matches() || looksRandom(value))) {
                v.add(Map.entry(name, value));
            }
        });
        // Longest first, so a secret that contains another is replaced whole.
        v.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        return new SecretMasker(List.copyOf(v));
    }

    public static SecretMasker none() {
        return new SecretMasker(List.of());
    }

    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (var e : values) {
            out = out.replace(e.getValue(), "${" + e.getKey() + "}");
        }
        out = HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + (m.group(3) == null ? "" : m.group(3) + " ") + MASK));
        out = COOKIE_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskCookies(m.group(2))));
        out = URL_USERINFO.matcher(out).replaceAll("$1" + MASK + "$3");
        out = QUERY_SECRET.matcher(out).replaceAll("$1" + MASK);
        return out;
    }

    public List<String> mask(List<String> lines) {
        return lines.stream().map(this::mask).toList();
    }

    /** Cookie names and attributes stay readable (the cookie checks need them); values do not. */
    private static String maskCookies(String header) {
        return COOKIE_PAIR.matcher(header).replaceAll(m -> {
            String name = m.group(2);
            boolean attribute = COOKIE_ATTRIBUTES.contains(name.toLowerCase(java.util.Locale.ROOT));
            return Matcher.quoteReplacement(m.group(1) + name + "=" + (attribute ? m.group(3) : MASK));
        });
    }

    /** Token-like: long enough, no spaces, mixes letters and digits. */
    private static boolean looksRandom(String v) {
        return v.length() >= 12 && v.chars().noneMatch(Character::isWhitespace)
                && v.chars().anyMatch(Character::isDigit) && v.chars().anyMatch(Character::isLetter)
                && !v.contains("://") && !v.startsWith("/");
    }
}
