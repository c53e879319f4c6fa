package dev.airworthy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airworthy.checks.fixture.FixtureServer;
import dev.airworthy.report.ReportSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    static FixtureServer good;
    static FixtureServer bad;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        good = FixtureServer.start("""
                routes:
                  /health: { body: '{"status":"ok"}' }
                  /ready: { body: '{"status":"UP","components":{"db":{"status":"UP"}}}' }
                  /:
                    headers:
                      Content-Security-Policy: "default-src 'self'"
                      X-Frame-Options: DENY
                      X-Content-Type-Options: nosniff
                      Referrer-Policy: no-referrer
                """);
        bad = FixtureServer.start("""
                routes:
                  /health: { status: 503 }
                """);
    }

    @AfterAll
    static void stop() {
        good.close();
        bad.close();
    }

    @Test
    void webPresetAgainstAHealthyHardenedServicePasses() {
        Cli.Result r = Cli.run(dir, "check", "--preset", "web", "--url", good.url().toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS     health").endsWith("GO: no critical, high item fails, errors, awaits sign-off or has expired\n");
    }

    @Test
    void webPresetAgainstABrokenServiceFailsTheGate() {
        Cli.Result r = Cli.run(dir, "check", "--preset", "web", "--url", bad.url().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(" ✗ FAIL     health").contains("NO-GO: 3 blocking items (critical, high): health, ready, security-headers");
    }

    @Test
    void repoPresetChecksTheRepository() throws Exception {
        Cli.Result empty = Cli.run(dir, "check", "--preset", "repo", "--repo", dir.toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.out()).contains("README.md is missing")
                .contains("NO-GO: 1 blocking item (critical, high): ci")
                .as("a repository without manifests, env files or nginx config skips those checks")
                .contains("SKIPPED  lockfiles");
        Files.writeString(dir.resolve("README.md"), "# hi\n");
        Files.createDirectories(dir.resolve(".github/workflows"));
        Files.writeString(dir.resolve(".github/workflows/ci.yml"), """
                on: [push]
                jobs:
                  test:
                    runs-on: ubuntu-24.04
                    steps:
                      - run: make test
                """);
        Cli.Result ok = Cli.run(dir, "check", "--preset", "repo", "--fail-on", "critical,high,medium");
        assertThat(ok.exit()).as(ok.out()).isZero();
    }

    @Test
    void containerPresetSkipsWhatTheRepositoryDoesNotHaveAndJudgesWhatItHas() throws Exception {
        Cli.Result none = Cli.run(dir, "check", "--preset", "container", "--repo", dir.toString());
        assertThat(none.exit()).as("nothing verified is never a go").isEqualTo(1);
        assertThat(none.out()).contains("SKIPPED  compose-restart");
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  db:
                    image: postgres:latest
                    environment:
                      POSTGRES_PASSWORD: postgres
                """);
        Cli.Result bad = Cli.run(dir, "check", "--preset", "container", "--repo", dir.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("compose-secrets").contains("compose-restart").doesNotContain("POSTGRES_PASSWORD: postgres");
    }

    @Test
    void checklistWithTargetsWritesASchemaValidJsonReport() throws Exception {
        Files.writeString(dir.resolve("airworthy.yml"), """
                airworthy: 1
                project: shop
                targets:
                  staging: { url: "%s" }
                  prod: { url: "https://shop.example" }
                sections:
                  - title: Health
                    items:
                      - { id: health, check: http.health }
                      - { id: signoff, manual: { roles: [security] }, severity: medium }
                """.formatted(good.url()));
        Cli.Result r = Cli.run(dir, "check", "-t", "staging", "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(ReportSchema.validate(r.out())).isEmpty();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("target").asText()).isEqualTo("staging");
        assertThat(j.at("/items/0/status").asText()).isEqualTo("pass");
        assertThat(j.at("/items/0/metrics/p50_ms").isNumber()).isTrue();
        assertThat(j.at("/items/1/status").asText()).isEqualTo("pending");
    }

    @Test
    void reportsGoWhereTheyAreToldAndTheTextStillReachesStdout() throws Exception {
        Cli.Result r = Cli.run(dir, "check", "--preset", "web", "--url", good.url().toString(),
                "--report", "json=reports/latest.json", "--format", "json", "-o", "out.json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("airworthy · web");
        assertThat(ReportSchema.validate(Files.readString(dir.resolve("reports/latest.json")))).isEmpty();
        assertThat(ReportSchema.validate(Files.readString(dir.resolve("out.json")))).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("reports", "out.json");
        }
    }

    @Test
    void onlyRunsTheNamedItems() {
        Cli.Result r = Cli.run(dir, "check", "--preset", "web", "--url", bad.url().toString(), "--only", "security-headers");
        assertThat(r.out()).contains("1 items:").doesNotContain("health");
    }

    @Test
    void checklistErrorsAreOneLineEachWithFileLineColumnAndExit2() throws Exception {
        Path file = dir.resolve("airworthy.yml");
        Files.writeString(file, """
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - { id: a, check: http.helth }
                      - { id: b, check: http.status, with: { status: "${NOPE}" } }
                """);
        Cli.Result r = Cli.run(dir, "check");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly(
                file + ":5:25: unknown check 'http.helth' (did you mean 'http.health'?); `airworthy checks` lists them",
                file + ":6:55: environment variable NOPE is not set (${NOPE} is never replaced by an empty string)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void usageMistakesExitWith2AndOneClearLine() {
        assertThat(Cli.run(dir, "check").err()).startsWith("airworthy: no airworthy.yml here; pass -c FILE");
        assertThat(Cli.run(dir, "check", "--preset", "nope").err())
                .isEqualTo("airworthy: --preset: unknown preset 'nope'; available: web, tls, repo, container, all\n");
        assertThat(Cli.run(dir, "check", "--preset", "web", "--url", "ftp://x").err())
                .isEqualTo("airworthy: --url: expected an http:// or https:// URL with a host, got 'ftp://x'\n");
        assertThat(Cli.run(dir, "check", "--preset", "web", "--format", "pdf").err())
                .isEqualTo("airworthy: --format: unknown report format 'pdf'; available: text, json\n");
        assertThat(Cli.run(dir, "check", "--preset", "web", "--fail-on", "urgent").err())
                .startsWith("airworthy: --fail-on: unknown severity 'urgent'");
        assertThat(Cli.run(dir, "check", "--preset", "web", "--timeout", "soon").err()).startsWith("airworthy: --timeout: expected a duration");
        assertThat(Cli.run(dir, "check", "--preset", "web", "--report", "json").err()).startsWith("airworthy: --report takes FORMAT=FILE");
        assertThat(Cli.run(dir, "check", "--preset", "repo", "--only", "zzz").err())
                .isEqualTo("airworthy: --only zzz matches no item id or section title in preset:repo\n");
        Cli.Result unknown = Cli.run(dir, "check", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("airworthy: Unknown option: '--frobnicate'\nTry 'airworthy check --help'.\n");
        for (String[] args : new String[][] {{"check"}, {"check", "--preset", "nope"}, {"nope"}, {}}) {
            assertThat(Cli.run(dir, args).exit()).as(String.join(" ", args)).isEqualTo(2);
        }
    }

    @Test
    void aTargetThatRefusesConnectionsIsAnErrorThatBlocks() {
        Cli.Result r = Cli.run(dir, "check", "--preset", "web", "--url", "http://127.0.0.1:9", "--timeout", "10s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR    health").contains("connection refused");
    }

    @Test
    void aRunThatVerifiedNothingIsNoGo() {
        Cli.Result r = Cli.run(dir, "check", "--preset", "web");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("10 items: 10 skipped")
                .endsWith("NO-GO: nothing was verified, every item was skipped (no target URL: give the checklist target a url, or pass --url)\n");
    }

    @Test
    void verboseShowsTheEvidenceAndTheTraceBehindAnError() {
        Cli.Result quiet = Cli.run(dir, "check", "--preset", "web", "--url", "http://127.0.0.1:9", "--only", "health");
        assertThat(quiet.err()).isEmpty();
        Cli.Result loud = Cli.run(dir, "check", "--preset", "web", "--url", "http://127.0.0.1:9", "--only", "health", "-v");
        assertThat(loud.err()).startsWith("--- health: GET http://127.0.0.1:9/health: connection refused\n")
                .contains("java.net.ConnectException").contains("\tat ");
    }

    @Test
    void helpListsTheExitCodes() {
        Cli.Result r = Cli.run(dir, "check", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("2   usage or checklist error");
    }

    @Test
    void theEnvironmentFeedsTheChecklistAndSecretsNeverShow() throws Exception {
        Files.writeString(dir.resolve("airworthy.yml"), """
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - id: api
                        check: http.status
                        with: { path: /health, body-contains: "${API_TOKEN}", headers: { Authorization: "Bearer ${API_TOKEN}" } }
                """);
        Cli.Result r = Cli.run(dir, Map.of("API_TOKEN", "tok-9f8e7d6c5b4a"), "check", "--url", good.url().toString(),
                "--format", "json", "-v");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("body does not contain '${API_TOKEN}'");
        assertThat(r.out() + r.err()).doesNotContain("tok-9f8e7d6c5b4a");
    }
}
