package dev.airworthy.checks.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Status;
import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.run.ItemResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sql.query against the real PostgreSQL on 127.0.0.1:5432: a job-metrics table made for the test,
 * the read-only transaction, the deadline, and the password kept out of every output.
 */
class SqlQueryTest {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String TABLE = "airworthy_sql_query_jobs_" + ProcessHandle.current().pid();
    private static final String PASSWORD = "Sq1-Query-Pw-4711";

    @TempDir
    Path dir;

    @BeforeAll
    static void jobs() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + TABLE + " (id serial PRIMARY KEY, duration_ms integer, finished_at timestamptz)");
            // 1..100 ms: the 95th percentile (continuous) is 95.05.
            st.execute("INSERT INTO " + TABLE + " (duration_ms, finished_at) SELECT n, now() FROM generate_series(1, 100) n");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private ItemResult run(String url, String query, String bound) throws Exception {
        return run(url, query, bound, "10s");
    }

    private ItemResult run(String url, String query, String bound, String timeout) throws Exception {
        return OpsRun.one(dir, dir, Clock.systemUTC(), "- { id: q, check: sql.query, timeout: " + timeout
                + ", with: { url: \"" + url + "\", query: \"" + query + "\", " + bound + " } }");
    }

    private static long count() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theP95OfAJobsTableAgainstABudget() throws Exception {
        String p95 = "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FROM " + TABLE;
        ItemResult under = run("postgres://postgres@127.0.0.1:5432/test", p95, "max: 100");
        assertThat(under.status()).as(under.message()).isEqualTo(Status.PASS);
        assertThat(under.message()).isEqualTo("returned 95.05, at most max 100");
        assertThat(under.metrics()).containsEntry("value", 95.05);
        ItemResult over = run("postgresql://127.0.0.1/test?user=postgres", p95, "max: 90");
        assertThat(over.status()).isEqualTo(Status.FAIL);
        assertThat(over.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("sql.query.max");
            assertThat(f.message()).isEqualTo("returned 95.05, above max 90");
        });
    }

    @Test
    void theQueryCannotWriteAndWhatItTriesIsRolledBack() throws Exception {
        ItemResult r = run("postgres://postgres@127.0.0.1:5432/test",
                "WITH gone AS (DELETE FROM " + TABLE + " RETURNING 1) SELECT count(*) FROM gone", "equals: 0");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("the query failed: ERROR: cannot execute").contains("in a read-only transaction");
        assertThat(count()).isEqualTo(100);
    }

    /** A query still running at the deadline is cancelled, and the item ends in error with the server's word, not the runner's. */
    @Test
    void aSlowQueryIsCancelledBeforeTheDeadline() throws Exception {
        long t0 = System.nanoTime();
        ItemResult r = run("postgres://postgres@127.0.0.1:5432/test", "SELECT 1 FROM pg_sleep(20)", "equals: 1", "2s");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("the query failed: ERROR: canceling statement due to user request");
        assertThat(ms).isLessThan(2500);
    }

    @Test
    void thePasswordNeverAppears() throws Exception {
        List<ItemResult> results = new ArrayList<>();
        results.add(run("postgres://postgres:" + PASSWORD + "@127.0.0.1:5432/test", "SELECT 1", "equals: 1"));
        results.add(run("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=" + PASSWORD, "SELECT 2", "equals: 1"));
        results.add(run("postgres://postgres:" + PASSWORD + "@127.0.0.1:5432/test", "SELECT nope", "equals: 1"));
        results.add(run("postgres://postgres:" + PASSWORD + "@127.0.0.1:1/test", "SELECT 1", "equals: 1"));
        results.add(run("postgres://postgres:" + PASSWORD + "@127.0.0.1:5432/airworthy_no_such_db", "SELECT 1", "equals: 1"));
        assertThat(results).extracting(ItemResult::status)
                .containsExactly(Status.PASS, Status.FAIL, Status.ERROR, Status.ERROR, Status.ERROR);
        for (ItemResult r : results) {
            List<String> texts = new ArrayList<>(r.evidence());
            texts.add(r.message());
            r.findings().forEach(f -> texts.add(f.message()));
            if (r.trace() != null) {
                texts.add(r.trace());
            }
            assertThat(texts).as("output of %s", r.message()).noneMatch(t -> t.contains(PASSWORD));
        }
        assertThat(results.get(0).evidence()).contains("connect postgres://postgres:****@127.0.0.1:5432/test");
        assertThat(results.get(4).message()).contains("database \"airworthy_no_such_db\" does not exist");
    }

    /** No rounding on either side: a bound above 2^53, a real, a double's last digits. */
    @Test
    void numbersAreComparedExactly() throws Exception {
        String url = "postgres://postgres@127.0.0.1:5432/test";
        ItemResult big = run(url, "SELECT 9007199254740996::bigint", "max: 9007199254740995");
        assertThat(big.status()).as(big.message()).isEqualTo(Status.FAIL);
        assertThat(big.message()).isEqualTo("returned 9007199254740996, above max 9007199254740995");
        ItemResult real = run(url, "SELECT 500.0004::real", "max: 500");
        assertThat(real.status()).as(real.message()).isEqualTo(Status.FAIL);
        assertThat(real.message()).isEqualTo("returned 500.0004, above max 500");
        ItemResult sum = run(url, "SELECT 0.1::float8 + 0.2::float8", "max: 0.3");
        assertThat(sum.message()).isEqualTo("returned 0.30000000000000004, above max 0.3");
        ItemResult equal = run(url, "SELECT 0.1::float8 + 0.2::float8", "equals: 0.3");
        assertThat(equal.status()).isEqualTo(Status.FAIL);
        assertThat(run(url, "SELECT 0.3::numeric", "min: 0.3").status()).isEqualTo(Status.PASS);
        ItemResult quoted = run(url, "SELECT 0.1::numeric", "min: '0.10000000000000001'");
        assertThat(quoted.message()).isEqualTo("returned 0.1, below min 0.10000000000000001");
    }

    /** commit; delete ... would end the read-only transaction and delete: refused when the checklist loads, and before sending. */
    @Test
    void oneStatementOnly() throws Exception {
        assertThat(Checklists.messages("- { id: a, check: sql.query, with: { url: \"postgres://postgres@127.0.0.1:5432/test\", "
                + "query: \"commit; delete from " + TABLE + "\", max: 5 } }")).containsExactly("item 'a': one query only: the query "
                + "holds 2 statements separated by ';' (a second statement could end the read-only transaction and write)");
        assertThat(count()).isEqualTo(100);
        assertThat(SqlQueryCheck.extraStatement("COMMIT; DELETE FROM t", true)).startsWith("one query only");
        assertThat(SqlQueryCheck.extraStatement("SELECT 1; /* c */ SELECT 2", true)).startsWith("one query only");
        for (String single : List.of("SELECT ';'", "SELECT 1;", "SELECT 1; -- ; DELETE FROM t", "SELECT $$a;b$$",
                "SELECT \"a;b\" FROM t", "SELECT 1 /* ; DELETE FROM t */", "SELECT E'\\';'")) {
            assertThat(SqlQueryCheck.extraStatement(single, true)).as(single).isNull();
        }
        ItemResult trailing = run("postgres://postgres@127.0.0.1:5432/test", "SELECT count(*) FROM " + TABLE + ";", "equals: 100");
        assertThat(trailing.status()).as(trailing.message()).isEqualTo(Status.PASS);
    }

    @Test
    void boundsAreNumbersReadAsWritten() {
        assertThat(Checklists.messages("""
                - { id: b, check: sql.query, with: { url: "postgres://db/app", query: "SELECT 1", min: lots } }
                - { id: c, check: sql.query, with: { url: "postgres://db/app", query: "SELECT 1", max: 123456789012345678901 } }
                - { id: d, check: sql.query, with: { url: "postgres://db/app", query: "SELECT 1", max: "1e400x" } }
                """)).containsExactly("item 'b': min 'lots' is not a number", "item 'd': max '1e400x' is not a number");
    }

    @Test
    void rejectsParametersThatCannotWork() {
        assertThat(Checklists.messages("""
                - { id: a, check: sql.query, with: { url: "postgres://db/app", query: "SELECT 1" } }
                - { id: b, check: sql.query, with: { url: "postgres://db/app", query: " ", max: 1, min: 0 } }
                - { id: c, check: sql.query, with: { url: "mysql://root@db/app", query: "SELECT 1", equals: 1 } }
                """)).containsExactly(
                "item 'a': give exactly one of equals, max and min",
                "item 'b': query is empty",
                "item 'b': give exactly one of equals, max and min (2 given)",
                "item 'c': url must be jdbc:postgresql://host:port/database?user=...&password=... or "
                        + "postgres://user:password@host:port/database (sql.query supports PostgreSQL only)");
    }
}
