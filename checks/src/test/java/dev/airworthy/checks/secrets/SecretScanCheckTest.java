package dev.airworthy.checks.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.SharedResources;
import dev.airworthy.check.Status;
import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.checks.repo.RepoTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check around the scanner: masking, baselines, limits, deadlines and parameter validation. */
class SecretScanCheckTest {
    private static final FakeSecrets FAKE = new FakeSecrets(11);

    @TempDir
    Path repo;

    @Test
    void noSecretAppearsInTheMessageEvidenceOrFindings() throws Exception {
        List<String> secrets = new ArrayList<>();
        StringBuilder env = new StringBuilder();
        for (var e : FakeSecrets.CONTEXTS.entrySet()) {
            String s = FAKE.forRule(e.getKey());
            secrets.add(s.contains("://") ? s.substring(s.lastIndexOf('/') + 1) : s);
            env.append(e.getValue().formatted(s)).append('\n');
        }
        Files.writeString(repo.resolve("app.env"), env);
        CheckResult r = run("{}", Duration.ofSeconds(30));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).hasSize(secrets.size());
        String everything = r.message() + r.evidence() + r.findings().stream().map(Finding::toString).toList();
        for (String s : secrets) {
            assertThat(everything).doesNotContain(s.substring(4));
        }
        assertThat(r.findings().getFirst().message()).isEqualTo("AWS access key id AKIA…(20 chars)");
    }

    @Test
    void aBaselineMatchesBySecretNotByLineAndListsStaleEntries() throws Exception {
        String kept = FAKE.forRule("github-pat");
        String gone = FAKE.forRule("stripe-live-key");
        String added = FAKE.forRule("github-pat");
        Files.writeString(repo.resolve("deploy.sh"), "\n\n# moved down three lines\nexport GITHUB_TOKEN=" + kept + "\nexport OTHER=" + added + "\n");
        SecretScanner.Finding keptFinding = new SecretScanner.Finding(SecretRules.byId("github-pat").orElseThrow(), "old.sh", 1, kept);
        SecretScanner.Finding goneFinding = new SecretScanner.Finding(SecretRules.byId("stripe-live-key").orElseThrow(), "billing.rb", 9, gone);
        SecretBaseline.write(repo.resolve("baseline.json"), List.of(keptFinding, goneFinding, keptFinding));

        CheckResult r = run("{ baseline: baseline.json }", Duration.ofSeconds(30));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).extracting(f -> f.rule() + "@" + f.file() + ":" + f.line())
                .containsExactly("secrets.scan.github-pat@deploy.sh:5");
        assertThat(r.message()).endsWith("(1 baselined)");
        assertThat(r.evidence()).contains("baseline baseline.json: 2 entries; 1 finding(s) baselined");
        assertThat(r.evidence()).contains("stale baseline entries, found no more (remove them): "
                + "secrets.scan.stripe-live-key recorded at billing.rb:9");
        String fingerprints = Files.readString(repo.resolve("baseline.json"));
        assertThat(String.join("\n", r.evidence())).doesNotContain(fingerprints.substring(fingerprints.indexOf("\"fingerprint\" : \"") + 17).substring(0, 8));
        assertThat(r.metrics()).containsEntry("baselined_findings", 1.0);
    }

    @Test
    void theFingerprintIsAnHmacOfRuleColonSecretUnderTheBaselinesOwnSalt() throws Exception {
        byte[] salt = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("secrets.scan.jwt:abc".getBytes(StandardCharsets.UTF_8)));
        assertThat(SecretBaseline.fingerprint(salt, "secrets.scan.jwt", "abc")).isEqualTo(expected).hasSize(64);
        assertThat(expected).isNotEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("secrets.scan.jwt:abc".getBytes(StandardCharsets.UTF_8))));
        // Two baselines draw two salts: the same finding has different fingerprints in each.
        SecretScanner.Finding f = new SecretScanner.Finding(SecretRules.byId("jwt").orElseThrow(), "a", 1, "abc");
        SecretBaseline.write(repo.resolve("one.json"), List.of(f));
        SecretBaseline.write(repo.resolve("two.json"), List.of(f));
        SecretBaseline one = SecretBaseline.read(repo.resolve("one.json"), "one.json");
        SecretBaseline two = SecretBaseline.read(repo.resolve("two.json"), "two.json");
        assertThat(one.contains(f)).isTrue();
        assertThat(two.contains(f)).isTrue();
        assertThat(one.fingerprint(f)).isNotEqualTo(two.fingerprint(f));
        // Rewriting keeps the salt, so unchanged entries keep their fingerprints.
        SecretBaseline.write(repo.resolve("one.json"), List.of(f));
        assertThat(SecretBaseline.read(repo.resolve("one.json"), "one.json").fingerprint(f)).isEqualTo(one.fingerprint(f));
    }

    @Test
    void aBaselineRoundTripsAndABrokenOneSaysWhere() throws Exception {
        SecretScanner.Finding f = new SecretScanner.Finding(SecretRules.byId("gitlab-pat").orElseThrow(), "ci.yml", 4,
                FAKE.forRule("gitlab-pat"));
        Path file = repo.resolve(".airworthy/baseline.json");
        assertThat(SecretBaseline.write(file, List.of(f))).isEqualTo(1);
        assertThat(Files.readString(file)).doesNotContain(f.secret()).contains("\"masked\" : \"glpa…(26 chars)\"");
        SecretBaseline b = SecretBaseline.read(file, "b.json");
        assertThat(b.entries()).containsExactly(new SecretBaseline.Entry(b.fingerprint(f), "secrets.scan.gitlab-pat", "ci.yml", 4, "glpa…(26 chars)"));
        Files.writeString(file, "{\"schema\": \"something-else\"}");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> SecretBaseline.read(file, "b.json")))
                .hasMessage("b.json: not a secrets baseline (expected \"schema\": \"airworthy.secrets-baseline/v2\")");
    }

    @Test
    void aFileNotScannedIsAWarningNeverASilentPass() throws Exception {
        Files.write(repo.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        Files.writeString(repo.resolve("dump.sql"), "INSERT INTO t VALUES ('x');\n".repeat(50_000));
        Files.writeString(repo.resolve("app.py"), "print('hi')\n");
        CheckResult r = run("{ max-file-size: 512KB }", Duration.ofSeconds(30));
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.message()).isEqualTo("no secrets in 1 file (0.0 MB); 1 file(s) not scanned (1 over max-file-size 512KB, e.g. dump.sql)");
        assertThat(r.findings()).extracting(f -> f.rule() + "@" + f.file() + ": " + f.message())
                .containsExactly("secrets.scan.not-scanned@dump.sql: dump.sql not scanned: 1.4 MB, larger than max-file-size 512KB");
        assertThat(r.evidence()).contains("skipped 1 binary file(s) (over 5% NUL or control bytes in the first 8 KiB)",
                "not scanned, larger than max-file-size 512KB: dump.sql (1.4 MB)");
        assertThat(r.metrics()).containsKeys("files_scanned", "scanned_mb", "scan_mb_per_s", "scan_ms");
    }

    @Test
    void trackedFilesTheWalkLeavesOutAreScanned() throws Exception {
        try (var git = org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).call()) {
            Files.writeString(repo.resolve("prod.cfg"), "token = " + FAKE.forRule("github-pat") + "\n");
            Files.createDirectories(repo.resolve(".bundle"));
            Files.writeString(repo.resolve(".bundle/config"), "BUNDLE_GEMS__EXAMPLE__COM: \"" + FAKE.forRule("gitlab-pat") + "\"\n");
            Files.createDirectories(repo.resolve("vendor/lib"));
            Files.writeString(repo.resolve("vendor/lib/.npmrc"), "//registry.npmjs.org/:_authToken=" + FAKE.forRule("npm-token") + "\n");
            Files.writeString(repo.resolve("vendor/lib/client.js"), "const t = '" + FAKE.forRule("github-pat") + "';\n");
            git.add().addFilepattern(".").call();
            // Ignored after they were added, as when a team adds the rule but forgets `git rm --cached`.
            Files.writeString(repo.resolve(".gitignore"), "prod.cfg\n.bundle/\nlocal.cfg\n");
        }
        Files.writeString(repo.resolve("local.cfg"), "token = " + FAKE.forRule("github-pat") + "\n");
        CheckResult r = run("{}", Duration.ofSeconds(30));
        assertThat(r.findings()).extracting(f -> f.rule() + "@" + f.file())
                .containsExactlyInAnyOrder("secrets.scan.github-pat@prod.cfg", "secrets.scan.gitlab-pat@.bundle/config",
                        "secrets.scan.npm-token@vendor/lib/.npmrc");
        assertThat(r.evidence()).anyMatch(e -> e.startsWith("also scanned 3 files that git tracks but the walk leaves out"));
    }

    @Test
    void outsideAGitWorkTreeBundlerConfigIsScanned() throws Exception {
        Files.createDirectories(repo.resolve(".bundle"));
        Files.writeString(repo.resolve(".bundle/config"), "BUNDLE_GEMS__EXAMPLE__COM: \"" + FAKE.forRule("gitlab-pat") + "\"\n");
        CheckResult r = run("{}", Duration.ofSeconds(30));
        assertThat(r.findings()).extracting(f -> f.rule() + "@" + f.file()).containsExactly("secrets.scan.gitlab-pat@.bundle/config");
    }

    @Test
    void aStrayNulKeepsTextTextAndUtf16IsDecoded() throws Exception {
        String token = "GITHUB_TOKEN=" + FAKE.forRule("github-pat") + "\n";
        byte[] stray = ("x".repeat(3_000) + "\n" + token).getBytes(StandardCharsets.US_ASCII);
        stray[7] = 0;
        Files.write(repo.resolve("stray.txt"), stray);
        byte[] le = ("\uFEFF# settings\r\n" + token).getBytes(StandardCharsets.UTF_16LE);
        Files.write(repo.resolve("bom-le.ps1"), le);
        Files.write(repo.resolve("no-bom-be.reg"), ("# settings\n" + token).getBytes(StandardCharsets.UTF_16BE));
        byte[] random = new byte[20_000];
        new java.util.Random(7).nextBytes(random);
        byte[] binary = (new String(random, StandardCharsets.ISO_8859_1) + "\n" + token).getBytes(StandardCharsets.ISO_8859_1);
        Files.write(repo.resolve("blob.bin"), binary);
        CheckResult r = run("{}", Duration.ofSeconds(30));
        assertThat(r.findings()).extracting(f -> f.file() + ":" + f.line())
                .containsExactlyInAnyOrder("stray.txt:2", "bom-le.ps1:2", "no-bom-be.reg:2");
        assertThat(r.evidence()).contains("skipped 1 binary file(s) (over 5% NUL or control bytes in the first 8 KiB)");
    }

    @Test
    void theAllowMarkerIsACommentTokenOutsideTheSecret() throws Exception {
        String t = FAKE.forRule("github-pat");
        Files.writeString(repo.resolve("a.py"), String.join("\n",
                "A = \"" + t + "\"  # airworthy:allow (revoked)",
                "B = \"" + t + "\"  // airworthy:allow",
                "C = \"" + t + "\"  # airworthy:allow-list of test tokens",
                "{\"note\": \"airworthy:allow\", \"token\": \"" + t + "\"}",
                "D = \"" + t + "\"  airworthy:allow",
                "") );
        CheckResult r = run("{}", Duration.ofSeconds(30));
        assertThat(r.findings()).extracting(Finding::line).containsExactly(3, 4, 5);
        assertThat(r.evidence()).contains("2 finding(s) on lines marked airworthy:allow");
    }

    @Test
    void aLongLineWithManyMatchesTakesLinearTime() throws Exception {
        StringBuilder b = new StringBuilder("// airworthy:allow\n");
        String t = FAKE.forRule("github-pat");
        for (int i = 0; b.length() < 2_000_000; i++) {
            b.append("token=").append(t).append(';');
        }
        Files.writeString(repo.resolve("one-line.txt"), b.append('\n'));
        long t0 = System.nanoTime();
        CheckResult r = run("{}", Duration.ofSeconds(60));
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3.0);
        assertThat(r.message()).startsWith("at least 10000 secret(s) in 1 file");
    }

    @Test
    void nothingScannedIsNeverAPass() throws Exception {
        Files.write(repo.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        Files.createDirectories(repo.resolve("fixtures"));
        Files.writeString(repo.resolve("fixtures/keys.txt"), "AWS_ACCESS_KEY_ID=" + FAKE.forRule("aws-access-key-id") + "\n");
        CheckResult skipped = run("{ allow-paths: [\"fixtures/**\"] }", Duration.ofSeconds(30));
        assertThat(skipped.status()).isEqualTo(Status.SKIPPED);
        assertThat(skipped.message()).isEqualTo("no text file to scan (2 files: binary, empty or left out by allow-paths)");
        Files.writeString(repo.resolve("dump.sql"), "INSERT INTO t VALUES (1);\n".repeat(100));
        CheckResult error = run("{ allow-paths: [\"fixtures/**\"], max-file-size: 1KB }", Duration.ofSeconds(30));
        assertThat(error.status()).isEqualTo(Status.ERROR);
        assertThat(error.message()).isEqualTo("no file was scanned: 1 over max-file-size 1KB, e.g. dump.sql");
    }

    @Test
    void atItsDeadlineTheScanStopsWithAnErrorNeverAPartialPass() throws Exception {
        for (int i = 0; i < 50; i++) {
            Files.writeString(repo.resolve("f" + i + ".txt"), "nothing to see\n");
        }
        CheckResult r = run("{}", Duration.ZERO);
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).matches("scan did not finish by its deadline: \\d+ of 50 files");
    }

    @Test
    void parametersAreValidatedWhenTheChecklistLoads() {
        assertThat(Checklists.messages("""
                - id: s
                  check: secrets.scan
                  with:
                    rules: [github-pat, gitlab]
                    allow-regex: ["(unclosed"]
                    max-file-size: 5 parsecs
                """)).hasSize(3).anySatisfy(m -> assertThat(m).contains("rules: no rule 'gitlab' (rules: aws-access-key-id"))
                .anySatisfy(m -> assertThat(m).contains("allow-regex '(unclosed': Unclosed group"))
                .anySatisfy(m -> assertThat(m).contains("max-file-size: expected a size such as 5MB or 512KB, got '5 parsecs'"));
    }

    @Test
    void allowPathGlobsMatchFromTheRootAndByName() {
        var allow = SecretScanCheck.allowPaths(List.of("test/fixtures/**", "*.snap", "**/testdata/*.json"));
        assertThat(List.of("test/fixtures/a/b.json", "src/x/__snapshots__/y.snap", "y.snap", "testdata/k.json", "go/pkg/testdata/k.json"))
                .allMatch(allow);
        assertThat(List.of("src/test/fixtures/a.json", "snap", "testdata/sub/k.json")).noneMatch(allow);
    }

    private CheckResult run(String with, Duration timeout) throws Exception {
        var item = Checklists.load("- id: s\n  check: secrets.scan\n  with: " + with + "\n").items().getFirst();
        try (SharedResources shared = new SharedResources()) {
            CheckContext ctx = new CheckContext("s", item.params(), null, repo, repo, Instant.now().plus(timeout),
                    Clock.systemUTC(), shared, List.of());
            assertThat(RepoTree.of(ctx).root()).isEqualTo(repo.toAbsolutePath().normalize());
            return new SecretScanCheck().run(ctx);
        }
    }
}
