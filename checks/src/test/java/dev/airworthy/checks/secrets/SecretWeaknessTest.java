package dev.airworthy.checks.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link SecretValues#weakness} calls weak: guessable values of any length, and never a random one. */
class SecretWeaknessTest {
    private static final int MIN = 16;

    @Test
    void predictableValuesAreWeakAtAnyLength() {
        List<String> weak = List.of(
                "secret123456789012", "Password123456789", "supersecretpassword", "dev-secret-key-1234567890",
                "my_super_secret_jwt_key", "abcdefghijklmnop", "0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                "zyxwvutsrqponmlkjihg", "qwertyuiopasdfgh", "asdfghjkl;qwertyuiop", "1qaz2wsx3edc4rfv5tgb",
                "abcabcabcabcabcabcabc123", "xyxyxyxyxyxyxyxyxyxy", "1234567890123456789", "postgres_password",
                "P@ssw0rd-P@ssw0rd-2024", "s3cr3t-k3y-for-jwt-0000", "changeme-changeme-changeme", "admin_admin_admin_1",
                "my-app-api-key-123456", "test_token_9876543210",
                // base64 of "password123!" and of "supersecretpassword"
                "cGFzc3dvcmQxMjMh", "c3VwZXJzZWNyZXRwYXNzd29yZA==");
        for (String v : weak) {
            assertThat(SecretValues.weakness(v, MIN)).as(v).isNotNull();
        }
    }

    @Test
    void saysWhatMakesItWeakWithoutTheValue() {
        assertThat(SecretValues.weakness("dev-secret-key-1234567890", MIN))
                .isEqualTo("is predictable (a sequence, a keyboard walk, words such secrets are made of)");
        assertThat(SecretValues.weakness("cGFzc3dvcmQxMjMh", MIN)).isEqualTo("is base64 of a weak text");
        assertThat(SecretValues.weakness("POSTGRES_PASSWORD", "postgres-password", MIN)).isEqualTo("is the variable's own name");
        assertThat(SecretValues.weakness("POSTGRES_PASSWORD", "POSTGRES_PASSWORD", MIN)).isEqualTo("is the variable's own name");
        assertThat(SecretValues.weakness("API_KEY", "abc", MIN)).isEqualTo("is only 3 characters long (at least 16 expected)");
    }

    @Test
    void strongValuesWithAWordOrARunInThemPass() {
        List<String> strong = List.of(
                "Qm9x7-Lr2vTz8KpW4nYc3HsA6dJf1GbE", "Zq8vT1xK9mL2pR7wY4nB6cD3", "my_secret_Zq8vT1xK9mL2pR7wY4nB6cD3",
                "Xk29sLq81vMzT4pw", "correct-horse-battery-staple-orbit", "9f86d081884c7d659a2feaa0c55ad015",
                "ghp_R4nd0mT0k3nV4lu3XyZ9qW8eR7tY6uI5oP", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "8402917365019283");
        for (String v : strong) {
            assertThat(SecretValues.weakness(v, MIN)).as(v).isNull();
        }
    }

    /** Real secrets, as {@code openssl rand} and password generators make them: none is weak. */
    @Test
    void randomSecretsAreNeverWeak() {
        // Seeded, so a run is repeatable; the seeds cover 4,000 values of each kind.
        for (long seed : new long[] {1, 2, 3, 4}) {
            assertThat(flaggedRandomSecrets(new java.util.Random(seed))).as("seed %d", seed).isEmpty();
        }
    }

    private static List<String> flaggedRandomSecrets(java.util.Random random) {
        String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        List<String> flagged = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int length = 16 + random.nextInt(49);
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String base64 = Base64.getEncoder().encodeToString(bytes).substring(0, length);
            String base64url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
            String hex = HexFormat.of().formatHex(bytes).substring(0, length);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < length; j++) {
                b.append(alnum.charAt(random.nextInt(alnum.length())));
            }
            for (String v : List.of(base64, base64url, hex, b.toString())) {
                String why = SecretValues.weakness(v, MIN);
                if (why != null) {
                    flagged.add(v + ": " + why);
                }
            }
        }
        return flagged;
    }

    @Test
    void staysLinearOnLongValues() {
        String longValue = "ab".repeat(200_000) + "Qm9x7-Lr2vTz8KpW4nYc3HsA6dJf1GbE".repeat(10_000);
        long start = System.nanoTime();
        SecretValues.weakness(longValue, MIN);
        SecretValues.predictable("a".repeat(500_000));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void onlyMarkedPlaceholdersAreMarked() {
        for (String v : List.of("", "<your-api-key>", "your_token_here", "changeme", "replace-me-with-openssl-rand", "xxxx",
                "...", "TODO", "put-your-key-here", "generate-with-openssl-rand")) {
            assertThat(SecretValues.isMarkedPlaceholder(v)).as(v).isTrue();
        }
        for (String v : List.of("django-insecure-8f#k2l!9z@x7q$w3e&r5t*y1u", "dummy", "sample-secret", "postgres", "example")) {
            assertThat(SecretValues.isMarkedPlaceholder(v)).as(v).isFalse();
        }
    }
}
