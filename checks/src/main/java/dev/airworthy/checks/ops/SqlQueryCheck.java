package dev.airworthy.checks.ops;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.svc.PostgresCheck;
import dev.airworthy.checks.svc.PostgresCheck.DriverSetup;
import dev.airworthy.checks.svc.PostgresCheck.PgUrl;
import java.math.BigDecimal;
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
import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

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
                both are numbers, else as text; a boolean reads `true` or `false`), `max` or `min`. Numbers are \
                compared exactly, as decimals: the value as PostgreSQL writes it (a `real` or `double \
                precision` in its shortest exact form, `0.30000000000000004` for `0.1 + 0.2`, never rounded), \
                the bound as the checklist gives it: an integer exactly at any size, a number with a fraction \
                as YAML reads it, a double (about 16 significant digits: quote a bound that needs more, \
                `min: "0.10000000000000001"`, and it is read as written). Out of bounds fails (`sql.query.equals`, `sql.query.max`, `sql.query.min`); the \
                value is the `value` metric when it is a number. The query must be one statement: text \
                after a `;` (outside quotes and comments, read as the PostgreSQL driver reads it) is a \
                checklist error, and is refused again before the query is sent. A connection that cannot be \
                made, a query that fails or is cancelled at the deadline, no row, a NULL, or a non-number \
                against `max`/`min` is an error: nothing was measured. \
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
            @Param(name = "query", required = true, description = "One SQL statement; the first column of its first row is "
                    + "judged."),
            @Param(name = "equals", description = "The value it must equal (a number or a text)."),
            @Param(name = "max", description = "The greatest value that passes: a number, compared exactly."),
            @Param(name = "min", description = "The least value that passes: a number, compared exactly.")
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
                // Read as this server's driver reads it: one statement, or nothing is sent.
                String extra = extraStatement(p.string("query"), c.unwrap(BaseConnection.class).getStandardConformingStrings());
                if (extra != null) {
                    return out.error(extra);
                }
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
     * The first row's first column as PostgreSQL writes it, null for SQL NULL; a boolean reads true
     * or false. A floating-point value is its shortest exact form (the driver asks for it), never
     * rounded: 837.4999999999998 is below 837.5.
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
                return new Row(rs.getString(1));
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
        BigDecimal bound = number(p.string(max ? "max" : "min"));
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

    /**
     * Why {@code sql} is more than one statement ("one query only: ..."), or null. Split as the
     * PostgreSQL driver splits it (quotes, dollar quotes, comments), so a statement this finds is one
     * the driver would send: {@code commit; delete ...} would end the read-only transaction first.
     */
    static String extraStatement(String sql, boolean standardConformingStrings) {
        List<NativeQuery> statements;
        try {
            statements = Parser.parseJdbcSql(sql, standardConformingStrings, false, true, false, false);
        } catch (SQLException e) {
            return null; // the server will say what is wrong with it
        }
        long real = statements.stream().filter(q -> !onlyComments(q.nativeSql)).count();
        return real <= 1 ? null : "one query only: the query holds " + real + " statements separated by ';' (a second "
                + "statement could end the read-only transaction and write)";
    }

    /** A statement the driver splits off that holds nothing but whitespace and comments: it runs nothing. */
    private static boolean onlyComments(String sql) {
        char[] c = sql.toCharArray();
        int i = 0;
        while (i < c.length) {
            if (Character.isWhitespace(c[i])) {
                i++;
            } else if (c[i] == '-' && i + 1 < c.length && c[i + 1] == '-') {
                i = Parser.parseLineComment(c, i) + 1;
            } else if (c[i] == '/' && i + 1 < c.length && c[i + 1] == '*') {
                i = Parser.parseBlockComment(c, i) + 1;
            } else {
                return false;
            }
        }
        return true;
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
        for (String bound : List.of("max", "min")) {
            p.optionalString(bound).filter(t -> number(t) == null).ifPresent(t -> problems.add(bound + " '" + t + "' is not a number"));
        }
        if (!p.string("query").isBlank()) {
            String extra = extraStatement(p.string("query"), true);
            if (extra != null) {
                problems.add(extra);
            }
        }
        return problems;
    }
}
