package dev.airworthy.checks.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Status;
import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.run.ItemResult;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ops.log-schema where fixtures cannot reach: big files, caps, long lines, streams; and its secret detector. */
class LogSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ItemResult run(String item) throws Exception {
        return OpsRun.one(dir, dir, Clock.systemUTC(), item);
    }

    private static String secret(String line) throws Exception {
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (Exception e) {
            json = null;
        }
        return LogSecrets.find(line, json != null && json.isObject() ? json : null);
    }

    @Test
    void findsSecretsInTheirUsualDisguises() throws Exception {
        assertThat(secret("GET /api Authorization: Bearer abcDEF123456ghiJKL789")).isEqualTo("a Bearer credential (abcD…(21 chars))");
        assertThat(secret("proxy auth: basic dXNlcjpwYXNzd29yZDEyMw==")).startsWith("a Basic credential (dXNl…");
        assertThat(secret("{\"jwt\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ24\"}")).startsWith("a JWT (eyJh…");
        assertThat(secret("connect with passwd: 'Tr0ub4dor&3'")).isEqualTo("passwd=… (Tr…(9 chars))");
        assertThat(secret("url=/reset?access_token=9f8e7d6c5b4a")).isEqualTo("access_token=… (9f…(12 chars))");
        assertThat(secret("{\"msg\":\"ok\",\"ctx\":{\"db\":{\"dbPassword\":\"pg-Pw-1234\"}}}")).isEqualTo("\"dbPassword\" with a literal value (pg…(10 chars))");
        assertThat(secret("{\"headers\":[{\"Cookie\":\"session=abc123def456\"}]}")).startsWith("\"Cookie\" with a literal value");
    }

    @Test
    void findsWhatLogsLeakBeyondTheScannersRules() throws Exception {
        assertThat(secret("{\"note\":\"token ghp_1234567890abcdefghijklmnopqrstuvwxyz12\"}")).startsWith("a token (ghp_");
        assertThat(secret("created github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")).startsWith("a token (gith");
        assertThat(secret("{\"note\":\"key AKIAIOSFODNN7EXAMPLF used\"}")).startsWith("a token (AKIA");
        assertThat(secret("{\"note\":\"stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc\"}")).startsWith("a token (sk_l");
        assertThat(secret("{\"note\":\"-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA\"}")).isEqualTo("a private key");
        assertThat(secret("{\"note\":\"login with password=postgres\"}")).isEqualTo("password=… (po…(8 chars))");
        assertThat(secret("{\"note\":\"secret_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzPLEKEY\"}")).startsWith("secret_key=… (wJal");
        assertThat(secret("{\"password\":12345678}")).isEqualTo("\"password\" with a numeric value (12…(8 chars))");
        assertThat(secret("{\"note\":\"Authorization: Basic dXNlcjpwYXNz\"}")).isEqualTo("a Basic credential (dX…(12 chars))");
        assertThat(secret("Authorization: Bearer abcdefghijklmnopqrstuvwxyzABCDEFGH")).startsWith("a Bearer credential (abcd");
    }

    /** The scanner's rules run on the sample too: a password in a URL, a token with a valid checksum. */
    @Test
    void theSecretScannersRulesJudgeTheSample() throws Exception {
        String random = "R4nd0mT0k3nV4lu3XyZ9qW8eR7tY6u";
        Files.writeString(dir.resolve("app.log"), "\uFEFF{\"level\":\"info\",\"db\":\"postgres://app:S3cr3tPassw0rd@db/app\"}\n"
                + "{\"level\":\"info\",\"msg\":\"pushed with ghp_" + random + dev.airworthy.checks.secrets.SecretRules.base62Crc32(random)
                + "\"}\n{\"level\":\"info\",\"msg\":\"ok\"}\n");
        ItemResult r = run("- { id: l, check: ops.log-schema, with: { file: app.log, required: [level] } }");
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ops.log-schema.secret", 1), org.assertj.core.groups.Tuple.tuple("ops.log-schema.secret", 2));
        assertThat(r.findings().getFirst().message()).isEqualTo("app.log:1 shows password in a connection URL (S3…(14 chars))");
        assertThat(String.join(" ", r.evidence()) + r.message()).doesNotContain("S3cr3tPassw0rd").doesNotContain(random);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstLine() throws Exception {
        Files.writeString(dir.resolve("app.log"), "\uFEFF{\"level\":\"info\"}\n");
        ItemResult r = run("- { id: l, check: ops.log-schema, with: { file: app.log, required: [level] } }");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASS);
    }

    @Test
    void aCommandsStandardErrorIsJudgedForSecrets() throws Exception {
        ItemResult r = run("""
                - id: l
                  check: ops.log-schema
                  with: { command: "echo '{\\"time\\":1}'; echo 'Traceback: connect failed password=hunter2x' >&2", required: [time] }
                """);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).extracting(Finding::message).containsExactly("standard error line 1 shows password=… (hu…(8 chars))");
        assertThat(r.evidence()).contains("read 1 line of output and 1 of standard error")
                .anyMatch(e -> e.startsWith("judged 1 line for time and secrets, and 1 line of standard error for secrets"));
    }

    @Test
    void leavesAloneWhatOnlyLooksLikeASecret() throws Exception {
        for (String line : List.of(
                "{\"msg\":\"token refreshed\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
                "{\"password\":\"[FILTERED]\",\"token\":\"***\",\"secret\":\"<redacted>\",\"api_key\":\"\"}",
                "{\"password_reset\":true,\"password_changed_at\":null,\"tokens\":1200,\"token_count\":\"42\"}",
                "{\"msg\":\"secret: rotated\",\"detail\":\"password: expired\"}",
                "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"",
                "basic authentication enabled for /admin",
                "{\"env\":{\"DB_PASSWORD\":\"${DB_PASSWORD}\"},\"secret_name\":\"prod/db\"}",
                "{\"msg\":\"user changed password\",\"user_id\":42}")) {
            assertThat(secret(line)).as(line).isNull();
        }
    }

    @Test
    void namesTenLinesPerRuleAndCountsTheRest() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            log.append("plain text line ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("app.log"), log);
        ItemResult r = run("- { id: l, check: ops.log-schema, with: { file: app.log } }");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).hasSize(10).extracting(Finding::line).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(r.evidence()).contains("ops.log-schema.not-json: 25 lines in all; the first 10 are listed");
        assertThat(r.metrics()).containsEntry("sampled_lines", 25.0).containsEntry("failing_lines", 25.0);
    }

    @Test
    void judgesOnlyTheLastLinesOfTheSample() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 1500; i++) {
            log.append(i <= 500 ? "starting..." : "{\"level\":\"info\",\"n\":" + i + "}").append('\n');
        }
        Files.writeString(dir.resolve("app.log"), log);
        ItemResult r = run("- { id: l, check: ops.log-schema, with: { file: app.log, required: [level] } }");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASS);
        assertThat(r.metrics()).containsEntry("sampled_lines", 1000.0);
        assertThat(r.evidence()).first().asString().endsWith(", 1500 lines");
    }

    /** Of a large file only the end is read; its line numbers are then unknown, and the findings say which sampled line. */
    @Test
    void readsTheEndOfALargeFile() throws Exception {
        Path log = dir.resolve("big.log");
        try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line = "{\"level\":\"info\",\"msg\":\"" + "x".repeat(200) + "\"}\n";
            for (long written = 0; written < LogSchemaCheck.TAIL_BYTES + (1 << 20); written += line.length()) {
                w.write(line);
            }
            w.write("{\"msg\":\"no level\"}\n");
        }
        ItemResult r = run("- { id: l, check: ops.log-schema, with: { file: big.log, required: [level], sample: 5 } }");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.line()).isNull();
            assertThat(f.message()).isEqualTo("a line of big.log lacks level");
        });
        assertThat(r.evidence()).anyMatch(e -> e.contains("read its last 16.8 MB (line numbers unknown)"));
    }

    @Test
    void aLineLongerThanTheLimitFailsWithoutExhaustingMemory() throws Exception {
        Files.writeString(dir.resolve("app.log"), "{\"level\":\"info\"}\n{\"msg\":\"" + "y".repeat(3 << 20) + "\"}\n");
        ItemResult r = run("- { id: l, check: ops.log-schema, with: { file: app.log } }");
        assertThat(r.findings()).extracting(Finding::rule, Finding::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ops.log-schema.too-long", 2));
    }

    @Test
    void aCommandsStandardErrorIsNotPartOfTheSample() throws Exception {
        ItemResult r = run("""
                - id: l
                  check: ops.log-schema
                  with: { command: "echo 'warning: not a log line' >&2; echo '{\\"level\\":\\"info\\"}'", required: [level] }
                """);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASS);
        ItemResult failed = run("""
                - { id: l, check: ops.log-schema, with: { command: "echo '{}'; echo 'kubectl: no such deployment' >&2; exit 3" } }
                """);
        assertThat(failed.status()).isEqualTo(Status.ERROR);
        assertThat(failed.message()).isEqualTo("the command exited 3: kubectl: no such deployment");
    }

    @Test
    void dottedNamesAreNestedFieldsOrDottedKeys() throws Exception {
        JsonNode n = JSON.readTree("{\"log.level\":\"info\",\"http\":{\"request\":{\"method\":\"GET\"},\"status\":null},"
                + "\"a\":{\"b.c\":{\"d\":1}}}");
        assertThat(LogSchemaCheck.has(n, "log.level")).isTrue();
        assertThat(LogSchemaCheck.has(n, "http.request.method")).isTrue();
        assertThat(LogSchemaCheck.has(n, "a.b.c.d")).isTrue();
        assertThat(LogSchemaCheck.has(n, "http.status")).isFalse();
        assertThat(LogSchemaCheck.has(n, "http.request.path")).isFalse();
        assertThat(LogSchemaCheck.has(n, "log")).isFalse();
    }

    @Test
    void rejectsParametersThatCannotWork() {
        assertThat(Checklists.messages("""
                - { id: a, check: ops.log-schema }
                - { id: b, check: ops.log-schema, with: { file: a.log, command: "cat a.log" } }
                - { id: c, check: ops.log-schema, with: { file: a.log, sample: 0, required: [level, http., ""] } }
                """)).containsExactly(
                "item 'a': give file or command (one of them)",
                "item 'b': give file or command (one of them)",
                "item 'c': sample 0 is not between 1 and 100000",
                "item 'c': required field 'http.' is not a field name (a dotted path such as http.status)",
                "item 'c': required field '' is not a field name (a dotted path such as http.status)");
    }
}
