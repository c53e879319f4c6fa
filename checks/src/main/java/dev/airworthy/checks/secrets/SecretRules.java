package dev.airworthy.checks.secrets;

import dev.airworthy.checks.secrets.SecretRule.Candidate;
import dev.airworthy.checks.secrets.SecretRule.Judge;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The secret scanner's rules, one entry each. A rule names the literal keywords its matches contain
 * (the prefilter looks for all rules' keywords in one pass), a linear pattern whose group is the
 * secret, and what else a match must satisfy: a checksum, a decodable header, enough entropy.
 *
 * <p>A keyword is any part of every match, chosen so that its first two bytes are rare in ordinary
 * code: the prefilter wakes up at every occurrence of them. So {@code ecret} rather than
 * {@code secret} (se- starts set, self, select, service), {@code k_live_} rather than {@code sk_live_}
 * (task, mask), {@code yJ} rather than {@code eyJ} (key, they); {@code before} then covers the bytes
 * of the match in front of the keyword. Measured on the JDK's sources and the benchmark tree, about
 * one position in a hundred starts a keyword's first two bytes.
 *
 * <p>Every pattern starts where a token starts (a lookbehind), bounds its quantifiers and makes them
 * possessive where what follows cannot be part of the run, so a hostile line costs linear time.
 */
public final class SecretRules {
    /** Keys vendors print in their documentation; reported by no rule. */
    static final Set<String> DOCUMENTED_EXAMPLES = Set.of(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AKIAI44QH8DHBEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            // Azurite's (the Azure storage emulator's) account key, the same in every installation.
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            // The sample on jwt.io, signed with the key "your-256-bit-secret"; in countless tests and docs.
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                    + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");

    /**
     * A name, an assignment operator, and a quoted or bare value (group 3); group 1 is the name. Not
     * a shell expansion such as {@code ${PASSWORD:-default}}. Quotes may be escaped ({@code \\"}), as
     * in code held in JSON strings: notebooks, Terraform state.
     */
    private static final String ASSIGNMENT =
            "(?:(?<=--)|(?<![\\w.$@-]))(?<!\\$\\{)([A-Za-z_$@][\\w.$@-]{0,80}+)(?:\\\\?[\"'])?\\s{0,10}+(?::=|=>|[:=])(?![=~>])\\s{0,10}+"
                    + "((?:\\\\?[\"'`])?)([^\\s\"'`,;(){}\\[\\]<>\\\\]{1,500}+)\\2";

    public static final List<SecretRule> ALL = List.of(
            SecretRule.token("aws-access-key-id", "AWS access key id",
                    "(?<![A-Za-z0-9/+])((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9/+=])", "AKIA", "ASIA", "ABIA", "ACCA"),
            new SecretRule("aws-secret-access-key", "AWS secret access key", List.of("ecret_access_key", "ecretaccesskey",
                    "ecret-access-key", "aws_secret_key", "awssecretkey", "aws-secret-key"), false, Pattern.compile(
                    "(?i)(?:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)[\\w-]{0,20}+[\"']?\\s{0,10}+(?::=|=>|[:=])"
                            + "\\s{0,10}+[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"), 1, 1, 200, false, false, false, 3.5, Judge.ANY,
                    SecretRules::assignmentFollows),
            SecretRule.token("google-api-key", "Google API key",
                    "(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])", "AIza").entropy(3.5),
            SecretRule.token("azure-storage-key", "Azure storage account key",
                    "(?i)AccountKey\\s{0,5}+=\\s{0,5}+([A-Za-z0-9+/]{86}==)", "AccountKey").entropy(4.0),
            SecretRule.token("github-pat", "GitHub personal access token (classic)",
                    "(?<![A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9])", "ghp_").judge(SecretRules::crc32Tail),
            SecretRule.token("github-fine-grained-pat", "GitHub fine-grained personal access token",
                    "(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9])", "b_pat_").window(5, 600)
                    .entropy(4.0),
            SecretRule.token("github-app-token", "GitHub App installation, user-to-server or refresh token",
                    "(?<![A-Za-z0-9_])(gh[usr]_[A-Za-z0-9]{36,255}+)(?![A-Za-z0-9])", "ghu_", "ghs_", "ghr_").entropy(4.0),
            SecretRule.token("github-oauth", "GitHub OAuth access token",
                    "(?<![A-Za-z0-9_])(gho_[A-Za-z0-9]{36})(?![A-Za-z0-9])", "gho_").judge(SecretRules::crc32Tail),
            SecretRule.token("gitlab-pat", "GitLab personal access token",
                    "(?<![A-Za-z0-9_-])(glpat-[A-Za-z0-9_-]{20,80}+(?:\\.[0-9a-z]{2}\\.[0-9a-z]{6,12}+)?)(?![A-Za-z0-9_-])",
                    "glpat-").entropy(3.5),
            SecretRule.token("slack-bot-token", "Slack bot token",
                    "(?<![A-Za-z0-9-])(xoxb-[0-9]{10,13}+-[0-9]{10,13}+-[A-Za-z0-9]{24,34}+)(?![A-Za-z0-9])", "xoxb-"),
            SecretRule.token("slack-user-token", "Slack user token",
                    "(?<![A-Za-z0-9-])(xox[pe]-[0-9]{10,13}+-[0-9]{10,13}+-[0-9]{10,13}+-[A-Za-z0-9]{28,34}+)(?![A-Za-z0-9])",
                    "xoxp-", "xoxe-"),
            SecretRule.token("slack-app-token", "Slack app-level, configuration or refresh token",
                    "(?<![A-Za-z0-9.-])(xapp-[0-9]-[A-Z0-9]{8,14}+-[0-9]{10,13}+-[a-f0-9]{60,70}+"
                            + "|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{100,220}+|xoxe-[0-9]-[A-Za-z0-9]{100,220}+)(?![A-Za-z0-9])",
                    "xapp-", "xoxe.", "xoxe-").entropy(3.5),
            SecretRule.token("slack-webhook", "Slack incoming webhook URL",
                    "(https://(?i:hooks\\.slack\\.com)/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,120}+)",
                    "slack.com").window(14, 200).entropy(0).judge(SecretRules::randomLastSegment),
            SecretRule.token("sendgrid-api-key", "SendGrid API key",
                    "(?<![A-Za-z0-9_-])(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])", "SG.").entropy(4.0),
            SecretRule.token("twilio-api-key", "Twilio API key SID",
                    "(?<![A-Za-z0-9])(SK[0-9a-fA-F]{32})(?![A-Za-z0-9])", "SK").gate(SecretRules::hexFollows),
            SecretRule.token("stripe-live-key", "Stripe live secret or restricted key",
                    "(?<![A-Za-z0-9_])([sr]k_live_[A-Za-z0-9]{24,247}+)(?![A-Za-z0-9])", "k_live_").window(1, 600).entropy(3.5),
            SecretRule.token("npm-token", "npm access token",
                    "((?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}"
                            + "|(?<=_authToken\\s{0,3}=\\s{0,3}[\"']?)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
                            + "(?![A-Za-z0-9-])", "npm_", "_authToken").window(0, 100).judge(SecretRules::npmToken),
            SecretRule.token("pypi-token", "PyPI API token",
                    "(?<![A-Za-z0-9_-])(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}+)(?![A-Za-z0-9_-])",
                    "i-AgEIcHlwaS5vcmc", "i-AgENdGVzdC5weXBpLm9yZw").window(4, 1100).entropy(4.0),
            // The marker T3BlbkFJ ("OpenAI" in base64) sits in the middle of the key, so the match starts before it.
            SecretRule.token("openai-api-key", "OpenAI API key",
                    "(?<![A-Za-z0-9_-])(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,200}?T3BlbkFJ[A-Za-z0-9_-]{16,200}+)"
                            + "(?![A-Za-z0-9_-])", "T3BlbkFJ").window(220, 210).entropy(4.0),
            SecretRule.token("anthropic-api-key", "Anthropic API key",
                    "(?<![A-Za-z0-9_-])(sk-ant-(?:api|admin|oat)[0-9]{2}-[A-Za-z0-9_-]{80,120}+)(?![A-Za-z0-9_-])", "k-ant-")
                    .window(1, 600).entropy(4.0),
            privateKey("private-key-rsa", "RSA private key", "RSA PRIVATE KEY", "BEGIN RSA PRIVATE KEY"),
            privateKey("private-key-ec", "EC private key", "EC PRIVATE KEY", "BEGIN EC PRIVATE KEY"),
            privateKey("private-key-dsa", "DSA private key", "DSA PRIVATE KEY", "BEGIN DSA PRIVATE KEY"),
            privateKey("private-key-openssh", "OpenSSH private key", "OPENSSH PRIVATE KEY", "BEGIN OPENSSH PRIVATE KEY"),
            privateKey("private-key-pgp", "PGP private key block", "PGP PRIVATE KEY BLOCK", "BEGIN PGP PRIVATE KEY BLOCK"),
            // Encrypted PKCS#8 too: its passphrase tends to sit next to it, and it can be attacked offline.
            privateKey("private-key-pkcs8", "PKCS#8 private key (plain or encrypted)", "(?:ENCRYPTED )?PRIVATE KEY",
                    "BEGIN PRIVATE KEY", "BEGIN ENCRYPTED PRIVATE KEY"),
            SecretRule.token("jwt", "JSON Web Token",
                    "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,2000}+\\.eyJ[A-Za-z0-9_-]{10,8000}+\\.[A-Za-z0-9_-]{16,2000}+)"
                            + "(?![A-Za-z0-9_-])", "yJ").window(1, 12_100).entropy(0).judge(SecretRules::jwtHeader),
            SecretRule.token("connection-url-password", "password in a connection URL",
                    "(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,30}+)://([^\\s:@/'\"<>]{0,128}+):([^\\s@'\"<>]{1,256}+)"
                            + "@([A-Za-z0-9.\\[\\]:_-]{1,256}+)", "://")
                    .group(3).window(40, 700).startingAtWord().asGeneric().entropy(0).judge(SecretRules::urlPassword)
                    .gate(SecretRules::userInfoFollows),
            new SecretRule("netrc-password", "password in a .netrc machine entry", List.of("machine"), true, Pattern.compile(
                    "(?<![A-Za-z0-9_-])machine\\s{1,10}+\\S{1,253}+(?:\\s{1,10}+(?:login|account|port)\\s{1,10}+\\S{1,128}+){0,3}+"
                            + "\\s{1,10}+password\\s{1,10}+(\\S{1,256}+)"), 1, 0, 800, true, false, false, 0,
                    c -> plainPassword(c.secret()), SecretRule.Gate.ANY),
            SecretRule.token("pgpass-password", "password in a .pgpass line",
                    "(?m)^([A-Za-z0-9.*_-]{1,253}+):(?:5432|6432|\\*):[^:\\s]{1,63}+:[^:\\s]{1,63}+:(\\S{1,256}+)$",
                    ":5432:", ":6432:", ":*:").group(2).window(260, 400).entropy(0)
                    .judge(c -> plainPassword(c.secret()) && !isLoopbackOrDocumentation(c.match().group(1).toLowerCase(Locale.ROOT))),
            SecretRule.token("basic-auth-credentials", "user:password in base64 (HTTP Basic authorization, Docker auth)",
                    "(?:(?i:\"auth\")\\s{0,5}+:\\s{0,5}+\"|(?<![A-Za-z0-9])(?i:basic)[ \\t]{1,5}+)"
                            + "([A-Za-z0-9+/]{8,400}+={0,2}+)(?![A-Za-z0-9+/=])", "\"auth\"", "basic ").ignoreCase().window(30, 420)
                    .entropy(0).judge(SecretRules::basicCredentials),
            assignment("generic-password", "password assigned in code or configuration",
                    Set.of("PASSWORD", "PASSWD", "PASSPHRASE", "PWD", "PASS"), "password", "passwd", "passphrase", "pwd"),
            assignment("generic-secret", "secret or API key assigned in code or configuration",
                    Set.of("SECRET", "SECRETS", "APIKEY", "KEY"), "ecret", "apikey", "api_key", "api-key"),
            assignment("generic-token", "token assigned in code or configuration", Set.of("TOKEN"), "oken"));

    /** Lockfiles hold integrity hashes and package names, never assignments of the service's secrets. */
    private static final Set<String> LOCKFILES = Set.of(
            "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "cargo.lock", "go.sum",
            "poetry.lock", "pipfile.lock", "uv.lock", "pdm.lock", "gemfile.lock", "composer.lock", "packages.lock.json",
            "gradle.lockfile", "flake.lock", "mix.lock", "pubspec.lock", "podfile.lock", "package.resolved");
    /** Minified code, source maps and bundles: the context rules do not judge them (names there are mangled). */
    private static final List<String> MINIFIED_SUFFIXES = List.of(".min.js", ".min.mjs", ".min.css", ".js.map", ".css.map",
            ".bundle.js", ".chunk.js");
    /** {@code GITHUB_TOKEN=}: the name of a setting, quoted as a value. */
    private static final Pattern CONSTANT_NAME = Pattern.compile("[A-Z][A-Z0-9]{0,60}+(?:_[A-Z0-9]{1,60}+){1,20}+[=:]?");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** {@code settings.SECRET_KEY}, {@code process.env.JWT_SECRET!}: code that reads a secret from elsewhere. */
    private static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z_$][\\w$]{0,100}+(?:\\.[A-Za-z_$][\\w$]{0,100}+){1,20}+[!?]?");
    private static final Pattern PATH_LIKE = Pattern.compile("(?:\\.{0,2}/|~/|[A-Za-z]:\\\\).*|.*\\.(?:[a-z]{2,5})");
    private static final Pattern TEMPLATED = Pattern.compile("\\$\\{|\\{\\{|#\\{|%\\(|%[sd]|%[0-9]{1,2}\\$[sdf]|^\\{.*}$|^:[A-Za-z_]|^<.*>$");
    private static final Pattern PORT_AND_PATH = Pattern.compile("[0-9]{1,5}+/.*");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SecretRules() {
    }

    /** The rule with this id ({@code github-pat} or {@code secrets.scan.github-pat}). */
    public static Optional<SecretRule> byId(String id) {
        String bare = id.startsWith("secrets.scan.") ? id.substring("secrets.scan.".length()) : id;
        return ALL.stream().filter(r -> r.id().equals(bare)).findFirst();
    }

    private static SecretRule privateKey(String id, String description, String header, String... keywords) {
        // Header lines (Proc-Type, DEK-Info, Version) may follow the BEGIN line; the body is base64 with
        // line breaks, or with \n escapes when the key sits in a JSON or code string, or split over
        // concatenated string literals ("...\n" + "..."): quotes and + may come between its lines.
        String regex = "-----BEGIN " + header + "-----(?:\\s|\\\\[rn]){1,8}+"
                + "(?:[A-Za-z][A-Za-z0-9-]{0,30}+:[^\\r\\n\\\\]{0,200}+(?:\\s|\\\\[rn]){1,8}+){0,8}+"
                + "([A-Za-z0-9+/=\\s\\\\\"']{64,40000}+)";
        return new SecretRule(id, description, List.of(keywords), true, Pattern.compile(regex), 1, 6, 40_100, true, false, false,
                4.0, c -> c.secret().length() >= 64, SecretRule.Gate.ANY);
    }

    private static SecretRule assignment(String id, String description, Set<String> nameWords, String... keywords) {
        return new SecretRule(id, description, List.of(keywords), false, Pattern.compile(ASSIGNMENT), 3, 90, 600, false, true, true,
                0, c -> assignedSecret(c, nameWords), SecretRules::assignmentFollows);
    }

    /**
     * The keyword is part of a name that an assignment operator follows ({@code =}, {@code :},
     * {@code :=}, {@code =>}; not {@code ==} or {@code ::}): {@code db_password = }, {@code "apiToken": }.
     */
    static boolean assignmentFollows(byte[] t, int start, int end, int length) {
        int i = end;
        for (int limit = Math.min(length, end + 80); i < limit && isNameByte(t[i]); ) {
            i++;
        }
        if (i + 1 < length && t[i] == '\\' && (t[i + 1] == '"' || t[i + 1] == '\'')) {
            i++;
        }
        if (i < length && (t[i] == '"' || t[i] == '\'')) {
            i++;
        }
        for (int limit = Math.min(length, i + 10); i < limit && (t[i] == ' ' || t[i] == '\t'); ) {
            i++;
        }
        if (i >= length || t[i] != '=' && t[i] != ':') {
            return false;
        }
        byte next = i + 1 < length ? t[i + 1] : (byte) ' ';
        return t[i] == '=' ? next != '=' && next != '~' : next != ':';
    }

    static boolean isNameByte(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '$'
                || b == '@' || b == '-';
    }

    /** After {@code ://}, an {@code @} comes before the URL's end: user information to look at (a password may hold a /). */
    static boolean userInfoFollows(byte[] t, int start, int end, int length) {
        for (int i = end, limit = Math.min(length, end + 400); i < limit; i++) {
            byte b = t[i];
            if (b == '@') {
                return true;
            }
            if (b == ' ' || b == '\n' || b == '"' || b == '\'' || b == '<' || b == '>' || b == '\t') {
                return false;
            }
        }
        return false;
    }

    /** {@code SK} starts a word and a hex digit follows: {@code TASK_QUEUE} and {@code SKU} are not worth a look. */
    static boolean hexFollows(byte[] t, int start, int end, int length) {
        if (end >= length || start > 0 && Character.isLetterOrDigit(t[start - 1])) {
            return false;
        }
        byte b = t[end];
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
    }

    /** A value assigned to a name that says it holds a secret, and that looks generated rather than written. */
    static boolean assignedSecret(Candidate c, Set<String> nameWords) {
        // Cheapest first: most assignments to secret-looking names are code, references or short.
        if (!mixedEnough(c.secret())) {
            return false;
        }
        String name = c.match().group(1);
        if (!SecretValues.isSecretName(name) || Arrays.stream(SecretValues.words(name)).noneMatch(nameWords::contains)
                || isLockfile(c.path()) || isMinified(c.path())) {
            return false;
        }
        return looksGenerated(c.secret());
    }

    /**
     * The shape of a generated value, cheaply: at least 8 characters with a digit, 10 with a symbol,
     * or 16 letters of both cases.
     */
    private static boolean mixedEnough(String v) {
        if (v.length() < 8) {
            return false;
        }
        boolean symbol = false;
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch >= '0' && ch <= '9') {
                return true;
            }
            upper |= ch >= 'A' && ch <= 'Z';
            lower |= ch >= 'a' && ch <= 'z';
            symbol |= !Character.isLetterOrDigit(ch) && ch != '_' && ch != '-' && ch != '.';
        }
        return symbol && v.length() >= 10 || upper && lower && v.length() >= 16;
    }

    /**
     * True for a value that reads like a credential: long enough, mixed (a digit, or symbols, or
     * random-looking letters), with enough entropy; false for references, placeholders, defaults,
     * UUIDs, dotted names and paths. Ten characters of three classes ({@code Xk29sLq81v}) are enough.
     */
    static boolean looksGenerated(String v) {
        if (!mixedEnough(v)) {
            return false;
        }
        double bits = SecretValues.shannonBits(v);
        double total = classes(v) >= 3 && v.length() >= 10 ? 30 : 40;
        if (bits < 3.0 || bits * v.length() < total) {
            return false;
        }
        if (v.chars().allMatch(Character::isLetter) && !randomLetters(v, bits)) {
            return false;
        }
        return !(SecretValues.isReference(v) || SecretValues.isPlaceholder(v) || SecretValues.isDefault(v)
                || TEMPLATED.matcher(v).find() || UUID.matcher(v).matches() || DOTTED_NAME.matcher(v).matches()
                || CONSTANT_NAME.matcher(v).matches()
                || v.length() < 200 && PATH_LIKE.matcher(v).matches());
    }

    /** Of upper case, lower case, digits and symbols, how many occur. */
    private static int classes(String v) {
        int upper = 0;
        int lower = 0;
        int digit = 0;
        int other = 0;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                upper = 1;
            } else if (ch >= 'a' && ch <= 'z') {
                lower = 1;
            } else if (ch >= '0' && ch <= '9') {
                digit = 1;
            } else {
                other = 1;
            }
        }
        return upper + lower + digit + other;
    }

    /**
     * Letters drawn at random rather than words: both cases in similar shares (a camelCase name has
     * one capital a word) and few vowels (words have one in three or more, random letters one in five).
     */
    private static boolean randomLetters(String v, double bits) {
        int upper = 0;
        int vowels = 0;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            upper += Character.isUpperCase(ch) ? 1 : 0;
            vowels += "aeiouyAEIOUY".indexOf(ch) >= 0 ? 1 : 0;
        }
        int n = v.length();
        return bits >= 3.5 && upper * 4 >= n && upper * 4 <= n * 3 && vowels * 10 < n * 3;
    }

    static boolean isLockfile(String path) {
        return LOCKFILES.contains(fileName(path).toLowerCase(Locale.ROOT));
    }

    static boolean isMinified(String path) {
        String name = fileName(path).toLowerCase(Locale.ROOT);
        return MINIFIED_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * GitHub and npm end their tokens with a CRC32 of the 30 random characters, in six base62 digits:
     * a token whose tail does not match was not issued by them (a placeholder or a made-up value).
     */
    static boolean crc32Tail(Candidate c) {
        return crc32TailMatches(c.secret());
    }

    static boolean crc32TailMatches(String token) {
        String body = token.substring(token.indexOf('_') + 1);
        if (body.length() != 36) {
            return false;
        }
        return base62Crc32(body.substring(0, 30)).equals(body.substring(30));
    }

    /** The six base62 digits (0-9, A-Z, a-z) of the CRC32 of {@code random}, zero-padded. */
    public static String base62Crc32(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] out = new char[6];
        for (int i = 5; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    private static boolean npmToken(Candidate c) {
        return c.secret().startsWith("npm_") ? crc32Tail(c) : SecretValues.shannonBits(c.secret()) >= 3.0;
    }

    /** A webhook URL whose secret part (the last segment) is not a row of X's. */
    private static boolean randomLastSegment(Candidate c) {
        String s = c.secret();
        String last = s.substring(s.lastIndexOf('/') + 1);
        return last.length() >= 16 && SecretValues.shannonBits(last) >= 3.0 && !SecretValues.isPlaceholder(last);
    }

    /** Its header decodes to JSON naming an algorithm, and its payload to JSON. */
    private static boolean jwtHeader(Candidate c) {
        String[] parts = c.secret().split("\\.", 3);
        String header = base64url(parts[0]);
        String payload = base64url(parts[1]);
        return header != null && header.contains("\"alg\"") && payload != null && payload.strip().startsWith("{");
    }

    private static String base64url(String s) {
        try {
            return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A password of four characters or more in a URL that is neither a template, a placeholder nor a
     * default, for a host that is not the developer's own machine or a documentation domain.
     */
    private static boolean urlPassword(Candidate c) {
        String pass = c.secret();
        if (PORT_AND_PATH.matcher(pass).matches()) {
            // https://host:8080/users/@me: a port and a path, not a password.
            return false;
        }
        // Fewer than four characters: a test's stand-in ("pw", "x"), or an @ inside the password cut it short.
        if (!plainPassword(pass)) {
            return false;
        }
        String host = c.match().group(4).toLowerCase(Locale.ROOT);
        host = host.startsWith("[") ? host.substring(0, Math.max(1, host.indexOf(']') + 1)) : host.replaceFirst(":.*", "");
        return !isLoopbackOrDocumentation(host);
    }

    /** A password as people write them: four characters or more, not a reference, placeholder, default or template. */
    static boolean plainPassword(String pass) {
        return pass.length() >= 4 && !SecretValues.isReference(pass) && !SecretValues.isPlaceholder(pass)
                && !SecretValues.isDefault(pass) && !TEMPLATED.matcher(pass).find();
    }

    /** Base64 of {@code user:password}, printable, with a password that is not a placeholder. */
    private static boolean basicCredentials(Candidate c) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(c.secret()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 1 || decoded.chars().anyMatch(ch -> ch < 0x20 || ch == 0xFFFD)) {
            return false;
        }
        return plainPassword(decoded.substring(colon + 1)) && !SecretValues.isPlaceholder(decoded.substring(0, colon));
    }

    static boolean isLoopbackOrDocumentation(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("0.0.0.0") || host.endsWith(".test") || host.endsWith(".invalid") || host.endsWith(".local")
                || host.equals("example") || host.endsWith(".example")) {
            return true;
        }
        for (String tld : List.of("com", "org", "net")) {
            if (host.equals("example." + tld) || host.endsWith(".example." + tld)) {
                return true;
            }
        }
        return false;
    }
}
