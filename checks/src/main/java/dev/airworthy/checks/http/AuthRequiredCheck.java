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
import dev.airworthy.check.Status;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "http.auth-required",
        title = "Protected paths refuse anonymous requests",
        category = Category.HTTP,
        severity = Severity.CRITICAL,
        summary = """
                Sends a GET to each of `paths` without credentials (no cookies, no Authorization header) and \
                judges each answer. 401 or 403 passes, and so does a redirect (301, 302, 303, 307, 308) to a \
                login: a Location whose path or fragment has a word such as login, logon, signin, sign-in, \
                sign_in, auth, authorize, oauth, sso, saml, openid or oidc (whole words, so `/authors`, \
                `/lessons` or `/docs/signing-keys` do not count; the query string is not read), or whose \
                host has such a label (`login.example.com`, `sso.example.com`; whole labels, so \
                `auth0.com` is not the word auth). Fails on a 2xx answer: the path served an anonymous \
                request. Warns on any other redirect (saying where it goes; `/admin` → `/admin/` means the \
                path to list is `/admin/`), on 404 and 410 (hidden from anonymous users, or the wrong \
                path), and on other 3xx. A 5xx, a 429, another 4xx (400, 405, ...), no answer at all, or \
                a 401/403 from an edge in front of the service rather than the service itself means the \
                check cannot tell for that path: a `cf-mitigated` header (Cloudflare's bot challenge, \
                which browsers pass) or a body saying "Missing Authentication Token" (AWS API Gateway's \
                answer for a path it has no route for, such as a typo). The item is an error when no path \
                failed.""",
        rationale = """
                An admin console, an internal API or a user listing that answers anonymous requests is the \
                most direct way to a data breach (OWASP API Top 10: broken authentication and broken \
                function-level authorization). Routes lose their protection quietly: a middleware order \
                changes, a new route is added outside the authenticated group, a proxy rule is rewritten. \
                Checking the live service on every deploy catches it.""",
        remediation = """
                Put the path behind the authentication middleware (deny by default, allow public routes \
                explicitly), and answer 401 (with WWW-Authenticate) for APIs or redirect to the login page \
                for browser routes. In Spring Security:

                ```java
                http.authorizeHttpRequests(a -> a
                    .requestMatchers("/health", "/ready", "/public/**").permitAll()
                    .anyRequest().authenticated());
                ```

                In nginx in front of the app, `auth_request /auth;` on the location. For a warn, list the \
                path the redirect or 404 points to, or check that the path exists. A single-page app that \
                serves its HTML shell with 200 for every route fails here even when its API is protected: \
                list the API paths (`/api/admin/...`), which is where the data is, not client-side routes. \
                For a path behind Cloudflare's bot challenge, let the runner through (a WAF skip rule for \
                its address) so the service itself answers; for "Missing Authentication Token", check the \
                path and the stage prefix of the API Gateway URL (`/prod/...`).""",
        example = """
                - id: admin-protected
                  title: Admin and internal APIs need a login
                  check: http.auth-required
                  with: { paths: [/admin/, /api/v1/users, /internal/metrics] }""",
        references = {"https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
            "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/",
            "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
            "https://www.rfc-editor.org/rfc/rfc9110#name-401-unauthorized"},
        params = {
            @Param(name = "paths", type = ParamType.STRING_LIST, required = true,
                    description = "Paths (or absolute URLs) that must refuse anonymous requests, e.g. `[/admin/, /api/v1/users]`.")
        })
public final class AuthRequiredCheck implements Check {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Whole words of a Location that mean a login; {@code sign in}, {@code log in} and {@code sign on} are word pairs. */
    private static final Set<String> LOGIN_WORDS = Set.of("auth", "authn", "authz", "authenticate", "authentication",
            "authorize", "authorise", "authorization", "authorisation", "sso", "oidc");
    /**
     * Stems that mean a login at the start or end of a word ({@code ServiceLogin}, {@code b2clogin},
     * {@code oauth2}, {@code samlsso}); not anywhere inside one, so {@code blogindex} and
     * {@code designing} do not count.
     */
    private static final List<String> LOGIN_FRAGMENTS = List.of("login", "logon", "signin", "signon", "oauth", "saml", "openid");
    /** Words that start with a login stem but are something else: {@code signing} (keys, certificates), {@code logInsight}. */
    private static final List<String> LOOKALIKES = List.of("signing", "loginsight");
    private static final Pattern ABSOLUTE = Pattern.compile("(?s)[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)(.*)");

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        List<String> paths = ctx.params().list("paths");
        HttpProbe probe = HttpProbe.of(ctx);
        Outcome out = new Outcome();
        List<String> errors = new ArrayList<>();
        int protectedCount = 0;
        for (String path : paths) {
            URI uri = HttpProbe.resolve(ctx.requireUrl(), path);
            Exchange x;
            try {
                x = probe.send(ctx, "GET", uri, Map.of(), null, HttpProbe.HEADERS_ONLY);
            } catch (IOException e) {
                errors.add(path + ": " + e.getMessage());
                out.evidence("GET " + uri + " → no answer: " + e.getMessage());
                continue;
            }
            out.evidence(x.summary());
            Optional<String> location = x.header("Location");
            location.ifPresent(l -> out.evidence("< Location: " + l));
            int status = x.status();
            Optional<String> undecided = (status == 401 || status == 403) ? notTheServicesRefusal(x, out) : Optional.empty();
            if (undecided.isPresent()) {
                errors.add(path + " answered " + status + " " + undecided.get());
            } else if (status == 401 || status == 403) {
                protectedCount++;
            } else if (status >= 200 && status < 300) {
                out.fail("http.auth-required.open", path + " answered " + status + " to an anonymous request");
            } else if (REDIRECTS.contains(status)) {
                if (location.isEmpty()) {
                    out.warn("http.auth-required.redirect", path + " answered " + status + " without a Location, so it is not clear where it sends anonymous users");
                } else if (looksLikeLogin(location.get())) {
                    protectedCount++;
                } else {
                    out.warn("http.auth-required.redirect", path + " redirects anonymous requests (" + status + ") to "
                            + location.get() + ", which does not look like a login; list that path instead if it is the protected one");
                }
            } else if (status == 404 || status == 410) {
                out.warn("http.auth-required.not-found", path + " answered " + status
                        + ": hidden from anonymous users, or the wrong path");
            } else if (status >= 300 && status < 400) {
                out.warn("http.auth-required.redirect", path + " answered " + status + location.map(l -> " (to " + l + ")").orElse("")
                        + ", which neither refuses nor serves it");
            } else {
                String why = status == 429 ? "rate limited" : status >= 500 ? "a server error" : "neither a refusal nor an answer";
                errors.add(path + " answered " + status + " (" + why + ")");
            }
        }
        if (!errors.isEmpty()) {
            out.evidence("cannot tell for: " + String.join("; ", errors));
            CheckResult r = out.result("");
            if (r.status() != Status.FAIL) {
                return out.error("cannot tell whether " + (errors.size() == 1 ? "this path requires" : "these paths require")
                        + " credentials: " + String.join("; ", errors));
            }
        }
        return out.result(paths.size() == 1 ? paths.getFirst() + " refuses anonymous requests"
                : "all " + protectedCount + " paths refuse anonymous requests (401/403 or a redirect to a login)");
    }

    /**
     * Why a 401 or 403 is not the service refusing an anonymous request, when it is not: an edge in
     * front of it answered for it. Adds the telling header or body to the evidence.
     */
    private static Optional<String> notTheServicesRefusal(Exchange x, Outcome out) {
        Optional<String> challenge = x.header("cf-mitigated");
        if (challenge.isPresent()) {
            out.evidence("< Cf-Mitigated: " + challenge.get());
            return Optional.of("with cf-mitigated: " + challenge.get() + " (Cloudflare's bot challenge, shown to clients that are not "
                    + "browsers: a browser may get through, so the 403 says nothing about the path's own login)");
        }
        if (x.bodyText().contains("Missing Authentication Token")) {
            out.evidence(x.evidence("x-amzn-ErrorType").stream().skip(1).toList());
            return Optional.of("\"Missing Authentication Token\" (AWS API Gateway's answer for a path it has no route for: "
                    + "a typo in the path, or a route not deployed, not a login)");
        }
        return Optional.empty();
    }

    /**
     * Whether a Location points at a login: judged on whole words of its path and fragment, and on
     * whole labels of its host (or the hyphen-separated parts of a label), never on its query. A
     * host label is not cut at digits, so {@code auth0.com} is not the word auth.
     */
    static boolean looksLikeLogin(String location) {
        String host;
        String where;
        String loc = location.strip();
        try {
            URI u = URI.create(loc);
            host = u.getHost() != null ? u.getHost() : u.getRawAuthority() == null ? "" : u.getRawAuthority();
            where = (u.getPath() == null ? "" : u.getPath()) + " " + (u.getFragment() == null ? "" : u.getFragment());
        } catch (IllegalArgumentException e) {
            Matcher m = ABSOLUTE.matcher(loc);
            host = m.matches() ? m.group(1) : "";
            where = m.matches() ? m.group(2) : loc;
            int q = where.indexOf('?');
            where = q < 0 ? where : where.substring(0, q);
        }
        host = host.replaceFirst("^.*@", "").replaceFirst(":\\d*$", "").toLowerCase(Locale.ROOT);
        for (String label : host.split("\\.")) {
            if (loginWords(label.split("-"))) {
                return true;
            }
        }
        return loginWords(where.toLowerCase(Locale.ROOT).split("[^a-z]+"));
    }

    private static boolean loginWords(String[] words) {
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.isEmpty()) {
                continue;
            }
            if (loginWord(w)) {
                return true;
            }
            if (i + 1 < words.length) {
                String next = words[i + 1];
                if ((w.equals("sign") || w.equals("log")) && (next.equals("in") || next.equals("on"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean loginWord(String w) {
        if (LOGIN_WORDS.contains(w)) {
            return true;
        }
        if (LOOKALIKES.stream().anyMatch(w::startsWith)) {
            return false;
        }
        return LOGIN_FRAGMENTS.stream().anyMatch(f -> w.startsWith(f) || w.endsWith(f));
    }

    @Override
    public List<String> validate(Params p) {
        List<String> paths = p.list("paths");
        if (paths.isEmpty()) {
            return List.of("paths needs at least one path");
        }
        List<String> problems = new ArrayList<>();
        for (String path : paths) {
            problems.addAll(HttpProbe.pathProblems("paths", path));
        }
        return problems;
    }
}
