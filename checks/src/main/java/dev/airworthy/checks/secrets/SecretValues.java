package dev.airworthy.checks.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a secret looks like by its name, and what makes its value weak. Shared by the env-file,
 * compose and secret-scanner checks, so "is this a default password" has one answer.
 */
public final class SecretValues {
    private static final Set<String> SECRET_WORDS = Set.of(
            "PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "PEPPER", "SALT", "CREDENTIAL",
            "CREDENTIALS", "APIKEY", "PRIVATEKEY", "PASSPHRASE", "SIGNINGKEY");
    /** A last word that makes the variable describe a secret rather than hold one ({@code PASSWORD_FILE}, {@code TOKEN_TTL}). */
    private static final Set<String> DESCRIBING_WORDS = Set.of(
            "FILE", "PATH", "DIR", "NAME", "ID", "LENGTH", "LEN", "MIN", "MAX", "TTL", "EXPIRY", "EXPIRES", "EXPIRATION",
            "ALGORITHM", "ALG", "URL", "URI", "HOST", "PORT", "USER", "USERNAME", "HEADER", "TYPE", "ENABLED", "POLICY",
            "ROTATION", "LIFETIME", "AGE", "SIZE", "COUNT", "ROUNDS", "ITERATIONS", "FIELD", "PARAM", "COOKIE", "PREFIX",
            "REGION", "VERSION", "LOCATION", "BACKEND", "PROVIDER", "ENDPOINT", "DOMAIN", "TIMEOUT", "HASH", "SCHEME");
    private static final Set<String> NOT_SECRET_KEYS = Set.of("PUBLIC", "PUB", "PUBLISHABLE", "ACCESS_KEY_ID", "ID");
    /**
     * Secret words that stay unambiguous at the end of a run-together word ({@code PGPASSWORD},
     * {@code dbpassword}, {@code GITHUBTOKEN}); {@code TOKENS} or {@code PASSWORDLESS} do not end with one.
     */
    private static final List<String> SECRET_SUFFIXES = List.of("PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "PRIVATEKEY",
            "SECRETKEY");
    /** Images whose {@code <NAME>_AUTH} holds a password: {@code REDISCLI_AUTH}, {@code NEO4J_AUTH} (user/password). */
    private static final Set<String> AUTH_HOLDERS = Set.of("REDISCLI", "NEO4J");
    /** Passwords that ship in tutorials, images and .env.example files. */
    public static final List<String> DEFAULTS = List.of(
            "postgres", "password", "passw0rd", "p@ssw0rd", "p@ssword", "changeme", "change_me", "change-me", "changeit",
            "admin", "administrator", "root", "toor", "secret", "supersecret", "dev", "development", "test", "testing",
            "example", "default", "123456", "1234567", "12345678", "123456789", "1234567890", "qwerty", "letmein",
            "welcome", "guest", "mysql", "redis", "mongo", "rabbitmq", "minio", "minioadmin", "user", "pass", "local",
            "abc123", "foobar", "demo", "sa", "oracle", "master");
    private static final Pattern PLACEHOLDER_WORDS = Pattern.compile(
            "(?i)change[_-]?me|change[_-]?this|replace[_-]?me|replace[_-]?with|your[_-]|<[^>]{1,80}>|\\bxxx+|\\btodo\\b|"
                    + "placeholder|dummy|sample|example|insecure|not[_-]?a[_-]?secret|fixme|\\.\\.\\.");
    // Compiled once: the secret scanner splits names on hot paths.
    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern NOT_WORD = Pattern.compile("[^A-Z0-9]+");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]{1,200}}|\\$[A-Za-z_][A-Za-z0-9_]{0,100}|\\{\\{[^}]{1,200}}}");

    private SecretValues() {
    }

    /** True when a variable or key name says it holds a secret: {@code DB_PASSWORD}, {@code jwtSecret}, {@code STRIPE_API_KEY}. */
    public static boolean isSecretName(String name) {
        String[] words = words(name);
        if (words.length == 0) {
            return false;
        }
        String last = words[words.length - 1];
        String beforeLast = words.length > 1 ? words[words.length - 2] : "";
        if (last.equals("AUTH") && AUTH_HOLDERS.contains(beforeLast)) {
            return true;
        }
        if (last.equals("COOKIE") && java.util.Arrays.asList(words).contains("ERLANG")) {
            return true; // RABBITMQ_ERLANG_COOKIE: whoever knows it controls the node
        }
        if (DESCRIBING_WORDS.contains(last) && words.length > 1) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (SECRET_WORDS.contains(w) || endsWithSecretWord(w)) {
                return true;
            }
            if (w.equals("KEY")) {
                String before = i > 0 ? words[i - 1] : "";
                String after = i + 1 < words.length ? words[i + 1] : "";
                boolean publicKey = NOT_SECRET_KEYS.contains(before) || NOT_SECRET_KEYS.contains(after);
                if (!publicKey && (i > 0 || words.length == 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean endsWithSecretWord(String word) {
        for (String suffix : SECRET_SUFFIXES) {
            if (word.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits {@code DB_PASSWORD}, {@code db-password}, {@code dbPassword} into upper-case words. Only
     * a name with lower-case letters is split at its humps: {@code NEO4J_AUTH} is two words, not three.
     */
    static String[] words(String name) {
        boolean camel = name.chars().anyMatch(c -> c >= 'a' && c <= 'z');
        String spaced = camel ? CAMEL_HUMP.matcher(name).replaceAll("$1_$2") : name;
        return java.util.Arrays.stream(NOT_WORD.split(spaced.toUpperCase(Locale.ROOT)))
                .filter(w -> !w.isEmpty()).toArray(String[]::new);
    }

    /** True when the value is taken from elsewhere at run time: {@code ${DB_PASSWORD}}, {@code $TOKEN}, {@code {{ .Values.x }}}. */
    public static boolean isReference(String value) {
        String v = value.strip();
        return !v.isEmpty() && REFERENCE.matcher(v).replaceAll("").isBlank();
    }

    /** True when the value says it is a placeholder to fill in: {@code <your-key>}, {@code changeme}, {@code your_token_here}. */
    public static boolean isPlaceholder(String value) {
        String v = value.strip();
        return v.isEmpty() || PLACEHOLDER_WORDS.matcher(v).find() || v.chars().allMatch(c -> c == 'x' || c == 'X' || c == '*');
    }

    /** True for a well-known default password, compared without case. */
    public static boolean isDefault(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return DEFAULTS.contains(v) || v.startsWith("django-insecure");
    }

    /**
     * Why a secret's value is weak, or null when it is not: a default, a placeholder, shorter than
     * {@code minLength}, or too little entropy to resist guessing.
     */
    public static String weakness(String value, int minLength) {
        String v = value.strip();
        if (v.isEmpty()) {
            return "is empty";
        }
        if (isDefault(v)) {
            return "is a well-known default";
        }
        if (isPlaceholder(v)) {
            return "is a placeholder";
        }
        if (v.length() < minLength) {
            return "is only " + v.length() + " characters long (at least " + minLength + " expected)";
        }
        double bits = shannonBits(v) * v.length();
        if (distinct(v) < 6 || bits < 48) {
            return "has little entropy (about " + Math.round(bits) + " bits)";
        }
        return null;
    }

    /** Shannon entropy of the characters, in bits per character. */
    public static double shannonBits(CharSequence s) {
        if (s.isEmpty()) {
            return 0;
        }
        int[] counts = new int[128];
        java.util.Map<Character, Integer> other = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                if (other == null) {
                    other = new java.util.HashMap<>();
                }
                other.merge(c, 1, Integer::sum);
            }
        }
        double bits = 0;
        double n = s.length();
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other != null) {
            for (int c : other.values()) {
                double p = c / n;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        return bits;
    }

    private static long distinct(String s) {
        return s.chars().distinct().count();
    }

    /** How a secret is shown in any output: a short prefix and the length, never the value. */
    public static String masked(String secret) {
        int show = secret.length() >= 16 ? 4 : secret.length() >= 8 ? 2 : 0;
        return secret.substring(0, show) + "…(" + secret.length() + " chars)";
    }
}
