package dev.airworthy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogCommandsTest {
    @TempDir
    Path dir;

    @Test
    void checksListsTheCatalog() throws Exception {
        Cli.Result r = Cli.run(dir, "checks");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("http.health", "http.status", "http.security-headers", "repo.files", "cmd", "manual");
        JsonNode json = new ObjectMapper().readTree(Cli.run(dir, "checks", "--json").out());
        assertThat(json.findValuesAsText("id")).contains("http.health");
        JsonNode health = json.findParents("id").stream().filter(n -> n.get("id").asText().equals("http.health")).findFirst().orElseThrow();
        assertThat(health.at("/params/0/name").asText()).isEqualTo("path");
        assertThat(health.at("/params/0/default").asText()).isEqualTo("/health");
    }

    @Test
    void explainPrintsTheCheckPage() {
        Cli.Result r = Cli.run(dir, "explain", "http.health");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("# `http.health`: Health endpoint").contains("## How to fix", "| `samples` | integer | `5` |");
        Cli.Result unknown = Cli.run(dir, "explain", "http.healht");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("airworthy: unknown check 'http.healht' (did you mean 'http.health'?); `airworthy checks` lists them\n");
    }

    @Test
    void versionAndHelp() {
        assertThat(Cli.run(dir, "--version").out()).startsWith("airworthy ");
        Cli.Result help = Cli.run(dir, "--help");
        assertThat(help.out()).contains("demo", "check", "checks", "explain", "attest", "waive");
    }
}
