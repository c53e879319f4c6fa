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
                `Access-Control-Request-Method: PUT` and `Access-Control-Request-Headers: \
                authorization,content-type`) to `path` from a foreign origin \
                (`https://airworthy-probe.invalid`), from the origin `null`, from each origin in \
                `allowed`, and from look-alike origins that naive origin patterns accept (for \
                `https://app.example.com`: `https://app.example.com.airworthy-probe.invalid`, \
                `https://evilapp.example.com` and `https://appxexample.com`). Fails when a foreign or \
                look-alike origin is echoed in `Access-Control-Allow-Origin` (the message says whether \
                `Access-Control-Allow-Credentials: true` comes with it), when `null` is allowed, when `*` \
                comes with `Access-Control-Allow-Credentials: true`, or when an origin in `allowed` is \
                not allowed (a simple GET without a matching `Access-Control-Allow-Origin`, or a \
                preflight without a 2xx status and a matching one). Warns when foreign origins get \
                `Access-Control-Allow-Origin: *` (any site may read the responses; fine for a public \
                API). A server that sends no CORS headers to foreign origins passes: that is the safe default. \
                When `path` answers with a redirect and nothing fails, the item is an error: browsers \
                judge the resource the redirect leads to, which the probes do not reach.""",
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
                regular expression, and use `*` only for public data that needs no cookies.""",
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
                            + "(scheme, host and port only; no path). Look-alikes of each are probed too.")
        })
public final class CorsCheck implements Check {
    static final String FOREIGN = "https://airworthy-probe.invalid";
    private static final String ACAO = "Access-Control-Allow-Origin";
    private static final String ACAC = "Access-Control-Allow-Credentials";
    private static final String ACAM = "Access-Control-Allow-Methods";

    /** Who a probe pretends to be. */
    enum Kind { FOREIGN, NULL, ALLOWED, LOOKALIKE }

    /** One origin to probe; {@code note} says which trick a look-alike plays on which allowed origin. */
    record Origin(Kind kind, String value, String note) {
    }

    /** What one probe got back. */
    record Probe(Origin origin, boolean preflight, Exchange x) {
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
                    + (preflight ? " (preflight PUT, authorization,content-type)" : "") + " → " + x.status()
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
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Origin", o.value());
                    if (preflight) {
                        headers.put("Access-Control-Request-Method", "PUT");
                        headers.put("Access-Control-Request-Headers", "authorization,content-type");
                    }
                    Exchange x = probe.send(ctx, preflight ? "OPTIONS" : "GET", uri, headers, null, HttpProbe.HEADERS_ONLY);
                    Probe pr = new Probe(o, preflight, x);
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
        if (untrusted.stream().noneMatch(Probe::anyCorsHeader)) {
            return out.result(allowedText + "sends no CORS headers to foreign, null or look-alike origins at " + path
                    + (allowed.isEmpty() ? " (browsers block cross-origin reads: the safe default)" : ""));
        }
        return out.result(allowedText + "allows no foreign, null or look-alike origin at " + path);
    }

    private static void judge(List<Probe> probes, Outcome out) {
        // Echoed foreign and look-alike origins, one finding per origin.
        Map<Origin, List<Probe>> reflected = new LinkedHashMap<>();
        probes.stream().filter(pr -> pr.origin().kind() == Kind.FOREIGN || pr.origin().kind() == Kind.LOOKALIKE)
                .filter(Probe::reflects)
                .forEach(pr -> reflected.computeIfAbsent(pr.origin(), k -> new ArrayList<>()).add(pr));
        reflected.forEach((o, list) -> {
            String how = on(list) + credentialsNote(list);
            if (o.kind() == Kind.FOREIGN) {
                out.fail("http.cors.reflects-any-origin", "echoes any Origin in " + ACAO + ": sent " + o.value()
                        + ", got it back " + how);
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
        probes.stream().filter(pr -> pr.origin().kind() == Kind.ALLOWED).filter(pr -> !pr.allows())
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
        out.add(new Origin(Kind.LOOKALIKE, scheme + "://evil" + host + port, "prefix trick on " + allowed));
        int dot = host.indexOf('.');
        if (dot > 0 && !host.matches("[0-9.]+") && !host.startsWith("[")) {
            out.add(new Origin(Kind.LOOKALIKE, scheme + "://" + host.substring(0, dot) + "x" + host.substring(dot + 1) + port,
                    "unescaped dot in a pattern for " + allowed));
        }
        return out;
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
        return problems;
    }
}
