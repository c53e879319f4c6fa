package dev.airworthy.checks.http;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.check.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "http.info-leak",
        title = "No version-revealing headers",
        category = Category.HTTP,
        severity = Severity.LOW,
        summary = """
                Fetches a page, following redirects within the same origin (at most 5), and reads the \
                headers of every response, redirects included, that name the software behind it. Fails \
                when one reveals a version number (digits, a dot, digits): `Server` (`nginx/1.22.1`, \
                `Apache/2.4.57 (Debian)`), `X-Powered-By` (`PHP/8.2.7`), `X-AspNet-Version`, \
                `X-AspNetMvc-Version`, `X-Generator`, `X-OWA-Version`, `MicrosoftSharePointTeamServices`, \
                `X-Mod-Pagespeed`/`X-Page-Speed`, `X-Version`/`X-App-Version`, and `Via` when a proxy \
                adds its product version (`1.1 varnish (Varnish/6.0)`, or a lone `kong/2.8.1`; the \
                leading `1.1` is the HTTP version and does not count). Warns when `X-Powered-By`, `X-AspNet(Mvc)-Version`, \
                `X-Generator`, `X-OWA-Version` or `MicrosoftSharePointTeamServices` name the product \
                without a version, when `X-Runtime` is present (a Rack/Rails request timing: it reveals \
                the stack, not a version) and when `X-Drupal-Cache` or `X-Drupal-Dynamic-Cache` reveal \
                Drupal. `Server: nginx` without a version passes. A finding per header, the worst over \
                the responses, naming the path that sent it when that is not the first (an edge that \
                redirects `/` to `/en/` with clean headers does not hide the application's). A redirect \
                loop is an `error`.""",
        rationale = """
                A version number turns "which exploits might work here" into a lookup in a CVE database; \
                scanners and bots do exactly that. Hiding it does not fix a vulnerable version, but it \
                stops advertising one, and it costs one line of configuration.""",
        remediation = """
                Remove or shorten the headers where they are added, for example:

                ```nginx
                server_tokens off;                       # nginx: "Server: nginx"
                proxy_hide_header X-Powered-By;
                ```

                Apache: `ServerTokens Prod` and `ServerSignature Off`; PHP: `expose_php = Off`; \
                Express: `app.disable('x-powered-by')`; ASP.NET: `<httpRuntime enableVersionHeader="false"/>` \
                and `MvcHandler.DisableMvcResponseHeader = true`; Varnish: `unset resp.http.Via;`.""",
        example = """
                - id: info-leak
                  title: Headers reveal no versions
                  check: http.info-leak
                  with: { path: / }""",
        references = {"https://owasp.org/www-project-secure-headers/",
            "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server",
            "https://www.rfc-editor.org/rfc/rfc9110#name-server",
            "https://www.rfc-editor.org/rfc/rfc9110#name-via"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Page to fetch; same-origin redirects are followed.")
        })
public final class InfoLeakCheck implements Check {
    /** A version: digits, a dot, digits, not inside a longer number (so "10.0.2" counts once, "a1.2" does not). */
    static final Pattern VERSION = Pattern.compile("(?<![\\w.])v?\\d+\\.\\d+(?:\\.\\w+){0,16}");
    /** In Via, only a version written after a product name and a slash counts: "(squid/5.7)", "Varnish/6.0". */
    // Repetitions bounded: the regex engine recurses per repetition, and a header can be long.
    private static final Pattern VIA_PRODUCT_VERSION = Pattern.compile("[A-Za-z][\\w.-]*/\\s*v?\\d+\\.\\d+(?:\\.\\w+){0,16}");
    /** Via's received-protocol: {@code 1.1}, {@code HTTP/1.1}, {@code 2}, {@code HTTP/2}. */
    private static final Pattern VIA_PROTOCOL = Pattern.compile("(?i)(?:HTTPS?/)?\\d+(?:\\.\\d+)?");

    /** What a header's presence means: a version fails; without one it passes, or warns because it names the product. */
    enum Kind { VERSION_ONLY, VERSION_OR_NAME, ALWAYS_WARN, VIA }

    record Rule(String header, Kind kind, String warning) {
    }

    static final List<Rule> RULES = List.of(
            new Rule("Server", Kind.VERSION_ONLY, null),
            new Rule("X-Powered-By", Kind.VERSION_OR_NAME, "names the framework"),
            new Rule("X-AspNet-Version", Kind.VERSION_OR_NAME, "reveals ASP.NET"),
            new Rule("X-AspNetMvc-Version", Kind.VERSION_OR_NAME, "reveals ASP.NET MVC"),
            new Rule("X-Generator", Kind.VERSION_OR_NAME, "names the generator (CMS)"),
            new Rule("X-OWA-Version", Kind.VERSION_OR_NAME, "reveals Outlook Web Access"),
            new Rule("MicrosoftSharePointTeamServices", Kind.VERSION_OR_NAME, "reveals SharePoint"),
            new Rule("X-Mod-Pagespeed", Kind.VERSION_ONLY, null),
            new Rule("X-Page-Speed", Kind.VERSION_ONLY, null),
            new Rule("X-Version", Kind.VERSION_ONLY, null),
            new Rule("X-App-Version", Kind.VERSION_ONLY, null),
            new Rule("X-Runtime", Kind.ALWAYS_WARN,
                    "reveals a Ruby/Rack application, typically Rails (its value is a request timing, not a version)"),
            new Rule("X-Drupal-Cache", Kind.ALWAYS_WARN, "reveals Drupal"),
            new Rule("X-Drupal-Dynamic-Cache", Kind.ALWAYS_WARN, "reveals Drupal"),
            new Rule("Via", Kind.VIA, null));

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        List<Exchange> hops = HttpProbe.of(ctx).follow(ctx, path, HttpProbe.HEADERS_ONLY);
        Outcome out = new Outcome();
        List<String> evidence = new ArrayList<>();
        Map<String, Finding> worst = new LinkedHashMap<>();
        for (int i = 0; i < hops.size(); i++) {
            Exchange x = hops.get(i);
            evidence.add(x.summary());
            String where = i == 0 ? "" : " (on " + display(x) + ", after " + hops.subList(0, i).stream().map(InfoLeakCheck::display)
                    .collect(Collectors.joining(" → ")) + ")";
            for (Rule r : RULES) {
                List<String> values = x.headerValues(r.header());
                for (String v : values) {
                    evidence.add("< " + r.header() + ": " + v);
                }
                Optional<Finding> f = judge(r, values);
                if (f.isPresent()) {
                    Finding found = f.get().withMessage(f.get().message() + where);
                    // A version on any hop fails, even when an earlier hop only named the product.
                    worst.merge(r.header(), found, (a, b) -> a.level() == Status.WARN && b.level() == Status.FAIL ? b : a);
                }
            }
        }
        worst.values().forEach(out::finding);
        out.evidence(evidence);
        String chain = hops.size() == 1 ? path : hops.stream().map(InfoLeakCheck::display).collect(Collectors.joining(" → "));
        return out.result("no response header of " + chain + " reveals a software version");
    }

    private static String display(Exchange x) {
        String p = x.uri().getRawPath();
        return (p == null || p.isEmpty() ? "/" : p) + (x.uri().getRawQuery() == null ? "" : "?" + x.uri().getRawQuery());
    }

    /** The finding for one header's values, if any. */
    static Optional<dev.airworthy.check.Finding> judge(Rule r, List<String> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String rule = "http.info-leak." + r.header().toLowerCase(Locale.ROOT);
        String all = String.join(", ", values);
        if (r.kind() == Kind.ALWAYS_WARN) {
            return Optional.of(dev.airworthy.check.Finding.warn(rule, r.header() + " " + r.warning() + ": " + all));
        }
        Optional<String> version = values.stream().map(v -> version(r, v)).flatMap(Optional::stream).findFirst();
        if (version.isPresent()) {
            return Optional.of(dev.airworthy.check.Finding.fail(rule,
                    r.header() + " reveals a version (" + version.get() + "): " + all));
        }
        if (r.kind() == Kind.VERSION_OR_NAME && values.stream().anyMatch(v -> !v.isBlank())) {
            return Optional.of(dev.airworthy.check.Finding.warn(rule, r.header() + " " + r.warning() + " without a version: " + all));
        }
        return Optional.empty();
    }

    static Optional<String> version(Rule r, String value) {
        if (r.kind() != Kind.VIA) {
            Matcher m = VERSION.matcher(value);
            return m.find() ? Optional.of(m.group()) : Optional.empty();
        }
        // Via: 1#( [ protocol-name "/" ] protocol-version  received-by [ comment ] ); skip the protocol part.
        for (String element : value.split(",")) {
            String[] parts = element.strip().split("\\s+", 2);
            // A first token that is not a protocol version is a product (Kong sends "Via: kong/2.8.1").
            String rest = VIA_PROTOCOL.matcher(parts[0]).matches() ? (parts.length < 2 ? "" : parts[1]) : element;
            Matcher m = VIA_PRODUCT_VERSION.matcher(rest);
            if (m.find()) {
                return Optional.of(m.group());
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> validate(Params p) {
        return HttpProbe.pathProblems("path", p.string("path"));
    }
}
