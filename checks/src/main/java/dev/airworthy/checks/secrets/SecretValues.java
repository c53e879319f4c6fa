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
     * {@code minLength}, too little entropy to resist guessing, predictable (see
     * {@link #predictable}), or base64 of a text that is one of these.
     */
    public static String weakness(String value, int minLength) {
        String v = value.strip();
        if (v.isEmpty()) {
            return "is empty";
        }
        if (isDefault(v)) {
            return "is a well-known default";
        }
        if (isPlaceholderValue(v)) {
            return "is a placeholder";
        }
        if (v.length() < minLength) {
            return "is only " + v.length() + " characters long (at least " + minLength + " expected)";
        }
        // Counted in the value itself, so even a random hex string of 16 characters shows fewer bits than it
        // has (often under 48): the floors are low, and predictable() finds the structured weak values.
        double bits = shannonBits(v) * v.length();
        if (distinct(v) < (v.length() >= 20 ? 6 : 5) || bits < 32) {
            return "has little entropy (about " + Math.round(bits) + " bits)";
        }
        String pattern = predictable(v);
        if (pattern != null) {
            return "is predictable (" + pattern + ")";
        }
        String decoded = printableBase64(v);
        if (decoded != null && (isDefault(decoded.strip()) || predictable(decoded) != null || distinct(decoded) < 6)) {
            return "is base64 of a weak text";
        }
        return null;
    }

    /** As {@link #weakness(String, int)}, and the value may not be the variable's own name ({@code POSTGRES_PASSWORD=postgres_password}). */
    public static String weakness(String name, String value, int minLength) {
        String n = alphanumeric(name);
        if (!n.isEmpty() && n.equals(alphanumeric(value))) {
            return "is the variable's own name";
        }
        return weakness(value, minLength);
    }

    /** Letters and digits, lower case: {@code DB_PASSWORD} and {@code db-password} read alike. */
    private static String alphanumeric(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    /**
     * Words a made-up secret is built from. With digits, sequences and separators they make values
     * long enough to pass a length rule and guessable all the same ({@code dev-secret-key-1234567890}).
     */
    private static final List<String> SECRET_WORDS_IN_VALUES = List.of(
            "secret", "password", "passwd", "pass", "key", "dev", "test", "admin", "changeme", "change", "default", "jwt",
            "token", "super", "letmein", "welcome", "root", "user", "login", "app", "api", "prod", "stage", "staging", "local",
            "django", "insecure", "postgres", "mysql", "redis", "mongo", "example", "sample", "demo", "hello", "private",
            "access", "auth", "session", "cookie", "sign", "master", "dummy", "foo", "bar", "baz", "qwerty", "guest", "shared",
            "salt", "pepper", "encryption", "crypt", "hash", "hmac", "dragon", "monkey", "iloveyou", "trustno");
    private static final List<String> KEYBOARD_ROWS = List.of("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
            "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/", "!@#$%^&*()");
    private static final String SEPARATORS = "-_. :/+=,;|";
    /** A secret needs this much beyond its predictable parts: 48 bits take 2^47 guesses on average. */
    private static final int UNPREDICTABLE_BITS = 48;

    /**
     * What makes a value predictable, or null: sequences ({@code abcdef}, {@code 0123},
     * {@code ZYX}), keyboard walks ({@code qwerty}, {@code asdf}), repeated patterns
     * ({@code abcabc}), and words secrets are made of ({@code secret}, {@code password},
     * {@code admin}, {@code my...}, leetspeak too). The value is predictable when what is left
     * besides these and separators holds fewer than {@value #UNPREDICTABLE_BITS} bits, counted by
     * the kinds of characters it uses. Each rule is one pass over the value.
     */
    public static String predictable(String value) {
        String v = value.strip();
        int n = v.length();
        if (n == 0) {
            return null;
        }
        boolean[] marked = new boolean[n];
        List<String> kinds = new java.util.ArrayList<>();
        if (markSequences(v, marked)) {
            kinds.add("a sequence");
        }
        if (markKeyboardWalks(v, marked)) {
            kinds.add("a keyboard walk");
        }
        if (markRepeats(v, marked)) {
            kinds.add("a repeated pattern");
        }
        if (markWords(v, marked)) {
            kinds.add("words such secrets are made of");
        }
        if (kinds.isEmpty()) {
            return null;
        }
        boolean digit = false;
        boolean lower = false;
        boolean upper = false;
        boolean other = false;
        int left = 0;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (marked[i] || SEPARATORS.indexOf(c) >= 0) {
                continue;
            }
            left++;
            digit |= c >= '0' && c <= '9';
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
            other |= !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z');
        }
        int alphabet = (digit ? 10 : 0) + (lower ? 26 : 0) + (upper ? 26 : 0) + (other ? 32 : 0);
        double bits = left == 0 ? 0 : left * Math.log(Math.max(alphabet, 2)) / Math.log(2);
        return bits < UNPREDICTABLE_BITS ? String.join(", ", kinds) : null;
    }

    /** Runs of 4 or more characters of one kind, each one above or below the last: {@code abcd}, {@code 9876}. */
    private static boolean markSequences(String v, boolean[] marked) {
        return markRuns(v.length(), i -> sameKind(v.charAt(i - 1), v.charAt(i)) ? v.charAt(i) - v.charAt(i - 1) : 0, marked);
    }

    private static boolean sameKind(char a, char b) {
        return Character.isDigit(a) && Character.isDigit(b) || Character.isLowerCase(a) && Character.isLowerCase(b)
                || Character.isUpperCase(a) && Character.isUpperCase(b);
    }

    /** Runs of 4 or more neighbours on a keyboard row, either way, without case: {@code qwer}, {@code LKJH}. */
    private static boolean markKeyboardWalks(String v, boolean[] marked) {
        boolean any = false;
        String lower = v.toLowerCase(Locale.ROOT);
        for (String row : KEYBOARD_ROWS) {
            any |= markRuns(lower.length(), i -> {
                int a = row.indexOf(lower.charAt(i - 1));
                int b = row.indexOf(lower.charAt(i));
                return a >= 0 && b >= 0 ? b - a : 0;
            }, marked);
        }
        return any;
    }

    /**
     * Marks the runs of 4 or more positions of {@code [0, n)} in which each step goes one up, or
     * each one down: {@code step.applyAsInt(i)} is the step from {@code i - 1} to {@code i}.
     */
    private static boolean markRuns(int n, java.util.function.IntUnaryOperator step, boolean[] marked) {
        boolean any = false;
        int start = 0;
        int direction = 0;
        for (int i = 1; i <= n; i++) {
            int d = i < n ? step.applyAsInt(i) : 0;
            boolean unit = d == 1 || d == -1;
            if (unit && (i - start == 1 || d == direction)) {
                direction = d;
                continue;
            }
            if (i - start >= 4) {
                java.util.Arrays.fill(marked, start, i, true);
                any = true;
            }
            // A run that turns may start again at its last character: "1234321" is two runs.
            start = unit ? i - 1 : i;
            direction = d;
        }
        return any;
    }

    /** A pattern of 1 to 8 characters repeated: {@code abcabcabc}, {@code xyxyxy}; at least 6 characters in all. */
    private static boolean markRepeats(String v, boolean[] marked) {
        boolean any = false;
        for (int period = 1; period <= 8; period++) {
            int run = 0;
            for (int i = period; i <= v.length(); i++) {
                if (i < v.length() && Character.toLowerCase(v.charAt(i)) == Character.toLowerCase(v.charAt(i - period))) {
                    run++;
                    continue;
                }
                // The run covers [i - run - period, i): the pattern and its repetitions. Only the
                // repetitions are predictable; the first copy carries the pattern's own entropy.
                if (run >= period && run + period >= 6) {
                    java.util.Arrays.fill(marked, i - run, i, true);
                    any = true;
                }
                run = 0;
            }
        }
        return any;
    }

    /** The words secrets are made of, in leetspeak too ({@code p@ssw0rd}); {@code my} only at the start. */
    private static boolean markWords(String v, boolean[] marked) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            b.append(unleet(Character.toLowerCase(v.charAt(i))));
        }
        String plain = b.toString();
        boolean any = false;
        for (String word : SECRET_WORDS_IN_VALUES) {
            for (int at = plain.indexOf(word); at >= 0; at = plain.indexOf(word, at + 1)) {
                java.util.Arrays.fill(marked, at, at + word.length(), true);
                any = true;
            }
        }
        if (plain.startsWith("my")) {
            marked[0] = true;
            marked[1] = true;
            any = true;
        }
        return any;
    }

    private static char unleet(char c) {
        return switch (c) {
            case '0' -> 'o';
            case '1', '!' -> 'i';
            case '3' -> 'e';
            case '4', '@' -> 'a';
            case '5', '$' -> 's';
            case '7' -> 't';
            default -> c;
        };
    }

    /** The text a base64 value decodes to when all of it is printable ASCII, else null. */
    private static String printableBase64(String v) {
        if (v.length() < 8 || v.length() > 4096) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = v.indexOf('-') >= 0 || v.indexOf('_') >= 0 ? java.util.Base64.getUrlDecoder().decode(v)
                    : java.util.Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length < 4) {
            return null;
        }
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return null;
            }
        }
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * True when the value is clearly marked as something to fill in, the only kind of secret an
     * example file should hold: empty, {@code <...>}, {@code your_...}, {@code changeme},
     * {@code replace-me}, {@code xxx}, {@code ...}, {@code todo}. Unlike {@link #isPlaceholder}, words
     * such as {@code insecure}, {@code sample} or {@code dummy} do not count: values holding them
     * work, and are copied as they are.
     */
    public static boolean isMarkedPlaceholder(String value) {
        String v = value.strip();
        return v.isEmpty() || MARKED_PLACEHOLDER.matcher(v).find() || v.chars().allMatch(c -> c == 'x' || c == 'X' || c == '*');
    }

    /** {@code xxx} as a word of its own: random base64 holds {@code xXx} now and then. */
    private static final String XXX = "(?<![A-Za-z0-9])xxx+(?![A-Za-z0-9])";
    private static final Pattern MARKED_PLACEHOLDER = Pattern.compile(
            "(?i)<[^>]{1,80}>|^your[_-]|[_-]your[_-]|change[_-]?me|change[_-]?this|replace[_-]?me|replace[_-]?with|fill[_-]?me"
                    + "|fill[_-]?in|" + XXX + "|\\btodo\\b|\\bfixme\\b|placeholder|\\.\\.\\.|generate[_-]");
    private static final Pattern PLACEHOLDER_VALUE = Pattern.compile(PLACEHOLDER_WORDS.pattern().replace("\\bxxx+", XXX));

    /**
     * As {@link #isPlaceholder}, but {@code xxx} counts only as a word of its own, so a random value
     * that happens to hold {@code xXx} is not taken for a placeholder.
     */
    public static boolean isPlaceholderValue(String value) {
        String v = value.strip();
        return v.isEmpty() || PLACEHOLDER_VALUE.matcher(v).find() || v.chars().allMatch(c -> c == 'x' || c == 'X' || c == '*');
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
