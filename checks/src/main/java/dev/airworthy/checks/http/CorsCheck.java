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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "http.cors",
        title = "CORS policy",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Sends a simple GET (with `Origin`) and a preflight (OPTIONS with `Origin`, \
                `Access-Control-Request-Method` and `Access-Control-Request-Headers: \
                authorization,content-type`) to `path` from a foreign origin \
                (`https://airworthy-probe.invalid`), from the origin `null`, from each origin in \
                `allowed`, and from look-alike origins that naive origin patterns accept (for \
                `https://app.example.com`: `https://app.example.com.airworthy-probe.invalid`, \
                `https://evilapp.example.com` and `https://appxexample.com`). Preflights ask for \
                `preflight-method` (default POST) from allowed origins and for PUT from the others. \
                Fails when a foreign or \
                look-alike origin is echoed in `Access-Control-Allow-Origin` (the message says whether \
                `Access-Control-Allow-Credentials: true` comes with it), when `null` is allowed, when `*` \
                comes with `Access-Control-Allow-Credentials: true`, or when an origin in `allowed` is \
                not allowed (a simple GET without a matching `Access-Control-Allow-Origin`, or a \
                preflight without a 2xx status and a matching one). Warns when foreign origins get \
                `Access-Control-Allow-Origin: *` (any site may read the responses; fine for a public \
                API), and when the look-alike `evil` + host is echoed for a host of three or more labels \
                (`evilapp.example.com` is a subdomain only example.com's owner can create, so the policy \
                trusts other subdomains rather than anyone; for hosts directly under a country's \
                `co.`, `com.`, `org.`... or a shared hosting domain such as `herokuapp.com` or \
                `github.io`, where anyone gets a subdomain, it fails). A server that sends no CORS headers \
                to foreign origins passes: that is the safe default. But when the foreign origin's GET \
                answers an error status (401, 403, 404...) without `Access-Control-Allow-Origin`, that says nothing about \
                the answer a signed-in browser gets (auth in front of the CORS layer answers every \
                unauthenticated probe with a bare 401): the item is then judged only if the CORS layer is \
                seen deciding on those responses (an `Access-Control-Allow-Origin` on a foreign or \
                look-alike GET, an allowed origin echoed on the same status, or the same GET without \
                `Origin` succeeding, as when Spring refuses unknown origins with 403), and otherwise is \
                skipped (an error when `headers` are given: the credentials did not get a 2xx). An \
                allowed origin's GET that meets an error status without a matching \
                `Access-Control-Allow-Origin` likewise leaves its verdict unknown. \
                `headers` (e.g. credentials) go with the GET probes only: browsers send no credentials \
                with a preflight. When `path` answers with a redirect and nothing fails, the item is an \
                error: browsers judge the resource the redirect leads to, which the probes do not reach.""",
        rationale = """
                The same-origin policy is what stops any website a logged-in user visits from reading \
                that user's data from your API. CORS relaxes it, and a server that echoes whatever \
                `Origin` it is sent (or matches it with a careless pattern such as `example\\.com$`) \
                relaxes it for everyone: with credentials allowed, any page can read authenticated \
                responses as the visitor. The origin `null` is sent by sandboxed iframes and local \
                files, so allowing it is allowing anyone.""",
        remediation = """
                Compare the `Origin` against an exact list of allowed origins and echo it only on a \
                match; send nothing otherwise, and add `Vary: Origin`. For example with Express:

                ```js
                app.use(cors({ origin: ["https://app.example.com"], credentials: true }));
                ```

                or in nginx:

                ```nginx
                map $http_origin $cors_origin {
                    default "";
                    "https://app.example.com" $http_origin;
                }
                add_header Access-Control-Allow-Origin $cors_origin always;
                add_header Vary Origin always;
                ```

                Never allow `null`, never build the allow rule from a substring or an unanchored \
                regular expression, and use `*` only for public data that needs no cookies. Put the \
                CORS layer in front of authentication (in Spring Security, `http.cors(...)`), so that \
                preflights, which carry no credentials, get their answer.""",
        example = """
                - id: cors
                  title: CORS only allows the frontend origin
                  check: http.cors
                  with: { path: /api/v1/modules/, allowed: [https://app.example.com] }""",
        references = {"https://fetch.spec.whatwg.org/#http-cors-protocol",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS",
            "https://portswigger.net/web-security/cors",
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/07-Testing_Cross_Origin_Resource_Sharing"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Path to probe, appended to the target URL (or an absolute URL)."),
            @Param(name = "allowed", type = ParamType.STRING_LIST, defaultValue = "[]",
                    description = "Origins that must be allowed, e.g. `[https://app.example.com]` "
                            + "(scheme, host and port only; no path). Look-alikes of each are probed too."),
            @Param(name = "preflight-method", defaultValue = "POST",
                    description = "The method the allowed origins' preflights ask for (`Access-Control-Request-Method`): "
                            + "one the frontend really sends cross-origin, e.g. PUT or DELETE. Foreign and look-alike "
                            + "origins' preflights ask for PUT."),
            @Param(name = "headers", type = ParamType.MAP,
                    description = "Request headers sent with the GET probes, to see the policy signed-in requests get, "
                            + "e.g. `{ Authorization: \"Bearer ${API_TOKEN}\" }` or `{ Cookie: \"session=${SESSION}\" }` "
                            + "(masked in every report).")
        })
public final class CorsCheck implements Check {
    static final String FOREIGN = "https://airworthy-probe.invalid";
    private static final String ACAO = "Access-Control-Allow-Origin";
    private static final String ACAC = "Access-Control-Allow-Credentials";
    private static final String ACAM = "Access-Control-Allow-Methods";

    /** Who a probe pretends to be; SUBDOMAIN is a look-alike only the allowed origin's parent domain can create. */
    enum Kind { FOREIGN, NULL, ALLOWED, LOOKALIKE, SUBDOMAIN }

    /** One origin to probe; {@code note} says which trick a look-alike plays on which allowed origin. */
    record Origin(Kind kind, String value, String note) {
    }

    /** What one probe got back. */
    record Probe(Origin origin, boolean preflight, String requestMethod, Exchange x) {
        String method() {
            return preflight ? "preflight" : "GET";
        }

        /** The single Access-Control-Allow-Origin value, or empty when absent or invalid (several values). */
        Optional<String> allowOrigin() {
            List<String> values = x.headerValues(ACAO);
            if (values.size() != 1 || values.getFirst().contains(",")) {
                return Optional.empty();
            }
            return Optional.of(values.getFirst().strip());
        }

        boolean reflects() {
            return allowOrigin().filter(origin.value()::equals).isPresent();
        }

        boolean wildcard() {
            return allowOrigin().filter("*"::equals).isPresent();
        }

        /** Fetch compares the value byte for byte with {@code true}. */
        boolean credentials() {
            return x.header(ACAC).map(String::strip).filter("true"::equals).isPresent();
        }

        boolean anyCorsHeader() {
            return x.headers().map().keySet().stream()
                    .anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"));
        }

        /** Would a browser let this origin through? A preflight also needs an ok (2xx) status. */
        boolean allows() {
            return (reflects() || wildcard()) && (!preflight || (x.status() >= 200 && x.status() < 300));
        }

        String evidence() {
            return (preflight ? "OPTIONS " : "GET ") + x.uri() + " Origin: " + origin.value()
                    + (preflight ? " (preflight " + requestMethod + ", authorization,content-type)" : "") + " → " + x.status()
                    + " · " + ACAO + ": " + show(ACAO) + " · " + ACAC + ": " + show(ACAC) + " · " + ACAM + ": " + show(ACAM);
        }

        private String show(String header) {
            List<String> v = x.headerValues(header);
            return v.isEmpty() ? "(absent)" : String.join(" | ", v);
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String path = p.string("path");
        URI uri = HttpProbe.resolve(ctx.requireUrl(), path);
        List<String> allowed = p.list("allowed").stream().map(a -> normalize(a).orElseThrow()).distinct().toList();
        Map<String, Object> credentials = p.map("headers");
        String allowedMethod = method(p.string("preflight-method"));

        List<Origin> origins = new ArrayList<>();
        origins.add(new Origin(Kind.FOREIGN, FOREIGN, "a foreign origin"));
        origins.add(new Origin(Kind.NULL, "null", "the origin null"));
        allowed.forEach(a -> origins.add(new Origin(Kind.ALLOWED, a, "an allowed origin")));
        Set<String> seen = new LinkedHashSet<>(allowed);
        seen.add(FOREIGN);
        for (String a : allowed) {
            for (Origin o : lookalikes(a)) {
                if (seen.add(o.value())) {
                    origins.add(o);
                }
            }
        }

        HttpProbe probe = HttpProbe.of(ctx);
        Outcome out = new Outcome();
        List<Probe> probes = new ArrayList<>();
        try {
            for (Origin o : origins) {
                for (boolean preflight : new boolean[] {false, true}) {
                    // Browsers send no credentials with a preflight, so `headers` go with the GETs only.
                    Map<String, Object> headers = new LinkedHashMap<>(preflight ? Map.of() : credentials);
                    headers.put("Origin", o.value());
                    String requestMethod = o.kind() == Kind.ALLOWED ? allowedMethod : "PUT";
                    if (preflight) {
                        headers.put("Access-Control-Request-Method", requestMethod);
                        headers.put("Access-Control-Request-Headers", "authorization,content-type");
                    }
                    Exchange x = probe.send(ctx, preflight ? "OPTIONS" : "GET", uri, headers, null, HttpProbe.HEADERS_ONLY);
                    Probe pr = new Probe(o, preflight, requestMethod, x);
                    probes.add(pr);
                    out.evidence(pr.evidence());
                }
            }
        } catch (IOException e) {
            return out.error(e.getMessage());
        }

        judge(probes, out);

        // Browsers apply CORS at every hop of a redirect and again at its end, which these probes never reach.
        Exchange first = probes.getFirst().x();
        if (first.status() >= 300 && first.status() < 400) {
            CheckResult found = out.result("");
            if (found.status() == dev.airworthy.check.Status.FAIL) {
                return found;
            }
            return out.error("GET " + path + " answered " + first.status() + first.header("Location").map(l -> " (Location: " + l + ")").orElse("")
                    + ": the policy of the resource it leads to is unknown; set path to the URL the frontend calls");
        }

        List<Probe> untrusted = probes.stream().filter(pr -> pr.origin().kind() != Kind.ALLOWED).toList();
        String allowedText = allowed.isEmpty() ? "" : "allows " + String.join(", ", allowed) + "; ";
        boolean untrustedCors = untrusted.stream().anyMatch(Probe::anyCorsHeader);
        // A rejection (401, 403, 404) without Access-Control-Allow-Origin says nothing about the policy of
        // the answer a signed-in browser gets (auth in front of the CORS layer, nginx add_header without
        // `always`), unless the CORS layer is seen deciding on those rejections: an Access-Control-Allow-Origin
        // on an untrusted origin's GET, or an allowed origin echoed on the same status.
        boolean decidesOnRejections = untrusted.stream().anyMatch(pr -> !pr.preflight() && !pr.x().headerValues(ACAO).isEmpty())
                || probes.stream().anyMatch(pr -> pr.origin().kind() == Kind.ALLOWED && !pr.preflight()
                        && pr.x().status() == first.status() && pr.allows());
        if (!success(first.status()) && !decidesOnRejections && !out.hasFindings()) {
            // Spring answers 403 "Invalid CORS request" to origins it does not allow: the same GET
            // without an Origin succeeding shows it is the CORS policy refusing them.
            Exchange plain;
            try {
                plain = probe.send(ctx, "GET", uri, credentials, null, HttpProbe.HEADERS_ONLY);
            } catch (IOException e) {
                return out.error(e.getMessage());
            }
            out.evidence("GET " + uri + " without Origin → " + plain.status());
            if (success(plain.status())) {
                return out.result(allowedText + "refuses foreign, null and look-alike origins at " + path + " with "
                        + first.status() + " (" + plain.status() + " without Origin), without " + ACAO);
            }
            return unknown(out, "GET " + path + " answered " + first.status(), first.status(), credentials.isEmpty());
        }
        for (Probe pr : probes) {
            if (unknownAllowedGet(pr)) {
                if (out.hasFindings()) {
                    return out.result("");
                }
                return unknown(out, "GET " + path + " from the allowed origin " + pr.origin().value() + " answered " + pr.x().status(),
                        pr.x().status(), credentials.isEmpty());
            }
        }
        if (!untrustedCors) {
            return out.result(allowedText + "sends no CORS headers to foreign, null or look-alike origins at " + path
                    + (allowed.isEmpty() ? " (browsers block cross-origin reads: the safe default)" : ""));
        }
        return out.result(allowedText + "allows no foreign, null or look-alike origin at " + path);
    }

    /** Not a verdict: the probes met an error status, so the policy of a successful response is unknown. */
    private static CheckResult unknown(Outcome out, String what, int status, boolean anonymous) {
        if (!anonymous) {
            return out.error(what + " to the probes carrying the configured headers, without " + ACAO + ": the CORS policy "
                    + "of a successful response is unknown; check the credentials in headers, or set path to a URL that answers 2xx");
        }
        boolean auth = status == 401 || status == 403;
        return out.skipped(what + " to the unauthenticated probes, without " + ACAO + ": "
                + (auth ? "the CORS policy for signed-in requests is unknown; probe a public path, or give the probes credentials with headers"
                        : "the CORS policy of a successful response is unknown; set path to a URL that answers 2xx, or give the probes credentials with headers"));
    }

    private static boolean success(int status) {
        return status >= 200 && status < 300;
    }

    /** An allowed origin's GET that met an error status without CORS headers: whether it is allowed when it succeeds is unknown. */
    private static boolean unknownAllowedGet(Probe pr) {
        return pr.origin().kind() == Kind.ALLOWED && !pr.preflight() && !pr.allows() && pr.x().status() >= 400;
    }

    /** Fetch upper-cases these methods; others are sent as written. */
    private static String method(String m) {
        String upper = m.toUpperCase(Locale.ROOT);
        return Set.of("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT").contains(upper) ? upper : m;
    }

    private static void judge(List<Probe> probes, Outcome out) {
        // Echoed foreign and look-alike origins, one finding per origin.
        Map<Origin, List<Probe>> reflected = new LinkedHashMap<>();
        probes.stream().filter(pr -> pr.origin().kind() == Kind.FOREIGN || pr.origin().kind() == Kind.LOOKALIKE
                        || pr.origin().kind() == Kind.SUBDOMAIN)
                .filter(Probe::reflects)
                .forEach(pr -> reflected.computeIfAbsent(pr.origin(), k -> new ArrayList<>()).add(pr));
        reflected.forEach((o, list) -> {
            String how = on(list) + credentialsNote(list);
            if (o.kind() == Kind.FOREIGN) {
                out.fail("http.cors.reflects-any-origin", "echoes any Origin in " + ACAO + ": sent " + o.value()
                        + ", got it back " + how);
            } else if (o.kind() == Kind.SUBDOMAIN) {
                String parent = URI.create(o.value()).getHost();
                parent = parent.substring(parent.indexOf('.') + 1);
                out.warn("http.cors.subdomain-origin", "allows " + o.value() + " (" + o.note() + ") " + how
                        + ": trusts other subdomains of " + parent + "; any of them that serves user content or can be taken "
                        + "over can read these responses, so list the origins exactly unless every subdomain is yours");
            } else {
                out.fail("http.cors.bypass-origin", "allows the look-alike origin " + o.value() + " (" + o.note()
                        + ") " + how + ": the origin check is a pattern an attacker's domain can match");
            }
        });

        List<Probe> nullAllowed = probes.stream().filter(pr -> pr.origin().kind() == Kind.NULL)
                .filter(pr -> pr.allowOrigin().filter("null"::equals).isPresent()).toList();
        if (!nullAllowed.isEmpty()) {
            out.fail("http.cors.null-origin", "allows the origin null " + on(nullAllowed) + credentialsNote(nullAllowed)
                    + ": sandboxed iframes and local files send it, so any site can");
        }

        List<Probe> wildcardCredentials = probes.stream().filter(Probe::wildcard).filter(Probe::credentials).toList();
        if (!wildcardCredentials.isEmpty()) {
            out.fail("http.cors.wildcard-credentials", ACAO + ": * together with " + ACAC + ": true "
                    + on(wildcardCredentials) + ": browsers reject the pair, and the usual 'fix' is to echo any origin");
        }
        List<Probe> wildcard = probes.stream().filter(pr -> pr.origin().kind() != Kind.ALLOWED)
                .filter(Probe::wildcard).filter(pr -> !pr.credentials()).toList();
        if (!wildcard.isEmpty() && wildcardCredentials.isEmpty()) {
            out.warn("http.cors.wildcard", ACAO + ": * " + on(wildcard)
                    + ": any site may read these responses (fine for a public API that uses no cookies or network position)");
        }

        // Allowed origins: a simple GET and a preflight must both let them through.
        Map<Origin, List<Probe>> blocked = new LinkedHashMap<>();
        probes.stream().filter(pr -> pr.origin().kind() == Kind.ALLOWED).filter(pr -> !pr.allows()).filter(pr -> !unknownAllowedGet(pr))
                .forEach(pr -> blocked.computeIfAbsent(pr.origin(), k -> new ArrayList<>()).add(pr));
        blocked.forEach((o, list) -> out.fail("http.cors.allowed-origin-blocked", "allowed origin " + o.value()
                + " is not allowed: " + list.stream().map(CorsCheck::whyBlocked).collect(Collectors.joining("; "))));
    }

    private static String whyBlocked(Probe pr) {
        List<String> values = pr.x().headerValues(ACAO);
        String acao = values.isEmpty() ? "no " + ACAO
                : pr.allowOrigin().isEmpty() ? "several " + ACAO + " values (" + String.join(", ", values) + "), which browsers reject"
                : pr.reflects() || pr.wildcard() ? null
                : ACAO + ": " + values.getFirst().strip();
        if (!pr.preflight()) {
            return "GET got " + acao;
        }
        return "the preflight answered " + pr.x().status() + (acao == null ? " (browsers need a 2xx)" : " with " + acao);
    }

    private static String on(List<Probe> list) {
        return "on " + list.stream().map(Probe::method).distinct().collect(Collectors.joining(" and "));
    }

    private static String credentialsNote(List<Probe> list) {
        return list.stream().anyMatch(Probe::credentials)
                ? ", with " + ACAC + ": true (worse: the requests carry the visitor's cookies)"
                : ", without " + ACAC;
    }

    /**
     * Origins that careless patterns for {@code allowed} accept: a suffix ({@code ^https://app\.example\.com}
     * unanchored at the end), a prefix ({@code example\.com$} unanchored at the start) and an unescaped dot.
     */
    static List<Origin> lookalikes(String allowed) {
        URI u = URI.create(allowed);
        String scheme = u.getScheme();
        String host = u.getHost();
        String port = u.getPort() < 0 ? "" : ":" + u.getPort();
        List<Origin> out = new ArrayList<>();
        out.add(new Origin(Kind.LOOKALIKE, scheme + "://" + host + ".airworthy-probe.invalid" + port,
                "suffix trick on " + allowed));
        // evil + app.example.com is a subdomain of example.com, which only its owner can create;
        // evil + example.com is a domain anyone can register.
        out.add(new Origin(siblingOnly(host) ? Kind.SUBDOMAIN : Kind.LOOKALIKE, scheme + "://evil" + host + port,
                "prefix trick on " + allowed));
        int dot = host.indexOf('.');
        if (dot > 0 && !host.matches("[0-9.]+") && !host.startsWith("[")) {
            out.add(new Origin(Kind.LOOKALIKE, scheme + "://" + host.substring(0, dot) + "x" + host.substring(dot + 1) + port,
                    "unescaped dot in a pattern for " + allowed));
        }
        return out;
    }

    /**
     * Second-level labels under which a two-letter country code takes registrations ({@code co.uk},
     * {@code com.au}), and hosting domains that hand out subdomains to anyone: for hosts directly
     * under these, a sibling subdomain is anyone's. A heuristic, not the Public Suffix List.
     */
    private static final Set<String> PUBLIC_SECOND_LEVEL = Set.of("ac", "co", "com", "edu", "gob", "gov", "go", "ltd", "me",
            "mil", "ne", "net", "nom", "or", "org", "plc", "sch");
    private static final Set<String> SHARED_HOSTING = Set.of("github.io", "gitlab.io", "herokuapp.com", "vercel.app",
            "netlify.app", "pages.dev", "workers.dev", "web.app", "firebaseapp.com", "appspot.com", "azurewebsites.net",
            "azurestaticapps.net", "cloudfront.net", "onrender.com", "fly.dev", "ngrok.io", "ngrok-free.app", "glitch.me",
            "blogspot.com", "amplifyapp.com", "railway.app", "surge.sh", "deno.dev", "s3.amazonaws.com");

    /** Whether {@code "evil" + host} can only be a subdomain of the host's parent domain, which its owner controls. */
    static boolean siblingOnly(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") || h.matches("[0-9.]+")) {
            return false;
        }
        String[] labels = h.split("\\.");
        if (labels.length < 3) {
            return false;
        }
        String parent = h.substring(h.indexOf('.') + 1);
        boolean countrySecondLevel = labels.length == 3 && labels[2].length() == 2 && PUBLIC_SECOND_LEVEL.contains(labels[1]);
        return !countrySecondLevel && !SHARED_HOSTING.contains(parent);
    }

    /** The origin as a browser serializes it (lower-case scheme and host, no default port), or empty when it is not one. */
    static Optional<String> normalize(String origin) {
        try {
            URI u = new URI(origin.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getRawUserInfo() != null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null || u.getRawFragment() != null) {
                return Optional.empty();
            }
            int port = u.getPort();
            boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        for (String a : p.list("allowed")) {
            if (normalize(a).isEmpty()) {
                problems.add("allowed origin '" + a + "' is not an origin: write scheme://host[:port] with no path, "
                        + "e.g. https://app.example.com");
            }
        }
        String m = p.string("preflight-method");
        if (!m.matches("[A-Za-z]+") || Set.of("CONNECT", "TRACE", "TRACK", "OPTIONS").contains(m.toUpperCase(Locale.ROOT))) {
            problems.add("preflight-method '" + m + "' is not a method a page can send, e.g. POST, PUT, PATCH or DELETE");
        }
        for (Map.Entry<String, Object> h : p.map("headers").entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("origin") || name.startsWith("access-control-")) {
                problems.add("request header '" + h.getKey() + "' is set by the probes themselves; leave it out of headers");
            } else if (h.getValue() == null) {
                problems.add("request header '" + h.getKey() + "' has no value");
            }
        }
        return problems;
    }
}
