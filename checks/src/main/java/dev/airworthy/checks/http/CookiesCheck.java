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
import java.net.URI;
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
                Fetches `path` and inspects every `Set-Cookie` of the response (attribute names are \
                compared case-insensitively). Every cookie needs `Secure`: a missing one fails over \
                HTTPS and warns over plain HTTP (where the site needs HTTPS first). Session-like cookies \
                need `HttpOnly`, else fail: names containing session or remember, or with a word \
                (split at punctuation and camelCase) that starts or ends with sess, auth, token or jwt, \
                or ends with sid, such as `sessionid`, `connect.sid`, `PHPSESSID`, `JSESSIONID`, \
                `ASP.NET_SessionId` or `authToken`; names containing csrf or xsrf never count, since \
                scripts must read those. Every cookie should have \
                `SameSite`: missing or an unknown value warns, and `SameSite=None` without `Secure` \
                fails (browsers reject it). Cookies named `__Host-` or `__Secure-` must meet their \
                prefix rules (`Secure`, set over HTTPS; `__Host-` also `Path=/` and no `Domain`), else \
                fail. Cookies that only delete (`Max-Age` of zero or less, or an `Expires` in the past) \
                are held to the prefix rules only. A response without cookies passes (the message names \
                a redirect, since the cookies may be set where it leads).""",
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
    private static final Set<String> KNOWN_SESSION = Set.of("connect.sid", "phpsessid", "jsessionid", "asp.net_sessionid");
    private static final Pattern WORD = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    /** One Set-Cookie line: name, value and attributes (names lower-cased; the last of each name wins). */
    record Cookie(String raw, String name, Map<String, String> attributes) {
        boolean has(String attribute) {
            return attributes.containsKey(attribute);
        }

        Optional<String> attribute(String name) {
            return Optional.ofNullable(attributes.get(name));
        }

        String label() {
            return name.isEmpty() ? "(nameless)" : name;
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        URI uri = HttpProbe.resolve(ctx.requireUrl(), path);
        Exchange x = HttpProbe.of(ctx).send(ctx, "GET", uri, Map.of(), null, HttpProbe.HEADERS_ONLY);
        Outcome out = new Outcome();
        out.evidence(x.summary());
        List<String> lines = x.headerValues("Set-Cookie");
        if (lines.isEmpty()) {
            out.evidence("< Set-Cookie: (none)");
            String status = x.status() >= 200 && x.status() < 300 ? ""
                    : " (it answered " + x.status() + x.header("Location").map(l -> " → " + l).orElse("")
                    + "; the cookies may be set elsewhere)";
            return out.result("sets no cookies at " + path + status);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        Instant now = ctx.clock().instant();
        Map<String, List<String>> byRule = new LinkedHashMap<>();
        List<String> live = new ArrayList<>();
        List<String> deleting = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (String line : lines) {
            out.evidence("< Set-Cookie: " + line);
            Cookie c = parse(line);
            prefix(c, https).ifPresent(why -> byRule.computeIfAbsent("prefix", k -> new ArrayList<>()).add(why));
            if (deletes(c, now)) {
                deleting.add(c.label());
                continue;
            }
            live.add(c.label());
            if (!c.has("secure")) {
                byRule.computeIfAbsent("secure", k -> new ArrayList<>()).add(c.label());
            }
            if (sessionLike(c.name())) {
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
                case "secure" -> {
                    if (https) {
                        out.fail(id, plural(names, "cookie ") + list + " lack" + (names.size() == 1 ? "s" : "")
                                + " Secure: browsers also send " + them(names) + " over plain HTTP, where anyone on the network can read "
                                + them(names));
                    } else {
                        out.warn(id, plural(names, "cookie ") + list + " lack" + (names.size() == 1 ? "s" : "")
                                + " Secure, and the target is plain HTTP: browsers would need the site on HTTPS anyway "
                                + "to keep Secure cookies; serve it over HTTPS and mark every cookie Secure");
                    }
                }
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
            return out.result("sets no cookies at " + path + ", only deletes " + String.join(", ", deleting));
        }
        return out.result(live.size() + " " + plural(live, "cookie") + " at " + path + " " + (live.size() == 1 ? "is" : "are")
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
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String av = parts[i];
            int e = av.indexOf('=');
            String an = (e < 0 ? av : av.substring(0, e)).strip().toLowerCase(Locale.ROOT);
            String value = e < 0 ? "" : av.substring(e + 1).strip();
            if (!an.isEmpty()) {
                attributes.remove(an);
                attributes.put(an, value);
            }
        }
        return new Cookie(line, name, attributes);
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
        if (KNOWN_SESSION.contains(lower) || lower.contains("session") || lower.contains("remember")) {
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

    @Override
    public List<String> validate(Params p) {
        return HttpProbe.pathProblems("path", p.string("path"));
    }
}
