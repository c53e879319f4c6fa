package dev.airworthy.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airworthy.check.TestChecks;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import dev.airworthy.run.Runner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @TempDir
    static Path repo;
    static RunResult run;

    @BeforeAll
    static void runAChecklistWithEveryKindOfOutcome() throws Exception {
        Checklist c = new ChecklistLoader(TestChecks.registry(), Map.of("TOKEN", "tok-abcdef123456")).load("airworthy.yml", """
                airworthy: 1
                project: divan
                targets:
                  staging: { url: "https://user:pw@staging.divan.app" }
                sections:
                  - title: Health
                    items:
                      - { id: ok, title: Fine, check: test.echo, with: { message: all good } }
                      - { id: meh, title: Could be better, check: test.echo, with: { status: warn, message: slow-ish } }
                  - title: Security
                    items:
                      - { id: quiet, title: Low thing, severity: low, check: test.echo, with: { status: fail, message: minor } }
                      - id: cors
                        title: CORS restricted
                        severity: critical
                        check: test.echo
                        with: { status: fail, message: "reflects any origin", evidence: ["Authorization: Bearer ${TOKEN}"] }
                      - { id: signoff, title: Security sign-off, manual: { roles: [security] }, severity: critical }
                      - { id: na, title: Not here, check: test.echo, with: { status: skip } }
                """, repo);
        run = new Runner(TestChecks.registry(), Clock.systemUTC()).run(c, RunOptions.defaults().withRepo(repo), Progress.NONE);
    }

    @Test
    void jsonReportValidatesAgainstTheSchemaInDocs() {
        assertThat(ReportSchema.validate(JsonReport.render(run))).isEmpty();
    }

    @Test
    void theSchemaRejectsAReportThatBreaksTheContract() {
        String broken = JsonReport.render(run).replace("\"status\" : \"fail\"", "\"status\" : \"failed\"")
                .replace("\"passed\" : false", "\"passed\" : \"no\"");
        assertThat(ReportSchema.validate(broken)).extracting(Object::toString)
                .anyMatch(m -> m.contains("status")).anyMatch(m -> m.contains("passed"));
    }

    @Test
    void jsonReportCarriesTheContractFields() throws Exception {
        JsonNode j = new ObjectMapper().readTree(JsonReport.render(run));
        assertThat(j.get("schema").asText()).isEqualTo("airworthy.report/v1");
        assertThat(j.get("project").asText()).isEqualTo("divan");
        assertThat(j.get("target").asText()).isEqualTo("staging");
        assertThat(j.get("url").asText()).as("credentials masked").isEqualTo("https://user:****@staging.divan.app");
        assertThat(j.get("repo").asText()).isEqualTo(repo.toAbsolutePath().normalize().toString());
        assertThat(j.at("/gate/passed").asBoolean()).isFalse();
        assertThat(j.at("/gate/blocking").toString()).isEqualTo("[\"cors\",\"signoff\"]");
        assertThat(j.at("/summary/total").asInt()).isEqualTo(6);
        assertThat(j.at("/summary/skipped").asInt()).isEqualTo(1);
        JsonNode cors = j.at("/items/3");
        assertThat(cors.get("id").asText()).isEqualTo("cors");
        assertThat(cors.get("section").asText()).isEqualTo("Security");
        assertThat(cors.get("severity").asText()).isEqualTo("critical");
        assertThat(cors.get("status").asText()).isEqualTo("fail");
        assertThat(cors.get("message").asText()).isEqualTo("reflects any origin");
        assertThat(cors.get("evidence").toString()).isEqualTo("[\"Authorization: Bearer ****\"]");
        assertThat(j.get("score").asInt()).isEqualTo(run.score());
    }

    @Test
    void textReportGroupsBySectionBlockingFirstAndEndsWithTheVerdict() {
        String text = new TextReport(false, false).render(run);
        List<String> lines = text.lines().toList();
        assertThat(text).doesNotContain("\u001b[");
        assertThat(lines.getFirst()).startsWith("airworthy · divan · target staging · https://user:****@staging.divan.app · repo ");
        int security = lines.indexOf("Security");
        assertThat(security).isPositive();
        assertThat(lines.get(security + 1)).startsWith(" ✗ FAIL     cors     CORS restricted — reflects any origin");
        assertThat(lines.get(security + 2)).startsWith(" ✗ PENDING  signoff  Security sign-off — awaiting sign-off by security");
        assertThat(lines.get(security + 3)).startsWith("   FAIL     quiet    Low thing — minor");
        assertThat(lines.get(security + 4)).startsWith("   SKIPPED  na       Not here — nothing to check here");
        assertThat(text).contains("6 items: 1 pass · 2 fail · 1 warn · 1 skipped · 1 pending");
        assertThat(lines.getLast()).isEqualTo("NO-GO: 2 blocking items (critical, high): cors, signoff");
    }

    @Test
    void textReportColoursOnlyWhenAsked() {
        assertThat(new TextReport(true, false).render(run)).contains("\u001b[31m");
    }

    @Test
    void verboseTextShowsEvidenceUnderItemsThatDidNotPass() {
        assertThat(new TextReport(false, true).render(run)).contains("              Authorization: Bearer ****");
    }

    @Test
    void formatsParseByName() {
        assertThat(ReportFormat.parse("JSON")).isEqualTo(ReportFormat.JSON);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportFormat.parse("pdf"))
                .hasMessage("unknown report format 'pdf'; available: text, json");
    }
}
