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

@AutoService(Check.class)
@CheckInfo(
        id = "http.security-headers",
        title = "Security headers",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Fetches a page (following redirects within the same origin, as a visitor would, so that \
                `/` redirecting to `/login` judges the login page) and checks the headers that make \
                browsers defend it: a \
                Content-Security-Policy whose script-src allows neither `'unsafe-inline'` nor \
                `'unsafe-eval'`, X-Frame-Options (or CSP `frame-ancestors`) against clickjacking, \
                `X-Content-Type-Options: nosniff`, and a Referrer-Policy. A finding per header. With \
                `api-only: true` only `nosniff` is required, since the rest protect rendered pages.""",
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

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        boolean apiOnly = ctx.params().bool("api-only");
        List<Exchange> hops = HttpProbe.of(ctx).follow(ctx, path, HttpProbe.HEADERS_ONLY);
        Exchange x = hops.getLast();
        Outcome out = new Outcome();
        List<String> evidence = new ArrayList<>();
        hops.forEach(h -> evidence.add(h.summary()));
        for (String h : List.of("Content-Security-Policy", "Content-Security-Policy-Report-Only", "X-Frame-Options",
                "X-Content-Type-Options", "Referrer-Policy")) {
            List<String> values = x.headerValues(h);
            evidence.add("< " + h + ": " + (values.isEmpty() ? "(absent)" : String.join(", ", values)));
        }
        out.evidence(evidence);

        List<Map<String, List<String>>> policies = x.headerValues("Content-Security-Policy").stream()
                .map(SecurityHeadersCheck::parsePolicy)
                .toList();
        if (!apiOnly) {
            csp(policies, out);
            boolean frameAncestors = policies.stream().anyMatch(p -> p.containsKey("frame-ancestors"));
            Optional<String> xfo = x.header("X-Frame-Options").map(v -> v.strip().toUpperCase(Locale.ROOT));
            boolean xfoOk = xfo.isPresent() && (xfo.get().equals("DENY") || xfo.get().equals("SAMEORIGIN"));
            if (!xfoOk && !frameAncestors) {
                out.fail("http.security-headers.frame-options", xfo.isEmpty()
                        ? "neither X-Frame-Options nor CSP frame-ancestors: the page can be framed (clickjacking)"
                        : "X-Frame-Options '" + xfo.get() + "' is not DENY or SAMEORIGIN, and CSP has no frame-ancestors");
            }
            referrer(x, out);
        }
        Optional<String> nosniff = x.header("X-Content-Type-Options");
        if (nosniff.isEmpty()) {
            out.fail("http.security-headers.content-type-options", "X-Content-Type-Options is missing (expected nosniff)");
        } else if (!nosniff.get().strip().equalsIgnoreCase("nosniff")) {
            out.fail("http.security-headers.content-type-options", "X-Content-Type-Options is '" + nosniff.get() + "', expected nosniff");
        }
        return out.result(apiOnly ? "X-Content-Type-Options: nosniff set (API-only)" : "CSP, framing, nosniff and Referrer-Policy headers set");
    }

    private static void csp(List<Map<String, List<String>>> policies, Outcome out) {
        if (policies.isEmpty()) {
            out.fail("http.security-headers.csp-missing", "Content-Security-Policy is missing");
            return;
        }
        // Several enforced policies all apply: a script runs only if every policy allows it.
        boolean restricts = false;
        boolean inline = true;
        boolean eval = true;
        for (Map<String, List<String>> p : policies) {
            List<String> scripts = p.containsKey("script-src") ? p.get("script-src") : p.get("default-src");
            if (scripts == null) {
                continue;
            }
            restricts = true;
            boolean nonceOrHash = scripts.stream().anyMatch(s -> s.startsWith("'nonce-") || s.startsWith("'sha256-")
                    || s.startsWith("'sha384-") || s.startsWith("'sha512-") || s.equals("'strict-dynamic'"));
            inline &= scripts.contains("'unsafe-inline'") && !nonceOrHash;
            eval &= scripts.contains("'unsafe-eval'");
        }
        if (!restricts) {
            out.fail("http.security-headers.csp-no-script-src", "Content-Security-Policy has neither script-src nor default-src, so it does not restrict scripts");
            return;
        }
        if (inline) {
            out.fail("http.security-headers.csp-unsafe-inline", "CSP script-src allows 'unsafe-inline'");
        }
        if (eval) {
            out.fail("http.security-headers.csp-unsafe-eval", "CSP script-src allows 'unsafe-eval'");
        }
    }

    private static void referrer(Exchange x, Outcome out) {
        List<String> values = x.headerValues("Referrer-Policy");
        if (values.isEmpty()) {
            out.warn("http.security-headers.referrer-policy", "Referrer-Policy is missing (browsers fall back to strict-origin-when-cross-origin)");
            return;
        }
        // The last token the browser understands wins (W3C Referrer Policy, section 11.1).
        List<String> tokens = values.stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(t -> t.strip().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).toList();
        String effective = tokens.isEmpty() ? "" : tokens.getLast();
        if (effective.equals("unsafe-url")) {
            out.fail("http.security-headers.referrer-policy", "Referrer-Policy unsafe-url sends full URLs, query strings included, to every site");
        }
    }

    @Override
    public List<String> validate(dev.airworthy.check.Params p) {
        return HttpProbe.pathProblems("path", p.string("path"));
    }

    /** Directive name → source list, first occurrence wins as in CSP3 section 2.2.1. */
    static Map<String, List<String>> parsePolicy(String header) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String directive : header.split(";")) {
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
