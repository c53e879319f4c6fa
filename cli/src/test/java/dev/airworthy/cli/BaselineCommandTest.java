package dev.airworthy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.secrets.FakeSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineCommandTest {
    private static final FakeSecrets FAKE = new FakeSecrets(99);

    @TempDir
    Path dir;

    private static final String CHECKLIST = """
            airworthy: 1
            sections:
              - title: Security
                items:
                  - id: no-secrets
                    severity: critical
                    check: secrets.scan
                    with: { baseline: .airworthy/secrets-baseline.json }
            """;

    @Test
    void aBaselineAcceptsTodaysSecretsAndTheNextNewOneStillFails() throws Exception {
        Files.writeString(dir.resolve("airworthy.yml"), CHECKLIST);
        String token = FAKE.forRule("github-pat");
        Files.writeString(dir.resolve("deploy.sh"), "#!/bin/sh\nexport GITHUB_TOKEN=" + token + "\n");
        Cli.Result before = Cli.run(dir, "check");
        assertThat(before.exit()).isEqualTo(1); // the named baseline does not exist yet: an error, which blocks
        assertThat(before.out()).contains("baseline .airworthy/secrets-baseline.json does not exist");

        Cli.Result r = Cli.run(dir, "baseline");
        assertThat(r.exit()).as(r.err()).isZero();
        Path baseline = dir.resolve(".airworthy/secrets-baseline.json");
        assertThat(r.out()).startsWith("Wrote " + baseline + ": 1 entry from 1 finding(s) in 2 files of " + dir.toRealPath() + ", for 'no-secrets'.")
                .endsWith("Review and commit the baseline; secrets.scan now fails only on secrets that are not in it.\n");
        assertThat(Files.readString(baseline)).contains("\"rule\" : \"secrets.scan.github-pat\"").doesNotContain(token);

        // Moved down and into another file: still baselined.
        Files.delete(dir.resolve("deploy.sh"));
        Files.writeString(dir.resolve("release.sh"), "#!/bin/sh\nset -e\n\nexport GITHUB_TOKEN=" + token + "\n");
        Cli.Result check = Cli.run(dir, "check");
        assertThat(check.exit()).as(check.out()).isZero();
        assertThat(check.out()).contains("1 baselined");

        // A new secret on the same line is not.
        Files.writeString(dir.resolve("release.sh"), "#!/bin/sh\nset -e\n\nexport GITHUB_TOKEN=" + FAKE.forRule("github-pat") + "\n");
        Cli.Result again = Cli.run(dir, "check");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).contains("release.sh:4");

        Cli.Result rewritten = Cli.run(dir, "baseline");
        assertThat(rewritten.out()).contains(": 1 entry from 1 finding(s)").contains("(1 new, 1 no longer found)");
        assertThat(Cli.run(dir, "check").exit()).isZero();
    }

    @Test
    void anItemWithoutABaselineNeedsOutputAndIsToldHowToUseIt() throws Exception {
        Files.writeString(dir.resolve("airworthy.yml"), CHECKLIST.replace("with: { baseline: .airworthy/secrets-baseline.json }",
                "with: { allow-paths: [\"docs/**\"] }"));
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/setup.md"), "TOKEN=" + FAKE.forRule("gitlab-pat") + "\n");
        Files.writeString(dir.resolve("app.env"), "STRIPE=" + FAKE.forRule("stripe-live-key") + "\n");

        Cli.Result refused = Cli.run(dir, "baseline");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("airworthy: item 'no-secrets' names no baseline file; add `baseline: FILE` to its with:, "
                + "or pass --output FILE\n");

        Cli.Result r = Cli.run(dir, "baseline", "--output", "security/baseline.json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(": 1 entry from 1 finding(s)")
                .contains("Item 'no-secrets' does not use it yet: add `baseline: security/baseline.json` to its with:.");
        assertThat(Files.readString(dir.resolve("security/baseline.json"))).contains("secrets.scan.stripe-live-key")
                .doesNotContain("gitlab-pat");
    }

    @Test
    void usageMistakesExitWithTwo() throws Exception {
        Cli.Result none = Cli.run(dir, "baseline");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("airworthy: no checklist at ");
        Files.writeString(dir.resolve("airworthy.yml"), """
                airworthy: 1
                sections:
                  - title: Docs
                    items:
                      - id: readme
                        check: repo.files
                        with: { files: [README.md] }
                """);
        Cli.Result noItem = Cli.run(dir, "baseline");
        assertThat(noItem.exit()).isEqualTo(2);
        assertThat(noItem.err()).endsWith("airworthy.yml has no secrets.scan item; add one (see: airworthy explain secrets.scan)\n");
        Files.writeString(dir.resolve("airworthy.yml"), CHECKLIST);
        Cli.Result badRepo = Cli.run(dir, "baseline", "--repo", "nowhere");
        assertThat(badRepo.exit()).isEqualTo(2);
        assertThat(badRepo.err()).isEqualTo("airworthy: --repo nowhere: not a directory\n");
        assertThat(Cli.run(dir, "--help").out()).contains("baseline");
    }
}
