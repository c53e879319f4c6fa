package dev.airworthy.checklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.airworthy.check.Severity;
import dev.airworthy.check.TestChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecklistLoaderTest {
    private final ChecklistLoader loader = new ChecklistLoader(TestChecks.registry(),
            Map.of("API_TOKEN", "tok-123456789abc", "PORT", "8443"));

    private Checklist load(String yaml) throws ChecklistException {
        return loader.load("airworthy.yml", yaml, Path.of("/repo"));
    }

    private List<String> errors(String yaml) {
        return catchThrowableOfType(ChecklistException.class, () -> load(yaml)).problems().stream()
                .map(Problem::toString).toList();
    }

    @Test
    void loadsEveryPartOfTheFormat() throws Exception {
        Checklist c = load("""
                airworthy: 1
                project: divan
                targets:
                  staging: { url: "https://staging.divan.app:${PORT}", repo: . }
                gate:
                  fail-on: [critical]
                sections:
                  - title: Security
                    items:
                      - id: cors
                        title: CORS only allows the frontend origin
                        severity: critical
                        check: test.echo
                        with: { count: 3, ratio: 0.5, flag: true, wait: 1h30m, labels: { a: 1, b: x }, evidence: one }
                        timeout: 45s
                      - id: security-signoff
                        severity: critical
                        manual: { roles: [security], valid-for: 30d }
                attestations:
                  - { item: security-signoff, role: security, by: alice, at: 2026-11-02, evidence: "https://t/1" }
                waivers:
                  - { item: cors, reason: tracked in SEC-9, until: 2026-12-31, by: bob }
                """);
        assertThat(c.project()).isEqualTo("divan");
        assertThat(c.targets().get("staging").url()).hasToString("https://staging.divan.app:8443");
        assertThat(c.failOn()).containsExactly(Severity.CRITICAL);
        Item cors = c.item("cors").orElseThrow();
        assertThat(cors.section()).isEqualTo("Security");
        assertThat(cors.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(cors.timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(cors.params().integer("count")).isEqualTo(3);
        assertThat(cors.params().number("ratio")).isEqualTo(0.5);
        assertThat(cors.params().bool("flag")).isTrue();
        assertThat(cors.params().duration("wait")).isEqualTo(Duration.ofMinutes(90));
        assertThat(cors.params().map("labels")).containsEntry("a", 1L).containsEntry("b", "x");
        assertThat(cors.params().list("evidence")).containsExactly("one");
        assertThat(cors.params().string("status")).as("default filled in").isEqualTo("pass");
        Item signoff = c.item("security-signoff").orElseThrow();
        assertThat(signoff.isManual()).isTrue();
        assertThat(signoff.manual().orElseThrow().validFor()).isEqualTo(Duration.ofDays(30));
        assertThat(signoff.title()).as("defaults to the check's title").isEqualTo("Manual sign-off");
        assertThat(c.attestations().getFirst().at()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(c.waivers().getFirst().until()).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(c.secrets()).containsEntry("PORT", "8443");
    }

    @Test
    void reportsEveryProblemWithFileLineAndColumn() {
        List<String> errors = errors("""
                airworthy: 1
                sections:
                  - title: Checks
                    items:
                      - id: a
                        check: test.ehco
                      - id: b
                        check: test.echo
                        with: { cuont: 2, count: many, wait: soon }
                      - id: a
                        check: test.echo
                      - id: c
                        check: test.echo
                        with: { message: "Bearer ${MISSING_TOKEN}" }
                waivers:
                  - { item: b, reason: later, until: 2026-13-01, by: me }
                """);
        assertThat(errors).containsExactly(
                "airworthy.yml:6:16: unknown check 'test.ehco' (did you mean 'test.echo'?); `airworthy checks` lists them",
                "airworthy.yml:9:17: unknown parameter 'cuont' for test.echo (did you mean 'count'?); it takes: status, message, evidence, count, ratio, flag, wait, labels, throw, needed",
                "airworthy.yml:9:34: parameter 'count' of test.echo: expected an integer, got 'many'",
                "airworthy.yml:9:46: parameter 'wait' of test.echo: expected a duration such as 500ms, 10s, 5m, 26h or 30d, got 'soon'",
                "airworthy.yml:10:13: duplicate item id 'a' (first at line 5)",
                "airworthy.yml:14:34: environment variable MISSING_TOKEN is not set (${MISSING_TOKEN} is never replaced by an empty string)",
                "airworthy.yml:16:38: expected a date such as 2026-12-31, got '2026-13-01'");
    }

    @Test
    void rejectsUnknownKeysWithASuggestion() {
        assertThat(errors("""
                airworthy: 1
                sectoins: []
                """)).containsExactly(
                "airworthy.yml:2:1: unknown key 'sectoins' in the checklist (did you mean 'sections'?); allowed: airworthy, project, targets, gate, sections, attestations, waivers",
                "airworthy.yml:1:1: missing 'sections:' (a list of sections, each with a title and items)");
    }

    @Test
    void requiresTheFormatVersion() {
        assertThat(errors("sections: []\n")).contains("airworthy.yml:1:1: missing 'airworthy: 1' (the checklist format version)");
        assertThat(errors("airworthy: 2\nsections: []\n")).contains(
                "airworthy.yml:1:12: unsupported checklist version '2'; this airworthy reads version 1");
    }

    @Test
    void reportsYamlSyntaxErrorsWhereTheParserStopped() {
        assertThat(errors("airworthy: 1\nsections:\n  - title: [unclosed\n")).singleElement()
                .asString().startsWith("airworthy.yml:4:1: invalid YAML:");
    }

    @Test
    void rejectsRecursiveAliasesAndAliasBombs() {
        assertThat(errors("""
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - { id: x, check: test.echo, with: { labels: &l { a: *l } } }
                """)).containsExactly("airworthy.yml:5:52: an alias refers to a collection that contains it; parameters cannot be recursive");
        StringBuilder bomb = new StringBuilder("airworthy: 1\nsections: []\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [").append(("*a" + (i - 1) + ", ").repeat(9))
                    .append("*a").append(i - 1).append("]\n");
        }
        assertThat(errors(bomb.toString())).singleElement().asString()
                .contains("invalid YAML: Number of aliases for non-scalar nodes exceeds the specified max=50");
    }

    @Test
    void reportsDuplicateKeys() {
        assertThat(errors("""
                airworthy: 1
                sections:
                  - title: A
                    title: B
                    items: []
                """)).containsExactly("airworthy.yml:4:5: duplicate key 'title' (first at line 3)");
    }

    @Test
    void checksItemsParametersAndSignoffs() {
        assertThat(errors("""
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - id: w
                        check: test.echo
                        with: { status: maybe }
                      - id: x
                        check: test.echo
                      - id: y
                        check: test.echo
                        manual: { roles: [qa] }
                      - id: z
                      - id: bad id
                        check: test.echo
                      - id: m
                        manual: { roles: [security] }
                        severity: urgent
                attestations:
                  - { item: x, role: qa, by: me, at: 2026-11-01 }
                  - { item: w, role: qa, by: me, at: 2026-11-01 }
                  - { item: m, role: qa, by: me, at: 2026-11-01 }
                  - { item: m, role: security, by: me }
                """)).containsExactly(
                "airworthy.yml:7:9: item 'w': status 'maybe' is not a status",
                "airworthy.yml:12:9: item 'y' has both 'check' and 'manual'; it is one or the other",
                "airworthy.yml:13:9: item 'z' needs either 'check: <catalog id>' or 'manual: { roles: [...] }'",
                "airworthy.yml:14:13: item id 'bad id' must start with a letter or digit and hold only letters, digits, '.', '_' or '-'",
                "airworthy.yml:18:19: unknown severity 'urgent' (critical, high, medium, low, info)",
                "airworthy.yml:20:13: item 'x' is verified by test.echo, not signed off; to go live despite it, add a waiver",
                "airworthy.yml:22:22: role 'qa' is not one item 'm' asks for: security",
                "airworthy.yml:23:5: attestation needs 'at' (the date it was signed, e.g. 2026-11-02)");
    }

    @Test
    void requiredParametersMustBeGiven() {
        assertThat(errors("""
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - id: m
                        manual: {}
                """)).containsExactly(
                "airworthy.yml:6:9: item 'm': manual needs parameter 'roles' (Roles that must each attest, e.g. `security`, `on-call`, `product owner`.)");
    }

    @Test
    void interpolatesTheEnvironmentAndKeepsEscapedDollars() throws Exception {
        Checklist c = load("""
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - id: x
                        check: test.echo
                        with: { message: "Bearer ${API_TOKEN} costs $${PRICE}", count: "${PORT}" }
                """);
        assertThat(c.item("x").orElseThrow().params().string("message")).isEqualTo("Bearer tok-123456789abc costs ${PRICE}");
        assertThat(c.item("x").orElseThrow().params().integer("count")).isEqualTo(8443);
        assertThat(c.secrets()).containsEntry("API_TOKEN", "tok-123456789abc");
    }

    @Test
    void rejectsTargetsThatAreNotHttpUrls() {
        assertThat(errors("""
                airworthy: 1
                targets:
                  prod: { url: "ftp://example.com" }
                  "bad name": { url: "https://example.com" }
                sections: []
                """)).containsExactly(
                "airworthy.yml:3:16: expected an http:// or https:// URL with a host, got 'ftp://example.com'",
                "airworthy.yml:4:3: target name 'bad name' must be letters, digits, '.', '_' or '-'");
    }

    @Test
    void namesTheFileWhenItCannotBeRead(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("airworthy.yml");
        assertThat(catchThrowableOfType(ChecklistException.class, () -> loader.load(missing)))
                .hasMessage(missing + ":1:1: no such checklist file (create one, or use --preset web|repo)");
        Files.write(missing, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        assertThat(catchThrowableOfType(ChecklistException.class, () -> loader.load(missing)))
                .hasMessage(missing + ":1:1: the checklist is not UTF-8 text");
        Files.writeString(missing, "");
        assertThat(catchThrowableOfType(ChecklistException.class, () -> loader.load(missing)))
                .hasMessageContaining("the checklist is empty");
    }
}
