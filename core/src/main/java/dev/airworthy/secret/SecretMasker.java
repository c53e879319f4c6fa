package dev.airworthy.secret;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in any text airworthy prints: values taken from the environment that look like
 * secrets, credentials in headers, cookies, URLs (a password, or a user alone: a token) and query strings, JSON members and assignments
 * whose names say they hold a secret, and JSON Web Tokens. The runner passes every message,
 * evidence line, finding and stack trace through it, so no report can forget to.
 */
public final class SecretMasker {
    public static final String MASK = "****";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)pass|pwd|secret|token|key|auth|credential|cookie|session|private|signature|dsn|bearer|cert");
    private static final Pattern HEADER = Pattern.compile(
            "(?im)^([<>]?\\s*(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|x-access-token)\\s*:\\s*)(?:(bearer|basic|token|digest)\\s+)?(\\S.*)$");
    private static final Pattern COOKIE_HEADER = Pattern.compile("(?im)^([<>]?\\s*(?:set-)?cookie\\s*:\\s*)(.*)$");
    private static final Pattern COOKIE_PAIR = Pattern.compile("(^|;\\s{0,16}+)([^=;\\s]{1,4096}+)=([^;]{0,65536}+)");
    // A scheme starts where a run of scheme characters starts: free to start anywhere in a long word,
    // the pattern would retry it from every position, which is quadratic. A dash may come before it,
    // as in a fallback (${DB_URL:-postgres://...}): a scheme reads at most 31 characters, so a run of
    // dashes costs a bounded retry per position.
    private static final Pattern URL_USERINFO = Pattern.compile(
            "(?<![a-zA-Z0-9+.])([a-zA-Z][a-zA-Z0-9+.-]{0,30}+://[^/\\s:@]{0,256}+:)([^@\\s/]{1,1024}+)(@)");
    /**
     * {@code scheme://TOKEN@host}: userinfo without a password is how tokens ride in git and package URLs
     * ({@code https://ghp_...@github.com}). Masked over HTTP(S), where a lone user is a token in practice,
     * and under any scheme when it looks like one (random-looking, or a known token
     * prefix); a database user ({@code postgres://app@db}) and the SSH user {@code git} stay readable.
     */
    private static final Pattern URL_USER_ONLY = Pattern.compile(
            "(?<![a-zA-Z0-9+.])([a-zA-Z][a-zA-Z0-9+.-]{0,30}+://)([^/\\s:@]{1,1024}+)(@)");
    private static final Pattern TOKEN_PREFIX = Pattern.compile("(?i)(?:gh[pousr]_|github_pat_|glpat-|xox[abpr]-|sk_|pk_|akia|npm_)");
    /** Query parameters that carry a credential, including the signed-URL ones of S3 and Cloud Storage. */
    private static final Pattern QUERY_SECRET = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|token|access_token|api[_-]?key|secret|sig|signature|client_secret"
                    + "|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)=)([^&\\s;]+)");
    /** Names that say they hold a secret: they end with one of these words (token, not token_type). */
    private static final String SECRET_WORD =
            "[\\w.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credentials?|session[_-]?id)";
    /** A JSON member whose name says it holds a secret: {@code "access_token": "eyJ..."}. Possessive and bounded: linear. */
    private static final Pattern JSON_SECRET = Pattern.compile(
            "(?i)(\"" + SECRET_WORD + "\"\\s{0,10}+:\\s{0,10}+\")([^\"\\\\]{0,4096}+(?:\\\\.[^\"\\\\]{0,4096}+){0,64}+)(\")");
    /**
     * {@code NAME=value} with a secret-like name, as in env files and logs; placeholders stay. Only
     * the tight {@code =} form: {@code name: value} is how prose and headers read too.
     */
    private static final Pattern ASSIGNED_SECRET = Pattern.compile(
            "(?i)(?<![\\w.-])(" + SECRET_WORD + "=)(?!\\*{4}|\\$\\{)([^\\s\"'&;,]{4,4096}+)");
    /** A JSON Web Token: three base64url parts, the first an encoded JSON header. */
    private static final Pattern JWT = Pattern.compile("eyJ[\\w-]{8,4096}+\\.[\\w-]{8,8192}+\\.[\\w-]{0,4096}+");
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
            if (value != null && value.strip().length() >= 4 && (SECRET_NAME.matcher(name).find() || looksRandom(value.strip()))) {
                v.add(Map.entry(name, value));
                // Secrets from files often end with a line break that the value in a message has lost.
                if (!value.strip().equals(value)) {
                    v.add(Map.entry(name, value.strip()));
                }
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
        out = URL_USER_ONLY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + (tokenAsUser(m.group(1), m.group(2)) ? MASK : m.group(2)) + m.group(3)));
        out = QUERY_SECRET.matcher(out).replaceAll("$1" + MASK);
        out = JSON_SECRET.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        out = ASSIGNED_SECRET.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        out = JWT.matcher(out).replaceAll("eyJ" + MASK);
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

    private static boolean tokenAsUser(String schemeWithSlashes, String user) {
        if (user.equals("git") || user.equals(MASK)) {
            return false;
        }
        String scheme = schemeWithSlashes.substring(0, schemeWithSlashes.length() - 3).toLowerCase(java.util.Locale.ROOT);
        return scheme.endsWith("http") || scheme.endsWith("https") || looksRandom(user)
                || TOKEN_PREFIX.matcher(user).lookingAt();
    }

    /** Token-like: long enough, no spaces, mixes letters and digits. */
    private static boolean looksRandom(String v) {
        return v.length() >= 12 && v.chars().noneMatch(Character::isWhitespace)
                && v.chars().anyMatch(Character::isDigit) && v.chars().anyMatch(Character::isLetter)
                && !v.contains("://") && !v.startsWith("/");
    }
}
