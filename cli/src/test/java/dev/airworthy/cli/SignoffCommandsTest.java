package dev.airworthy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignoffCommandsTest {
    @TempDir
    Path dir;

    private static final String CHECKLIST = """
            airworthy: 1
            # Our go-live list; reviewed in every release PR.
            sections:
              - title: People
                items:
                  - id: security-signoff
                    manual: { roles: [security], valid-for: 30d }
                  - id: readme
                    check: repo.files
                    with: { files: [README.md] }
            attestations: []   # recorded with `airworthy attest`
            """;

    @BeforeEach
    void write() throws Exception {
        Files.writeString(dir.resolve("airworthy.yml"), CHECKLIST);
    }

    @Test
    void attestRecordsASignoffThatTheNextCheckHonours() throws Exception {
        assertThat(Cli.run(dir, "check", "--only", "security-signoff").out()).contains("PENDING");
        Cli.Result r = Cli.run(dir, "attest", "security-signoff", "--role", "security", "--by", "alice@example.com",
                "--evidence", "https://tracker.example/SEC-1", "--note", "scope: API and storefront; cost $0");
        assertThat(r.exit()).as(r.err()).isZero();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(r.out()).startsWith("Recorded in " + dir.resolve("airworthy.yml") + ": security-signoff signed off by alice@example.com (security) on " + today);
        String text = Files.readString(dir.resolve("airworthy.yml"));
        assertThat(text).startsWith(CHECKLIST.substring(0, CHECKLIST.indexOf("attestations:")))
                .contains("attestations:   # recorded with `airworthy attest`\n  - item: \"security-signoff\"\n")
                .contains("    note: \"scope: API and storefront; cost $$0\"\n");
        Cli.Result check = Cli.run(dir, "check", "--only", "security-signoff");
        assertThat(check.out()).contains("ATTESTED").contains("signed off by alice@example.com (security, " + today + ")");
        assertThat(check.exit()).isZero();
    }

    @Test
    void attestRefusesWhatItCannotRecordTruthfully() {
        assertThat(Cli.run(dir, "attest", "readme", "--role", "security", "--by", "a").err())
                .isEqualTo("airworthy: item 'readme' is verified by repo.files, not signed off; to go live despite it, use airworthy waive\n");
        assertThat(Cli.run(dir, "attest", "security-signoff", "--role", "qa", "--by", "a").err())
                .isEqualTo("airworthy: item 'security-signoff' asks for security, not 'qa'\n");
        assertThat(Cli.run(dir, "attest", "security-sigonff", "--role", "security", "--by", "a").err())
                .startsWith("airworthy: no item 'security-sigonff' in ").endsWith("(did you mean 'security-signoff'?)\n");
        assertThat(Cli.run(dir, "attest", "security-signoff", "--by", "a").exit()).isEqualTo(2);
    }

    @Test
    void waiveRecordsAWaiverThatTurnsABlockingFailIntoWaived() throws Exception {
        Cli.Result before = Cli.run(dir, "check", "--only", "readme", "--fail-on", "medium");
        assertThat(before.exit()).isEqualTo(1);
        String until = LocalDate.now(ZoneOffset.UTC).plusDays(7).toString();
        Cli.Result r = Cli.run(dir, "waive", "readme", "--reason", "docs move to the wiki", "--until", until, "--by", "cto");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("airworthy.yml"))).endsWith(
                "waivers:\n  - item: \"readme\"\n    reason: \"docs move to the wiki\"\n    until: \"" + until + "\"\n    by: \"cto\"\n");
        Cli.Result after = Cli.run(dir, "check", "--only", "readme", "--fail-on", "medium");
        assertThat(after.exit()).isZero();
        assertThat(after.out()).contains("WAIVED").contains("was fail: README.md is missing");
        assertThat(Cli.run(dir, "waive", "readme", "--reason", "x", "--until", "2020-01-01", "--by", "cto").err())
                .startsWith("airworthy: --until 2020-01-01 is in the past");
    }
}
