package dev.airworthy.checks.http;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@AutoService(Check.class)
@CheckInfo(
        id = "http.hsts",
        title = "HTTP Strict Transport Security",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Fetches `path` over HTTPS and reads its `Strict-Transport-Security` header as RFC 6797 \
                does (directive names in any case, values as tokens or quoted strings, each directive \
                at most once, the first header when there are several). Fails when the header is \
                missing, cannot be parsed or has no `max-age`, or when `max-age` is below `min-max-age` \
                (`max-age=0` switches HSTS off). Warns when `includeSubDomains` is missing and when the \
                response carries more than one header. Skipped when the target is plain HTTP: browsers \
                ignore the header there (see `http.https-redirect`).""",
        rationale = """
                Without HSTS, a visitor's first request to `http://` (typed, bookmarked or linked) can \
                be intercepted and kept on plain HTTP by anyone on the network (SSL stripping). With it, \
                the browser goes straight to HTTPS for `max-age` seconds and refuses to click through \
                certificate errors. A short `max-age` lapses between visits; without `includeSubDomains` \
                an attacker can use a sibling subdomain to set cookies for the whole site.""",
        remediation = """
                Send the header on every HTTPS response, e.g. in nginx:

                ```nginx
                add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
                ```

                Start with a short `max-age` if unsure that every subdomain serves HTTPS, then raise it \
                to a year. Add `preload` and submit the domain at hstspreload.org only once that holds \
                for good: removal from the preload list takes months.""",
        example = """
                - id: hsts
                  title: HSTS for at least a year
                  check: http.hsts
                  with: { min-max-age: 31536000 }""",
        references = {"https://datatracker.ietf.org/doc/html/rfc6797",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security",
            "https://hstspreload.org/",
            "https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Path to fetch over HTTPS."),
            @Param(name = "min-max-age", type = ParamType.INTEGER, defaultValue = "15552000",
                    description = "Smallest acceptable `max-age`, in seconds (15552000 is 180 days; the preload list wants 31536000).")
        })
public final class HstsCheck implements Check {
    static final String HEADER = "Strict-Transport-Security";
    private static final String TCHAR = "!#$%&'*+-.^_`|~";

    /** The directives of one header (names lower-cased, values unquoted; null for a directive without value). */
    record Policy(Map<String, String> directives) {
    }

    /** Thrown when a header does not follow the grammar of RFC 6797 section 6.1. */
    static final class Unparsable extends Exception {
        Unparsable(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        URI uri = HttpProbe.resolve(ctx.requireUrl(), path);
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new NotApplicable("HSTS only applies to HTTPS responses; the target is plain HTTP (see http.https-redirect)");
        }
        long min = ctx.params().integer("min-max-age");
        Exchange x = HttpProbe.of(ctx).send(ctx, "GET", uri, Map.of(), null, HttpProbe.HEADERS_ONLY);
        Outcome out = new Outcome();
        List<String> headers = x.headerValues(HEADER);
        out.evidence(x.summary());
        if (headers.isEmpty()) {
            out.evidence("< " + HEADER + ": (absent)");
            out.fail("http.hsts.missing", "no " + HEADER + " header on " + path);
            return out.result("");
        }
        headers.forEach(h -> out.evidence("< " + HEADER + ": " + h));
        if (headers.size() > 1) {
            out.warn("http.hsts.duplicate", headers.size() + " " + HEADER + " headers: browsers use only the first "
                    + "(RFC 6797 section 8.1); send one");
        }
        String first = headers.getFirst();
        Policy policy;
        try {
            policy = parse(first);
        } catch (Unparsable e) {
            out.fail("http.hsts.invalid", HEADER + " '" + first + "' is not valid: " + e.getMessage()
                    + "; browsers ignore it" + (first.contains(",") ? " (a comma: several headers folded into one?)" : ""));
            return out.result("");
        }
        String maxAgeText = policy.directives().get("max-age");
        if (!policy.directives().containsKey("max-age")) {
            out.fail("http.hsts.invalid", HEADER + " has no max-age, which is required: browsers ignore it");
            return out.result("");
        }
        if (maxAgeText == null || maxAgeText.isEmpty() || !maxAgeText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            out.fail("http.hsts.invalid", "max-age '" + (maxAgeText == null ? "" : maxAgeText)
                    + "' is not a number of seconds: browsers ignore the header");
            return out.result("");
        }
        String digits = maxAgeText.replaceFirst("^0+(?=.)", "");
        long maxAge = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
        out.metric("max_age_s", maxAge);
        if (maxAge == 0) {
            out.fail("http.hsts.max-age", "max-age=0 disables HSTS: browsers forget the policy for this host");
        } else if (maxAge < min) {
            out.fail("http.hsts.max-age", "max-age=" + maxAge + " (" + days(maxAge) + ") is below the minimum of "
                    + min + " (" + days(min) + ")");
        }
        boolean subdomains = policy.directives().containsKey("includesubdomains");
        if (!subdomains) {
            out.warn("http.hsts.include-subdomains", "no includeSubDomains: subdomains are not covered, and a "
                    + "plain-HTTP subdomain can set cookies for the whole site");
        }
        boolean preload = policy.directives().containsKey("preload");
        String preloadNote = !preload ? ""
                : maxAge >= 31_536_000 && subdomains ? "; preload requested"
                : "; preload requested, but the preload list also needs max-age of at least 31536000 and includeSubDomains";
        return out.result("HSTS max-age=" + maxAge + " (" + days(maxAge) + ")" + (subdomains ? ", includeSubDomains" : "")
                + preloadNote);
    }

    /** A duration for people: whole days from one day up, else hours, minutes or seconds. */
    static String days(long seconds) {
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"day", "hour", "minute", "second"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds >= sizes[i] || i == sizes.length - 1) {
                long n = seconds / sizes[i];
                return n + " " + units[i] + (n == 1 ? "" : "s");
            }
        }
        throw new AssertionError();
    }

    /**
     * Parses one header value by RFC 6797 section 6.1: {@code [directive] *(";" [directive])}, a directive
     * being {@code token ["=" (token | quoted-string)]}. Directive names are case-insensitive and may
     * appear only once; {@code includeSubDomains} takes no value (browsers reject one).
     */
    static Policy parse(String header) throws Unparsable {
        Map<String, String> directives = new LinkedHashMap<>();
        int i = 0;
        int n = header.length();
        while (true) {
            i = skipSpace(header, i);
            if (i >= n) {
                break;
            }
            if (header.charAt(i) == ';') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && tchar(header.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw new Unparsable("unexpected '" + header.charAt(i) + "' at position " + (i + 1));
            }
            String name = header.substring(start, i).toLowerCase(Locale.ROOT);
            i = skipSpace(header, i);
            String value = null;
            if (i < n && header.charAt(i) == '=') {
                i = skipSpace(header, i + 1);
                if (i < n && header.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = header.charAt(i++);
                        if (c == '\\' && i < n) {
                            sb.append(header.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            sb.append(c);
                        }
                    }
                    if (!closed) {
                        throw new Unparsable("unterminated quoted value of " + name);
                    }
                    value = sb.toString();
                } else {
                    int vs = i;
                    while (i < n && tchar(header.charAt(i))) {
                        i++;
                    }
                    if (i == vs) {
                        throw new Unparsable(name + " has '=' but no value");
                    }
                    value = header.substring(vs, i);
                }
                i = skipSpace(header, i);
            }
            if (i < n && header.charAt(i) != ';') {
                throw new Unparsable("unexpected '" + header.charAt(i) + "' after " + name);
            }
            if (directives.containsKey(name)) {
                throw new Unparsable(name + " appears twice (RFC 6797 allows each directive once)");
            }
            if (name.equals("includesubdomains") && value != null) {
                throw new Unparsable("includeSubDomains takes no value");
            }
            directives.put(name, value);
        }
        return new Policy(directives);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean tchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHAR.indexOf(c) >= 0;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        if (p.integer("min-max-age") < 0) {
            problems.add("min-max-age must not be negative");
        }
        return problems;
    }
}
