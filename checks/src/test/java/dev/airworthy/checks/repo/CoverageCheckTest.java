package dev.airworthy.checks.repo;

import static dev.airworthy.checks.repo.RepoChecks.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Status;
import dev.airworthy.run.ItemResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coverage cases fixture folders cannot hold: reports under target/ (ignored by airworthy's own repository), file ages, hostile XML. */
class CoverageCheckTest {
    @TempDir
    Path dir;

    private static String jacoco(int covered, int missed) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" "
                + "\"report.dtd\"><report name=\"x\"><counter type=\"LINE\" missed=\"" + missed + "\" covered=\"" + covered + "\"/></report>";
    }

    @Test
    void mavenReportInAnIgnoredTargetDirectoryIsFound() throws Exception {
        write(dir, ".gitignore", "target/\n");
        write(dir, "target/site/jacoco/jacoco.xml", jacoco(71, 29));
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.metrics()).containsEntry("line_coverage_pct", 71.0);
        assertThat(r.evidence()).contains("target/site/jacoco/jacoco.xml (JaCoCo): 71 of 100 lines, 71.0%");
    }

    @Test
    void anAggregateReportReplacesTheModulesBelowIt() throws Exception {
        write(dir, "target/site/jacoco-aggregate/jacoco.xml", jacoco(600, 400));
        write(dir, "core/target/site/jacoco/jacoco.xml", jacoco(500, 0));
        write(dir, "core/target/site/jacoco-it/jacoco.xml", jacoco(1, 99));
        write(dir, "web/target/site/jacoco/jacoco.xml", jacoco(100, 400));
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.message()).isEqualTo("line coverage 60.0% (600 of 1000 lines) is below the minimum 70.0%");
        assertThat(r.evidence()).contains("core/target/site/jacoco/jacoco.xml: not counted, an aggregate report covers its module",
                "core/target/site/jacoco-it/jacoco.xml: not counted, another report of the same module is");
    }

    @Test
    void withoutAnAggregateTheUnitTestReportOfEachModuleCounts() throws Exception {
        write(dir, "core/target/site/jacoco/jacoco.xml", jacoco(500, 0));
        write(dir, "core/target/site/jacoco-it/jacoco.xml", jacoco(1, 99));
        write(dir, "web/target/site/jacoco/jacoco.xml", jacoco(100, 400));
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.message()).isEqualTo("line coverage 60.0% (600 of 1000 lines in 2 reports) is below the minimum 70.0%");
    }

    @Test
    void aReportOlderThanTheSourcesWarns() throws Exception {
        write(dir, "src/main/java/App.java", "class App {}");
        write(dir, "coverage.xml", "<coverage lines-valid=\"10\" lines-covered=\"9\" line-rate=\"0.9\"/>");
        Files.setLastModifiedTime(dir.resolve("coverage.xml"), FileTime.from(Instant.now().minusSeconds(3600)));
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(RepoChecks.rules(r)).containsExactly("repo.coverage.stale");
        assertThat(r.message()).contains("coverage.xml is older than src/main/java/App.java");

        Files.setLastModifiedTime(dir.resolve("coverage.xml"), FileTime.from(Instant.now()));
        assertThat(RepoChecks.run(dir, "repo.coverage", "").status()).isEqualTo(Status.PASS);
    }

    @Test
    void aNamedGlobAddsUpItsMatches() throws Exception {
        write(dir, "a/out/lcov.info", "SF:a\nLF:10\nLH:10\nend_of_record\n");
        write(dir, "b/out/lcov.info", "SF:b\nLF:10\nLH:5\nend_of_record\n");
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "{ report: \"*/out/lcov.info\" }");
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.message()).isEqualTo("line coverage 75.0% (15 of 20 lines in 2 reports), at least 70.0%");
    }

    @Test
    void reportsThatCannotBeReadAreErrorsNeverPasses() throws Exception {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE report [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><report name=\"&c;\"><counter type=\"LINE\" missed=\"0\" covered=\"9\"/></report>";
        String[][] cases = {
            {"target/site/jacoco/jacoco.xml", laughs},
            {"target/site/jacoco/jacoco.xml", "<report><counter type=\"INSTRUCTION\" missed=\"0\" covered=\"9\"/></report>"},
            {"target/site/jacoco/jacoco.xml", "<html><body>not a report</body></html>"},
            {"coverage.xml", "<coverage lines-valid=\"10\" lines-covered=\"11\"/>"},
            {"coverage.xml", "<coverage line-rate=\"NaN\"/>"},
            {"coverage.json", "{\"totals\": {\"covered_lines\": -1, \"num_statements\": 10}}"},
            {"coverage.json", "{\"meta\": {}}"},
            {"coverage/lcov.info", "SF:x\nLF:99999999999999999999999\nLH:1\nend_of_record\n"},
            {"coverage/lcov.info", "SF:x\nLF:1\nLH:5\nend_of_record\n"},
            {"coverage/lcov.info", "TN:\nSF:x\nDA:1,1\n"},
            {"coverage.xml", "<coverage lines-valid=\"0\" lines-covered=\"0\"/>"},
        };
        for (String[] c : cases) {
            Path repo = Files.createTempDirectory(dir, "case");
            write(repo, c[0], c[1]);
            ItemResult r = RepoChecks.run(repo, "repo.coverage", "");
            assertThat(r.status()).as("%s: %s -> %s", c[0], c[1], r.message()).isEqualTo(Status.ERROR);
            assertThat(r.message()).as(c[1]).startsWith(c[0]);
        }
    }

    @Test
    void reportLinesOfAnyLengthAreCut() throws Exception {
        write(dir, "coverage/lcov.info", "SF:" + "x".repeat(5_000_000) + "\nLF:4\nLH:3\nend_of_record\n");
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.metrics()).containsEntry("line_coverage_pct", 75.0);
    }

    @Test
    void minMustBeAPercentage() {
        assertThat(dev.airworthy.checks.fixture.Checklists.messages("- id: c\n  check: repo.coverage\n  with: { min: 101 }"))
                .anyMatch(m -> m.contains("min is a percentage: 0 to 100"));
    }
}
