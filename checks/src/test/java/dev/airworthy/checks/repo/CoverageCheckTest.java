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
        assertThat(r.message()).isEqualTo("line coverage 60.0% (600 of 1000 lines) is below the minimum 70.0%; "
                + "web/target/site/jacoco/jacoco.xml: line coverage 20.0% (100 of 500 lines) is below the minimum 70.0%");
        assertThat(RepoChecks.rules(r)).containsExactlyInAnyOrder("repo.coverage.below-min", "repo.coverage.module-below-min");
        assertThat(r.evidence()).contains("core/target/site/jacoco/jacoco.xml: not counted, an aggregate report covers its module",
                "core/target/site/jacoco-it/jacoco.xml: not counted, another report of the same module is");
    }

    @Test
    void withoutAnAggregateTheUnitTestReportOfEachModuleCounts() throws Exception {
        write(dir, "core/target/site/jacoco/jacoco.xml", jacoco(500, 0));
        write(dir, "core/target/site/jacoco-it/jacoco.xml", jacoco(1, 99));
        write(dir, "web/target/site/jacoco/jacoco.xml", jacoco(100, 400));
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.message()).startsWith("line coverage 60.0% (600 of 1000 lines in 2 reports) is below the minimum 70.0%; "
                + "web/target/site/jacoco/jacoco.xml: line coverage 20.0%");
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
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "{ report: \"*/out/lcov.info\", min: 50 }");
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.message()).isEqualTo("line coverage 75.0% (15 of 20 lines in 2 reports), at least 50.0%");
        // The total passes 70%, but one module does not: min applies to each report too.
        ItemResult each = RepoChecks.run(dir, "repo.coverage", "{ report: \"*/out/lcov.info\" }");
        assertThat(RepoChecks.rules(each)).containsExactly("repo.coverage.module-below-min");
        assertThat(each.message()).isEqualTo("b/out/lcov.info: line coverage 50.0% (5 of 10 lines) is below the minimum 70.0%");
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
            {"coverage.xml", "<coverage line-rate=\"0.95\"/>"},
            {"coverage.xml", "<coverage line-rate=\"0.95\"><packages/></coverage>"},
            {"coverage.json", "{\"totals\": {\"percent_covered\": 95.0}}"},
            {"coverage/coverage-summary.json", "{\"total\": {\"lines\": {\"pct\": 95}}}"},
            {"coverage/lcov.info", "SF:a\nDA:1,1\nend_of_record\nSF:b\nLF:10\nLH:10\n"},
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
    void minMustBeAPercentageAndTheReportInsideTheRepository() {
        assertThat(dev.airworthy.checks.fixture.Checklists.messages("- id: c\n  check: repo.coverage\n  with: { min: 101 }"))
                .anyMatch(m -> m.contains("min is a percentage: 0 to 100"));
        assertThat(dev.airworthy.checks.fixture.Checklists.messages("- id: c\n  check: repo.coverage\n  with: { min: 0.8 }"))
                .anyMatch(m -> m.contains("min is a percentage: 80, not 0.8"));
        assertThat(dev.airworthy.checks.fixture.Checklists.messages("- id: c\n  check: repo.coverage\n  with: { report: ../other/lcov.info }"))
                .anyMatch(m -> m.contains("report: '../other/lcov.info' leaves the repository"));
        assertThat(dev.airworthy.checks.fixture.Checklists.messages("- id: c\n  check: repo.coverage\n  with: { report: /tmp/lcov.info }"))
                .anyMatch(m -> m.contains("leaves the repository"));
    }

    @Test
    void lcovIsJudgedFromItsDaLinesWhenItHasThem() throws Exception {
        // The LF/LH summary claims 10 of 10; the DA lines say 1 of 4.
        write(dir, "coverage/lcov.info", "SF:a\nDA:1,1\nDA:2,0\nDA:3,0\nDA:4,0\nLF:10\nLH:10\nend_of_record\nSF:b\nLF:6\nLH:6\nend_of_record\n");
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.metrics()).containsEntry("line_coverage_pct", 70.0);
        assertThat(r.evidence()).contains("coverage/lcov.info (lcov): 7 of 10 lines, 70.0%");
    }

    @Test
    void coberturaWithoutTotalsIsCountedFromItsClassLines() throws Exception {
        write(dir, "coverage.xml", """
                <coverage line-rate="1.0"><packages><package><classes><class filename="a.py">
                  <methods><method><lines><line number="1" hits="1"/></lines></method></methods>
                  <lines><line number="1" hits="1"/><line number="2" hits="0"/><line number="3" hits="0"/><line number="4" hits="2"/></lines>
                </class></classes></package></packages></coverage>
                """);
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(r.message()).isEqualTo("line coverage 50.0% (2 of 4 lines) is below the minimum 70.0%");
    }

    @Test
    void reportsUnderDocsExamplesAndFixturesAreNotTheBuilds() throws Exception {
        write(dir, "docs/coverage.xml", "<coverage lines-valid=\"10\" lines-covered=\"10\"/>");
        write(dir, "examples/app/coverage/lcov.info", "SF:a\nLF:1\nLH:1\nend_of_record\n");
        write(dir, "tests/fixtures/coverage.json", "{\"totals\": {\"covered_lines\": 1, \"num_statements\": 1}}");
        write(dir, "build/resources/test/jacoco.xml", jacoco(1, 0));
        assertThat(RepoChecks.run(dir, "repo.coverage", "").status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void everyFormatOfAModuleIsJudged() throws Exception {
        write(dir, "coverage.xml", "<coverage lines-valid=\"100\" lines-covered=\"90\"/>");
        write(dir, "coverage/lcov.info", "SF:web.js\nLF:100\nLH:30\nend_of_record\n");
        ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
        assertThat(RepoChecks.rules(r)).containsExactly("repo.coverage.module-below-min");
        assertThat(r.message()).startsWith("coverage/lcov.info: line coverage 30.0%");
    }

    @Test
    void aCommittedReportWarnsOnceTheCodeChangedAfterIt() throws Exception {
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, "src/app.py", "x = 1\n");
            write(dir, "coverage.xml", "<coverage lines-valid=\"10\" lines-covered=\"9\"/>");
            RepoChecks.commitAll(git);
            ItemResult fresh = RepoChecks.run(dir, "repo.coverage", "");
            assertThat(fresh.status()).as("%s %s", fresh.message(), fresh.evidence()).isEqualTo(Status.PASS);
            assertThat(fresh.evidence()).contains("coverage.xml: committed to git, and no later commit changed the sources of its module");

            write(dir, "README.md", "docs only\n");
            RepoChecks.commitAll(git);
            assertThat(RepoChecks.run(dir, "repo.coverage", "").status()).isEqualTo(Status.PASS);

            write(dir, "src/app.py", "x = 2\n");
            RepoChecks.commitAll(git);
            Files.setLastModifiedTime(dir.resolve("src/app.py"), Files.getLastModifiedTime(dir.resolve("coverage.xml")));
            ItemResult r = RepoChecks.run(dir, "repo.coverage", "");
            assertThat(RepoChecks.rules(r)).containsExactly("repo.coverage.committed");
            assertThat(r.message()).startsWith("coverage.xml is committed to git and commit ");
        }
    }
}
