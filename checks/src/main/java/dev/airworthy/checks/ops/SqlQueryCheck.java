package dev.airworthy.checks.ops;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.svc.PostgresCheck;
import dev.airworthy.checks.svc.PostgresCheck.DriverSetup;
import dev.airworthy.checks.svc.PostgresCheck.PgUrl;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

@AutoService(Check.class)
@CheckInfo(
        id = "sql.query",
        title = "SQL query result within bounds",
        category = Category.OPERATIONS,
        severity = Severity.MEDIUM,
        summary = """
                Connects to PostgreSQL with `url` (a JDBC URL, or a libpq `postgres://` / `postgresql://` URL, \
                read as `svc.postgres` reads it), runs `query` in a read-only transaction that is rolled back, \
                and compares the first column of the first row with exactly one of `equals` (numerically when \
                both are numbers, else as text; a boolean reads `true` or `false`), `max` or `min`. Out of bounds \
                fails (`sql.query.equals`, `sql.query.max`, `sql.query.min`); the value is the `value` metric \
                when it is a number. A connection that cannot be made, a query that fails or is cancelled at the \
                deadline, no row, a NULL, or a non-number against `max`/`min` is an error: nothing was measured. \
                Connect, login, socket and query timeouts all come from the item's deadline, so a server that \
                accepts and never answers ends in error before it. The password never appears: the URL is shown \
                with `****`. Only PostgreSQL is supported.""",
        rationale = """
                Many go-live criteria live in the database: the P95 duration of the jobs table under budget, no \
                migrations pending, no rows stuck in a dead-letter table, the replication lag under a minute. \
                A query with a threshold turns each of them from a dashboard someone looks at into a gate.""",
        remediation = """
                Run the query yourself (`psql "$DATABASE_URL" -c '...'`) to see the value and where it comes \
                from, then fix the cause (slow jobs, a stuck queue) rather than the threshold. Use a role that \
                can only read, and take the URL from the environment (`url: "${METRICS_DB_URL}"`). The \
                checklist is trusted: the read-only transaction guards against mistakes, not against a query \
                written to get around it.""",
        example = """
                - id: job-p95
                  title: P95 of the last day's jobs is under 30 s
                  check: sql.query
                  with:
                    url: "postgres://metrics_reader@db.internal:5432/app?sslmode=require"
                    query: >-
                      SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)
                      FROM jobs WHERE finished_at > now() - interval '1 day'
                    max: 30000""",
        references = {"https://www.postgresql.org/docs/current/functions-aggregate.html#FUNCTIONS-ORDEREDSET-TABLE",
            "https://www.postgresql.org/docs/current/sql-set-transaction.html",
            "https://jdbc.postgresql.org/documentation/use/"},
        params = {
            @Param(name = "url", required = true, description = "`jdbc:postgresql://host:port/db?user=...&password=...` or "
                    + "`postgres://user:password@host:port/db`, as for `svc.postgres`. Take it from the environment."),
            @Param(name = "query", required = true, description = "The SQL; the first column of its first row is judged."),
            @Param(name = "equals", description = "The value it must equal (a number or a text)."),
            @Param(name = "max", type = ParamType.NUMBER, description = "The greatest value that passes."),
            @Param(name = "min", type = ParamType.NUMBER, description = "The least value that passes.")
        })
public final class SqlQueryCheck implements Check {
    /** At most this much of the time left is kept back, so the check reports before the runner cuts it off. */
    private static final Duration RESERVE = Duration.ofMillis(500);
    private static final int SHOWN = 200;

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        PgUrl url = PgUrl.parse(p.string("url"));
        Duration left = ctx.remaining();
        Duration budget = left.minus(left.dividedBy(10).compareTo(RESERVE) > 0 ? RESERVE : left.dividedBy(10));
        if (budget.toMillis() < 1) {
            return new Outcome().error("no time left before the deadline");
        }
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget.toSeconds()));
        long end = System.nanoTime() + budget.toNanos();
        Outcome out = new Outcome().evidence("connect " + url.display());
        Row row;
        try (DriverSetup setup = DriverSetup.of(url, seconds, ctx.caFiles())) {
            Connection c;
            try {
                c = new org.postgresql.Driver().connect(url.jdbcUrl(), setup.properties());
            } catch (SQLException e) {
                interrupted();
                return out.error("cannot connect: " + url.scrub(why(e, url, seconds)) + "; url " + url.display());
            }
            if (c == null) {
                throw new IllegalStateException("the PostgreSQL driver did not accept the URL it was given");
            }
            try (c) {
                row = query(c, p.string("query"), end, out);
            } catch (SQLException e) {
                interrupted();
                return out.error("the query failed: " + url.scrub(PostgresCheck.serverMessage(e)) + "; url " + url.display());
            }
        }
        if (row == null) {
            return out.error("the query returned no row");
        }
        out.evidence("< " + (row.value() == null ? "NULL" : shown(row.value())));
        if (row.value() == null) {
            return out.error("the query returned NULL: nothing to compare");
        }
        return compare(p, row.value(), out);
    }

    /**
     * The first row's first column as text, null for SQL NULL; a boolean reads true or false. A
     * floating-point value is rounded to the digits its type holds (15 for double precision), so a
     * percentile computed as 837.4999999999998 reads 837.5.
     */
    private record Row(String value) {
    }

    /** The first row (null when there is none), in a read-only transaction rolled back after. */
    private static Row query(Connection c, String sql, long end, Outcome out) throws SQLException {
        c.setAutoCommit(false);
        c.setReadOnly(true);
        long leftMs = Math.max(1, (end - System.nanoTime()) / 1_000_000);
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, leftMs));
        out.evidence("> " + shown(sql.strip().replaceAll("\\s+", " ")));
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, leftMs / 1000)));
            st.setMaxRows(1);
            try (ResultSet rs = st.executeQuery(sql)) {
                if (!rs.next()) {
                    return null;
                }
                int type = rs.getMetaData().getColumnType(1);
                if (type == Types.BOOLEAN || type == Types.BIT) {
                    boolean b = rs.getBoolean(1);
                    return new Row(rs.wasNull() ? null : String.valueOf(b));
                }
                String text = rs.getString(1);
                int digits = type == Types.DOUBLE || type == Types.FLOAT ? 15 : type == Types.REAL ? 6 : 0;
                BigDecimal number = text == null || digits == 0 ? null : number(text);
                return new Row(number == null ? text : number.round(new MathContext(digits)).stripTrailingZeros().toPlainString());
            }
        } finally {
            try {
                c.rollback();
            } catch (SQLException e) {
                // The connection is closed next; nothing was committed either way.
            }
        }
    }

    private static CheckResult compare(Params p, String text, Outcome out) {
        BigDecimal number = number(text);
        if (number != null) {
            out.metric("value", number.doubleValue());
        }
        if (p.has("equals")) {
            String expected = p.string("equals");
            BigDecimal want = number(expected);
            boolean equal = number != null && want != null ? number.compareTo(want) == 0 : text.equals(expected);
            if (!equal) {
                out.fail("sql.query.equals", "returned " + shown(text) + ", not " + expected);
            }
            return out.result("returned " + shown(text) + ", equal to " + expected);
        }
        boolean max = p.has("max");
        BigDecimal bound = BigDecimal.valueOf(p.number(max ? "max" : "min"));
        String boundText = (max ? "max " : "min ") + bound.stripTrailingZeros().toPlainString();
        if (number == null) {
            return out.error("returned " + shown(text) + ", not a number to compare with " + boundText);
        }
        int c = number.compareTo(bound);
        if (max && c > 0) {
            out.fail("sql.query.max", "returned " + text + ", above " + boundText);
        } else if (!max && c < 0) {
            out.fail("sql.query.min", "returned " + text + ", below " + boundText);
        }
        return out.result("returned " + text + (max ? ", at most " : ", at least ") + boundText);
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Why a connection could not be made, in a few words. */
    private static String why(SQLException e, PgUrl url, int seconds) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return "nothing listens on " + url.where() + " (connection refused)";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer from " + url.where() + " within " + seconds + "s";
            }
            if (t instanceof UnknownHostException) {
                return "cannot resolve the host of " + url.where();
            }
        }
        String m = PostgresCheck.serverMessage(e);
        return m.toLowerCase(Locale.ROOT).contains("timed out") ? "no answer from " + url.where() + " within " + seconds + "s" : m;
    }

    private static void interrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted at its deadline");
        }
    }

    private static String shown(String s) {
        return s.length() > SHOWN ? s.substring(0, SHOWN) + "…" : s;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        try {
            PgUrl.parse(p.string("url"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (sql.query supports PostgreSQL only)");
        }
        if (p.string("query").isBlank()) {
            problems.add("query is empty");
        }
        long bounds = Stream.of("equals", "max", "min").filter(p::has).count();
        if (bounds != 1) {
            problems.add("give exactly one of equals, max and min" + (bounds == 0 ? "" : " (" + bounds + " given)"));
        }
        return problems;
    }
}
