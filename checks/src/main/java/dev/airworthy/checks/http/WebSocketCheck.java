package dev.airworthy.checks.http;

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
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@AutoService(Check.class)
@CheckInfo(
        id = "http.websocket",
        title = "WebSocket handshake",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Opens a connection to `path` (TLS for an https target) and sends an RFC 6455 opening \
                handshake: `Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Version: 13` and a \
                random `Sec-WebSocket-Key`, plus the `headers` given. Passes on `101 Switching Protocols` \
                with `Upgrade: websocket`, `Connection: Upgrade` and the `Sec-WebSocket-Accept` value the \
                key calls for, choosing a subprotocol if `headers` offered some and nothing the client did \
                not offer; then sends a close frame. Only the handshake is checked: no messages are \
                exchanged. Fails on a 101 that a browser would reject (wrong or missing accept value, \
                missing upgrade headers, a subprotocol or extension not negotiated as offered), on 400 or \
                426 (the upgrade was refused) and on any other answer (no WebSocket there). A 401, 403, \
                407 or 429 is an error: the request was turned away before the upgrade could be judged; so \
                is no answer by the item's deadline.""",
        rationale = """
                Live features (chat, notifications, collaborative editing, socket.io) depend on the \
                upgrade getting through every hop. The classic go-live failure is a reverse proxy or load \
                balancer that drops the hop-by-hop `Upgrade` and `Connection` headers: plain HTTP works, \
                every WebSocket fails, and clients fall back to polling or break.""",
        remediation = """
                Let the upgrade through every proxy in front of the service. nginx:

                ```nginx
                location /ws/ {
                    proxy_pass http://app;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection "upgrade";
                    proxy_read_timeout 1h;
                }
                ```

                A 101 with a wrong `Sec-WebSocket-Accept` means something between the client and the \
                application rewrites the handshake: find the hop and let it pass the headers unchanged. \
                If the endpoint needs credentials or checks the Origin, give them in `headers`.""",
        example = """
                - id: websocket
                  title: Live updates connect
                  check: http.websocket
                  with: { path: "/socket.io/?EIO=4&transport=websocket", headers: { Origin: "https://app.example.com" } }""",
        references = {"https://www.rfc-editor.org/rfc/rfc6455#section-4",
            "https://nginx.org/en/docs/http/websocket.html",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Protocol_upgrade_mechanism"},
        params = {
            @Param(name = "path", required = true,
                    description = "Path of the WebSocket endpoint, with its query if it needs one (e.g. `/socket.io/?EIO=4&transport=websocket`), or an absolute http(s) or ws(s) URL."),
            @Param(name = "headers", type = ParamType.MAP,
                    description = "Extra request headers, e.g. `{ Origin: \"https://app.example.com\", Authorization: \"Bearer ${API_TOKEN}\" }` (masked in every report).")
        })
public final class WebSocketCheck implements Check {
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Set<String> RESERVED = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "content-length", "transfer-encoding");
    private static final Set<Integer> TURNED_AWAY = Set.of(401, 403, 407, 429);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String path = p.string("path");
        Map<String, Object> headers = p.map("headers");
        URI uri = HttpProbe.resolve(ctx.requireUrl(), wsToHttp(path));
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        Outcome out = new Outcome();
        out.evidence("> GET " + uri + " (Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13, Sec-WebSocket-Key: "
                + key + (headers.isEmpty() ? "" : ", and " + String.join(", ", headers.keySet())) + ")");

        try (RawHttp.Connection c = RawHttp.open(ctx, uri)) {
            String request = "GET " + RawHttp.target(uri) + " HTTP/1.1\r\n"
                    + "Host: " + RawHttp.hostHeader(uri) + "\r\n"
                    + "User-Agent: " + HttpProbe.USER_AGENT + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + RawHttp.fields(headers)
                    + "\r\n";
            long start = System.nanoTime();
            OutputStream os = c.socket().getOutputStream();
            os.write(request.getBytes(StandardCharsets.ISO_8859_1));
            os.flush();
            RawHttp.Head head;
            try {
                head = RawHttp.readHead(c.socket().getInputStream(), s -> { });
            } catch (java.net.SocketTimeoutException e) {
                return out.error("no answer to the upgrade request at " + path + " before the item's deadline");
            } catch (IOException e) {
                return out.error("no answer to the upgrade request at " + path + ": " + RawHttp.describe(e));
            }
            double ms = (System.nanoTime() - start) / 1e6;
            out.metric("handshake_ms", ms);
            out.evidence(head.evidence("Upgrade", "Connection", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
                    "Sec-WebSocket-Extensions", "Location", "WWW-Authenticate"));
            if (!head.complete()) {
                return out.error("the response head was cut off (" + head.cutOff() + "): cannot judge the handshake");
            }
            int status = head.status();
            if (status == 101) {
                judgeSwitch(head, key, headers, out);
                if (!out.hasFindings()) {
                    closeFrame(os);
                }
                return out.result("WebSocket handshake at " + path + " completed: 101 with a valid Sec-WebSocket-Accept in "
                        + Math.round(ms) + " ms");
            }
            if (TURNED_AWAY.contains(status)) {
                return out.error(path + " answered " + status + " to the upgrade request: turned away before the WebSocket "
                        + "could be judged; if it needs credentials or an allowed Origin, give them with headers");
            }
            if (status == 400 || status == 426) {
                out.fail("http.websocket.refused", path + " answered " + status + ": the server refused the upgrade, "
                        + "often a reverse proxy that does not pass it on (nginx needs proxy_http_version 1.1 and "
                        + "proxy_set_header Upgrade/Connection)");
            } else {
                String where = head.header("Location").map(l -> " (redirect to " + l + "; browsers do not follow redirects for WebSockets)").orElse("");
                out.fail("http.websocket.no-upgrade", "no WebSocket at " + path + ": answered " + status + where);
            }
            return out.result("");
        }
    }

    /** A 101 must carry what a browser checks (RFC 6455 section 4.1, the client's steps 1-6). */
    private static void judgeSwitch(RawHttp.Head head, String key, Map<String, Object> sent, Outcome out) {
        boolean upgrade = head.headerValues("Upgrade").stream().anyMatch(v -> tokens(v).contains("websocket"));
        boolean connection = head.headerValues("Connection").stream().anyMatch(v -> tokens(v).contains("upgrade"));
        if (!upgrade) {
            out.fail("http.websocket.headers", "answered 101 without Upgrade: websocket"
                    + head.header("Upgrade").map(v -> " (Upgrade: " + v + ")").orElse("") + "; browsers abort the connection");
        }
        if (!connection) {
            out.fail("http.websocket.headers", "answered 101 without Connection: Upgrade; browsers abort the connection");
        }
        String expected = accept(key);
        Optional<String> got = head.header("Sec-WebSocket-Accept");
        if (got.isEmpty()) {
            out.fail("http.websocket.accept", "answered 101 without Sec-WebSocket-Accept: a proxy or server is mangling the handshake");
        } else if (!got.get().strip().equals(expected)) {
            out.fail("http.websocket.accept", "answered 101 with Sec-WebSocket-Accept '" + got.get().strip() + "', expected '"
                    + expected + "': a proxy or server is mangling the handshake");
        }
        List<String> offered = offered(sent, "Sec-WebSocket-Protocol");
        if (!offered.isEmpty() && head.headerValues("Sec-WebSocket-Protocol").isEmpty()) {
            out.fail("http.websocket.negotiation", "answered 101 without choosing one of the subprotocols offered ("
                    + String.join(", ", offered) + "); browsers abort the connection");
        }
        for (String v : head.headerValues("Sec-WebSocket-Protocol")) {
            if (!offered.contains(v.strip().toLowerCase(Locale.ROOT))) {
                out.fail("http.websocket.negotiation", "answered 101 with subprotocol '" + v.strip()
                        + "', which the client did not offer; browsers abort the connection");
            }
        }
        List<String> extensions = offered(sent, "Sec-WebSocket-Extensions").stream().map(e -> e.split(";")[0].strip()).toList();
        for (String v : head.headerValues("Sec-WebSocket-Extensions")) {
            for (String ext : v.split(",")) {
                String name = ext.split(";")[0].strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !extensions.contains(name)) {
                    out.fail("http.websocket.negotiation", "answered 101 with extension '" + name
                            + "', which the client did not offer; browsers abort the connection");
                }
            }
        }
    }

    /** The comma-separated values the request offered in a header, lower-cased. */
    private static List<String> offered(Map<String, Object> sent, String name) {
        List<String> out = new ArrayList<>();
        sent.forEach((k, v) -> {
            if (k.equalsIgnoreCase(name) && v != null) {
                Arrays.stream(String.valueOf(v).split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                        .filter(s -> !s.isEmpty()).forEach(out::add);
            }
        });
        return out;
    }

    private static List<String> tokens(String headerValue) {
        return Arrays.stream(headerValue.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
    }

    /** base64(SHA-1(key + GUID)), RFC 6455 section 4.2.2. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    /** A masked close frame with status 1000 (normal closure); best effort, the connection closes anyway. */
    private static void closeFrame(OutputStream os) {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        byte[] payload = {0x03, (byte) 0xE8};
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x88;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        try {
            os.write(frame);
            os.flush();
        } catch (IOException ignored) {
            // the handshake is what was checked; a failed goodbye changes nothing
        }
    }

    /** {@code ws://} and {@code wss://} URLs as the http(s) URLs their handshake goes to. */
    static String wsToHttp(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ws://")) {
            return "http://" + path.substring(5);
        }
        if (lower.startsWith("wss://")) {
            return "https://" + path.substring(6);
        }
        return path;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", wsToHttp(p.string("path"))));
        problems.addAll(RawHttp.headerProblems(p.map("headers"), RESERVED));
        return problems;
    }
}
