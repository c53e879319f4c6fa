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
                Requests static assets and requires each to be cacheable by browsers for at least a day: \
                a `Cache-Control` `max-age` of 86400 seconds or more (a `max-age` of more than 18 digits \
                counts as 2^31, as RFC 9111 says). `no-store`, a plain `no-cache`, a shorter or invalid \
                max-age, no max-age (`immutable` alone does nothing: it holds only while the response is \
                fresh) or no Cache-Control at all fail, a finding per asset with the value. Warnings: an \
                `s-maxage` of a day or more with a shorter or no max-age (cached only by shared caches: \
                browsers revalidate), an `Expires` at least a day after `Date` without a max-age (it \
                works, but Cache-Control is what caches read first), `no-cache` with field names \
                (`no-cache="Set-Cookie"`: RFC 9111 lets caches keep the rest, but Firefox and OkHttp \
                revalidate the whole response), and an asset that does not answer 200. Without `paths`, \
                the assets are those linked from the page at `/` (same-origin redirects followed): \
                same-origin `<script src>`, `<link rel=stylesheet>`, `<link rel=icon>` (and other icon \
                rels) and `<img src>`, at most 20; protocol-relative and absolute URLs of other origins, \
                `data:` URLs and links inside comments or scripts are left out. Of these, only \
                fingerprinted assets fail: a content hash in the name or query (a run of 8 or more \
                letters and digits between `.`, `-`, `_` or `/` that is hexadecimal with a digit, or \
                has a digit and capitals: `app.3f2a9c1b.js`, `main-5TFZKEJR.js`; or 8 characters \
                after the last `-` before the extension mixing cases with a digit, `_`, `-` or 3 capitals, \
                as Vite writes: `main-BkX7f3Qa.css`); a short lifetime on an asset whose name stays the \
                same across deploys (`favicon.ico`, `/img/logo.png`) warns instead, since it may be \
                deliberate. Assets listed in `paths` are judged strictly. No asset found is `skipped`, \
                with the reason.""",
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
    private static final String EXPIRES_ONLY = "http.cache-static.expires-only";
    private static final String SHARED_ONLY = "http.cache-static.shared-only";
    private static final String QUALIFIED_NO_CACHE = "http.cache-static.qualified-no-cache";
    private static final String UNFINGERPRINTED = "http.cache-static.unfingerprinted";
    /** RFC 9111 section 1.2.2: a delta-seconds too large to represent is taken as 2^31. */
    static final long DELTA_SECONDS_MAX = 1L << 31;

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        long deadlineNanos = System.nanoTime() + ctx.remaining().toNanos();
        URI base = ctx.requireUrl();
        HttpProbe probe = HttpProbe.of(ctx);
        Outcome out = new Outcome();
        List<URI> assets = new ArrayList<>();
        List<String> given = ctx.params().list("paths");
        boolean discovered = given.isEmpty();
        if (!discovered) {
            given.forEach(p -> assets.add(HttpProbe.resolve(base, p)));
        } else {
            List<Exchange> hops = probe.follow(ctx, "/", HttpProbe.MAX_BODY);
            hops.forEach(h -> out.evidence(h.summary()));
            Exchange x = hops.getLast();
            URI page = x.uri();
            String at = hops.size() == 1 ? "/" : "/ (→ " + hops.subList(1, hops.size()).stream().map(h -> display(base, h.uri()))
                    .collect(java.util.stream.Collectors.joining(" → ")) + ")";
            if (x.status() != 200) {
                String where = x.status() >= 300 && x.status() < 400 ? x.header("Location").map(l -> ", a redirect to " + l
                        + " on another origin").orElse("") : "";
                throw new NotApplicable("no assets to check: the page at " + at + " answered " + x.status() + where
                        + "; list the assets in `paths`");
            }
            Links links = links(x.bodyText(), page, deadlineNanos);
            out.evidence("linked from " + display(base, page) + ": " + links.sameOrigin().size() + " same-origin asset(s)"
                    + (links.otherOrigin() > 0 ? ", " + links.otherOrigin() + " on other origins (not checked)" : "")
                    + (links.sameOrigin().size() > MAX_ASSETS ? "; checking the first " + MAX_ASSETS : ""));
            if (links.sameOrigin().isEmpty()) {
                throw new NotApplicable("no same-origin script, stylesheet, icon or image is linked from " + at
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
                if (v.problem() == null) {
                    continue;
                }
                if (v.warnOnly()) {
                    out.warn(v.rule(), name + " " + v.problem());
                } else if (discovered && !fingerprinted(assets.get(i))) {
                    // favicon.ico or /img/logo.png keep their name across deploys: a short lifetime may be deliberate.
                    out.warn(UNFINGERPRINTED, name + " " + v.problem() + "; its name has no content hash, so a short lifetime "
                            + "may be deliberate (list it in `paths` to require a long one)");
                } else {
                    out.fail(RULE, name + " " + v.problem());
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
        if (!HttpProbe.sameOrigin(asset, base)) {
            return asset.toString();
        }
        return asset.getRawPath() + (asset.getRawQuery() == null ? "" : "?" + asset.getRawQuery());
    }

    /**
     * The judgement of one asset's caching headers: a problem (fail, or warn under {@code rule}
     * when {@code warnOnly}), or none; {@code lifetime} is how long a browser keeps it fresh.
     */
    record Verdict(String problem, String rule, boolean warnOnly, Optional<Long> lifetime) {
        static Verdict ok(Optional<Long> lifetime) {
            return new Verdict(null, null, false, lifetime);
        }

        static Verdict fail(String problem, Optional<Long> lifetime) {
            return new Verdict(problem, RULE, false, lifetime);
        }

        static Verdict warn(String rule, String problem, Optional<Long> lifetime) {
            return new Verdict(problem, rule, true, lifetime);
        }
    }

    static Verdict judge(List<String> cacheControl, Optional<String> expires, Optional<String> date, int localYear) {
        Map<String, List<String>> d = directives(cacheControl);
        String shown = cacheControl.isEmpty() ? "" : "'" + String.join(", ", cacheControl) + "'";
        if (d.containsKey("no-store")) {
            return Verdict.fail("is not cacheable: Cache-Control " + shown + " has no-store", Optional.empty());
        }
        // A directive without an argument is held as null: no-cache alone, not no-cache="Set-Cookie".
        List<String> noCache = d.getOrDefault("no-cache", new ArrayList<>());
        if (noCache.contains(null)) {
            return Verdict.fail("is revalidated on every use: Cache-Control " + shown + " has no-cache", Optional.empty());
        }
        Verdict v = lifetime(d, shown, cacheControl.isEmpty(), expires, date, localYear);
        if (v.problem() == null && !noCache.isEmpty()) {
            return Verdict.warn(QUALIFIED_NO_CACHE, "has no-cache with field names in Cache-Control " + shown
                    + ": RFC 9111 lets caches keep the rest of the response, but Firefox and OkHttp revalidate all of it on every use",
                    v.lifetime());
        }
        return v;
    }

    /** The verdict on the browser's lifetime: max-age, else Expires; s-maxage alone only warns. */
    private static Verdict lifetime(Map<String, List<String>> d, String shown, boolean noHeader, Optional<String> expires,
            Optional<String> date, int localYear) {
        Optional<Long> maxAge = seconds(d.get("max-age"));
        Optional<Long> sMaxAge = seconds(d.get("s-maxage"));
        boolean immutable = d.containsKey("immutable");
        if (d.containsKey("max-age") && maxAge.isEmpty()) {
            return Verdict.fail("has an invalid max-age in Cache-Control " + shown + " (caches treat it as stale)", Optional.of(0L));
        }
        boolean sharedLong = sMaxAge.isPresent() && sMaxAge.get() >= DAY;
        if (maxAge.isPresent()) {
            long m = maxAge.get();
            if (m >= DAY) {
                return Verdict.ok(maxAge);
            }
            if (sharedLong) {
                return Verdict.warn(SHARED_ONLY, "is cached for a day or more only by shared caches (Cache-Control " + shown
                        + "): browsers keep it for " + m + " s (max-age), then revalidate", maxAge);
            }
            return Verdict.fail("is cacheable for only " + m + " s (Cache-Control " + shown + "; at least " + DAY + " s expected"
                    + (immutable ? "; immutable holds only while the response is fresh" : "") + ")", maxAge);
        }
        // No max-age: browsers use Expires, else a heuristic of their own.
        Optional<Long> byExpires = expiresLifetime(expires, date, localYear);
        if (byExpires.isPresent() && byExpires.get() >= DAY) {
            return Verdict.warn(EXPIRES_ONLY, "has no Cache-Control max-age; only Expires (" + expires.get() + ") makes it cacheable for "
                    + byExpires.get() / DAY + " day(s): prefer Cache-Control", byExpires);
        }
        if (sharedLong) {
            return Verdict.warn(SHARED_ONLY, "is cached for a day or more only by shared caches (Cache-Control " + shown
                    + "): s-maxage does not apply to browsers, and there is no max-age", byExpires);
        }
        if (sMaxAge.isPresent()) {
            return Verdict.fail("is cacheable for only " + sMaxAge.get() + " s, and only by shared caches (Cache-Control " + shown
                    + "; a max-age of at least " + DAY + " s expected)", byExpires);
        }
        if (noHeader) {
            return Verdict.fail("has no Cache-Control header" + expires.map(e -> " (Expires: " + e + ")").orElse(""), byExpires);
        }
        if (immutable) {
            return Verdict.fail("has no max-age in Cache-Control " + shown + ": immutable without a lifetime does nothing"
                    + " (it holds only while the response is fresh)", byExpires);
        }
        return Verdict.fail("has no max-age in Cache-Control " + shown, byExpires);
    }

    /**
     * Directive name (lower case) → its arguments, {@code null} for a directive without one
     * (RFC 9111 section 5.2). Commas inside a quoted argument ({@code no-cache="Set-Cookie, X"})
     * do not separate directives.
     */
    static Map<String, List<String>> directives(List<String> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String h : headers) {
            int n = h.length();
            int i = 0;
            while (i < n) {
                while (i < n && (h.charAt(i) == ',' || Character.isWhitespace(h.charAt(i)))) {
                    i++;
                }
                int start = i;
                while (i < n && h.charAt(i) != ',' && h.charAt(i) != '=') {
                    i++;
                }
                String name = h.substring(start, i).strip().toLowerCase(Locale.ROOT);
                String value = null;
                if (i < n && h.charAt(i) == '=') {
                    i++;
                    while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
                        i++;
                    }
                    StringBuilder v = new StringBuilder();
                    if (i < n && h.charAt(i) == '"') {
                        for (i++; i < n && h.charAt(i) != '"'; i++) {
                            if (h.charAt(i) == '\\' && i + 1 < n) {
                                i++;
                            }
                            v.append(h.charAt(i));
                        }
                        while (i < n && h.charAt(i) != ',') {
                            i++;
                        }
                    } else {
                        while (i < n && h.charAt(i) != ',') {
                            v.append(h.charAt(i++));
                        }
                    }
                    value = v.toString().strip();
                }
                if (!name.isEmpty()) {
                    out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
        }
        return out;
    }

    /**
     * The smallest of the values (a duplicate directive is invalid; the shorter is the safe
     * reading), when all are numbers; one too large to represent counts as 2^31 (RFC 9111 1.2.2).
     */
    private static Optional<Long> seconds(List<String> values) {
        if (values == null) {
            return Optional.empty();
        }
        long min = Long.MAX_VALUE;
        for (String v : values) {
            if (v == null || v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            min = Math.min(min, v.length() > 18 ? DELTA_SECONDS_MAX : Long.parseLong(v));
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

    // An unquoted scan inside a tag stops at '<' as well as '>': a page of "<script " without any '>'
    // would otherwise scan from every tag start to the end, which is quadratic. Quoted values are capped.
    private static final Pattern COMMENT = Pattern.compile("<!--[\\s\\S]*?(?:-->|$)");
    private static final Pattern SCRIPT_BODY = Pattern.compile("(?i)(<script\\b[^<>]*>)[\\s\\S]*?(</script\\s*>|$)");
    private static final Pattern STYLE_BODY = Pattern.compile("(?i)(<style\\b[^<>]*>)[\\s\\S]*?(</style\\s*>|$)");
    // The attributes: runs of unquoted text between quoted values, unrolled so that the engine
    // recurses once per quoted value (bounded), not once per character.
    private static final Pattern TAG = Pattern.compile(
            "(?i)<(script|link|img|base)\\b([^<>\"']*+(?:(?:\"[^\"]{0,4096}\"|'[^']{0,4096}')[^<>\"']*+){0,256}+)>");
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "(?<![\\w-])([a-zA-Z][\\w:-]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+))");

    static Links links(String html, URI page) {
        return links(html, page, Long.MAX_VALUE);
    }

    /**
     * Same-origin asset URLs linked from an HTML page, in document order, without duplicates;
     * every match over the page ends by {@code deadlineNanos} ({@link System#nanoTime()}).
     */
    static Links links(String html, URI page, long deadlineNanos) {
        String h = COMMENT.matcher(DeadlineText.of(html, deadlineNanos)).replaceAll("");
        h = SCRIPT_BODY.matcher(DeadlineText.of(h, deadlineNanos)).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2)));
        h = STYLE_BODY.matcher(DeadlineText.of(h, deadlineNanos)).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2)));
        URI base = page;
        LinkedHashSet<URI> same = new LinkedHashSet<>();
        LinkedHashSet<URI> other = new LinkedHashSet<>();
        Matcher tags = TAG.matcher(DeadlineText.of(h, deadlineNanos));
        boolean baseSeen = false;
        while (tags.find()) {
            String tag = tags.group(1).toLowerCase(Locale.ROOT);
            Map<String, String> attrs = attributes(tags.group(2), deadlineNanos);
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
            if (HttpProbe.sameOrigin(u.get(), page)) {
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

    private static Map<String, String> attributes(String text, long deadlineNanos) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(DeadlineText.of(text, deadlineNanos));
        while (m.find()) {
            String v = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
            out.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), v);
        }
        return out;
    }

    private static final Pattern TOKEN_SEPARATORS = Pattern.compile("[/.~?&=+,;_-]+");
    /** Vite and Rollup: {@code name-[hash:8].ext}, the hash in base64url, which may hold '-' and '_'. */
    private static final Pattern DASH_HASH = Pattern.compile("-([A-Za-z0-9_-]{8})\\.[A-Za-z0-9]+$");

    /** Whether the asset's path or query holds a content hash, so that a new build gets a new URL. */
    static boolean fingerprinted(URI asset) {
        String path = asset.getRawPath() == null ? "" : asset.getRawPath();
        String query = asset.getRawQuery() == null ? "" : asset.getRawQuery();
        for (String token : TOKEN_SEPARATORS.split(path + "?" + query)) {
            if (hashLike(token)) {
                return true;
            }
        }
        Matcher m = DASH_HASH.matcher(path.substring(path.lastIndexOf('/') + 1));
        if (m.find()) {
            String h = m.group(1);
            long upper = h.chars().filter(c -> c >= 'A' && c <= 'Z').count();
            boolean lower = h.chars().anyMatch(c -> c >= 'a' && c <= 'z');
            boolean other = h.chars().anyMatch(c -> Character.isDigit(c) || c == '_' || c == '-');
            return upper > 0 && lower && (other || upper >= 3);
        }
        return false;
    }

    /** 8+ letters and digits: hexadecimal with a digit (3f2a9c1b), or with a digit and capitals (BkX7f3Qa, 5TFZKEJR). */
    private static boolean hashLike(String t) {
        if (t.length() < 8 || !t.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return false;
        }
        boolean digit = t.chars().anyMatch(c -> c >= '0' && c <= '9');
        boolean hex = t.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        boolean upper = t.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
        return digit && (hex || upper);
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
