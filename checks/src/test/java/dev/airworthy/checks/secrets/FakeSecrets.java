package dev.airworthy.checks.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Random values in the formats of real credentials (with valid CRC32 tails where the vendor has
 * them), for fixtures and the benchmark. None was ever issued by anyone. Run {@code main RULE} to
 * print one.
 */
public final class FakeSecrets {
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String DIGITS = "0123456789";
    private static final String ALNUM = UPPER + LOWER + DIGITS;
    private static final String BASE64 = ALNUM + "+/";
    private static final String URLSAFE = ALNUM + "_-";
    private static final String HEX = "0123456789abcdef";

    /** A line of realistic code or configuration for each single-line rule ({@code %s} is the secret). */
    public static final Map<String, String> CONTEXTS = contexts();

    /** The PEM header of each private-key rule's sample. */
    public static final Map<String, String> PEM_HEADERS = Map.of(
            "private-key-rsa", "RSA PRIVATE KEY", "private-key-ec", "EC PRIVATE KEY", "private-key-dsa", "DSA PRIVATE KEY",
            "private-key-openssh", "OPENSSH PRIVATE KEY", "private-key-pgp", "PGP PRIVATE KEY BLOCK",
            "private-key-pkcs8", "ENCRYPTED PRIVATE KEY");

    private final Random random;

    public FakeSecrets(long seed) {
        this.random = new Random(seed);
    }

    /** A value that the rule {@code ruleId} reports. */
    public String forRule(String ruleId) {
        return switch (ruleId) {
            case "aws-access-key-id" -> "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
            case "aws-secret-access-key" -> pick(BASE64, 40);
            case "google-api-key" -> "AIza" + pick(URLSAFE, 35);
            case "azure-storage-key" -> pick(BASE64, 86) + "==";
            case "github-pat" -> checksummed("ghp_");
            case "github-fine-grained-pat" -> "github_pat_" + pick(ALNUM, 22) + "_" + pick(ALNUM, 59);
            case "github-app-token" -> "ghs_" + pick(ALNUM, 36);
            case "github-oauth" -> checksummed("gho_");
            case "gitlab-pat" -> "glpat-" + pick(URLSAFE, 20);
            case "slack-bot-token" -> "xoxb-" + pick(DIGITS, 12) + "-" + pick(DIGITS, 13) + "-" + pick(ALNUM, 24);
            case "slack-user-token" -> "xoxp-" + pick(DIGITS, 12) + "-" + pick(DIGITS, 12) + "-" + pick(DIGITS, 13) + "-"
                    + pick(HEX, 32);
            case "slack-app-token" -> "xapp-1-A" + pick(UPPER + DIGITS, 10) + "-" + pick(DIGITS, 13) + "-" + pick(HEX, 64);
            case "netrc-password", "pgpass-password" -> password(20);
            case "basic-auth-credentials" -> Base64.getEncoder().encodeToString(("deploy:" + password(20)).getBytes(StandardCharsets.UTF_8));
            case "slack-webhook" -> "https://hooks.slack.com/services/T" + pick(UPPER + DIGITS, 8) + "/B"
                    + pick(UPPER + DIGITS, 10) + "/" + pick(ALNUM, 24);
            case "sendgrid-api-key" -> "SG." + pick(URLSAFE, 22) + "." + pick(URLSAFE, 43);
            case "twilio-api-key" -> "SK" + pick(HEX, 32);
            case "stripe-live-key" -> "sk_live_" + pick(ALNUM, 99);
            case "npm-token" -> checksummed("npm_");
            case "pypi-token" -> "pypi-AgEIcHlwaS5vcmc" + pick(URLSAFE, 140);
            case "openai-api-key" -> "sk-proj-" + pick(URLSAFE, 58) + "T3BlbkFJ" + pick(URLSAFE, 58);
            case "anthropic-api-key" -> "sk-ant-api03-" + pick(URLSAFE, 93) + "AA";
            case "jwt" -> jwt();
            case "connection-url-password", "generic-password", "generic-secret", "generic-token" -> password(24);
            default -> {
                if (ruleId.startsWith("private-key-")) {
                    yield pick(BASE64, 64);
                }
                throw new IllegalArgumentException("no fake for " + ruleId);
            }
        };
    }

    private static Map<String, String> contexts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("aws-access-key-id", "aws_access_key_id = %s");
        m.put("aws-secret-access-key", "aws_secret_access_key = %s");
        m.put("google-api-key", "const mapsKey = \"%s\";");
        m.put("azure-storage-key", "conn = \"DefaultEndpointsProtocol=https;AccountName=shopfiles;AccountKey=%s;EndpointSuffix=core.windows.net\"");
        m.put("github-pat", "GITHUB_TOKEN=%s");
        m.put("github-fine-grained-pat", "  token: %s");
        m.put("github-app-token", "curl -H \"Authorization: Bearer %s\" https://api.github.com/installation/repositories");
        m.put("github-oauth", "headers = {\"Authorization\": \"token %s\"}");
        m.put("gitlab-pat", "git clone https://oauth2:%s@gitlab.com/acme/shop.git");
        m.put("slack-bot-token", "SLACK_BOT_TOKEN=%s");
        m.put("slack-user-token", "slack.token = '%s'");
        m.put("slack-app-token", "  app_level: %s");
        m.put("slack-webhook", "webhook_url: %s");
        m.put("sendgrid-api-key", "sendgrid.setApiKey('%s');");
        m.put("twilio-api-key", "client = Client(\"%s\", api_secret, account_sid)");
        m.put("stripe-live-key", "Stripe.apiKey = \"%s\";");
        m.put("npm-token", "//registry.npmjs.org/:_authToken=%s");
        m.put("pypi-token", "password = %s");
        m.put("openai-api-key", "OPENAI_API_KEY=%s");
        m.put("anthropic-api-key", "client = anthropic.Anthropic(api_key=\"%s\")");
        m.put("jwt", "Authorization: Bearer %s");
        m.put("connection-url-password", "DATABASE_URL=postgres://shop:%s@db.internal.acme.io:5432/shop");
        m.put("netrc-password", "machine api.acme.io login deploy password %s");
        m.put("pgpass-password", "db.internal.acme.io:5432:shop:shop:%s");
        m.put("basic-auth-credentials", "curl -H \"Authorization: Basic %s\" https://api.acme.io/v1/orders");
        m.put("generic-password", "spring.datasource.password=%s");
        m.put("generic-secret", "  \"client_secret\": \"%s\",");
        m.put("generic-token", "refresh_token: '%s'");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The text the rule reports, in context: one line, or for private keys a whole block whose first
     * line is the one the finding points at. No trailing line break.
     */
    public String sample(String ruleId) {
        String header = PEM_HEADERS.get(ruleId);
        if (header != null) {
            return "-----BEGIN " + header + "-----\n" + pemBody(8) + "-----END " + header + "-----";
        }
        return CONTEXTS.get(ruleId).formatted(forRule(ruleId));
    }

    /** A PEM-style body: {@code lines} lines of 64 base64 characters. */
    public String pemBody(int lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append(pick(BASE64, 64)).append('\n');
        }
        return b.toString();
    }

    /** A password that looks generated: letters, digits and a few symbols. */
    public String password(int length) {
        String s = pick(ALNUM, length - 3) + pick(DIGITS, 1) + pick("!#%*+=?^~", 1) + pick(UPPER, 1);
        return s;
    }

    public String jwt() {
        String header = b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String payload = b64url("{\"sub\":\"" + pick(ALNUM, 12) + "\",\"role\":\"service\",\"iat\":" + (1_700_000_000 + random.nextInt(50_000_000)) + "}");
        return header + "." + payload + "." + pick(URLSAFE, 43);
    }

    private String checksummed(String prefix) {
        String body = pick(ALNUM, 30);
        return prefix + body + SecretRules.base62Crc32(body);
    }

    private static String b64url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public String pick(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    public static void main(String[] args) {
        FakeSecrets f = new FakeSecrets(System.nanoTime());
        for (String rule : args) {
            System.out.println(rule.equals("pem") ? f.pemBody(20) : f.forRule(rule));
        }
    }
}
