package dev.airworthy.checks.svc;

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
import dev.airworthy.checks.tls.TlsProtocols;
import dev.airworthy.checks.tls.TrustMaterial;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

@AutoService(Check.class)
@CheckInfo(
        id = "svc.redis",
        title = "Redis answers PING",
        category = Category.DEPENDENCIES,
        severity = Severity.HIGH,
        summary = """
                Connects to Redis at `host`:`port` (over TLS when `tls` is true, verifying the certificate \
                and the host name), authenticates with `AUTH` when a `password` is given (`AUTH username \
                password` for a Redis 6+ ACL user when `username` is given too), and sends \
                `PING`. It passes only when the reply is exactly `+PONG`; the round trip is the \
                `ping_ms` metric and the server's `redis_version` (from `INFO server`, when it answers \
                quickly) is in the message. It fails when the host does not resolve, nothing listens, \
                no answer comes before the deadline, the password is rejected (`-WRONGPASS`, \
                `-ERR invalid password`), the server wants a password the item does not give \
                (`-NOAUTH`), the item gives a password the server does not have (said to accept anyone \
                only when a `PING` without `AUTH`, on a new connection, answers `+PONG`: a disabled \
                default user gets the same reply to `AUTH`), the server does not \
                speak TLS while `tls` is true, or any other reply comes (`-LOADING`, `-DENIED`, \
                something that is not Redis): the reply is shown, at most 4 KiB of it read. A TLS \
                certificate airworthy cannot verify (an unknown CA, another host name) is an error: it \
                cannot tell whether the service can. The password is never shown.""",
        rationale = """
                Sessions, rate limits, queues and caches live in Redis; when the service cannot reach \
                it or authenticate, logins and background jobs fail while the health endpoint may still \
                say ok. A port being open is not enough: a Redis that is loading its dataset, runs in \
                protected mode or wants another password refuses every command.""",
        remediation = """
                Give the check the host, port and password the service uses (`password: \
                "${REDIS_PASSWORD}"`, from the environment). `-NOAUTH`: the server requires a \
                password; configure it in the service. `-WRONGPASS`: the password differs from the \
                server's `requirepass` or ACL user. "has no password set": set one on the server \
                (`requirepass` in redis.conf, or `ACL SETUSER default on >secret`): a Redis without \
                one accepts anyone who can reach it. "refused AUTH: ... without any password \
                configured" while `PING` without `AUTH` gets `-NOAUTH`: the default user is disabled; \
                give the ACL user the service logs in as with `username`. `-DENIED`: protected mode; \
                bind to the service network and set a password. `-LOADING`: wait for the dataset to load before sending \
                traffic. For TLS, serve a certificate for the host name the service uses, and pass a \
                private CA with `--ca`.""",
        example = """
                - id: redis
                  title: Redis answers
                  check: svc.redis
                  with: { host: cache.internal, port: 6379, tls: false }
                  timeout: 5s""",
        references = {"https://redis.io/docs/latest/develop/reference/protocol-spec/",
            "https://redis.io/docs/latest/commands/ping/",
            "https://redis.io/docs/latest/operate/oss_and_stack/management/security/"},
        params = {
            @Param(name = "host", required = true, description = "Host name or IP address of the Redis server."),
            @Param(name = "port", type = ParamType.INTEGER, defaultValue = "6379", description = "TCP port (1-65535)."),
            @Param(name = "password", description = "Password sent with `AUTH` before `PING`; take it from the "
                    + "environment, e.g. `\"${REDIS_PASSWORD}\"`. Omit it when the server needs none. Never shown."),
            @Param(name = "username", description = "ACL user (Redis 6+) the service logs in as: the check then sends "
                    + "`AUTH username password`. Needs `password`. Omit it for `requirepass` or the default user."),
            @Param(name = "tls", type = ParamType.BOOLEAN, defaultValue = "false",
                    description = "Connect over TLS 1.2+ and verify the certificate (JDK CAs and `--ca`) and host name.")
        })
public final class RedisCheck implements Check {
    /** The most of one reply the check reads. */
    static final int MAX_REPLY = 4096;
    private static final int SHOWN = 200;
    private static final Duration INFO_BUDGET = Duration.ofSeconds(1);
    private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:([0-9A-Za-z.+-]+)\\r?$");

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String host = Dial.bare(p.string("host"));
        int port = (int) p.integer("port");
        Duration budget = Dial.budget(ctx);
        Target target = new Target(ctx, host, port, p.bool("tls"), p.optionalString("username").orElse(null),
                p.optionalString("password").orElse(null), budget, System.nanoTime() + budget.toNanos());
        Outcome out = new Outcome();
        Socket socket;
        try {
            socket = open(target, out);
        } catch (Stop e) {
            return e.result;
        }
        try (socket) {
            Session session = new Session(socket, target.end(), target.password());
            return converse(target, session, out);
        }
    }

    /** Where and how to connect, and the time the whole check may take. */
    private record Target(CheckContext ctx, String host, int port, boolean tls, String username, String password,
            Duration budget, long end) {
        String where() {
            return Dial.where(host, port);
        }
    }

    /** A connection that could not be set up: {@link #result} says why (a finding, or an error). */
    private static final class Stop extends Exception {
        private final transient CheckResult result;

        Stop(CheckResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /**
     * A connection to the target, over TLS when asked, within what is left of the deadline.
     *
     * @throws Stop after recording in {@code out} why there is none
     */
    private static Socket open(Target t, Outcome out) throws Stop, InterruptedException {
        String where = t.where();
        Dial.Connected connected;
        try {
            connected = Dial.connect(t.host(), t.port(), Duration.ofNanos(Math.max(0, t.end() - System.nanoTime())), out);
        } catch (Dial.Unreachable e) {
            out.fail("svc.redis." + e.reason().rule(), e.getMessage());
            throw new Stop(out.result(""));
        }
        if (!t.tls()) {
            return connected.socket();
        }
        try {
            SSLSocket s = handshake(t.ctx(), connected.socket(), t.host(), t.port(), t.end());
            out.evidence("TLS " + s.getSession().getProtocol() + " " + s.getSession().getCipherSuite()
                    + ", certificate verified for " + t.host());
            return s;
        } catch (SocketTimeoutException e) {
            connected.close();
            out.fail("svc.redis.timeout", "connected to " + where + ", but no answer to the TLS handshake within "
                    + Dial.Numbers.seconds(t.budget()) + " (does the server have TLS enabled?)");
        } catch (SSLException e) {
            connected.close();
            Dial.interruptedBy(e);
            CertificateException certificate = certificateProblem(e);
            if (certificate != null) {
                String reason = certificateReason(certificate);
                throw new Stop(out.error("cannot verify the TLS certificate of " + where + ": " + reason
                        + (reason.contains("matching") ? " (the certificate is for another name)"
                                : " (if it is from a private CA, pass the CA with --ca)")));
            }
            out.fail("svc.redis.tls", "no TLS connection to " + where + ": " + TrustMaterial.rootMessage(e)
                    + " (does the server have TLS enabled on this port?)");
        } catch (IOException e) {
            connected.close();
            Dial.interruptedBy(e);
            out.fail("svc.redis.tls", "no TLS connection to " + where + ": " + TrustMaterial.rootMessage(e)
                    + " (does the server have TLS enabled on this port?)");
        }
        throw new Stop(out.result(""));
    }

    private static CheckResult converse(Target t, Session session, Outcome out) throws InterruptedException {
        String where = t.where();
        String password = t.password();
        String command = password != null ? "AUTH" : "PING";
        try {
            if (password != null) {
                if (t.username() != null) {
                    session.send("AUTH", t.username(), password);
                    out.evidence("> AUTH " + t.username() + " ****");
                } else {
                    session.send("AUTH", password);
                    out.evidence("> AUTH ****");
                }
                Reply r = session.read();
                out.evidence("< " + session.show(r));
                if (!r.is("+OK")) {
                    if (r.text().startsWith("-")) {
                        out.fail("svc.redis.auth", authFailure(t, session.show(r), out));
                    } else {
                        out.fail("svc.redis.reply", where + " answered AUTH with " + describe(session, r) + ", not +OK");
                    }
                    return out.result("");
                }
            }
            command = "PING";
            long t0 = System.nanoTime();
            session.send("PING");
            out.evidence("> PING");
            Reply r = session.read();
            double ms = (System.nanoTime() - t0) / 1e6;
            out.evidence("< " + session.show(r));
            if (!r.is("+PONG")) {
                if (r.text().startsWith("-NOAUTH")) {
                    out.fail("svc.redis.auth", where + " requires a password and the item gives none: " + session.show(r));
                } else if (wrongPassword(r.text())) {
                    out.fail("svc.redis.auth", authFailure(t, session.show(r), out));
                } else {
                    out.fail("svc.redis.reply", where + " answered PING with " + describe(session, r) + ", not +PONG");
                }
                return out.result("");
            }
            out.metric("ping_ms", ms);
            Optional<String> version = version(session, out);
            List<String> notes = new ArrayList<>();
            version.ifPresent(v -> notes.add("Redis " + v));
            if (password != null) {
                notes.add(t.username() == null ? "authenticated" : "authenticated as " + t.username());
            }
            if (t.tls()) {
                notes.add("TLS");
            }
            return out.result("PING → PONG from " + where + " in " + Dial.Numbers.ms(ms) + " ms"
                    + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")"));
        } catch (SocketTimeoutException e) {
            out.fail("svc.redis.timeout", "connected to " + where + ", but no reply to " + command + " within "
                    + Dial.Numbers.seconds(t.budget()));
            return out.result("");
        } catch (IOException e) {
            Dial.interruptedBy(e);
            out.fail("svc.redis.reply", "the connection to " + where + " broke during " + command + ": " + session.scrub(TrustMaterial.rootMessage(e)));
            return out.result("");
        }
    }

    /** The server's version from {@code INFO server}, when it answers within a second; never a reason to fail. */
    private static Optional<String> version(Session session, Outcome out) throws InterruptedException {
        try {
            session.limit(INFO_BUDGET);
            session.send("INFO", "server");
            Reply header = session.read();
            if (!header.complete() || !header.text().matches("\\$\\d{1,9}")) {
                return Optional.empty();
            }
            int length = Integer.parseInt(header.text().substring(1));
            String info = new String(session.readBytes(Math.min(length, MAX_REPLY)), StandardCharsets.UTF_8);
            Matcher m = VERSION.matcher(info);
            if (m.find()) {
                out.evidence("> INFO server");
                out.evidence("< redis_version:" + m.group(1));
                return Optional.of(m.group(1));
            }
            return Optional.empty();
        } catch (IOException e) {
            Dial.interruptedBy(e);
            return Optional.empty();
        }
    }

    private static boolean wrongPassword(String reply) {
        return reply.startsWith("-WRONGPASS") || reply.startsWith("-ERR invalid password")
                || reply.startsWith("-ERR invalid username-password");
    }

    /**
     * What a refused AUTH means. "No password configured" is Redis's answer to a one-argument
     * AUTH whenever the default user has no password, including when that user is disabled and
     * clients must log in as an ACL user: so the server is called open only after a PING without
     * AUTH, on a new connection, answers +PONG.
     */
    private static String authFailure(Target t, String shown, Outcome out) throws InterruptedException {
        String where = t.where();
        if (shown.contains("without any password configured") || shown.contains("no password is set")) {
            Optional<Anonymous> anonymous = anonymousPing(t, out);
            if (anonymous.isPresent() && anonymous.get().pong()) {
                return where + " has no password set, but the item gives one: clients that send AUTH get an error, "
                        + "and the server accepts anyone who can reach it (PING without AUTH answered +PONG): " + shown;
            }
            return where + " refused AUTH: " + shown + anonymous.map(a -> " (the default user may be disabled: if the "
                    + "service logs in as an ACL user, give its username; PING without AUTH answered " + a.shown() + ")")
                    .orElse(" (could not check whether it answers clients that do not authenticate)");
        }
        if (wrongPassword(shown)) {
            return where + " rejected the password: " + shown;
        }
        if (t.username() != null && shown.contains("wrong number of arguments")) {
            return where + " refused AUTH: " + shown + " (Redis before 6 has no ACL users: omit username)";
        }
        return where + " refused AUTH: " + shown;
    }

    /** The reply to a PING that did not authenticate: whether it is exactly +PONG, and as shown. */
    private record Anonymous(boolean pong, String shown) {
    }

    /** The reply to PING on a new connection that does not authenticate; empty when there was none. */
    private static Optional<Anonymous> anonymousPing(Target t, Outcome out) throws InterruptedException {
        Outcome probe = new Outcome();
        Socket socket;
        try {
            socket = open(t, probe);
        } catch (Stop e) {
            out.evidence(e.result.evidence());
            return Optional.empty();
        }
        out.evidence(probe.result("").evidence());
        try (socket) {
            Session session = new Session(socket, t.end(), t.password());
            session.send("PING");
            out.evidence("> PING (a new connection, without AUTH)");
            Reply r = session.read();
            out.evidence("< " + session.show(r));
            return r.complete() || !r.text().isEmpty() ? Optional.of(new Anonymous(r.is("+PONG"), session.show(r)))
                    : Optional.empty();
        } catch (IOException e) {
            Dial.interruptedBy(e);
            out.evidence("no reply to PING without AUTH: " + TrustMaterial.rootMessage(e));
            return Optional.empty();
        }
    }

    private static String describe(Session session, Reply r) {
        if (r.closed() && r.text().isEmpty()) {
            return "nothing (it closed the connection)";
        }
        return session.show(r);
    }

    private static SSLSocket handshake(CheckContext ctx, Socket raw, String host, int port, long end) throws IOException {
        SSLSocket s = (SSLSocket) TrustMaterial.context(ctx.caFiles()).getSocketFactory().createSocket(raw, host, port, true);
        SSLParameters params = s.getSSLParameters();
        params.setProtocols(TlsProtocols.MODERN);
        params.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(params);
        s.setSoTimeout(Session.timeoutMs(end));
        s.startHandshake();
        return s;
    }

    private static CertificateException certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateException c) {
                return c;
            }
        }
        return null;
    }

    /**
     * Why the certificate was refused. With {@code --ca}, the JDK's authorities refuse first and
     * the extra ones' reason (a host name mismatch, say) rides along as a suppressed exception: it
     * is the telling one when it differs.
     */
    private static String certificateReason(CertificateException e) {
        String reason = TrustMaterial.rootMessage(e);
        for (Throwable s : e.getSuppressed()) {
            reason = TrustMaterial.rootMessage(s);
        }
        return reason;
    }

    /** One reply line: its text without CRLF, whether the CRLF came, whether the server closed the connection. */
    record Reply(String text, boolean complete, boolean closed) {
        boolean is(String expected) {
            return complete && text.equals(expected);
        }
    }

    /** A RESP conversation on one socket, every read bounded in size and by the deadline. */
    static final class Session {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String password;
        private long end;

        Session(Socket socket, long end, String password) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), MAX_REPLY);
            this.out = socket.getOutputStream();
            this.end = end;
            this.password = password;
        }

        /** From now on, gives up {@code d} from now, or at the deadline if that is sooner. */
        void limit(Duration d) {
            end = Math.min(end, System.nanoTime() + d.toNanos());
        }

        static int timeoutMs(long end) throws SocketTimeoutException {
            long ms = (end - System.nanoTime()) / 1_000_000;
            if (ms < 1) {
                throw new SocketTimeoutException("deadline reached");
            }
            return (int) Math.min(Integer.MAX_VALUE, ms);
        }

        /** A RESP array of bulk strings, as clients send commands. */
        void send(String... args) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(bytes);
                b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(b.toByteArray());
            out.flush();
        }

        /** One line, up to CRLF; at most {@link #MAX_REPLY} bytes of it. */
        Reply read() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (line.size() < MAX_REPLY) {
                socket.setSoTimeout(timeoutMs(end));
                int c = in.read();
                if (c < 0) {
                    return new Reply(text(line), false, true);
                }
                if (c == '\n' && line.size() > 0 && line.toByteArray()[line.size() - 1] == '\r') {
                    byte[] b = line.toByteArray();
                    return new Reply(new String(b, 0, b.length - 1, StandardCharsets.UTF_8), true, false);
                }
                line.write(c);
            }
            return new Reply(text(line), false, false);
        }

        byte[] readBytes(int n) throws IOException {
            byte[] b = new byte[n];
            int off = 0;
            while (off < n) {
                socket.setSoTimeout(timeoutMs(end));
                int r = in.read(b, off, n - off);
                if (r < 0) {
                    break;
                }
                off += r;
            }
            return off == n ? b : java.util.Arrays.copyOf(b, off);
        }

        private static String text(ByteArrayOutputStream b) {
            return b.toString(StandardCharsets.UTF_8);
        }

        /** A reply as shown in messages and evidence: the password removed, control characters escaped, cut short. */
        String show(Reply r) {
            String t = scrub(r.text());
            StringBuilder sb = new StringBuilder();
            t.codePoints().limit(SHOWN).forEach(cp -> {
                if (cp == '\r') {
                    sb.append("\\r");
                } else if (cp == '\n') {
                    sb.append("\\n");
                } else if (cp == 0xFFFD) {
                    sb.append('?');
                } else if (Character.isISOControl(cp)) {
                    sb.append(String.format("\\x%02x", cp));
                } else {
                    sb.appendCodePoint(cp);
                }
            });
            if (t.codePointCount(0, t.length()) > SHOWN) {
                sb.append('…');
            }
            if (!r.complete() && !r.closed()) {
                sb.append(" (no line end in the first ").append(MAX_REPLY / 1024).append(" KiB)");
            } else if (!r.complete() && !r.text().isEmpty()) {
                sb.append(" (then the connection closed)");
            }
            return sb.toString();
        }

        String scrub(String text) {
            return password == null || password.isEmpty() ? text : text.replace(password, "****");
        }
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(Dial.hostProblems("host", p.string("host")));
        problems.addAll(Dial.portProblems("port", p.integer("port")));
        if (p.optionalString("password").filter(String::isEmpty).isPresent()) {
            problems.add("password is empty; omit it when the server needs none");
        }
        Optional<String> username = p.optionalString("username");
        if (username.filter(String::isEmpty).isPresent()) {
            problems.add("username is empty; omit it to log in as the default user");
        } else if (username.isPresent() && p.optionalString("password").isEmpty()) {
            problems.add("username needs a password (the check sends AUTH username password)");
        }
        return problems;
    }
}
