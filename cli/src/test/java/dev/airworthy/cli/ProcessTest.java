package dev.airworthy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.fixture.FixtureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** airworthy as a separate process: exit codes, streams and files as a CI job sees them. */
class ProcessTest {
    @TempDir
    Path dir;

    @Test
    void demoExitsZeroAndWritesItsReport() throws Exception {
        Cli.Result r = Cli.process(dir, "demo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("NO-GO").doesNotContain("\u001b[");
        assertThat(dir.resolve("airworthy-demo-report.json")).isNotEmptyFile();
    }

    @Test
    void theExitCodeIsTheGate() throws Exception {
        try (FixtureServer ok = FixtureServer.start("routes: { /health: { body: ok } }")) {
            Files.writeString(dir.resolve("airworthy.yml"), """
                    airworthy: 1
                    targets: { staging: { url: "%s" } }
                    sections:
                      - title: Health
                        items: [ { id: health, check: http.health }, { id: status, check: http.status, with: { path: /nope } } ]
                    """.formatted(ok.url()));
            assertThat(Cli.process(dir, "check", "--only", "health").exit()).isZero();
            Cli.Result fail = Cli.process(dir, "check");
            assertThat(fail.exit()).isEqualTo(1);
            assertThat(fail.out()).contains("GET /nope returned 404, expected 200");
        }
    }

    @Test
    void aBrokenChecklistExitsTwoWithoutAStackTrace() throws Exception {
        Files.writeString(dir.resolve("airworthy.yml"), "airworthy: 1\nsections:\n  - title: [\n");
        Cli.Result r = Cli.process(dir, "check");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(dir.resolve("airworthy.yml") + ":4:1: invalid YAML:").doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
    }
}
