package dev.airworthy.checks.svc;

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
import dev.airworthy.checks.tls.TrustMaterial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.PGProperty;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

@AutoService(Check.class)
@CheckInfo(
        id = "svc.postgres",
        title = "PostgreSQL accepts connections",
        category = Category.DEPENDENCIES,
        severity = Severity.CRITICAL,
        summary = """
                Connects to PostgreSQL with the PostgreSQL JDBC driver, using the `url` the service uses \
                (a JDBC URL or a libpq `postgres://` URL; query parameters such as `sslmode` are passed \
                on), logs in, and runs `SELECT 1` and `SHOW server_version`. It passes when both answer \
                (`SELECT 1` must return 1); the message and evidence carry the server version, and the \
                time to connect and log in is the `connect_ms` metric. It fails when the host does not \
                resolve, nothing listens, no answer comes before the deadline, authentication fails \
                (the server's message is shown), the database does not exist, the server refuses the \
                connection for another reason (too many clients, starting up, no TLS while `sslmode` \
                requires it, not PostgreSQL at all), or a query fails. With `sslmode=verify-ca` or \
                `verify-full`, the certificate is verified against the URL's `sslrootcert`, else against \
                the CAs given with `--ca` (written to a temporary file, deleted after the check); one \
                the driver cannot verify is an error: airworthy cannot tell whether the service can. The password is never shown: the URL appears with `****` in \
                its place. Query parameters the driver (or, in a libpq URL, libpq) does not use, such \
                as Prisma's `schema`, are ignored and not shown; a parameter without `=`, or one given \
                twice, is a checklist error: a password with an unencoded `&` would be cut there, so \
                percent-encode `&` in a password as `%26`.""",
        rationale = """
                A service whose database URL, password, network route or TLS settings are wrong starts, \
                passes a shallow health check, and fails its first real request. Connecting with the \
                same URL and running a query before go-live catches a database that was never created, \
                a password that was rotated on one side only, a security group that was never opened \
                and a server that is out of connection slots.""",
        remediation = """
                Read the message: it is the server's own when it refused. "password authentication \
                failed": the password differs from the role's (`ALTER ROLE app PASSWORD '...'`). \
                "no pg_hba.conf entry": allow the service's network in `pg_hba.conf`, e.g. \
                `hostssl app app 10.0.0.0/16 scram-sha-256`, then reload. "database ... does not exist": \
                create it or fix the name. "nothing listens": check `listen_addresses` and `port` in \
                postgresql.conf. "no answer within": a firewall drops the packets. "too many clients": \
                raise `max_connections` or put PgBouncer in front. Take the URL from the environment \
                (`url: "${DATABASE_URL}"`) so the password stays out of the checklist.""",
        example = """
                - id: database
                  title: The database accepts the service's connections
                  check: svc.postgres
                  with: { url: "postgres://app@db.internal:5432/app?sslmode=require" }
                  timeout: 10s""",
        references = {"https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
            "https://jdbc.postgresql.org/documentation/use/",
            "https://www.postgresql.org/docs/current/auth-pg-hba-conf.html",
            "https://www.postgresql.org/docs/current/errcodes-appendix.html"},
        params = {
            @Param(name = "url", required = true, description = "`jdbc:postgresql://host:port/db?user=...&password=...` or "
                    + "`postgres://user:password@host:port/db?sslmode=...` (also `postgresql://`; port 5432 by default; "
                    + "user and password percent-encoded). Take it from the environment, e.g. `\"${DATABASE_URL}\"`. "
                    + "The item's deadline replaces the driver's timeouts (connectTimeout, socketTimeout, loginTimeout, "
                    + "connect_timeout).")
        })
public final class PostgresCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        PgUrl url = PgUrl.parse(ctx.params().string("url"));
        Duration budget = Dial.budget(ctx);
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget.toSeconds()));
        Outcome out = new Outcome();
        if (url.ignored() > 0) {
            out.evidence("ignored " + url.ignored() + " query parameter" + (url.ignored() == 1 ? "" : "s")
                    + " the PostgreSQL JDBC driver does not use (not shown: with an unencoded &, one may be part of a password)");
        }
        try (DriverSetup setup = DriverSetup.of(url, seconds, ctx.caFiles())) {
            return connect(url, setup.properties(), budget, seconds, out);
        }
    }

    private static CheckResult connect(PgUrl url, Properties properties, Duration budget, int seconds, Outcome out)
            throws InterruptedException, SQLException {
        String shown = url.display();
        long t0 = System.nanoTime();
        Connection c;
        try {
            c = new org.postgresql.Driver().connect(url.jdbcUrl(), properties);
        } catch (SQLException e) {
            Dial.interrupted();
            double ms = (System.nanoTime() - t0) / 1e6;
            out.evidence("connect " + shown + " → failed after " + Dial.Numbers.ms(ms) + " ms: " + url.scrub(oneLine(e)));
            return failure(url, e, Duration.ofSeconds(seconds), out);
        }
        if (c == null) {
            throw new IllegalStateException("the PostgreSQL driver did not accept the URL it was given");
        }
        try (c) {
            double ms = (System.nanoTime() - t0) / 1e6;
            out.metric("connect_ms", ms);
            out.evidence("connect " + shown + " → connected in " + Dial.Numbers.ms(ms) + " ms");
            String version;
            try (Statement st = c.createStatement()) {
                // The queries get what is left of the budget, not the login's timeout again.
                long left = budget.toMillis() - (System.nanoTime() - t0) / 1_000_000;
                c.setNetworkTimeout(Runnable::run, (int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
                out.evidence("> SELECT 1");
                String one = single(st, "SELECT 1");
                out.evidence("< " + one);
                if (!"1".equals(one)) {
                    out.fail("svc.postgres.query", "SELECT 1 returned " + one + ", not 1" + url.at());
                    return out.result("");
                }
                out.evidence("> SHOW server_version");
                version = single(st, "SHOW server_version");
                out.evidence("< " + version);
            } catch (SQLException e) {
                Dial.interrupted();
                out.evidence("query failed: " + url.scrub(oneLine(e)));
                out.fail("svc.postgres.query", "connected, but a query failed: " + url.scrub(serverMessage(e)) + url.at());
                return out.result("");
            }
            return out.result("connected to " + shown + " in " + Dial.Numbers.ms(ms) + " ms; PostgreSQL " + version);
        }
    }

    /** The driver's properties for a URL, and the temporary CA bundle they name, if any (deleted on close). */
    public record DriverSetup(Properties properties, Path caBundle) implements AutoCloseable {
        /**
         * The properties for {@code url}. The driver verifies a certificate against
         * {@code sslrootcert} only ({@code ~/.postgresql/root.crt} by default), not the JDK's or
         * {@code --ca}'s authorities: so when the URL verifies certificates and names no CA file,
         * the {@code --ca} certificates are written to an owner-only temporary file named there.
         *
         * @throws IllegalArgumentException when a {@code --ca} file holds no certificate
         */
        public static DriverSetup of(PgUrl url, int timeoutSeconds, List<Path> caFiles) throws IOException {
            Properties p = url.properties(timeoutSeconds);
            if (caFiles.isEmpty() || p.containsKey("sslrootcert") || !url.verifiesCertificates()) {
                return new DriverSetup(p, null);
            }
            StringBuilder pem = new StringBuilder();
            Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
            for (Path file : caFiles) {
                for (X509Certificate c : TrustMaterial.readPem(file)) {
                    try {
                        pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(c.getEncoded()))
                                .append("\n-----END CERTIFICATE-----\n");
                    } catch (CertificateEncodingException e) {
                        throw new IllegalArgumentException(file + ": a certificate in it cannot be encoded (" + e.getMessage() + ")");
                    }
                }
            }
            Path bundle = Files.createTempFile("airworthy-ca-", ".pem");
            try {
                try {
                    Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: the temporary directory's own protection applies.
                }
                Files.writeString(bundle, pem, StandardCharsets.US_ASCII);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(bundle);
                throw e;
            }
            p.setProperty("sslrootcert", bundle.toString());
            return new DriverSetup(p, bundle);
        }

        @Override
        public void close() throws IOException {
            if (caBundle != null) {
                Files.deleteIfExists(caBundle);
            }
        }
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return "no row";
            }
            String v = rs.getString(1);
            return v == null ? "NULL" : v;
        }
    }

    /** What a failed connection attempt means. */
    private static CheckResult failure(PgUrl url, SQLException e, Duration timeout, Outcome out) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = url.where();
        String server = url.scrub(serverMessage(e)).replaceAll("\\.$", "");
        if (state.startsWith("28") || state.equals("08004") && server.toLowerCase(Locale.ROOT).contains("password")) {
            out.fail("svc.postgres.auth", "authentication failed: " + server + url.at());
        } else if (state.equals("3D000")) {
            out.fail("svc.postgres.database", server + url.at());
        } else if (has(e, UnknownHostException.class)) {
            out.fail("svc.postgres.unresolved", "cannot resolve host " + url.hostNames() + url.at());
        } else if (has(e, ConnectException.class)) {
            out.fail("svc.postgres.refused", "nothing listens on " + where + " (connection refused)" + url.at());
        } else if (has(e, SocketTimeoutException.class) || server.contains("timed out")) {
            out.fail("svc.postgres.timeout", "no answer from " + where + " within " + Dial.Numbers.seconds(timeout)
                    + " (a firewall dropping packets, the host down, or not a PostgreSQL server)" + url.at());
        } else if (has(e, NoRouteToHostException.class)) {
            out.fail("svc.postgres.unreachable", "cannot reach " + where + ": no route to host" + url.at());
        } else if (has(e, CertificateException.class) || server.contains("root certificate")) {
            // The driver's trust store (sslrootcert, ~/.postgresql/root.crt) is not the service's:
            // an unverifiable certificate says nothing about whether the service can connect.
            return out.error("cannot verify the TLS certificate of " + where + ": " + server
                    + " (pass its CA with --ca, or give sslrootcert=/path/to/ca.pem in the URL)" + url.at());
        } else {
            out.fail("svc.postgres.connect", "cannot connect: " + server + url.at());
        }
        return out.result("");
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The server's own words when it sent an error ({@code FATAL: ...}), else the driver's. */
    public static String serverMessage(SQLException e) {
        String text;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            text = (m.getSeverity() == null ? "" : m.getSeverity() + ": ") + m.getMessage()
                    + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")");
        } else {
            text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String oneLine(SQLException e) {
        return (e.getSQLState() == null ? "" : "[" + e.getSQLState() + "] ") + serverMessage(e);
    }

    @Override
    public List<String> validate(Params p) {
        try {
            PgUrl.parse(p.string("url"));
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * A PostgreSQL connection URL taken apart. The password goes to the driver as a property,
     * never inside a URL, and {@link #display()} shows {@code ****} in its place.
     */
    public record PgUrl(String scheme, List<HostPort> hosts, String database, String user, String password,
            Map<String, String> params, int ignored) {

        static final int DEFAULT_PORT = 5432;
        private static final Map<String, String> LIBPQ_NAMES = Map.of("application_name", "ApplicationName",
                "channel_binding", "channelBinding", "gssencmode", "gssEncMode", "sslnegotiation", "sslNegotiation");
        private static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
        /** The settings the driver knows, less those it derives from the URL itself. */
        private static final Set<String> DRIVER_NAMES = Arrays.stream(PGProperty.values()).map(PGProperty::getName)
                .filter(n -> !List.of("PGDBNAME", "PGHOST", "PGPORT").contains(n))
                .collect(Collectors.toUnmodifiableSet());
        /** libpq keywords the libpq form translates or rejects itself. */
        private static final Set<String> LIBPQ_HANDLED = Set.of("host", "port", "user", "password", "dbname",
                "target_session_attrs", "connect_timeout", "require_auth", "application_name", "channel_binding",
                "gssencmode", "sslnegotiation");
        /** libpq keywords the driver has no equivalent for, and that change where or how securely it connects. */
        private static final List<String> LIBPQ_UNSUPPORTED = List.of("hostaddr", "passfile", "sslcrl", "sslcrldir",
                "sslcertmode", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version");
        private static final String AMPERSAND = "percent-encode & in the password as %26";
        private static final String JDBC = "jdbc:postgresql://";
        private static final String FORMS = "url must be jdbc:postgresql://host:port/database?user=...&password=... "
                + "or postgres://user:password@host:port/database";

        record HostPort(String host, int port) {
            @Override
            public String toString() {
                return Dial.where(host, port);
            }
        }

        /**
         * Parses either form. Messages never quote the URL or a piece of it: a misplaced character
         * could make part of a password look like a host or a port.
         *
         * @throws IllegalArgumentException with a message fit for a checklist error
         */
        public static PgUrl parse(String url) {
            String u = url.strip();
            if (u.startsWith(JDBC)) {
                return jdbc(u.substring(JDBC.length()));
            }
            for (String scheme : List.of("postgresql://", "postgres://")) {
                if (u.startsWith(scheme)) {
                    return libpq(scheme, u.substring(scheme.length()));
                }
            }
            if (u.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("url must name the host: jdbc:postgresql://host:port/database");
            }
            throw new IllegalArgumentException(FORMS);
        }

        /** {@code jdbc:postgresql://host[:port][,host[:port]]/[database][?key=value&...]}, decoded as the driver does. */
        private static PgUrl jdbc(String rest) {
            int q = rest.indexOf('?');
            String main = q < 0 ? rest : rest.substring(0, q);
            int slash = main.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("url needs a '/' after the host, then the database: "
                        + "jdbc:postgresql://host:5432/database");
            }
            String authority = main.substring(0, slash);
            if (authority.contains("@")) {
                throw new IllegalArgumentException("a JDBC url takes the user and password as query parameters "
                        + "(?user=...&password=...), not before the host");
            }
            List<HostPort> hosts = hosts(authority, false);
            String database = formDecode(main.substring(slash + 1), "database name");
            Query query = query(q < 0 ? "" : rest.substring(q + 1), true);
            Map<String, String> params = query.params();
            String user = params.remove("user");
            String password = params.remove("password");
            return new PgUrl("jdbc:postgresql://", hosts, database, user, password, sslMode(params), query.ignored());
        }

        /** {@code postgres[ql]://[user[:password]@][host[:port][,...]][/database][?key=value&...]}, as libpq reads it. */
        private static PgUrl libpq(String scheme, String rest) {
            int q = rest.indexOf('?');
            String main = q < 0 ? rest : rest.substring(0, q);
            int slash = main.indexOf('/');
            String authority = slash < 0 ? main : main.substring(0, slash);
            String path = slash < 0 ? "" : main.substring(slash + 1);
            String user = null;
            String password = null;
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userinfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int colon = userinfo.indexOf(':');
                user = percentDecode(colon < 0 ? userinfo : userinfo.substring(0, colon), "user");
                password = colon < 0 ? null : percentDecode(userinfo.substring(colon + 1), "password");
                if (user.isEmpty()) {
                    user = null;
                }
            }
            Query query = query(q < 0 ? "" : rest.substring(q + 1), false);
            Map<String, String> params = query.params();
            List<HostPort> hosts;
            String qHost = params.remove("host");
            String qPort = params.remove("port");
            if (qHost != null) {
                List<String> names = List.of(qHost.split(",", -1));
                List<String> ports = qPort == null ? List.of() : List.of(qPort.split(",", -1));
                hosts = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    String port = ports.isEmpty() ? "" : ports.get(ports.size() == 1 ? 0 : Math.min(i, ports.size() - 1));
                    hosts.add(new HostPort(hostName(names.get(i)), port(port)));
                }
            } else {
                hosts = hosts(authority, true);
                if (qPort != null) {
                    int port = port(qPort);
                    hosts = hosts.stream().map(h -> new HostPort(h.host(), port)).toList();
                }
            }
            String database = percentDecode(path, "database name");
            String qUser = params.remove("user");
            String qPassword = params.remove("password");
            String qDatabase = params.remove("dbname");
            user = qUser != null ? qUser : user;
            password = qPassword != null ? qPassword : password;
            database = qDatabase != null ? qDatabase : database;
            String tsa = params.remove("target_session_attrs");
            if (tsa != null) {
                params.put("targetServerType", switch (tsa) {
                    case "any" -> "any";
                    case "read-write", "primary" -> "primary";
                    case "read-only", "standby" -> "secondary";
                    case "prefer-standby" -> "preferSecondary";
                    default -> throw new IllegalArgumentException("target_session_attrs must be any, read-write, "
                            + "read-only, primary, standby or prefer-standby");
                });
            }
            // libpq spellings of what the driver calls otherwise; it ignores names it does not know,
            // which would silently drop a requirement such as channel_binding=require.
            LIBPQ_NAMES.forEach((libpq, jdbc) -> {
                String v = params.remove(libpq);
                if (v != null) {
                    params.put(jdbc, v);
                }
            });
            if (params.containsKey("require_auth")) {
                throw new IllegalArgumentException("require_auth is not supported by the JDBC driver airworthy uses; "
                        + "remove it (the check would otherwise accept any authentication method)");
            }
            params.remove("connect_timeout");
            return new PgUrl(scheme, hosts, database, user, password, sslMode(params), query.ignored());
        }

        /** An sslmode the driver would reject at connect time is a checklist error now. */
        private static Map<String, String> sslMode(Map<String, String> params) {
            String mode = params.get("sslmode");
            if (mode != null && !SSL_MODES.contains(mode)) {
                throw new IllegalArgumentException("sslmode must be one of " + String.join(", ", SSL_MODES));
            }
            return params;
        }

        private static List<HostPort> hosts(String authority, boolean decode) {
            List<HostPort> hosts = new ArrayList<>();
            for (String spec : authority.split(",", -1)) {
                String host;
                String port = "";
                if (spec.startsWith("[")) {
                    int close = spec.indexOf(']');
                    if (close < 0) {
                        throw new IllegalArgumentException("url has an IPv6 address without its closing ']'");
                    }
                    host = spec.substring(1, close);
                    String after = spec.substring(close + 1);
                    if (!after.isEmpty() && !after.startsWith(":")) {
                        throw new IllegalArgumentException("url has text after an IPv6 address that is not a port");
                    }
                    port = after.isEmpty() ? "" : after.substring(1);
                } else {
                    int colon = spec.lastIndexOf(':');
                    host = colon < 0 ? spec : spec.substring(0, colon);
                    port = colon < 0 ? "" : spec.substring(colon + 1);
                    if (decode) {
                        host = percentDecode(host, "host");
                    }
                }
                hosts.add(new HostPort(hostName(host), port(port)));
            }
            return List.copyOf(hosts);
        }

        private static String hostName(String host) {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("url has no host (Unix-domain sockets are not supported; "
                        + "give a host name or IP address)");
            }
            if (host.startsWith("/")) {
                throw new IllegalArgumentException("url names a Unix-domain socket, which is not supported; "
                        + "give a host name or IP address");
            }
            if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@' || c == '?')) {
                throw new IllegalArgumentException("url has a host with characters a host name cannot have "
                        + "(percent-encode special characters in the password: @ as %40, / as %2F, ? as %3F)");
            }
            return host;
        }

        private static int port(String port) {
            if (port.isEmpty()) {
                return DEFAULT_PORT;
            }
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("url has a port that is not a number from 1 to 65535 "
                        + "(percent-encode special characters in the password: @ as %40, / as %2F, : as %3A)");
            }
            return Integer.parseInt(port);
        }

        /** The query parameters kept, and how many were left out because neither the driver nor libpq uses them. */
        private record Query(Map<String, String> params, int ignored) {
        }

        /**
         * The query's {@code name=value} pairs, keeping only names the driver (or, in the libpq
         * form, libpq) uses. A password with an unencoded {@code &} is cut there and its rest reads
         * as another pair: so no message quotes a name or value (they say "query parameter 2"), a
         * pair without '=' is rejected, and a name nobody uses is dropped: never passed on, never
         * shown, only counted.
         */
        private static Query query(String query, boolean jdbc) {
            Map<String, String> params = new LinkedHashMap<>();
            int ignored = 0;
            int n = 0;
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                n++;
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("url query parameter " + n + " has no '=' (write name=value; "
                            + AMPERSAND + ")");
                }
                String key = jdbc ? pair.substring(0, eq) : percentDecode(pair.substring(0, eq), "query parameter");
                String raw = pair.substring(eq + 1);
                String value = jdbc ? formDecode(raw, "query parameter") : percentDecode(raw, "query parameter");
                boolean known = DRIVER_NAMES.contains(key) || !jdbc && LIBPQ_HANDLED.contains(key);
                if (!known) {
                    if (!jdbc && LIBPQ_UNSUPPORTED.contains(key)) {
                        throw new IllegalArgumentException("url query parameter " + n + " is a libpq setting the PostgreSQL "
                                + "JDBC driver does not support (" + String.join(", ", LIBPQ_UNSUPPORTED) + "): remove it ("
                                + AMPERSAND + " if it is part of one)");
                    }
                    if (!jdbc && anyEqualsIgnoreCase(key)) {
                        throw new IllegalArgumentException("url query parameter " + n + " differs from a setting only in "
                                + "case (names are case-sensitive: sslmode, not SSLMODE; " + AMPERSAND + " if it is part of one)");
                    }
                    ignored++;
                    continue;
                }
                if (params.putIfAbsent(key, value) != null) {
                    throw new IllegalArgumentException("url query parameter " + n + " repeats an earlier one (give each "
                            + "setting once; " + AMPERSAND + " if it is part of one)");
                }
            }
            return new Query(params, ignored);
        }

        private static boolean anyEqualsIgnoreCase(String key) {
            return Stream.of(DRIVER_NAMES, LIBPQ_HANDLED, LIBPQ_UNSUPPORTED).flatMap(Collection::stream)
                    .anyMatch(key::equalsIgnoreCase);
        }

        /** libpq's decoding: {@code %XX} only; a {@code +} stays a plus. */
        static String percentDecode(String s, String what) {
            if (s.indexOf('%') < 0) {
                return s;
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%') {
                    if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                        throw new IllegalArgumentException("url has a malformed percent escape in the " + what
                                + " (write % itself as %25)");
                    }
                    b.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                    i += 2;
                } else {
                    b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        /** The JDBC driver's decoding of URL parts: {@code %XX}, and {@code +} as a space. */
        private static String formDecode(String s, String what) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url has a malformed percent escape in a " + what + " (write % itself as %25)");
            }
        }

        /** The URL handed to the driver: hosts and database only; everything else goes as properties. */
        public String jdbcUrl() {
            return JDBC + hosts.stream().map(HostPort::toString).collect(Collectors.joining(",")) + "/"
                    + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        }

        /** Whether the driver will verify the server's certificate: sslmode verify-ca or verify-full, or ssl without sslmode. */
        boolean verifiesCertificates() {
            String mode = params.get("sslmode");
            if (mode != null) {
                return mode.startsWith("verify-");
            }
            String ssl = params.get("ssl");
            return ssl != null && (ssl.isEmpty() || ssl.equalsIgnoreCase("true"));
        }

        Properties properties(int timeoutSeconds) {
            Properties p = new Properties();
            p.setProperty("ApplicationName", "airworthy");
            params.forEach(p::setProperty);
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            // The item's deadline bounds every step, whatever the URL says.
            String t = String.valueOf(timeoutSeconds);
            p.setProperty("connectTimeout", t);
            p.setProperty("socketTimeout", t);
            p.setProperty("loginTimeout", t);
            return p;
        }

        /**
         * {@code "; url "} and the display form, to end a message with: nothing may follow the URL,
         * since the runner's masker takes everything up to a space after {@code password=} as the secret.
         */
        String at() {
            return "; url " + display();
        }

        /** The hosts and ports, as {@code host:port[,host:port]}. */
        public String where() {
            return hosts.stream().map(HostPort::toString).collect(Collectors.joining(","));
        }

        String hostNames() {
            return hosts.stream().map(HostPort::host).distinct().collect(Collectors.joining(", "));
        }

        /** The URL as the item gave it, in its own form, with {@code ****} for the password. */
        public String display() {
            StringBuilder sb = new StringBuilder(scheme);
            boolean jdbc = scheme.startsWith("jdbc:");
            Map<String, String> shown = new LinkedHashMap<>();
            if (jdbc) {
                if (user != null) {
                    shown.put("user", user);
                }
                if (password != null) {
                    shown.put("password", "****");
                }
            } else if (user != null || password != null) {
                sb.append(user == null ? "" : user).append(password == null ? "" : ":****").append('@');
            }
            params.forEach((k, v) -> shown.put(k, secretName(k) ? "****" : v));
            sb.append(where()).append('/').append(database);
            if (!shown.isEmpty()) {
                sb.append('?').append(shown.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("&")));
            }
            return scrub(sb.toString());
        }

        private static boolean secretName(String key) {
            String k = key.toLowerCase(Locale.ROOT);
            return k.contains("password") || k.contains("secret") || k.contains("token");
        }

        /** {@code text} with the password replaced by {@code ****}, in case a server or driver message repeats it. */
        public String scrub(String text) {
            return password == null || password.length() < 4 ? text : text.replace(password, "****");
        }

        @Override
        public String toString() {
            return display();
        }
    }
}
