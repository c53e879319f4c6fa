package dev.airworthy.checks.svc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Params;
import dev.airworthy.check.SharedResources;
import dev.airworthy.check.Status;
import dev.airworthy.checks.fixture.FixtureServer;
import dev.airworthy.checks.fixture.TestCertificates;
import dev.airworthy.checks.tls.TrustMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CAs given with {@code --ca} reach the driver: it verifies against {@code sslrootcert} only
 * (by default {@code ~/.postgresql/root.crt}), so they are written to a temporary bundle, named
 * there when the URL verifies certificates and names no file itself, and deleted after the check.
 */
class PostgresCaTest {

    @Test
    void verifyFullWithCaFilesNamesABundleOfThemAndDeletesItAfterwards(@TempDir Path dir) throws Exception {
        Path first = TestCertificates.get().caPem();
        Path second = dir.resolve("second.pem");
        Files.writeString(second, Files.readString(first));
        PostgresCheck.PgUrl url = PostgresCheck.PgUrl.parse("postgres://app@db.internal/app?sslmode=verify-full");
        Path bundle;
        try (PostgresCheck.DriverSetup setup = PostgresCheck.DriverSetup.of(url, 7, List.of(first, second))) {
            Properties p = setup.properties();
            assertThat(p.getProperty("sslmode")).isEqualTo("verify-full");
            assertThat(p.getProperty("sslrootcert")).isNotNull();
            bundle = Path.of(p.getProperty("sslrootcert"));
            assertThat(bundle).exists();
            assertThat(TrustMaterial.readPem(bundle)).containsExactly(TestCertificates.get().ca(), TestCertificates.get().ca());
            if (!System.getProperty("os.name").startsWith("Windows")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle))).isEqualTo("rw-------");
            }
            assertThat(p.getProperty("connectTimeout")).isEqualTo("7");
        }
        assertThat(bundle).doesNotExist();
    }

    @Test
    void onlyAUrlThatVerifiesAndNamesNoCaGetsTheBundle() throws Exception {
        List<Path> ca = List.of(TestCertificates.get().caPem());
        Map<String, Boolean> urls = Map.of(
                "postgres://app@db/app?sslmode=verify-ca", true,
                "jdbc:postgresql://db/app?ssl=true", true,
                "jdbc:postgresql://db/app?ssl=", true,
                "postgres://app@db/app?sslmode=require", false,
                "postgres://app@db/app", false,
                "jdbc:postgresql://db/app?ssl=false", false);
        for (var e : urls.entrySet()) {
            try (PostgresCheck.DriverSetup setup = PostgresCheck.DriverSetup.of(PostgresCheck.PgUrl.parse(e.getKey()), 5, ca)) {
                assertThat(setup.properties().containsKey("sslrootcert")).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        try (PostgresCheck.DriverSetup setup = PostgresCheck.DriverSetup.of(
                PostgresCheck.PgUrl.parse("postgres://app@db/app?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem"), 5, ca)) {
            assertThat(setup.properties().getProperty("sslrootcert")).as("the URL's own CA file").isEqualTo("/etc/ssl/db-ca.pem");
        }
        try (PostgresCheck.DriverSetup setup = PostgresCheck.DriverSetup.of(
                PostgresCheck.PgUrl.parse("postgres://app@db/app?sslmode=verify-full"), 5, List.of())) {
            assertThat(setup.properties()).as("no --ca").doesNotContainKey("sslrootcert");
        }
    }

    @Test
    void aCaFileThatIsNotACertificateIsAnError(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "not a certificate");
        PostgresCheck.PgUrl url = PostgresCheck.PgUrl.parse("postgres://app@db/app?sslmode=verify-full");
        assertThatThrownBy(() -> PostgresCheck.DriverSetup.of(url, 5, List.of(junk))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("junk.pem");
    }

    /** The whole check leaves no bundle behind, whether it passes or fails. */
    @Test
    void theCheckDeletesTheBundle() throws Exception {
        try (FixtureServer server = FixtureServer.start("tcp:\n  plain: { mode: reply, reply: \"N\" }\n")) {
            List<Path> before = bundles();
            String url = "postgres://postgres@127.0.0.1:" + server.env().get("FIXTURE_PORT_PLAIN") + "/test?sslmode=verify-full";
            CheckContext ctx = new CheckContext("db", new Params(Map.of("url", url)), null, Path.of(".").toAbsolutePath(),
                    Path.of(".").toAbsolutePath(), Instant.now().plus(Duration.ofSeconds(10)), Clock.systemUTC(),
                    new SharedResources(), List.of(TestCertificates.get().caPem()));
            CheckResult r = new PostgresCheck().run(ctx);
            assertThat(r.status()).as(r.message()).isEqualTo(Status.FAIL);
            assertThat(r.message()).contains("The server does not support SSL");
            assertThat(bundles()).isEqualTo(before);
        }
    }

    private static List<Path> bundles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("airworthy-ca-")).sorted().toList();
        }
    }
}
