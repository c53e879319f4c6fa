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
import dev.airworthy.check.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "http.security-headers",
        title = "Security headers",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Fetches a page (following redirects within the same origin, as a visitor would, so that \
                `/` redirecting to `/login` judges the login page; a redirect to another origin is an \
                error, since the page is there) and checks the headers that make browsers defend it. \
                CSP (enforced policies only; a header line holding several comma-separated policies \
                counts as several, and a script runs only if every policy allows it): fails when it is \
                missing or restricts no scripts, when inline `<script>` elements may run (`'unsafe-inline'` \
                in script-src-elem, else script-src, else default-src), when inline event handlers may run \
                (`'unsafe-inline'` in script-src-attr, else script-src, else default-src, or no such \
                directive), and when `eval()` may run (`'unsafe-eval'` in script-src, else default-src, or \
                neither present). A nonce, a hash or `'strict-dynamic'` makes `'unsafe-inline'` inert for \
                elements and handlers alike (CSP3); `'unsafe-hashes'` lets only the listed handlers run and \
                does not count. Warns when scripts may load from any host (`*`, `http:`, `https:` or \
                `data:` in the directive for elements, without `'strict-dynamic'`). Framing: when an \
                enforced policy has `frame-ancestors`, browsers ignore X-Frame-Options, so the check fails \
                when every such frame-ancestors allows any site (`*`, `https://*`, or a bare scheme: \
                `http:`, `https:`, `data:`, `blob:`); `'none'`, `'self'` and named origins protect. \
                Otherwise X-Frame-Options must contain DENY or SAMEORIGIN (values are split at commas, \
                so a folded `SAMEORIGIN, SAMEORIGIN` is fine). `X-Content-Type-Options` must start with \
                `nosniff` (the first comma-separated value decides). A Referrer-Policy is expected \
                (missing, or no value browsers know, warns); its last value browsers know must not be \
                `unsafe-url` (fails). A finding per header. With `api-only: true` only `nosniff` is \
                required, since the rest protect rendered pages.""",
        rationale = """
                These headers cost one line of configuration each and turn whole classes of attack \
                (cross-site scripting, clickjacking, MIME sniffing, leaking URLs to third parties) from \
                exploitable into blocked by the browser. Scanners and security reviews check them first.""",
        remediation = """
                Set them at the reverse proxy or in the framework's middleware, for example in nginx:

                ```nginx
                add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'none'" always;
                add_header X-Frame-Options DENY always;
                add_header X-Content-Type-Options nosniff always;
                add_header Referrer-Policy strict-origin-when-cross-origin always;
                ```

                Replace inline scripts with files or nonces before removing `'unsafe-inline'`.""",
        example = """
                - id: security-headers
                  title: Security headers on the app shell
                  check: http.security-headers
                  with: { path: / }""",
        references = {"https://owasp.org/www-project-secure-headers/",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP",
            "https://www.w3.org/TR/CSP3/"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Page to fetch."),
            @Param(name = "api-only", type = ParamType.BOOLEAN, defaultValue = "false",
                    description = "The target serves only an API: require `nosniff` and skip the browser-page headers.")
        })
public final class SecurityHeadersCheck implements Check {
    private static final String RULE = "http.security-headers.";
    /** Referrer-Policy tokens browsers know (W3C Referrer Policy, section 3). */
    private static final Set<String> REFERRER_POLICIES = Set.of("no-referrer", "no-referrer-when-downgrade", "same-origin",
            "origin", "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url");
    /** A host-source whose host is {@code *}: {@code *}, {@code https://*}, {@code *:443}. */
    private static final Pattern ANY_HOST = Pattern.compile("([a-z][a-z0-9+.-]*://)?\\*(:[0-9*]+)?(/.*)?");
    /** Scheme-sources that let any site's documents frame the page. */
    private static final Set<String> ANY_FRAMER = Set.of("http:", "https:", "data:", "blob:");
    /** Scheme-sources that let scripts load from anywhere (blob: URLs can only be made by the page's own origin). */
    private static final Set<String> ANY_SCRIPT = Set.of("http:", "https:", "data:");

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        boolean apiOnly = ctx.params().bool("api-only");
        List<Exchange> hops = HttpProbe.of(ctx).follow(ctx, path, HttpProbe.HEADERS_ONLY);
        Exchange x = hops.getLast();
        Outcome out = new Outcome();
        List<String> evidence = new ArrayList<>();
        hops.forEach(h -> evidence.add(h.summary()));
        Optional<String> leaves = redirectElsewhere(x);
        if (leaves.isPresent()) {
            evidence.add("< Location: " + x.header("Location").orElse(""));
            out.evidence(evidence);
            return out.error(path + " " + leaves.get());
        }
        for (String h : List.of("Content-Security-Policy", "Content-Security-Policy-Report-Only", "X-Frame-Options",
                "X-Content-Type-Options", "Referrer-Policy")) {
            List<String> values = x.headerValues(h);
            evidence.add("< " + h + ": " + (values.isEmpty() ? "(absent)" : String.join(", ", values)));
        }
        out.evidence(evidence);

        List<Map<String, List<String>>> policies = policies(x.headerValues("Content-Security-Policy"));
        if (!apiOnly) {
            csp(policies, out);
            framing(policies, x.headerValues("X-Frame-Options"), out);
            referrer(x, out);
        }
        // Fetch's "determine nosniff": the first value of the comma-split list decides.
        List<String> sniff = split(x.headerValues("X-Content-Type-Options"));
        if (x.headerValues("X-Content-Type-Options").isEmpty()) {
            out.fail(RULE + "content-type-options", "X-Content-Type-Options is missing (expected nosniff)");
        } else if (sniff.isEmpty() || !sniff.getFirst().equalsIgnoreCase("nosniff")) {
            out.fail(RULE + "content-type-options", "X-Content-Type-Options is '"
                    + String.join(", ", x.headerValues("X-Content-Type-Options")) + "', expected nosniff");
        }
        return out.result(apiOnly ? "X-Content-Type-Options: nosniff set (API-only)" : "CSP, framing, nosniff and Referrer-Policy headers set");
    }

    /** Where the last response sends the visitor when it is a redirect {@link HttpProbe#follow} did not take. */
    private static Optional<String> redirectElsewhere(Exchange x) {
        Optional<String> location = x.redirectLocation();
        if (location.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of("redirects to another origin (" + x.uri().resolve(location.get()) + "): check the page there");
        } catch (IllegalArgumentException e) {
            return Optional.of("answered " + x.status() + " with an unparsable Location '" + location.get()
                    + "': set path to the page visitors land on");
        }
    }

    /**
     * Clickjacking: browsers ignore X-Frame-Options whenever an enforced policy has frame-ancestors
     * (HTML, "check a navigation response's adherence to its embedder policy"); then the page may be
     * framed only where every such policy allows it.
     */
    private static void framing(List<Map<String, List<String>>> policies, List<String> xfoValues, Outcome out) {
        List<List<String>> ancestors = policies.stream().filter(p -> p.containsKey("frame-ancestors"))
                .map(p -> p.get("frame-ancestors")).toList();
        if (!ancestors.isEmpty()) {
            if (ancestors.stream().allMatch(list -> !anyHost(list, ANY_FRAMER).isEmpty())) {
                out.fail(RULE + "frame-options", ancestors.stream()
                        .map(list -> "CSP frame-ancestors " + String.join(" ", anyHost(list, ANY_FRAMER))).distinct()
                        .collect(Collectors.joining(" and ")) + " lets any site frame the page (clickjacking)"
                        + (xfoValues.isEmpty() ? "" : "; browsers ignore X-Frame-Options when frame-ancestors is set")
                        + "; name the origins allowed to frame it, or 'none'");
            }
            return;
        }
        // HTML splits the values at commas into a set: DENY or SAMEORIGIN alone protects, and so does a
        // conflicting set containing either (browsers then block framing outright).
        Set<String> xfo = split(xfoValues).stream().map(v -> v.toUpperCase(Locale.ROOT))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        if (xfo.contains("DENY") || xfo.contains("SAMEORIGIN")) {
            return;
        }
        out.fail(RULE + "frame-options", xfoValues.isEmpty()
                ? "neither X-Frame-Options nor CSP frame-ancestors: the page can be framed (clickjacking)"
                : "X-Frame-Options '" + String.join(", ", xfoValues) + "' is not DENY or SAMEORIGIN, and CSP has no frame-ancestors");
    }

    /**
     * Scripts. Several enforced policies all apply: a script runs only if every policy allows it.
     * Inline {@code <script>} elements are governed by script-src-elem, else script-src, else
     * default-src; inline event handlers by script-src-attr, else script-src, else default-src;
     * {@code eval()} by script-src, else default-src (CSP3, "effective directive" fallback lists).
     */
    private static void csp(List<Map<String, List<String>>> policies, Outcome out) {
        if (policies.isEmpty()) {
            out.fail(RULE + "csp-missing", "Content-Security-Policy is missing");
            return;
        }
        if (policies.stream().allMatch(p -> sources(p, "script-src-elem").isEmpty())) {
            out.fail(RULE + "csp-no-script-src", "Content-Security-Policy has neither script-src nor default-src, so it does not restrict scripts");
            return;
        }
        Optional<String> elements = inlineAllowed(policies, "script-src-elem");
        Optional<String> handlers = inlineAllowed(policies, "script-src-attr");
        if (elements.isPresent() || handlers.isPresent()) {
            String message;
            if (elements.isPresent() && handlers.isPresent() && elements.get().equals(handlers.get())) {
                message = "CSP " + elements.get() + " allows 'unsafe-inline': inline <script> elements and event handlers run";
            } else {
                List<String> parts = new ArrayList<>();
                elements.ifPresent(d -> parts.add(inlineText(d, "inline <script> elements")));
                handlers.ifPresent(d -> parts.add(inlineText(d, "inline event handlers")));
                message = String.join("; ", parts);
            }
            out.fail(RULE + "csp-unsafe-inline", message + " (so injected HTML can run script)");
        }
        // eval() is allowed unless some policy restricts it without 'unsafe-eval'.
        boolean eval = policies.stream().allMatch(p -> sources(p, "script-src").map(l -> l.contains("'unsafe-eval'")).orElse(true));
        if (eval) {
            boolean restricted = policies.stream().anyMatch(p -> sources(p, "script-src").isPresent());
            out.fail(RULE + "csp-unsafe-eval", restricted ? "CSP script-src allows 'unsafe-eval'"
                    : "CSP does not restrict eval(): it has no script-src or default-src");
        }
        // Script files from any host: every policy that restricts elements must allow some host-wide source.
        List<String> broad = new ArrayList<>();
        boolean allBroad = true;
        for (Map<String, List<String>> p : policies) {
            Optional<String> directive = directive(p, "script-src-elem");
            if (directive.isEmpty()) {
                continue;
            }
            List<String> list = p.get(directive.get());
            // With 'strict-dynamic', browsers ignore host and scheme sources for scripts.
            List<String> any = list.contains("'strict-dynamic'") ? List.of() : anyHost(list, ANY_SCRIPT);
            if (any.isEmpty()) {
                allBroad = false;
                break;
            }
            broad.add(String.join(" ", any) + " (" + directive.get() + ")");
        }
        if (allBroad && !broad.isEmpty()) {
            out.warn(RULE + "csp-script-any-host", "CSP allows scripts from " + String.join(" and ", broad)
                    + ": an injected <script src> can load code from a site the attacker controls; list the hosts "
                    + "(or use nonces with 'strict-dynamic')");
        }
    }

    private static String inlineText(String directive, String what) {
        return directive.startsWith("(")
                ? "no script-src-attr, script-src or default-src restricts " + what
                : "CSP " + directive + " allows 'unsafe-inline': " + what + " run";
    }

    /**
     * The directive that lets inline code of this kind run in every policy, or empty when some policy
     * blocks it. A nonce, a hash or 'strict-dynamic' makes 'unsafe-inline' inert for elements and
     * handlers alike (CSP3, "does a source list allow all inline behavior"); 'unsafe-hashes' then lets
     * through only the handlers whose hash is listed, which is not counted as allowing inline code.
     */
    private static Optional<String> inlineAllowed(List<Map<String, List<String>>> policies, String kind) {
        String used = null;
        for (Map<String, List<String>> p : policies) {
            Optional<String> directive = directive(p, kind);
            if (directive.isEmpty()) {
                used = used == null ? "(unrestricted)" : used;
                continue;
            }
            List<String> list = p.get(directive.get());
            boolean inert = list.stream().anyMatch(v -> v.startsWith("'nonce-") || v.startsWith("'sha256-")
                    || v.startsWith("'sha384-") || v.startsWith("'sha512-") || v.equals("'strict-dynamic'"));
            if (!list.contains("'unsafe-inline'") || inert) {
                return Optional.empty();
            }
            used = used == null || used.startsWith("(") ? directive.get() : used;
        }
        return Optional.ofNullable(used);
    }

    /** The directive of policy {@code p} that governs {@code kind}, following the CSP3 fallback list. */
    private static Optional<String> directive(Map<String, List<String>> p, String kind) {
        List<String> order = switch (kind) {
            case "script-src-elem" -> List.of("script-src-elem", "script-src", "default-src");
            case "script-src-attr" -> List.of("script-src-attr", "script-src", "default-src");
            default -> List.of("script-src", "default-src");
        };
        return order.stream().filter(p::containsKey).findFirst();
    }

    private static Optional<List<String>> sources(Map<String, List<String>> p, String kind) {
        return directive(p, kind).map(p::get);
    }

    /** The sources of {@code list} that match any host: a host of {@code *}, or one of {@code schemes}. */
    static List<String> anyHost(List<String> list, Set<String> schemes) {
        return list.stream().filter(v -> schemes.contains(v) || ANY_HOST.matcher(v).matches()).toList();
    }

    private static void referrer(Exchange x, Outcome out) {
        List<String> values = x.headerValues("Referrer-Policy");
        if (values.isEmpty()) {
            out.warn(RULE + "referrer-policy", "Referrer-Policy is missing (browsers fall back to strict-origin-when-cross-origin)");
            return;
        }
        // The last token the browser understands wins; unknown ones are skipped (W3C Referrer Policy, section 11.1).
        List<String> known = split(values).stream().map(t -> t.toLowerCase(Locale.ROOT)).filter(REFERRER_POLICIES::contains).toList();
        if (known.isEmpty()) {
            out.warn(RULE + "referrer-policy", "Referrer-Policy '" + String.join(", ", values)
                    + "' has no value browsers know (they fall back to strict-origin-when-cross-origin)");
        } else if (known.getLast().equals("unsafe-url")) {
            out.fail(RULE + "referrer-policy", "Referrer-Policy unsafe-url sends full URLs, query strings included, to every site"
                    + (split(values).size() > 1 ? " (the last value browsers know wins)" : ""));
        }
    }

    /** The header's values split at commas, as Fetch's "get, decode, and split" does, blanks dropped. */
    private static List<String> split(List<String> values) {
        return values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    @Override
    public List<String> validate(dev.airworthy.check.Params p) {
        return HttpProbe.pathProblems("path", p.string("path"));
    }

    /**
     * The enforced policies of the Content-Security-Policy header lines: each line is a comma-separated
     * list of policies (CSP3, "parse a serialized CSP list"); policies without directives are dropped.
     */
    static List<Map<String, List<String>>> policies(List<String> headerValues) {
        return headerValues.stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(SecurityHeadersCheck::parsePolicy).filter(p -> !p.isEmpty()).toList();
    }

    /** Directive name → source list, first occurrence wins as in CSP3 section 2.2.1. */
    static Map<String, List<String>> parsePolicy(String policy) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String directive : policy.split(";")) {
            String[] parts = directive.strip().split("\\s+");
            if (parts.length == 0 || parts[0].isEmpty()) {
                continue;
            }
            String name = parts[0].toLowerCase(Locale.ROOT);
            // Keywords are case-insensitive; only their prefixes ('nonce-, 'sha256-) are compared.
            List<String> values = Arrays.stream(parts).skip(1).map(v -> v.toLowerCase(Locale.ROOT)).toList();
            out.putIfAbsent(name, values);
        }
        return out;
    }
}
