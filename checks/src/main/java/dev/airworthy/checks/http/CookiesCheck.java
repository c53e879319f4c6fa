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
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "http.cookies",
        title = "Cookie attributes",
        category = Category.HTTP,
        severity = Severity.MEDIUM,
        summary = """
                Fetches `path`, following redirects within the same origin (so `/` redirecting to \
                `/login` inspects both), and inspects every `Set-Cookie` of every response (attribute \
                names are compared case-insensitively). Every cookie needs `Secure`: a missing one fails \
                over HTTPS and warns over plain HTTP (where the site needs HTTPS first); load-balancer \
                stickiness cookies, which hold no credential and whose attributes the application cannot \
                set (`AWSALB`, `AWSALBCORS`, `AWSALBTG`, `AWSALBTGCORS`, `AWSELB`, `AWSELBCORS`, \
                `BIGipServer*`, `ARRAffinity`, `ARRAffinitySameSite`, `GCLB`, `INGRESSCOOKIE`), only warn. \
                Session-like cookies need `HttpOnly`, else fail: names containing session or remember, \
                or with a word (split at punctuation and camelCase) that starts or ends with sess, auth, \
                token or jwt, or ends with sid, such as `sessionid`, `connect.sid`, `PHPSESSID`, \
                `JSESSIONID`, `ASP.NET_SessionId` or `authToken`, and the framework cookies \
                `.AspNetCore.Cookies*`, `.AspNetCore.Identity.Application*`, `KEYCLOAK_IDENTITY`, \
                `wordpress_logged_in_*` and `wordpress_sec_*`; names containing csrf or xsrf never count, \
                since scripts must read those. Every cookie should have \
                `SameSite`: missing or an unknown value warns, and `SameSite=None` without `Secure` \
                fails (browsers reject it). Cookies named `__Host-` or `__Secure-` must meet their \
                prefix rules (`Secure`, set over HTTPS; `__Host-` also `Path=/` and no `Domain`), else \
                fail. Cookies that only delete (`Max-Age` of zero or less, or an `Expires` in the past) \
                are held to the prefix rules only. When no response sets a cookie, the item passes if \
                the last one is a 2xx page, and is skipped otherwise (a 401, a 404, or a redirect to \
                another origin: nothing was inspected). Evidence shows each cookie's name and \
                attributes, never its value (nor the name of a cookie with an empty value, which may be \
                the secret).""",
        rationale = """
                A session cookie is the user's identity. Without `Secure` it travels in clear text \
                whenever the browser makes a plain HTTP request to the site; without `HttpOnly`, one \
                injected script can send it anywhere; without `SameSite`, other sites can make the \
                browser send it along with forged requests (CSRF).""",
        remediation = """
                Set the attributes where the cookie is created, for example:

                ```http
                Set-Cookie: __Host-session=…; Path=/; Secure; HttpOnly; SameSite=Lax
                ```

                In Express: `cookie: { secure: true, httpOnly: true, sameSite: "lax" }`; in Django: \
                `SESSION_COOKIE_SECURE = True`, `CSRF_COOKIE_SECURE = True`, `SESSION_COOKIE_SAMESITE = "Lax"`; \
                in Spring Boot: `server.servlet.session.cookie.secure=true`, `...http-only=true`, \
                `...same-site=lax`. Use `SameSite=None` only for cookies that must travel cross-site, and \
                always with `Secure`.""",
        example = """
                - id: cookies
                  title: Session cookies are Secure, HttpOnly and SameSite
                  check: http.cookies
                  with: { path: /login }""",
        references = {"https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie",
            "https://owasp.org/www-community/controls/SecureCookieAttribute",
            "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Path whose response sets the cookies (a login page, the app shell).")
        })
public final class CookiesCheck implements Check {
    private static final Set<String> KNOWN_SESSION = Set.of("connect.sid", "phpsessid", "jsessionid", "asp.net_sessionid",
            "keycloak_identity", "keycloak_identity_legacy");
    /** Session cookies of common frameworks, by name prefix (ASP.NET Core splits large cookies into C1, C2, ...). */
    private static final List<String> KNOWN_SESSION_PREFIXES = List.of(".aspnetcore.cookies", ".aspnetcore.identity.application",
            "wordpress_logged_in_", "wordpress_sec_");
    /**
     * Cookies load balancers add for stickiness: they hold a backend id, no credential, and the
     * application cannot set their attributes (AWS ALB and Classic ELB, F5 BIG-IP, Azure App Service
     * ARR, Google Cloud load balancing, the Kubernetes ingress-nginx default). Matched by exact name,
     * or by prefix for those ending in an underscore or named per pool.
     */
    private static final Set<String> INFRASTRUCTURE = Set.of("awsalb", "awsalbcors", "awsalbtg", "awsalbtgcors", "awselb",
            "awselbcors", "arraffinity", "arraffinitysamesite", "gclb", "ingresscookie");
    private static final List<String> INFRASTRUCTURE_PREFIXES = List.of("bigipserver");
    private static final Set<String> KNOWN_ATTRIBUTES = Set.of("path", "domain", "expires", "max-age", "samesite", "secure",
            "httponly", "priority", "partitioned");
    private static final Pattern WORD = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");

    /** One Set-Cookie line: name, value and attributes (names lower-cased; the last of each name wins). */
    record Cookie(String raw, String name, String value, Map<String, String> attributes) {
        boolean has(String attribute) {
            return attributes.containsKey(attribute);
        }

        Optional<String> attribute(String name) {
            return Optional.ofNullable(attributes.get(name));
        }

        /**
         * How reports name the cookie. A line such as {@code c2VjcmV0dG9rZW4=} parses as a name with an
         * empty value, so the name of a cookie with an empty value may be the secret: it is not shown.
         */
        String label() {
            return name.isEmpty() ? "(nameless)" : value.isEmpty() ? "(a cookie with an empty value, name not shown)" : name;
        }

        /**
         * The line for evidence: the name (as {@link #label()} allows, or always for a cookie that only
         * deletes), never the value, and the attributes.
         */
        String redacted(boolean deletes) {
            StringBuilder sb = new StringBuilder(name.isEmpty() ? "(nameless, value not shown)"
                    : value.isEmpty() ? (deletes ? name + "=" : "(name not shown, empty value)") : name + "=****");
            String[] parts = raw.split(";", -1);
            for (int i = 1; i < parts.length; i++) {
                String av = parts[i].strip();
                if (av.isEmpty()) {
                    continue;
                }
                int e = av.indexOf('=');
                String an = (e < 0 ? av : av.substring(0, e)).strip();
                if (KNOWN_ATTRIBUTES.contains(an.toLowerCase(Locale.ROOT))) {
                    sb.append("; ").append(e < 0 ? an : an + "=" + av.substring(e + 1).strip());
                } else {
                    // Not an attribute browsers know: its text may be anything, a second name=value included.
                    sb.append("; ").append(ATTRIBUTE_NAME.matcher(an).matches() ? an : "****").append(e < 0 ? "" : "=****");
                }
            }
            return sb.toString();
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        List<Exchange> hops = HttpProbe.of(ctx).follow(ctx, path, HttpProbe.HEADERS_ONLY);
        Exchange last = hops.getLast();
        String where = hops.size() == 1 ? path : path + " → " + hops.stream().skip(1).map(h -> h.uri().getRawPath())
                .collect(java.util.stream.Collectors.joining(" → "));
        Outcome out = new Outcome();
        Instant now = ctx.clock().instant();
        List<Cookie> cookies = new ArrayList<>();
        List<Boolean> overHttps = new ArrayList<>();
        for (Exchange x : hops) {
            out.evidence(x.summary());
            if (x.status() >= 300 && x.status() < 400) {
                x.header("Location").ifPresent(l -> out.evidence("< Location: " + l));
            }
            List<String> lines = x.headerValues("Set-Cookie");
            if (lines.isEmpty()) {
                out.evidence("< Set-Cookie: (none)");
            }
            for (String line : lines) {
                Cookie c = parse(line);
                out.evidence("< Set-Cookie: " + c.redacted(deletes(c, now)));
                cookies.add(c);
                overHttps.add("https".equalsIgnoreCase(x.uri().getScheme()));
            }
        }
        if (cookies.isEmpty()) {
            if (last.status() >= 200 && last.status() < 300) {
                return out.result("sets no cookies at " + where);
            }
            return out.skipped("no cookies at " + where + ": the last response was " + last.status()
                    + last.header("Location").map(l -> " (Location: " + l + ")").orElse("")
                    + ", not a 2xx page, so there was nothing to inspect; set path to the page that sets the cookies (a login page, the app shell)");
        }
        Map<String, List<String>> byRule = new LinkedHashMap<>();
        List<String> live = new ArrayList<>();
        List<String> deleting = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < cookies.size(); i++) {
            Cookie c = cookies.get(i);
            boolean https = overHttps.get(i);
            prefix(c, https).ifPresent(why -> byRule.computeIfAbsent("prefix", k -> new ArrayList<>()).add(why));
            if (deletes(c, now)) {
                deleting.add(c.name().isEmpty() ? c.label() : c.name());
                continue;
            }
            live.add(c.label());
            boolean session = sessionLike(c.name());
            if (!c.has("secure")) {
                String rule = https && !session && infrastructure(c.name()) ? "secure-infrastructure" : https ? "secure" : "secure-http";
                byRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(c.label());
            }
            if (session) {
                sessions.add(c.label());
                if (!c.has("httponly")) {
                    byRule.computeIfAbsent("httponly", k -> new ArrayList<>()).add(c.label());
                }
            }
            Optional<String> sameSite = c.attribute("samesite");
            if (sameSite.isEmpty()) {
                byRule.computeIfAbsent("samesite-missing", k -> new ArrayList<>()).add(c.label());
            } else {
                switch (sameSite.get().toLowerCase(Locale.ROOT)) {
                    case "strict", "lax" -> { }
                    case "none" -> {
                        if (!c.has("secure")) {
                            byRule.computeIfAbsent("samesite-none-insecure", k -> new ArrayList<>()).add(c.label());
                        }
                    }
                    default -> byRule.computeIfAbsent("samesite-invalid", k -> new ArrayList<>())
                            .add(c.label() + " (SameSite=" + sameSite.get() + ")");
                }
            }
        }

        byRule.forEach((rule, names) -> {
            String list = String.join(", ", names);
            String id = "http.cookies." + rule;
            switch (rule) {
                case "prefix" -> names.forEach(why -> out.fail(id, why));
                case "secure" -> out.fail(id, plural(names, "cookie ") + list + " lack" + (names.size() == 1 ? "s" : "")
                        + " Secure: browsers also send " + them(names) + " over plain HTTP, where anyone on the network can read "
                        + them(names));
                case "secure-http" -> out.warn("http.cookies.secure", plural(names, "cookie ") + list + " lack"
                        + (names.size() == 1 ? "s" : "")
                        + " Secure, and the target is plain HTTP: browsers would need the site on HTTPS anyway "
                        + "to keep Secure cookies; serve it over HTTPS and mark every cookie Secure");
                case "secure-infrastructure" -> out.warn(id, "load-balancer " + plural(names, "cookie ") + list + " lack"
                        + (names.size() == 1 ? "s" : "") + " Secure: " + (names.size() == 1 ? "it holds" : "they hold")
                        + " a backend id, not a credential, but travel" + (names.size() == 1 ? "s" : "")
                        + " over plain HTTP too; mark " + them(names) + " Secure in the load balancer if it allows");
                case "httponly" -> out.fail(id, "session-like " + plural(names, "cookie ") + list + " lack"
                        + (names.size() == 1 ? "s" : "") + " HttpOnly: any script injected into the page can read "
                        + them(names) + " and send " + them(names) + " elsewhere");
                case "samesite-missing" -> out.warn(id, plural(names, "cookie ") + list + " set" + (names.size() == 1 ? "s" : "")
                        + " no SameSite: browsers default to Lax at best (Chrome), others send "
                        + them(names) + " on cross-site requests; set SameSite=Lax or Strict explicitly");
                case "samesite-none-insecure" -> out.fail(id, plural(names, "cookie ") + list
                        + (names.size() == 1 ? " has" : " have") + " SameSite=None without Secure: browsers reject such cookies");
                case "samesite-invalid" -> out.warn(id, plural(names, "cookie ") + list
                        + (names.size() == 1 ? " has a" : " have a") + " SameSite value browsers do not know (they ignore it as if absent)");
                default -> throw new IllegalStateException(rule);
            }
        });

        String deleted = deleting.isEmpty() ? "" : "; " + deleting.size() + " more only delete" + (deleting.size() == 1 ? "s" : "")
                + " a cookie (" + String.join(", ", deleting) + ")";
        if (live.isEmpty()) {
            return out.result("sets no cookies at " + where + ", only deletes " + String.join(", ", deleting));
        }
        return out.result(live.size() + " " + plural(live, "cookie") + " at " + where + " " + (live.size() == 1 ? "is" : "are")
                + " Secure and SameSite" + (sessions.isEmpty() ? "" : ", the session-like ones (" + String.join(", ", sessions)
                + ") HttpOnly") + deleted);
    }

    private static String plural(List<?> names, String word) {
        String w = word.strip();
        return (names.size() == 1 ? w : w + "s") + (word.endsWith(" ") ? " " : "");
    }

    private static String them(List<?> names) {
        return names.size() == 1 ? "it" : "them";
    }

    /** RFC 6265 section 5.2: the name-value pair up to the first ';', then attributes split at ';'. */
    static Cookie parse(String line) {
        String[] parts = line.split(";", -1);
        String pair = parts[0];
        int eq = pair.indexOf('=');
        // A pair without '=' is a nameless cookie (RFC 6265bis), its whole text the value.
        String name = eq < 0 ? "" : pair.substring(0, eq).strip();
        String value = (eq < 0 ? pair : pair.substring(eq + 1)).strip();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String av = parts[i];
            int e = av.indexOf('=');
            String an = (e < 0 ? av : av.substring(0, e)).strip().toLowerCase(Locale.ROOT);
            String attributeValue = e < 0 ? "" : av.substring(e + 1).strip();
            if (!an.isEmpty()) {
                attributes.remove(an);
                attributes.put(an, attributeValue);
            }
        }
        return new Cookie(line, name, value, attributes);
    }

    /** A cookie sent only to remove one: Max-Age of zero or less, or (without a valid Max-Age) an Expires in the past. */
    static boolean deletes(Cookie c, Instant now) {
        Optional<String> maxAge = c.attribute("max-age").filter(v -> INTEGER.matcher(v).matches());
        if (maxAge.isPresent()) {
            String v = maxAge.get();
            return v.startsWith("-") || v.chars().allMatch(ch -> ch == '0');
        }
        return c.attribute("expires").flatMap(CookiesCheck::date).map(d -> d.isBefore(now)).orElse(false);
    }

    private static Optional<Instant> date(String text) {
        for (String candidate : List.of(text, text.replace('-', ' '))) {
            try {
                return Optional.of(ZonedDateTime.parse(candidate.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                // try the next spelling
            }
        }
        return Optional.empty();
    }

    /** Why the cookie breaks the rules of its {@code __Secure-} or {@code __Host-} prefix (matched case-insensitively). */
    static Optional<String> prefix(Cookie c, boolean https) {
        String lower = c.name().toLowerCase(Locale.ROOT);
        boolean host = lower.startsWith("__host-");
        if (!host && !lower.startsWith("__secure-")) {
            return Optional.empty();
        }
        List<String> broken = new ArrayList<>();
        if (!c.has("secure")) {
            broken.add("it lacks Secure");
        }
        if (!https) {
            broken.add("it is set over plain HTTP");
        }
        if (host) {
            c.attribute("domain").filter(d -> !d.isEmpty()).ifPresent(d -> broken.add("it has Domain=" + d));
            String path = c.attribute("path").orElse(null);
            if (path == null) {
                broken.add("it has no Path=/");
            } else if (!path.equals("/")) {
                broken.add("it has Path=" + path + " instead of Path=/");
            }
        }
        if (broken.isEmpty()) {
            return Optional.empty();
        }
        String rules = host ? "__Host- cookies need Secure, HTTPS, Path=/ and no Domain" : "__Secure- cookies need Secure and HTTPS";
        return Optional.of("cookie " + c.label() + " breaks its prefix rules (" + rules + "): " + String.join(", ", broken)
                + ", so browsers reject it");
    }

    /** Holds a session or credential, by its name; CSRF tokens are meant to be read by scripts. */
    static boolean sessionLike(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("csrf") || lower.contains("xsrf")) {
            return false;
        }
        if (KNOWN_SESSION.contains(lower) || KNOWN_SESSION_PREFIXES.stream().anyMatch(lower::startsWith)
                || lower.contains("session") || lower.contains("remember")) {
            return true;
        }
        for (String word : WORD.split(name)) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.endsWith("sid")) {
                return true;
            }
            for (String k : List.of("sess", "auth", "token", "jwt")) {
                if (w.startsWith(k) || w.endsWith(k)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A stickiness cookie of a load balancer (see {@link #INFRASTRUCTURE}). */
    static boolean infrastructure(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return INFRASTRUCTURE.contains(lower) || INFRASTRUCTURE_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    @Override
    public List<String> validate(Params p) {
        return HttpProbe.pathProblems("path", p.string("path"));
    }
}
