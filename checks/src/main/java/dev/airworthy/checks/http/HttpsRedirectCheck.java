package dev.airworthy.checks.http;

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
import java.io.IOException;
import java.net.ConnectException;
import java.net.IDN;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "http.https-redirect",
        title = "HTTP redirects to HTTPS",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Requests `from` (by default the target URL when it is plain HTTP, else \
                `http://<target host>/`) without following redirects. Passes on a 301 or 308 whose \
                `Location` (resolved against `from`) is `https://` on the same host, or on the same \
                host with or without a leading `www.` (the port may differ). Warns on a 302, 303 or 307 \
                to such a URL (temporary redirects are not cached, and the HSTS preload list wants a \
                permanent one), and when nothing listens for plain HTTP (connection refused). Fails on a \
                redirect to another host or to plain HTTP, on content served over plain HTTP (2xx), and \
                on any other answer that is not a redirect. The `Location` is read as browsers read it: \
                characters outside the URI grammar (`|`, `{`, spaces, non-ASCII) are percent-encoded and \
                an internationalized host is converted to its ASCII form; a Location unparsable even so \
                fails as no redirect. Other connection problems are errors.""",
        rationale = """
                People type bare domains, follow old `http://` links and bookmarks. If port 80 serves \
                the site instead of redirecting, those visits stay unencrypted; if it redirects to the \
                wrong place, they can be sent anywhere. A permanent redirect to HTTPS on the same host \
                is also the first requirement of HSTS preloading.""",
        remediation = """
                Answer every plain-HTTP request with a permanent redirect to the same host over HTTPS, \
                e.g. in nginx:

                ```nginx
                server {
                    listen 80;
                    server_name example.com www.example.com;
                    return 301 https://$host$request_uri;
                }
                ```

                Then add `Strict-Transport-Security` on the HTTPS side (see `http.hsts`), so browsers \
                stop trying plain HTTP at all.""",
        example = """
                - id: https-redirect
                  title: Plain HTTP redirects to HTTPS
                  check: http.https-redirect
                  with: { from: "http://example.com/" }""",
        references = {"https://datatracker.ietf.org/doc/html/rfc9110#section-15.4",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Redirections",
            "https://hstspreload.org/#submission-requirements",
            "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html"},
        params = {
            @Param(name = "from", description = "Plain-HTTP URL to request. Default: the target URL when it is "
                    + "`http://`, else `http://<target host>/` (port 80).")
        })
public final class HttpsRedirectCheck implements Check {
    private static final String RULE = "http.https-redirect.";

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        URI from = ctx.params().optionalString("from").map(URI::create).orElseGet(() -> defaultFrom(ctx.requireUrl()));
        Outcome out = new Outcome();
        Exchange x;
        try {
            x = HttpProbe.of(ctx).send(ctx, "GET", from, Map.of(), null, HttpProbe.HEADERS_ONLY);
        } catch (IOException e) {
            int port = from.getPort() < 0 ? 80 : from.getPort();
            if (has(e, UnresolvedAddressException.class)) {
                throw new IOException("GET " + from + ": cannot resolve the host " + from.getHost(), e);
            }
            if (!has(e, ConnectException.class)) {
                throw e;
            }
            Optional<String> problem = connectProblem(from.getHost(), port, ctx.remaining());
            if (problem.isEmpty()) {
                throw e;
            }
            if (!problem.get().toLowerCase(Locale.ROOT).contains("refused")) {
                throw new IOException("GET " + from + ": cannot connect to " + from.getHost() + ":" + port + " (" + problem.get() + ")", e);
            }
            out.evidence("GET " + from + " → connection refused");
            out.warn(RULE + "not-listening", "nothing listens for plain HTTP on " + from.getHost() + ":" + port
                    + "; visitors who type the bare domain get no redirect; fine if HSTS preload covers the domain");
            return out.result("");
        }
        out.evidence(x.evidence("Location"));
        int status = x.status();
        if (status >= 200 && status < 300) {
            out.fail(RULE + "plain-http", from + " answered " + status + " over plain HTTP: content served unencrypted instead of a redirect to HTTPS");
            return out.result("");
        }
        Optional<String> location = x.header("Location").map(String::strip).filter(l -> !l.isEmpty());
        boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        if (!redirect || location.isEmpty()) {
            out.fail(RULE + "no-redirect", from + " answered " + status
                    + (redirect ? " without a Location" : ", not a redirect") + ": plain-HTTP visitors are not sent to HTTPS");
            return out.result("");
        }
        URI to;
        try {
            URI base = from.getRawPath() == null || from.getRawPath().isEmpty() ? from.resolve("/") : from;
            to = base.resolve(lenient(location.get()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            out.fail(RULE + "no-redirect", from + " redirects to '" + location.get() + "', which is unparsable even as browsers "
                    + "read URLs: they will not follow it");
            return out.result("");
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https")) {
            out.fail(RULE + "to-http", from + " redirects with " + status + " to " + to + ", which is not HTTPS");
            return out.result("");
        }
        if (!sameSite(from.getHost(), to.getHost())) {
            out.fail(RULE + "other-host", from + " redirects with " + status + " to another host, " + to
                    + " (expected https://" + from.getHost() + ", with or without www.)");
            return out.result("");
        }
        if (status != 301 && status != 308) {
            out.warn(RULE + "temporary", from + " redirects to " + to + " with a temporary " + status
                    + ": browsers do not cache it and the HSTS preload list wants a permanent 301 or 308");
        }
        return out.result(from + " → " + status + " " + to);
    }

    private static final Pattern AUTHORITY = Pattern.compile("(?s)((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)([^/?#]*)(.*)");
    private static final Pattern SCHEME = Pattern.compile("(?s)([A-Za-z][A-Za-z0-9+.-]*):(.*)");

    /**
     * A Location as browsers read it (WHATWG URL), made acceptable to {@link URI}: the header's bytes
     * decoded as UTF-8 when they are, tabs and line breaks dropped, a backslash taken as {@code /} before
     * the query (http and https are "special" schemes), characters outside the URI grammar
     * ({@code |}, {@code {}, spaces, non-ASCII, a stray {@code %}) percent-encoded as UTF-8, and an
     * internationalized host converted with {@link IDN#toASCII}.
     *
     * @throws URISyntaxException when even that is not a URI (an IDN conversion failure included)
     */
    static URI lenient(String location) throws URISyntaxException {
        String s = utf8(location).replaceAll("[\\t\\n\\r]", "").strip();
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            // Rebuilt below.
        }
        int query = s.length();
        for (char c : new char[] {'?', '#'}) {
            int i = s.indexOf(c);
            if (i >= 0) {
                query = Math.min(query, i);
            }
        }
        Matcher scheme = SCHEME.matcher(s);
        boolean special = !scheme.matches() || scheme.group(1).equalsIgnoreCase("http") || scheme.group(1).equalsIgnoreCase("https");
        if (special) {
            s = s.substring(0, query).replace('\\', '/') + s.substring(query);
        }
        Matcher m = AUTHORITY.matcher(s);
        String rebuilt;
        if (m.matches()) {
            String authority = m.group(2);
            int at = authority.lastIndexOf('@');
            String userinfo = at < 0 ? "" : encode(authority.substring(0, at + 1), "@:");
            String hostPort = authority.substring(at + 1);
            String host = hostPort;
            String port = "";
            if (!hostPort.startsWith("[")) {
                int colon = hostPort.lastIndexOf(':');
                if (colon >= 0) {
                    host = hostPort.substring(0, colon);
                    port = hostPort.substring(colon);
                }
                try {
                    host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
                } catch (IllegalArgumentException e) {
                    throw new URISyntaxException(location, "host '" + host + "' is not a valid domain name");
                }
            }
            rebuilt = m.group(1) + userinfo + host + port + encode(m.group(3), "");
        } else {
            rebuilt = encode(s, "");
        }
        return new URI(rebuilt);
    }

    /** {@code s} with every character outside the URI grammar (and every {@code #} after the first) percent-encoded as UTF-8. */
    private static String encode(String s, String alsoAllowed) {
        StringBuilder sb = new StringBuilder();
        boolean fragment = false;
        for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
            int c = s.codePointAt(i);
            boolean escape = c == '%' && i + 2 < s.length()
                    && HEX.indexOf(Character.toUpperCase(s.charAt(i + 1))) >= 0 && HEX.indexOf(Character.toUpperCase(s.charAt(i + 2))) >= 0;
            boolean allowed = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0
                    || alsoAllowed.indexOf(c) >= 0 || (c == '#' && !fragment) || escape);
            if (c == '#') {
                fragment = true;
            }
            if (allowed) {
                sb.append((char) c);
            } else {
                for (byte b : Character.toString(c).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
                }
            }
        }
        return sb.toString();
    }

    private static final String HEX = "0123456789ABCDEF";

    /** Header values arrive as ISO-8859-1 characters; browsers decode Location as UTF-8 when the bytes are UTF-8. */
    private static String utf8(String header) {
        if (header.chars().allMatch(c -> c < 0x80) || header.chars().anyMatch(c -> c > 0xFF)) {
            return header;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(header.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return header;
        }
    }

    /** The target URL when it is plain HTTP, else the bare domain over HTTP on port 80. */
    static URI defaultFrom(URI target) {
        if ("http".equalsIgnoreCase(target.getScheme())) {
            return target;
        }
        try {
            return new URI("http", null, target.getHost(), -1, "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make an http:// URL for host " + target.getHost(), e);
        }
    }

    /** The same host, ignoring case, a trailing dot and one leading {@code www.} on either side; ports do not matter. */
    static boolean sameSite(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return bare(a).equals(bare(b));
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.startsWith("www.") ? h.substring(4) : h;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a TCP connection to host:port fails, empty when it succeeds. The JDK's HTTP client reports
     * a refusal, an unreachable network and a reset alike (a ConnectException over a closed channel),
     * so a plain socket asks again; only its "Connection refused" means nothing listens.
     */
    static Optional<String> connectProblem(String host, int port, Duration left) {
        long ms = Math.min(left.toMillis(), 10_000);
        if (ms <= 0) {
            return Optional.of("no time left before the deadline");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) ms);
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        p.optionalString("from").ifPresent(from -> {
            try {
                URI u = new URI(from);
                if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                    problems.add("from '" + from + "' must be an absolute http:// URL, e.g. http://example.com/");
                }
            } catch (URISyntaxException e) {
                problems.add("from '" + from + "' is not a valid URL: " + e.getReason());
            }
        });
        return problems;
    }
}
