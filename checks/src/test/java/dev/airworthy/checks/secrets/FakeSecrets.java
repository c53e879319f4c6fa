package dev.airworthy.checks.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
