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
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "http.cache-static",
        title = "Static assets are cacheable",
        category = Category.HTTP,
        severity = Severity.LOW,
        summary = """
                Requests static assets and requires each to be cacheable for at least a day: a \
                `Cache-Control` `max-age` or `s-maxage` of 86400 seconds or more, or `immutable` (unless \
                an explicit max-age below a day cuts it short, since `immutable` holds only while the \
                response is fresh). `no-store`, `no-cache`, a shorter or invalid max-age, or no \
                Cache-Control at all fail, a finding per asset with the value; an `Expires` at least a day \
                after `Date` without a max-age warns (it works, but Cache-Control is what caches read \
                first). An asset that does not answer 200 warns. Without `paths`, the assets are those \
                linked from the page at `/`: same-origin `<script src>`, `<link rel=stylesheet>`, \
                `<link rel=icon>` (and other icon rels) and `<img src>`, at most 20; protocol-relative \
                and absolute URLs of other origins, `data:` URLs and links inside comments or scripts are \
                left out. No asset found is `skipped`, with the reason.""",
        rationale = """
                Scripts, stylesheets and images are most of a page's bytes. Cached, a returning visitor \
                downloads none of them and the server and CDN serve a fraction of the traffic; uncached \
                or revalidated on every load, each page view costs round trips. Fingerprinted file names \
                (`app.3f9a1c.js`) make long lifetimes safe.""",
        remediation = """
                Fingerprint asset file names in the build, then serve them with a long lifetime, for \
                example in nginx:

                ```nginx
                location /assets/ {
                    add_header Cache-Control "public, max-age=31536000, immutable";
                }
                ```

                Keep `index.html` itself short-lived (`no-cache`) so new deploys are picked up.""",
        example = """
                - id: cache-static
                  title: Assets are cached for a day or more
                  check: http.cache-static
                  with: { paths: [/assets/app.js, /assets/app.css] }""",
        references = {"https://www.rfc-editor.org/rfc/rfc9111#name-cache-control",
            "https://www.rfc-editor.org/rfc/rfc8246",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching",
            "https://web.dev/articles/http-cache"},
        params = {
            @Param(name = "paths", type = ParamType.STRING_LIST,
                    description = "Assets to check (paths or same-site URLs). Default: those linked from the page at `/`, at most 20.")
        })
public final class CacheStaticCheck implements Check {
    static final long DAY = 86400;
    static final int MAX_ASSETS = 20;
    private static final int CONCURRENCY = 6;
    private static final String RULE = "http.cache-static.cache-control";

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        URI base = ctx.requireUrl();
        HttpProbe probe = HttpProbe.of(ctx);
        Outcome out = new Outcome();
        List<URI> assets = new ArrayList<>();
        List<String> given = ctx.params().list("paths");
        if (!given.isEmpty()) {
            given.forEach(p -> assets.add(HttpProbe.resolve(base, p)));
        } else {
            URI page = HttpProbe.resolve(base, "/");
            Exchange x = probe.send(ctx, "GET", page, Map.of("Accept", "text/html"), null);
            out.evidence(x.summary());
            if (x.status() != 200) {
                throw new NotApplicable("no assets to check: the page at / answered " + x.status()
                        + "; list the assets in `paths`");
            }
            Links links = links(x.bodyText(), page);
            out.evidence("linked from /: " + links.sameOrigin().size() + " same-origin asset(s)"
                    + (links.otherOrigin() > 0 ? ", " + links.otherOrigin() + " on other origins (not checked)" : "")
                    + (links.sameOrigin().size() > MAX_ASSETS ? "; checking the first " + MAX_ASSETS : ""));
            if (links.sameOrigin().isEmpty()) {
                throw new NotApplicable("no same-origin script, stylesheet, icon or image is linked from /"
                        + (links.otherOrigin() > 0 ? " (" + links.otherOrigin() + " on other origins)" : "")
                        + "; list the assets in `paths`");
            }
            assets.addAll(links.sameOrigin().stream().limit(MAX_ASSETS).toList());
        }

        Semaphore permits = new Semaphore(CONCURRENCY);
        List<Future<Exchange>> futures = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (URI asset : assets) {
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return probe.send(ctx, "GET", asset, Map.of(), null, HttpProbe.HEADERS_ONLY);
                    } finally {
                        permits.release();
                    }
                }));
            }
            int answered = 0;
            int year = LocalDateTime.ofInstant(ctx.clock().instant(), ZoneOffset.UTC).getYear();
            long shortest = Long.MAX_VALUE;
            for (int i = 0; i < assets.size(); i++) {
                String name = display(base, assets.get(i));
                Exchange x;
                try {
                    x = futures.get(i).get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof InterruptedException ie) {
                        throw ie;
                    }
                    out.evidence("GET " + assets.get(i) + " → no response: " + e.getCause().getMessage());
                    out.warn("http.cache-static.status", name + " did not answer: " + e.getCause().getMessage());
                    continue;
                }
                answered++;
                List<String> cc = x.headerValues("Cache-Control");
                out.evidence(x.summary() + (cc.isEmpty() ? " · no Cache-Control" : " · Cache-Control: " + String.join(", ", cc))
                        + x.header("Expires").map(e -> " · Expires: " + e).orElse(""));
                if (x.status() != 200) {
                    out.warn("http.cache-static.status", name + " answered " + x.status() + ", not 200: its caching was not judged");
                    continue;
                }
                Verdict v = judge(cc, x.header("Expires"), x.header("Date"), year);
                if (v.lifetime().isPresent()) {
                    shortest = Math.min(shortest, v.lifetime().get());
                }
                if (v.problem() != null) {
                    if (v.warnOnly()) {
                        out.warn("http.cache-static.expires-only", name + " " + v.problem());
                    } else {
                        out.fail(RULE, name + " " + v.problem());
                    }
                }
            }
            if (answered == 0) {
                return out.error("none of the " + assets.size() + " asset(s) answered");
            }
            if (shortest != Long.MAX_VALUE) {
                out.metric("min_max_age_s", shortest);
            }
            return out.result(assets.size() + " asset(s) cacheable for a day or more");
        }
    }

    private static String display(URI base, URI asset) {
        boolean same = asset.getHost() != null && asset.getHost().equalsIgnoreCase(base.getHost())
                && port(asset) == port(base) && asset.getScheme().equalsIgnoreCase(base.getScheme());
        if (!same) {
            return asset.toString();
        }
        return asset.getRawPath() + (asset.getRawQuery() == null ? "" : "?" + asset.getRawQuery());
    }

    /** The judgement of one asset's caching headers: a problem (fail, or warn when {@code warnOnly}), or none. */
    record Verdict(String problem, boolean warnOnly, Optional<Long> lifetime) {
    }

    static Verdict judge(List<String> cacheControl, Optional<String> expires, Optional<String> date, int localYear) {
        Map<String, List<String>> d = directives(cacheControl);
        String shown = cacheControl.isEmpty() ? "" : "'" + String.join(", ", cacheControl) + "'";
        if (d.containsKey("no-store")) {
            return new Verdict("is not cacheable: Cache-Control " + shown + " has no-store", false, Optional.empty());
        }
        if (d.containsKey("no-cache")) {
            return new Verdict("is revalidated on every use: Cache-Control " + shown + " has no-cache", false, Optional.empty());
        }
        Optional<Long> maxAge = seconds(d.get("max-age"));
        Optional<Long> sMaxAge = seconds(d.get("s-maxage"));
        boolean invalid = (d.containsKey("max-age") && maxAge.isEmpty()) || (d.containsKey("s-maxage") && sMaxAge.isEmpty());
        Optional<Long> lifetime = maxAge.isPresent() || sMaxAge.isPresent()
                ? Optional.of(Math.max(maxAge.orElse(0L), sMaxAge.orElse(0L))) : Optional.empty();
        if (invalid && lifetime.isEmpty()) {
            return new Verdict("has an invalid max-age in Cache-Control " + shown + " (caches treat it as stale)", false, Optional.of(0L));
        }
        if (lifetime.isPresent()) {
            if (lifetime.get() >= DAY) {
                return new Verdict(null, false, lifetime);
            }
            return new Verdict("is cacheable for only " + lifetime.get() + " s (Cache-Control " + shown + "; at least " + DAY + " s expected"
                    + (d.containsKey("immutable") ? "; immutable holds only while the response is fresh" : "") + ")", false, lifetime);
        }
        if (d.containsKey("immutable")) {
            return new Verdict(null, false, Optional.empty());
        }
        Optional<Long> byExpires = expiresLifetime(expires, date, localYear);
        if (byExpires.isPresent() && byExpires.get() >= DAY) {
            return new Verdict("has no Cache-Control max-age; only Expires (" + expires.get() + ") makes it cacheable for "
                    + byExpires.get() / DAY + " day(s): prefer Cache-Control", true, byExpires);
        }
        if (cacheControl.isEmpty()) {
            return new Verdict("has no Cache-Control header" + expires.map(e -> " (Expires: " + e + ")").orElse(""), false, Optional.empty());
        }
        return new Verdict("has no max-age or immutable in Cache-Control " + shown, false, Optional.empty());
    }

    /** Directive name (lower case) → values; RFC 9111 section 5.2. */
    static Map<String, List<String>> directives(List<String> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String h : headers) {
            for (String part : h.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String name = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : p.substring(eq + 1).strip().replaceAll("^\"|\"$", "");
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return out;
    }

    /** The smallest of the values (a duplicate directive is invalid; the shorter is the safe reading), when all are numbers. */
    private static Optional<Long> seconds(List<String> values) {
        if (values == null) {
            return Optional.empty();
        }
        long min = Long.MAX_VALUE;
        for (String v : values) {
            if (!v.matches("\\d{1,18}")) {
                return Optional.empty();
            }
            min = Math.min(min, Long.parseLong(v));
        }
        return Optional.of(min);
    }

    /** Seconds from Date to Expires (RFC 9111 section 4.2.1), when both parse. */
    private static Optional<Long> expiresLifetime(Optional<String> expires, Optional<String> date, int localYear) {
        if (expires.isEmpty() || date.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> e = ClockSkewCheck.parseHttpDate(expires.get(), localYear);
        Optional<Instant> d = ClockSkewCheck.parseHttpDate(date.get(), localYear);
        if (e.isEmpty() || d.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Math.max(0, e.get().getEpochSecond() - d.get().getEpochSecond()));
    }

    // ---------------------------------------------------------------- finding the assets in a page

    record Links(List<URI> sameOrigin, int otherOrigin) {
    }

    private static final Pattern COMMENT = Pattern.compile("<!--[\\s\\S]*?(?:-->|$)");
    private static final Pattern SCRIPT_BODY = Pattern.compile("(?i)(<script\\b[^>]*>)[\\s\\S]*?(</script\\s*>|$)");
    private static final Pattern STYLE_BODY = Pattern.compile("(?i)(<style\\b[^>]*>)[\\s\\S]*?(</style\\s*>|$)");
    private static final Pattern TAG = Pattern.compile("(?i)<(script|link|img|base)\\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*+)>");
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "(?<![\\w-])([a-zA-Z][\\w:-]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+))");

    /** Same-origin asset URLs linked from an HTML page, in document order, without duplicates. */
    static Links links(String html, URI page) {
        String h = COMMENT.matcher(html).replaceAll("");
        h = SCRIPT_BODY.matcher(h).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2)));
        h = STYLE_BODY.matcher(h).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2)));
        URI base = page;
        LinkedHashSet<URI> same = new LinkedHashSet<>();
        LinkedHashSet<URI> other = new LinkedHashSet<>();
        Matcher tags = TAG.matcher(h);
        boolean baseSeen = false;
        while (tags.find()) {
            String tag = tags.group(1).toLowerCase(Locale.ROOT);
            Map<String, String> attrs = attributes(tags.group(2));
            String url = switch (tag) {
                case "script", "img" -> attrs.get("src");
                case "link" -> linkRel(attrs.getOrDefault("rel", "")) ? attrs.get("href") : null;
                case "base" -> {
                    // Only the first <base href> counts (HTML standard).
                    if (!baseSeen && attrs.get("href") != null) {
                        baseSeen = true;
                        base = resolve(page, attrs.get("href")).orElse(page);
                    }
                    yield null;
                }
                default -> null;
            };
            if (url == null) {
                continue;
            }
            Optional<URI> u = resolve(base, url);
            if (u.isEmpty()) {
                continue;
            }
            if (sameOrigin(u.get(), page)) {
                same.add(u.get());
            } else {
                other.add(u.get());
            }
        }
        return new Links(List.copyOf(same), other.size());
    }

    private static boolean linkRel(String rel) {
        return Arrays.stream(rel.toLowerCase(Locale.ROOT).split("\\s+"))
                .anyMatch(t -> t.equals("stylesheet") || t.equals("icon") || t.endsWith("-icon"));
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(text);
        while (m.find()) {
            String v = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
            out.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), v);
        }
        return out;
    }

    /** An http(s) URL for a link, or empty for data:, javascript:, fragments and what does not parse. */
    static Optional<URI> resolve(URI base, String link) {
        String l = DebugOffCheck.decodeEntities(link).strip();
        if (l.isEmpty() || l.startsWith("#")) {
            return Optional.empty();
        }
        try {
            URI u = base.resolve(new URI(l.replace(" ", "%20")));
            if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                    || u.getHost() == null) {
                return Optional.empty();
            }
            // Drop the fragment: it never reaches the server.
            String s = u.normalize().toString();
            int hash = s.indexOf('#');
            return Optional.of(URI.create(hash < 0 ? s : s.substring(0, hash)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        for (String path : p.list("paths")) {
            problems.addAll(HttpProbe.pathProblems("path", path));
        }
        if (p.list("paths").size() > 100) {
            problems.add("paths lists " + p.list("paths").size() + " assets; at most 100");
        }
        return problems;
    }
}
