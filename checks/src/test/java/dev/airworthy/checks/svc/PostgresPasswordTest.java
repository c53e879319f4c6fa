package dev.airworthy.checks.svc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Params;
import dev.airworthy.check.SharedResources;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistException;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checks.fixture.FixtureServer;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import dev.airworthy.run.Runner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password in a PostgreSQL URL never reaches any output: not the message, the evidence, a
 * finding or the exception behind an error, whether the connection passes or fails, and whichever
 * form of URL carries it. The check strips it itself; the runner's masker is a second line.
 */
class PostgresPasswordTest {
    private static final String PASSWORD = "Zq81-hunter-Pw";
    private static final CheckRegistry REGISTRY = CheckRegistry.load();
    private static FixtureServer server;
    private static String closed;
    private static String plain;

    @BeforeAll
    static void listeners() {
        server = FixtureServer.start("""
                tcp:
                  closed: { mode: closed }
                  plain: { mode: reply, reply: "N" }
                """);
        closed = server.env().get("FIXTURE_PORT_CLOSED");
        plain = server.env().get("FIXTURE_PORT_PLAIN");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** URLs carrying the password, and the status each must end with against the loopback PostgreSQL. */
    private static Map<String, Status> urls() {
        Map<String, Status> urls = new LinkedHashMap<>();
        urls.put("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=" + PASSWORD, Status.PASS);
        urls.put("postgres://postgres:" + PASSWORD + "@127.0.0.1:5432/test", Status.PASS);
        urls.put("postgresql://127.0.0.1/test?user=postgres&password=" + PASSWORD, Status.PASS);
        urls.put("jdbc:postgresql://127.0.0.1:5432/airworthy_no_such_db?password=" + PASSWORD + "&user=postgres", Status.FAIL);
        urls.put("postgres://airworthy_no_such_role:" + PASSWORD + "@127.0.0.1:5432/test", Status.FAIL);
        urls.put("postgres://postgres:" + PASSWORD + "@127.0.0.1:" + closed + "/test", Status.FAIL);
        urls.put("jdbc:postgresql://no-such-host.invalid:5432/test?user=postgres&password=" + PASSWORD, Status.FAIL);
        urls.put("postgres://postgres:" + PASSWORD + "@127.0.0.1:" + plain + "/test?sslmode=require", Status.FAIL);
        return urls;
    }

    @Test
    void theCheckItselfNeverShowsThePassword() throws Exception {
        for (var e : urls().entrySet()) {
            CheckResult r = new PostgresCheck().run(context(e.getKey()));
            assertThat(r.status()).as("%s: %s", e.getKey(), r.message()).isEqualTo(e.getValue());
            assertThat(texts(r.message(), r.evidence(), r.findings())).as("output for %s", e.getKey())
                    .noneMatch(t -> t.contains(PASSWORD));
        }
    }

    @Test
    void noReportOfARunShowsThePassword(@TempDir Path repo) throws Exception {
        StringBuilder yaml = new StringBuilder("airworthy: 1\nsections:\n  - title: Dependencies\n    items:\n");
        int n = 0;
        for (String url : urls().keySet()) {
            yaml.append("      - { id: db").append(n++).append(", check: svc.postgres, with: { url: \"").append(url).append("\" } }\n");
        }
        Checklist checklist = new ChecklistLoader(REGISTRY, Map.of()).load("pw.yml", yaml.toString(), repo);
        RunResult run = new Runner(REGISTRY, Clock.systemUTC()).run(checklist, RunOptions.defaults().withRepo(repo), Progress.NONE);
        List<Status> expected = List.copyOf(urls().values());
        for (int i = 0; i < run.items().size(); i++) {
            ItemResult r = run.items().get(i);
            assertThat(r.status()).as("%s: %s", r.item().id(), r.message()).isEqualTo(expected.get(i));
            List<String> texts = texts(r.message(), r.evidence(), r.findings());
            if (r.trace() != null) {
                texts.add(r.trace());
            }
            assertThat(texts).as("output of %s", r.item().id()).noneMatch(t -> t.contains(PASSWORD));
        }
    }

    @Test
    void aMalformedUrlIsRejectedWithoutQuotingIt() {
        List<String> malformed = List.of(
                "postgres://postgres:" + PASSWORD + "/x@127.0.0.1:5432/test",   // a raw '/' in the password
                "postgres://postgres:" + PASSWORD + "%zz@127.0.0.1/test",      // a bad escape in it
                "postgres://postgres:" + PASSWORD + "@127.0.0.1:54x32/test",
                "jdbc:postgresql://postgres:" + PASSWORD + "@127.0.0.1:5432/test",
                "jdbc:postgresql:" + PASSWORD,
                "mysql://root:" + PASSWORD + "@127.0.0.1/test");
        for (String url : malformed) {
            List<String> problems = new PostgresCheck().validate(new Params(Map.of("url", url)));
            assertThat(problems).as("problems with %s", url).isNotEmpty().noneMatch(p -> p.contains(PASSWORD));
        }
    }

    /**
     * A password with an unencoded {@code &} is cut there, and what follows looks like another
     * query parameter: no piece of it may reach the display of the URL, a message, the evidence,
     * a finding or a checklist error. Without '=' the URL is rejected; with '=' the piece is a name
     * the driver does not use, which is neither passed on nor shown.
     */
    @Test
    void aPasswordCutByAnUnencodedAmpersandLeaksNoPiece(@TempDir Path repo) throws Exception {
        List<String> pieces = List.of("Xy7", "q9Zk", "Zk!mP", "Wv42");
        List<String> rejected = List.of(
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=Xy7&q9Zk!mP",
                "postgres://127.0.0.1:5432/test?user=postgres&password=Xy7&q9Zk!mP",
                "postgresql://postgres:Xy7@127.0.0.1/test?sslmode=disable&q9Zk!mP");
        for (String url : rejected) {
            List<String> problems = new PostgresCheck().validate(new Params(Map.of("url", url)));
            assertThat(problems).as("problems with %s", url).isNotEmpty()
                    .allMatch(p -> p.contains("percent-encode & in the password as %26"))
                    .noneMatch(p -> pieces.stream().anyMatch(p::contains));
            assertThatThrownBy(() -> new PostgresCheck().run(context(url))).as("run of %s", url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(pieces).noneMatch(e.getMessage()::contains));
        }
        StringBuilder yaml = new StringBuilder("airworthy: 1\nsections:\n  - title: Dependencies\n    items:\n");
        for (int i = 0; i < rejected.size(); i++) {
            yaml.append("      - { id: db").append(i).append(", check: svc.postgres, with: { url: \"").append(rejected.get(i))
                    .append("\" } }\n");
        }
        ChecklistException e = catchThrowableOfType(ChecklistException.class,
                () -> new ChecklistLoader(REGISTRY, Map.of()).load("pw.yml", yaml.toString(), repo));
        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(rejected.size()).map(Object::toString)
                .noneMatch(p -> pieces.stream().anyMatch(p::contains));

        // With '=', the piece reads as a parameter nobody uses: not passed on, not shown.
        List<String> ignored = List.of(
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=Xy7&q9Zk=Wv42",
                "postgresql://postgres@127.0.0.1/test?password=Xy7&q9Zk=Wv42&sslmode=disable");
        for (String url : ignored) {
            assertThat(new PostgresCheck().validate(new Params(Map.of("url", url)))).as("problems with %s", url).isEmpty();
            PostgresCheck.PgUrl parsed = PostgresCheck.PgUrl.parse(url);
            assertThat(parsed.display()).as("display of %s", url).doesNotContain("q9Zk").doesNotContain("Wv42");
            assertThat(parsed.properties(5).stringPropertyNames()).doesNotContain("q9Zk");
            CheckResult r = new PostgresCheck().run(context(url));
            assertThat(r.status()).as("%s: %s", url, r.message()).isEqualTo(Status.PASS);
            assertThat(r.evidence()).anyMatch(l -> l.contains("ignored 1 query parameter"));
            assertThat(texts(r.message(), r.evidence(), r.findings())).as("output for %s", url)
                    .noneMatch(t -> pieces.stream().anyMatch(t::contains));
        }
    }

    @Test
    void parsesBothFormsAsTheirClientsDo() {
        PostgresCheck.PgUrl j = PostgresCheck.PgUrl.parse(
                "jdbc:postgresql://db1:5433,[::1]/app+db?user=app&password=a%2Bb+c&sslmode=verify-full&ApplicationName=x");
        assertThat(j.hosts()).extracting(Object::toString).containsExactly("db1:5433", "[::1]:5432");
        assertThat(j.database()).isEqualTo("app db");
        assertThat(j.user()).isEqualTo("app");
        assertThat(j.password()).isEqualTo("a+b c");
        assertThat(j.params()).containsExactly(Map.entry("sslmode", "verify-full"), Map.entry("ApplicationName", "x"));
        assertThat(j.display()).isEqualTo("jdbc:postgresql://db1:5433,[::1]:5432/app db?user=app&password=****"
                + "&sslmode=verify-full&ApplicationName=x");
        assertThat(j.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5433,[::1]:5432/app%20db");

        PostgresCheck.PgUrl l = PostgresCheck.PgUrl.parse(
                "postgresql://us%40r:p%40ss+w%3Ard@db.internal/my%2Fdb?sslmode=require&target_session_attrs=read-write&connect_timeout=60");
        assertThat(l.hosts()).extracting(Object::toString).containsExactly("db.internal:5432");
        assertThat(l.user()).isEqualTo("us@r");
        assertThat(l.password()).isEqualTo("p@ss+w:rd");
        assertThat(l.database()).isEqualTo("my/db");
        assertThat(l.params()).containsExactly(Map.entry("sslmode", "require"), Map.entry("targetServerType", "primary"));
        assertThat(l.display()).isEqualTo("postgresql://us@r:****@db.internal:5432/my/db?sslmode=require&targetServerType=primary");
        assertThat(l.properties(7)).containsEntry("password", "p@ss+w:rd").containsEntry("connectTimeout", "7")
                .containsEntry("socketTimeout", "7").containsEntry("loginTimeout", "7").containsEntry("sslmode", "require");

        PostgresCheck.PgUrl raw = PostgresCheck.PgUrl.parse("postgres://app:p@ss@10.0.0.5:6432");
        assertThat(raw.password()).as("an unencoded @ in the password").isEqualTo("p@ss");
        assertThat(raw.hosts()).extracting(Object::toString).containsExactly("10.0.0.5:6432");
        assertThat(raw.database()).isEmpty();

        PostgresCheck.PgUrl q = PostgresCheck.PgUrl.parse("postgres:///app?host=db.internal&port=6432&user=app&password=x%26y");
        assertThat(q.hosts()).extracting(Object::toString).containsExactly("db.internal:6432");
        assertThat(q.user()).isEqualTo("app");
        assertThat(q.password()).isEqualTo("x&y");
        assertThat(q.toString()).doesNotContain("x&y");

        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("postgres:///app")).hasMessageContaining("no host");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("postgres://app@/app?host=/var/run/postgresql"))
                .hasMessageContaining("Unix-domain socket");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("jdbc:postgresql://db:5432")).hasMessageContaining("'/' after the host");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("postgres://db:0/app")).hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("postgres://db/app?target_session_attrs=whatever"))
                .hasMessageContaining("target_session_attrs");
        assertThat(PostgresCheck.PgUrl.parse("postgres://db/app?channel_binding=require&gssencmode=disable").params())
                .containsOnly(Map.entry("channelBinding", "require"), Map.entry("gssEncMode", "disable"));
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("postgres://db/app?require_auth=scram-sha-256"))
                .hasMessageContaining("require_auth is not supported");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("jdbc:postgresql://db/app?sslmode=on"))
                .hasMessageContaining("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full");

        PostgresCheck.PgUrl prisma = PostgresCheck.PgUrl.parse("postgresql://app@db/app?schema=public&sslmode=require&connection_limit=5");
        assertThat(prisma.params()).as("names neither libpq nor the driver uses").containsOnly(Map.entry("sslmode", "require"));
        assertThat(prisma.ignored()).isEqualTo(2);
        assertThat(prisma.display()).isEqualTo("postgresql://app@db:5432/app?sslmode=require");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("postgres://db/app?sslmode=require&hostaddr=10.0.0.9"))
                .hasMessageStartingWith("url query parameter 2 is a libpq setting the PostgreSQL JDBC driver does not support");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("postgres://db/app?SSLMODE=require"))
                .hasMessageStartingWith("url query parameter 1 differs from a setting only in case");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("jdbc:postgresql://db/app?user=a&password=b&user=c"))
                .hasMessageStartingWith("url query parameter 3 repeats an earlier one");
        assertThatThrownBy(() -> PostgresCheck.PgUrl.parse("jdbc:postgresql://db/app?ssl&user=a"))
                .hasMessage("url query parameter 1 has no '=' (write name=value; percent-encode & in the password as %26)");
    }

    private static CheckContext context(String url) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        return new CheckContext("db", new Params(Map.of("url", url)), null, Path.of(".").toAbsolutePath(),
                Path.of(".").toAbsolutePath(), deadline, Clock.systemUTC(), new SharedResources(), List.of());
    }

    static List<String> texts(String message, List<String> evidence, List<Finding> findings) {
        List<String> texts = new ArrayList<>();
        texts.add(message);
        texts.addAll(evidence);
        findings.forEach(f -> texts.add(f.message()));
        return texts;
    }
}
