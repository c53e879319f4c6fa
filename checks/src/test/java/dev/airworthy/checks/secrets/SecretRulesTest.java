package dev.airworthy.checks.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.checks.repo.RepoTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule on its own sample, the catalog's shape, and the cost of hostile input. */
class SecretRulesTest {
    private static final FakeSecrets FAKE = new FakeSecrets(7);

    @TempDir
    Path dir;

    @Test
    void theCatalogHasEveryRuleTheIssueNamesEachOnce() {
        List<String> ids = SecretRules.ALL.stream().map(SecretRule::id).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(28)
                .allMatch(id -> id.matches("[a-z0-9]+(?:-[a-z0-9]+)*"));
        Set<String> covered = new java.util.HashSet<>(FakeSecrets.CONTEXTS.keySet());
        covered.addAll(FakeSecrets.PEM_HEADERS.keySet());
        assertThat(covered).as("every rule has a sample in this test").containsExactlyInAnyOrderElementsOf(ids);
        String summary = CheckDescriptor.of(SecretScanCheck.class).summary();
        assertThat(ids).as("the doc page names every rule").allMatch(id -> summary.contains("`" + id + "`"));
    }

    @Test
    void everyRuleFindsItsSampleAndNoOtherRuleReportsIt() throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        int line = 1;
        for (var e : FakeSecrets.CONTEXTS.entrySet()) {
            String secret = FAKE.forRule(e.getKey());
            secrets.put(e.getKey(), secret);
            text.append(e.getValue().formatted(secret)).append('\n');
            expected.add("secrets.scan." + e.getKey() + ":" + line++);
        }
        for (var e : FakeSecrets.PEM_HEADERS.entrySet()) {
            text.append("-----BEGIN ").append(e.getValue()).append("-----\n").append(FAKE.pemBody(8))
                    .append("-----END ").append(e.getValue()).append("-----\n");
            expected.add("secrets.scan." + e.getKey() + ":" + line);
            line += 10;
        }
        List<SecretScanner.Finding> found = scan("config.txt", text.toString());
        assertThat(found.stream().map(f -> f.rule().findingRule() + ":" + f.line()).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        for (SecretScanner.Finding f : found) {
            if (secrets.containsKey(f.rule().id())) {
                assertThat(f.secret()).as(f.rule().id()).isEqualTo(secrets.get(f.rule().id()));
            }
            assertThat(f.masked()).doesNotContain(f.secret().substring(4));
            assertThat(f.toString()).doesNotContain(f.secret().substring(4));
        }
    }

    @Test
    void contextRulesFindNamesAndSchemesWhereverTheyStart() throws IOException {
        String pw = FAKE.password(20);
        String text = """
                mysql -u root --password=%1$s shop < dump.sql
                svn checkout svn+ssh://deploy:%1$s@svn.acme.io/repo/trunk
                const config = {db: {host: "db", password: "%1$s"}};
                x = 1; y = 2; payments_provider_sandbox_account_primary_api_key = "%1$s"
                """.formatted(pw);
        assertThat(ids(scan("run.sh", text))).isEqualTo(
                "generic-password:1, connection-url-password:2, generic-password:3, generic-secret:4");
    }

    @Test
    void placeholdersDocumentedExamplesAndBadChecksumsAreNotReported() throws IOException {
        String ghp = FAKE.forRule("github-pat");
        String broken = ghp.substring(0, 39) + (ghp.charAt(39) == 'a' ? 'b' : 'a');
        String text = """
                AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
                AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                GITHUB_TOKEN=%s
                GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
                token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
                DB_PASSWORD=${DB_PASSWORD}
                API_SECRET=<your-api-secret>
                SECRET_KEY=your_secret_key_here
                DATABASE_URL=postgres://postgres:postgres@localhost:5432/app
                REDIS_URL=redis://:s3cr3tPassw0rdXyz@localhost:6379
                session_token_id = "123e4567-e89b-12d3-a456-426614174000"
                password_hash = "$2b$12$KIXQJf1nGq0yqN2uYxq8XOeW8Jm4qvY1s3dZC2bQ0aTq7rL6w5Zy."
                webhook = https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
                case "${MVNW_PASSWORD:+has-password}" in
                header = "GITHUB_TOKEN="
                DSN = "postgres://app:p@ss@db.internal.acme.io:6432/app"
                logo = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+AKIA/ghp_%s"
                """.formatted(broken, ghp.substring(4));
        assertThat(scan("settings.env", text)).isEmpty();
    }

    @Test
    void aCrc32TailIsComputedAsGitHubDoes() {
        assertThat(SecretRules.crc32TailMatches(FAKE.forRule("github-pat"))).isTrue();
        assertThat(SecretRules.crc32TailMatches(FAKE.forRule("npm-token"))).isTrue();
        assertThat(SecretRules.crc32TailMatches("ghp_" + "a".repeat(36))).isFalse();
        // CRC32("123456789") is 0xCBF43926, the standard check value; 3421780262 in base62 is 3jvkuq.
        assertThat(SecretRules.base62Crc32("123456789")).isEqualTo(toBase62(0xCBF43926L));
    }

    @Test
    void generatedLookingValuesAreTheOnlyGenericFindings() {
        assertThat(SecretRules.looksGenerated(FAKE.password(20))).isTrue();
        assertThat(SecretRules.looksGenerated("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")).isTrue();
        assertThat(List.of("changeme", "postgres", "${DB_PASSWORD}", "{{ .Values.password }}", "settings.SECRET_KEY", "process.env.JWT_SECRET!",
                "os.environ", "/run/secrets/db_password", "secrets/db.txt", "AccessTokenProvider", "Test1234!",
                "123e4567-e89b-12d3-a456-426614174000", "%(password)s", "#{ENV['X']}", "correct-horse-battery-staple"))
                .noneMatch(SecretRules::looksGenerated);
    }

    /**
     * A megabyte on one line, built to make each rule's pattern work hard: its keyword over and over,
     * its keyword followed by a run of the characters it accepts, and near misses. Patterns that
     * backtrack would take minutes; linear ones take milliseconds.
     */
    @Test
    void noRuleIsCatastrophicOnAMegabyteLine() throws Exception {
        for (SecretRule rule : SecretRules.ALL) {
            String k = rule.keywords().getFirst();
            List<String> lines = List.of(
                    repeat(k, 1 << 20),
                    k + repeat("a", 1 << 20),
                    repeat(k + "=" + "Ab1+/".repeat(8) + " ", 1 << 20),
                    repeat("x" + k + "_-.:@/" + "A1b2".repeat(20), 1 << 20),
                    repeat("a." + k + "-", 1 << 20));
            SecretScanner scanner = new SecretScanner(new SecretScanner.Options(List.of(rule), p -> false, List.of(), 64 << 20, 1));
            Path file = dir.resolve(rule.id() + ".txt");
            Files.writeString(file, String.join("\n", lines));
            long t0 = System.nanoTime();
            SecretScanner.Report r = scanner.scan(RepoTree.walk(dir).filter(f -> f.name().equals(rule.id() + ".txt")),
                    System.nanoTime() + Duration.ofMinutes(1).toNanos());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.finished()).isTrue();
            assertThat(took).as("%s on %d MB of hostile lines", rule.id(), lines.size()).isLessThan(Duration.ofSeconds(3));
            Files.delete(file);
        }
    }

    private static String repeat(String unit, int bytes) {
        return unit.repeat(Math.max(1, bytes / unit.length()));
    }

    private static String toBase62(long v) {
        String digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.insert(0, digits.charAt((int) (v % 62)));
            v /= 62;
        }
        return b.toString();
    }

    private List<SecretScanner.Finding> scan(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
        SecretScanner scanner = new SecretScanner(new SecretScanner.Options(SecretRules.ALL, p -> false, List.of(), 5 << 20, 2));
        try {
            SecretScanner.Report r = scanner.scan(RepoTree.walk(dir).files(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
            return r.findings();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            Files.delete(dir.resolve(name));
        }
    }

    static String ids(List<SecretScanner.Finding> found) {
        return found.stream().map(f -> f.rule().id() + ":" + f.line()).collect(Collectors.joining(", "));
    }
}
