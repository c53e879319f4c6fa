package dev.airworthy.checks.http;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

@AutoService(Check.class)
@CheckInfo(
        id = "http.debug-off",
        title = "No debug output or exposed internals",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Requests a random missing path, a random path under `/api/`, a built-in list of paths \
                that often leak internals (`/.env`, `/.git/config`, `/.git/HEAD`, `/actuator/env`, \
                `/actuator/heapdump`, `/actuator/configprops`, `/debug/pprof/`, `/server-status`, \
                `/phpinfo.php`, `/info.php`, `/.DS_Store`, `/config.json`, `/debug`, `/console`, \
                `/__debug__/`, `/elmah.axd`, `/trace.axd`, `/wp-config.php.bak`, `/.svn/entries`, \
                `/.aws/credentials`, `/backup.sql`) and the extra `paths`, concurrently. It judges every \
                answer by its content, whatever its status (single-page apps answer 200 with their \
                `index.html` for every path, and that page passes). It fails on: a stack trace (a Python \
                traceback with a frame, two or more Java/Kotlin, Node, Ruby, PHP or .NET frames, a Go \
                goroutine dump, a PHP error with file and line; the word "Traceback" in prose is not one); \
                a framework debug page (Werkzeug debugger or console, Django \
                `DEBUG = True`, Django debug toolbar, Rails exception page, Whoops/Ignition, Symfony \
                toolbar, ASP.NET error page with details, H2 console, ELMAH, trace.axd, pprof, expvar, \
                Apache server-status, nginx stub_status, phpinfo); and sensitive content (KEY=VALUE lines \
                from a `.env`, git metadata, Spring Boot actuator `env`/`configprops` JSON, a heap dump, \
                `.DS_Store`, Subversion metadata, AWS credentials, SQL dumps, SQLite files, private keys, \
                PHP source, JSON config with password or secret values). A finding per distinct cause: \
                the same trace on many paths is one finding that lists them. Evidence shows at most 120 \
                characters of what was found, with the values of sensitive files left out. \
                A path is not judged when its probe gets no response, answers 429 (rate limited) or 503 \
                (unavailable) without anything found in the body, or sends a JSON object larger than the \
                256 KiB airworthy keeps of a probe in which the part read shows nothing (a cut document is \
                judged by its start: an actuator `env` shows itself in its first keys); with nothing found \
                elsewhere, a path not judged makes the item `error`.""",
        rationale = """
                A stack trace or a debug page tells an attacker the framework, its version, file paths, \
                sometimes settings and SQL; the Werkzeug console and H2 console run code. A served `.env`, \
                `.git/` or actuator `env` hands over database passwords and API keys outright. These are \
                among the first things automated scanners request after a deploy, within hours.""",
        remediation = """
                Turn debug mode off in production (`DEBUG = False` in Django, `FLASK_DEBUG=0`, \
                `APP_DEBUG=false` in Laravel, `RAILS_ENV=production`, `customErrors mode="On"` in \
                ASP.NET, `server.error.include-stacktrace=never` in Spring Boot), and return generic \
                error pages. Expose only the actuator endpoints you need \
                (`management.endpoints.web.exposure.include=health,info`). Keep dotfiles and backups out \
                of the web root, or deny them at the proxy, for example in nginx:

                ```nginx
                location ~ /\\.(?!well-known) { deny all; }
                location ~* \\.(bak|sql|swp|old)$ { deny all; }
                ```

                Then rotate every secret that was served: it must be assumed copied.""",
        example = """
                - id: debug-off
                  title: No debug pages, stack traces or exposed files
                  check: http.debug-off
                  with: { paths: [/admin/debug, /.env.production] }""",
        references = {"https://owasp.org/Top10/A05_2021-Security_Misconfiguration/",
            "https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html",
            "https://docs.spring.io/spring-boot/reference/actuator/endpoints.html",
            "https://cwe.mitre.org/data/definitions/209.html",
            "https://cwe.mitre.org/data/definitions/538.html"},
        params = {
            @Param(name = "paths", type = ParamType.STRING_LIST, defaultValue = "[]",
                    description = "Extra paths to probe besides the built-in list, e.g. `[/admin/debug, /.env.production]`.")
        })
public final class DebugOffCheck implements Check {
    /** Traces, debug pages and file signatures show in the first bytes; 25+ probes stay cheap. */
    static final int BODY_KEPT = 256 << 10;

    static final List<String> BUILT_IN = List.of("/.env", "/.git/config", "/.git/HEAD", "/actuator/env",
            "/actuator/heapdump", "/actuator/configprops", "/debug/pprof/", "/server-status", "/phpinfo.php",
            "/info.php", "/.DS_Store", "/config.json", "/debug", "/console", "/__debug__/", "/elmah.axd",
            "/trace.axd", "/wp-config.php.bak", "/.svn/entries", "/.aws/credentials", "/backup.sql");
    private static final int CONCURRENCY = 8;
    private static final int EXCERPT = 120;
    private static final Map<String, String> HEADERS = Map.of("Accept",
            "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8");

    static final String STACK_TRACE = "http.debug-off.stack-trace";
    static final String DEBUG_PAGE = "http.debug-off.debug-page";
    static final String SENSITIVE = "http.debug-off.sensitive-data";

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        long deadlineNanos = System.nanoTime() + ctx.remaining().toNanos();
        URI base = ctx.requireUrl();
        String random = HexFormat.of().formatHex(randomBytes());
        LinkedHashSet<String> paths = new LinkedHashSet<>();
        paths.add("/airworthy-" + random);
        paths.add("/api/airworthy-" + random);
        paths.addAll(BUILT_IN);
        paths.addAll(ctx.params().list("paths"));

        HttpProbe probe = HttpProbe.of(ctx);
        Semaphore permits = new Semaphore(CONCURRENCY);
        List<String> order = new ArrayList<>(paths);
        List<Future<Exchange>> futures = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String path : order) {
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return probe.send(ctx, "GET", HttpProbe.resolve(base, path), HEADERS, null, BODY_KEPT);
                    } finally {
                        permits.release();
                    }
                }));
            }
            Outcome out = new Outcome();
            List<String> statuses = new ArrayList<>();
            // One finding per distinct cause: a site that crashes on every path shows the same trace 23 times.
            Map<String, List<String>> pathsByCause = new LinkedHashMap<>();
            Map<String, Hit> hitByCause = new LinkedHashMap<>();
            Map<String, Exchange> firstByCause = new LinkedHashMap<>();
            Map<String, List<String>> unanswered = new LinkedHashMap<>();
            boolean silentOnly = true;
            for (int i = 0; i < order.size(); i++) {
                String path = order.get(i);
                Exchange x;
                try {
                    x = futures.get(i).get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InterruptedException ie) {
                        throw ie;
                    }
                    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                    unanswered.computeIfAbsent(why.replaceFirst("^GET \\S+: ", ""), k -> new ArrayList<>()).add(path);
                    statuses.add(path + " -");
                    continue;
                }
                statuses.add(path + " " + x.status());
                List<Hit> hits = inspect(path, x, deadlineNanos);
                for (Hit hit : hits) {
                    // Traces differ in details (the path in the message); sensitive files are told apart by content.
                    String cause = hit.rule() + "\n" + hit.what() + (hit.rule().equals(SENSITIVE) ? "\n" + hit.excerpt() : "");
                    pathsByCause.computeIfAbsent(cause, k -> new ArrayList<>()).add(path);
                    hitByCause.putIfAbsent(cause, hit);
                    firstByCause.putIfAbsent(cause, x);
                }
                Optional<String> notJudged = notJudged(x, hits);
                if (notJudged.isPresent()) {
                    unanswered.computeIfAbsent(notJudged.get(), k -> new ArrayList<>()).add(path);
                    silentOnly = false;
                }
            }
            out.evidence("probed " + order.size() + " paths (status each): " + String.join(", ", statuses));
            pathsByCause.forEach((cause, at) -> {
                Hit hit = hitByCause.get(cause);
                String others = at.size() == 1 ? "" : " (the same at " + (at.size() - 1) + " other path"
                        + (at.size() == 2 ? "" : "s") + ": " + list(at.subList(1, at.size())) + ")";
                out.fail(hit.rule(), at.getFirst() + " " + hit.what() + others);
                out.evidence(firstByCause.get(cause).summary() + ": " + hit.excerpt());
            });
            int missing = unanswered.values().stream().mapToInt(List::size).sum();
            String noResponse = unanswered.entrySet().stream().map(e -> list(e.getValue()) + ": " + e.getKey())
                    .collect(java.util.stream.Collectors.joining("; "));
            if (!out.hasFindings() && missing > 0) {
                return out.error(missing + " of " + order.size() + (silentOnly ? " probes got no response, so those paths were not judged ("
                        : " probed paths were not judged (") + noResponse + ")");
            }
            if (missing > 0) {
                out.evidence("not judged: " + noResponse);
            }
            return out.result("no stack trace, debug page or sensitive file in " + order.size() + " probed paths");
        }
    }

    /** HTTP statuses that say the path's content was not shown: its probe is as good as unanswered. */
    private static final Map<Integer, String> UNJUDGED_STATUS = Map.of(429, "rate limited", 503, "unavailable");

    /**
     * Why a response with nothing found ({@code hits} empty) does not show what its path serves,
     * or empty when it does: a 429 or 503, or a JSON object cut short by {@link #BODY_KEPT}.
     */
    static Optional<String> notJudged(Exchange x, List<Hit> hits) {
        if (!hits.isEmpty()) {
            return Optional.empty();
        }
        String status = UNJUDGED_STATUS.get(x.status());
        if (status != null) {
            return Optional.of("answered " + x.status() + " (" + status + ")");
        }
        if (x.truncated() && firstNonBlank(x.body()) == '{') {
            return Optional.of("more than " + (BODY_KEPT >> 10) + " KiB of JSON, cut short: the rest of the document was not read");
        }
        return Optional.empty();
    }

    /** The first byte that is not whitespace or a UTF-8 byte order mark, or -1. */
    private static int firstNonBlank(byte[] bytes) {
        int i = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        return i < bytes.length ? bytes[i] : -1;
    }

    private static String list(List<String> paths) {
        return paths.size() <= 5 ? String.join(", ", paths) : String.join(", ", paths.subList(0, 5)) + " and " + (paths.size() - 5) + " more";
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        for (String path : p.list("paths")) {
            problems.addAll(HttpProbe.pathProblems("path", path));
        }
        return problems;
    }

    // ---------------------------------------------------------------- what a response reveals

    /** What one detector found in one response. */
    record Hit(String rule, String what, String excerpt) {
    }

    /** One response, in the forms the detectors read. */
    static final class Body {
        final String path;
        final byte[] bytes;
        final String raw;
        /** JSON string escapes and HTML entities decoded. */
        final String text;
        /** {@link #text} with HTML tags removed (line-breaking tags become newlines). */
        final String plain;
        final boolean markup;
        /** The probe kept only the first {@link #BODY_KEPT} bytes. */
        final boolean truncated;

        /** When pattern matching over this body must stop. */
        final long deadlineNanos;

        Body(String path, byte[] bytes, boolean truncated, long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
            this.path = path;
            this.bytes = bytes;
            this.truncated = truncated;
            this.raw = new String(bytes, StandardCharsets.UTF_8);
            this.text = decodeEntities(unescapeJson(raw), deadlineNanos);
            this.plain = stripTags(text, deadlineNanos);
            String start = raw.stripLeading();
            this.markup = start.startsWith("\uFEFF<") || start.startsWith("<");
        }

        /** {@code view} read through {@link DeadlineText}: a match over it ends by the deadline. */
        CharSequence bounded(String view) {
            return DeadlineText.of(view, deadlineNanos);
        }

        boolean finds(Pattern p, String view) {
            return p.matcher(bounded(view)).find();
        }

        String lowerPath() {
            String p = path.toLowerCase(Locale.ROOT);
            int q = p.indexOf('?');
            return q < 0 ? p : p.substring(0, q);
        }

        private Optional<JsonNode> json;

        /**
         * The body as a JSON object, parsed once. A body cut short by the probe's cap gives the
         * part that was read: every member whose value was read whole (see {@link #partialJson}).
         */
        Optional<JsonNode> json() {
            if (json == null) {
                json = Optional.empty();
                String t = raw.strip();
                if (t.startsWith("{") || t.startsWith("\uFEFF{")) {
                    if (truncated) {
                        json = partialJson(bytes, deadlineNanos).filter(JsonNode::isObject);
                    } else {
                        try {
                            json = Optional.ofNullable(JSON.readTree(t.startsWith("\uFEFF") ? t.substring(1) : t))
                                    .filter(JsonNode::isObject);
                        } catch (IOException e) {
                            json = Optional.empty();
                        }
                    }
                }
            }
            return json;
        }
    }

    /**
     * The JSON document at the start of {@code bytes}, as far as it goes: containers left open at
     * the end are closed, and a member whose value was cut off is left out. Empty when the bytes
     * do not start a JSON value. Reading stops at the deadline like a pattern match.
     */
    static Optional<JsonNode> partialJson(byte[] bytes, long deadlineNanos) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory nodes = JSON.getNodeFactory();
        java.util.ArrayDeque<JsonNode> open = new java.util.ArrayDeque<>();
        JsonNode root = null;
        String field = null;
        int tokens = 0;
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(bytes)) {
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != null) {
                if ((++tokens & 0xFFF) == 0 && System.nanoTime() - deadlineNanos > 0) {
                    throw new DeadlineText.Expired();
                }
                if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    field = p.currentName();
                    continue;
                }
                if (t == com.fasterxml.jackson.core.JsonToken.END_OBJECT || t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    open.pop();
                    if (open.isEmpty()) {
                        break;
                    }
                    continue;
                }
                JsonNode value = switch (t) {
                    case START_OBJECT -> nodes.objectNode();
                    case START_ARRAY -> nodes.arrayNode();
                    // getText() reads a string to its end: a string cut off throws here, before it is added.
                    case VALUE_STRING -> nodes.textNode(p.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDecimalValue());
                    case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(t == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE);
                    default -> nodes.nullNode();
                };
                JsonNode parent = open.peek();
                if (parent == null) {
                    root = value;
                } else if (parent instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                    o.set(field, value);
                } else {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) parent).add(value);
                }
                if (value.isContainerNode()) {
                    open.push(value);
                } else if (parent == null) {
                    break;
                }
            }
        } catch (IOException e) {
            // The end of what was read, or not JSON past some point: keep what was read whole.
        }
        return Optional.ofNullable(root);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Every finding in a response: at most one per rule. */
    static List<Hit> inspect(String path, Exchange x) {
        return inspect(path, x, Long.MAX_VALUE);
    }

    /** As above, every pattern match over the body ending by {@code deadlineNanos} ({@link System#nanoTime()}). */
    static List<Hit> inspect(String path, Exchange x, long deadlineNanos) {
        Body b = new Body(path, x.body(), x.truncated(), deadlineNanos);
        List<Hit> hits = new ArrayList<>();
        for (List<Function<Body, Optional<Hit>>> group : List.of(STACK_TRACES, DEBUG_PAGES, SENSITIVE_DATA)) {
            for (Function<Body, Optional<Hit>> d : group) {
                Optional<Hit> h = d.apply(b);
                if (h.isPresent()) {
                    hits.add(h.get());
                    break;
                }
            }
        }
        return hits;
    }

    // ---------------------------------------------------------------- stack traces

    private static final Pattern PYTHON = Pattern.compile(
            "Traceback \\(most recent call last\\):\\s{0,200}File \"[^\"\\n]{1,500}\", line \\d+");
    // Repeated groups are bounded: Java's regex engine recurses once per repetition of a group, so
    // "at a.a.a.a…" 100,000 segments long would overflow the stack.
    private static final Pattern JAVA_FRAME = Pattern.compile(
            "\\bat\\s+(?:[\\w.$@-]*/){0,3}[\\w$]+(?:\\.[\\w$<>-]+){1,64}\\((?:[\\w$.-]+\\.(?:java|kt|kts|scala|groovy|clj):\\d+|Native Method|Unknown Source)\\)");
    private static final Pattern JAVA_EXCEPTION = Pattern.compile(
            "\\b(?:[a-z][\\w$]*\\.){1,32}[A-Z][\\w$]*(?:Exception|Error)\\b");
    private static final Pattern NODE_FRAME = Pattern.compile(
            "\\bat\\s+(?:async\\s+)?(?:[\\w$.<>\\[\\]]+(?:\\s\\[as\\s[\\w$]+\\])?\\s+\\()?(?:/|[A-Za-z]:\\\\|node:|file:///)[^\\s()'\"]{1,300}?:\\d+:\\d+\\)?");
    // A Go panic and a PHP error are a head followed closely by a tail; see headThenTail.
    private static final Pattern GO_HEAD = Pattern.compile("goroutine \\d+ \\[[^\\]\\n]{1,40}\\]:");
    private static final Pattern GO_TAIL = Pattern.compile("\\.go:\\d+");
    // A frame starts where a run of path characters starts: a pattern free to start anywhere in a
    // long run of word characters retries it from every position, which is quadratic.
    private static final Pattern RUBY_FRAME = Pattern.compile("(?<![\\w./-])[\\w./-]{1,300}\\.rb:\\d+:in [`'\u2018][^'\u2019\\n]{1,200}['\u2019]");
    private static final Pattern PHP_ERROR_HEAD = Pattern.compile(
            "(?:Fatal error|Parse error|Warning|Notice|Deprecated|Catchable fatal error)\\s{0,10}:\\s{1,10}");
    private static final Pattern PHP_ERROR_TAIL = Pattern.compile(
            "\\s(?:in|thrown in)\\s{1,20}(?:/|[A-Za-z]:\\\\)[^\\s]{1,300}?\\.(?:php|inc|phtml)(?:\\s{1,20}on line\\s{1,20}\\d+|:\\d+)");
    private static final Pattern PHP_TRACE = Pattern.compile("Stack trace:\\s*#0\\s+\\S");
    private static final Pattern PHP_FRAME = Pattern.compile("#\\d+ (?:/|[A-Za-z]:\\\\)\\S{1,300}?\\.php\\(\\d+\\): ");
    private static final Pattern DOTNET_FRAME = Pattern.compile(
            "\\bat\\s+(?:(?:System|Microsoft)\\.[\\w.`<>\\[\\],]+\\([^()\\n]{0,300}\\)|[\\w.`<>\\[\\],]+\\([^()\\n]{0,300}\\)\\s+in\\s+[^\\n]{1,300}?\\.(?:cs|vb|fs):line\\s+\\d+)");

    private static final List<Function<Body, Optional<Hit>>> STACK_TRACES = List.of(
            b -> find(b, PYTHON, 1, "shows a Python traceback"),
            DebugOffCheck::java,
            b -> find(b, NODE_FRAME, 2, "shows a Node.js stack trace"),
            b -> headThenTail(b, GO_HEAD, GO_TAIL, 2000, false, "shows a Go panic with goroutine traces"),
            b -> find(b, RUBY_FRAME, 2, "shows a Ruby backtrace"),
            b -> headThenTail(b, PHP_ERROR_HEAD, PHP_ERROR_TAIL, 500, true, "shows a PHP error with file and line"),
            b -> find(b, PHP_TRACE, 1, "shows a PHP stack trace"),
            b -> find(b, PHP_FRAME, 2, "shows a PHP stack trace"),
            b -> find(b, DOTNET_FRAME, 2, "shows a .NET stack trace"));

    private static Optional<Hit> java(Body b) {
        for (String view : List.of(b.text, b.plain)) {
            Matcher m = JAVA_FRAME.matcher(DeadlineText.of(view, b.deadlineNanos));
            if (!m.find()) {
                continue;
            }
            int first = m.start();
            boolean second = m.find();
            if (second || b.finds(JAVA_EXCEPTION, view.substring(Math.max(0, first - 300), first))) {
                return Optional.of(new Hit(STACK_TRACE, "shows a Java stack trace", excerpt(view, first)));
            }
        }
        return Optional.empty();
    }

    /** {@code count} matches of {@code p} in the decoded text, or in it without tags. */
    private static Optional<Hit> find(Body b, Pattern p, int count, String what) {
        for (String view : List.of(b.text, b.plain)) {
            Matcher m = p.matcher(DeadlineText.of(view, b.deadlineNanos));
            int n = 0;
            int first = -1;
            while (n < count && m.find()) {
                if (first < 0) {
                    first = m.start();
                }
                n++;
            }
            if (n >= count) {
                return Optional.of(new Hit(STACK_TRACE, what, excerpt(view, first)));
            }
        }
        return Optional.empty();
    }

    /**
     * A match of {@code head} followed by one of {@code tail} starting at most {@code maxGap}
     * characters after it (on the same line when {@code sameLine}), in the decoded text or in it
     * without tags. One pattern with a lazy gap ({@code head[\s\S]{0,2000}?tail}) retries the
     * whole gap from every head, so a page of heads costs heads × gap; this finds each pattern's
     * matches once, in order, and pairs every tail with the last head before it.
     */
    private static Optional<Hit> headThenTail(Body b, Pattern head, Pattern tail, int maxGap, boolean sameLine, String what) {
        for (String view : List.of(b.text, b.plain)) {
            CharSequence t = b.bounded(view);
            Matcher h = head.matcher(t);
            List<int[]> heads = new ArrayList<>();
            while (h.find()) {
                heads.add(new int[] {h.start(), h.end()});
            }
            if (heads.isEmpty()) {
                continue;
            }
            Matcher m = tail.matcher(t);
            int last = -1;
            int newline = -1;
            int scanned = 0;
            int from = heads.getFirst()[1];
            while (from <= t.length() && m.find(from)) {
                int at = m.start();
                while (last + 1 < heads.size() && heads.get(last + 1)[1] <= at) {
                    last++;
                }
                for (; scanned < at; scanned++) {
                    if (view.charAt(scanned) == '\n') {
                        newline = scanned;
                    }
                }
                if (last >= 0) {
                    int[] hd = heads.get(last);
                    if (at - hd[1] <= maxGap && (!sameLine || newline < hd[1])) {
                        return Optional.of(new Hit(STACK_TRACE, what, excerpt(view, hd[0])));
                    }
                }
                from = at + 1;
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- debug pages, consoles, status pages

    private static final Pattern ASPNET = Pattern.compile("Server Error in '[^'\\n]{0,200}' Application");
    private static final Pattern ASPNET_DETAILS = Pattern.compile("Stack Trace:|Exception Details:|Source Error:");
    private static final Map<String, Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    private static final List<Function<Body, Optional<Hit>>> DEBUG_PAGES = List.of(
            b -> page(b, b.raw, "<title>[^<]{0,300}Werkzeug Debugger</title>", "is the Werkzeug debugger (it runs code)"),
            b -> b.raw.contains("__debugger__") && b.raw.contains("EVALEX")
                    ? debug(b.raw, b.raw.indexOf("__debugger__"), "is the Werkzeug debugger (it runs code)") : Optional.empty(),
            b -> page(b, b.plain, "seeing this error because you have\\s+DEBUG\\s*=\\s*True", "is a Django debug page (DEBUG = True)"),
            b -> page(b, b.raw, "id=[\"']djDebug[\"']", "shows the Django debug toolbar"),
            b -> page(b, b.plain, "Action Controller: Exception caught|Rails\\.root:\\s*/", "is a Rails exception page"),
            b -> page(b, b.raw, "class=[\"']Whoops container[\"']|Whoops! There was an error|window\\.ignite\\b",
                    "is a Whoops/Ignition (Laravel) debug page"),
            b -> page(b, b.raw, "id=[\"']sfwdt|Symfony Exception", "shows the Symfony debug toolbar or exception page"),
            b -> b.finds(ASPNET, b.plain) && b.finds(ASPNET_DETAILS, b.plain)
                    ? debug(b.plain, b.plain.indexOf("Server Error in"), "is an ASP.NET error page with details") : Optional.empty(),
            b -> page(b, b.plain, "An unhandled exception occurred while processing the request\\.",
                    "is the ASP.NET Core developer exception page"),
            b -> page(b, b.raw, "<title>\\s*H2 Console\\s*</title>", "is the H2 database console (it runs SQL)"),
            b -> b.plain.contains("Error Log for") && b.plain.contains("ELMAH")
                    ? debug(b.plain, b.plain.indexOf("Error Log for"), "is the ELMAH error log") : Optional.empty(),
            b -> b.plain.contains("Application Trace") && b.plain.contains("Requests to this Application")
                    ? debug(b.plain, b.plain.indexOf("Application Trace"), "is the ASP.NET trace viewer") : Optional.empty(),
            b -> page(b, b.plain, "Types of profiles available", "is the Go pprof profiler"),
            b -> b.json().filter(j -> j.has("cmdline") && j.has("memstats"))
                    .map(j -> new Hit(DEBUG_PAGE, "is Go expvar (command line and memory stats)", "JSON with cmdline and memstats")),
            b -> page(b, b.plain, "Apache Server Status for", "is Apache mod_status"),
            b -> page(b, b.plain, "(?m)^[ \\t]*Active connections:[ \\t]*\\d+[ \\t]*\\r?\\n[ \\t]*server accepts handled requests",
                    "is nginx stub_status"),
            b -> page(b, b.raw, "<title>[^<]{0,200}phpinfo\\(\\)[^<]{0,50}</title>|class=\"p\">PHP Version \\d|<td class=\"e\">\\s*PHP Version\\s*</td>|(?m)^PHP Version => \\d",
                    "is phpinfo() output"));

    private static Optional<Hit> page(Body b, String view, String regex, String what) {
        Matcher m = COMPILED.computeIfAbsent(regex, Pattern::compile).matcher(b.bounded(view));
        return m.find() ? debug(view, m.start(), what) : Optional.empty();
    }

    private static Optional<Hit> debug(String view, int at, String what) {
        return Optional.of(new Hit(DEBUG_PAGE, what, excerpt(view, at)));
    }

    // ---------------------------------------------------------------- sensitive content

    // Line starts are matched with [ \t]*, never \s*: \s also takes newlines, so at each of a run of
    // blank lines it would scan the rest of the run, which is quadratic.
    private static final Pattern ENV_LINE = Pattern.compile("(?:export[ \\t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \\t]*=.*");
    private static final Pattern GIT_CONFIG = Pattern.compile(
            "(?m)^[ \\t]*\\[core\\][ \\t]*\\r?\\n(?:[ \\t]*\\r?\\n){0,20}[ \\t]*[A-Za-z]+[ \\t]*=");
    private static final Pattern AWS = Pattern.compile(
            "(?m)^[ \\t]*(aws_access_key_id|aws_secret_access_key|aws_session_token)[ \\t]*=[ \\t]*\\S");
    private static final Pattern SQL = Pattern.compile(
            "(?mi)^[ \\t]*(?:CREATE TABLE|INSERT INTO)[ \\t]+[`\"\\[]?[\\w.]+|^-- (?:MySQL dump|PostgreSQL database dump|MariaDB dump)");
    private static final Pattern SVN_ENTRIES = Pattern.compile("(?:8|9|10)[ \\t]*\\r?\\n[ \\t]*\\r?\\ndir\\r?\\n");
    private static final Pattern CONFIG_KEY = Pattern.compile("[ \\t]*([A-Za-z][\\w.-]*)[ \\t]*=");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----");
    private static final Pattern WP_DEFINE = Pattern.compile("define\\(\\s*['\"]DB_(?:PASSWORD|USER|NAME|HOST)['\"]");
    /** Field names (lower case, without _ - .) that hold a secret, by their ending: dbPassword, client_secret, jwt-secret-key. */
    private static final Pattern SECRET_KEY_NAME = Pattern.compile(
            ".*(?:password|passwd|pwd|secret|secretkey|privatekey|secretaccesskey|apisecret|clientsecret|masterkey)");
    private static final byte[] DS_STORE = {0, 0, 0, 1, 'B', 'u', 'd', '1'};

    private static final List<Function<Body, Optional<Hit>>> SENSITIVE_DATA = List.of(
            DebugOffCheck::env,
            b -> !b.markup && b.finds(GIT_CONFIG, b.raw)
                    ? sensitive("serves a git config (the repository, its remotes)", "[core] " + keysOnly(b, b.raw)) : Optional.empty(),
            b -> b.raw.strip().startsWith("ref: refs/")
                    ? sensitive("serves git HEAD (the .git directory is exposed)", excerpt(b.raw.strip(), 0)) : Optional.empty(),
            b -> b.lowerPath().endsWith(".git/head") && b.raw.strip().matches("[0-9a-f]{40}")
                    ? sensitive("serves git HEAD (the .git directory is exposed)", "a commit id") : Optional.empty(),
            b -> b.json().filter(j -> j.has("propertySources") || j.has("activeProfiles"))
                    .flatMap(j -> sensitive("serves Spring Boot actuator env (configuration, often secrets)",
                            "JSON with " + (j.has("propertySources") ? "propertySources" : "activeProfiles"))),
            b -> b.json().filter(DebugOffCheck::actuatorContexts)
                    .flatMap(j -> sensitive("serves Spring Boot actuator configuration properties or beans", "JSON with contexts.*.beans")),
            b -> startsWith(b.bytes, "JAVA PROFILE".getBytes(StandardCharsets.US_ASCII)) || gzippedHeapDump(b.bytes)
                    ? sensitive("serves a Java heap dump (memory: passwords, tokens, user data)", "binary starting with JAVA PROFILE")
                    : Optional.empty(),
            b -> startsWith(b.bytes, DS_STORE)
                    ? sensitive("serves a .DS_Store (it lists the directory's files)", "binary starting with \\0\\0\\0\\1Bud1")
                    : Optional.empty(),
            b -> startsWith(b.bytes, "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII))
                    ? sensitive("serves a SQLite database file", "binary starting with SQLite format 3") : Optional.empty(),
            DebugOffCheck::svn,
            b -> {
                Matcher m = AWS.matcher(b.bounded(b.raw));
                return !b.markup && m.find() ? sensitive("serves AWS credentials", m.group(1) + " = ****") : Optional.empty();
            },
            b -> {
                Matcher m = SQL.matcher(b.bounded(b.raw));
                return !b.markup && b.lowerPath().matches(".*(?:\\.sql(?:\\.\\w+)?|backup[^/]*|dump[^/]*)$") && m.find()
                        ? sensitive("serves an SQL dump", excerpt(m.group().strip(), 0)) : Optional.empty();
            },
            b -> !b.markup && b.finds(PRIVATE_KEY, b.raw)
                    ? sensitive("serves a private key", "-----BEGIN … PRIVATE KEY-----") : Optional.empty(),
            b -> b.raw.stripLeading().replace("\uFEFF", "").startsWith("<?php")
                    ? sensitive("serves PHP source code instead of running it", "<?php " + (b.finds(WP_DEFINE, b.raw)
                            ? "with define('DB_…') settings" : "…")) : Optional.empty(),
            b -> b.finds(WP_DEFINE, b.raw)
                    ? sensitive("serves database settings (define('DB_…'))", "define('DB_…', ****)") : Optional.empty(),
            b -> b.lowerPath().endsWith(".json")
                    ? b.json().flatMap(j -> secretField(j, "", 0)).flatMap(f -> sensitive(
                            "serves JSON configuration with a secret (" + f + ")", f + ": ****")) : Optional.empty());

    private static Optional<Hit> sensitive(String what, String excerpt) {
        return Optional.of(new Hit(SENSITIVE, what, excerpt.length() > EXCERPT ? excerpt.substring(0, EXCERPT) + "…" : excerpt));
    }

    /** KEY=VALUE lines, from a path named like a dotenv file, making up at least half of its meaningful lines. */
    private static Optional<Hit> env(Body b) {
        String name = b.lowerPath().substring(b.lowerPath().lastIndexOf('/') + 1);
        if (b.markup || !(name.startsWith(".env") || name.endsWith(".env"))) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>();
        int meaningful = 0;
        Iterator<String> lines = b.raw.lines().limit(500).iterator();
        while (lines.hasNext()) {
            String line = lines.next().strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            meaningful++;
            Matcher m = ENV_LINE.matcher(b.bounded(line));
            if (m.matches()) {
                keys.add(m.group(1));
            }
        }
        if (keys.isEmpty() || keys.size() * 2 < meaningful) {
            return Optional.empty();
        }
        return sensitive("serves environment variables (" + keys.size() + " KEY=VALUE lines)",
                String.join(", ", keys.stream().map(k -> k + "=****").toList()));
    }

    /** Subversion's entries file: a format number (8-12) alone or before a "dir" entry, or the old XML form. */
    private static Optional<Hit> svn(Body b) {
        if (!b.lowerPath().endsWith(".svn/entries")) {
            return Optional.empty();
        }
        String t = b.raw.strip();
        if (t.matches("(?:8|9|10|11|12)") || SVN_ENTRIES.matcher(b.bounded(t)).lookingAt() || t.contains("<wc-entries")) {
            return sensitive("serves Subversion metadata (the .svn directory is exposed)", excerpt(t, 0));
        }
        return Optional.empty();
    }

    private static boolean actuatorContexts(JsonNode j) {
        JsonNode contexts = j.get("contexts");
        if (contexts == null || !contexts.isObject()) {
            return false;
        }
        for (Iterator<JsonNode> it = contexts.elements(); it.hasNext();) {
            JsonNode c = it.next();
            if (c.isObject() && c.has("beans")) {
                return true;
            }
        }
        return false;
    }

    /** The first field named like a password or secret with a non-trivial string value. */
    private static Optional<String> secretField(JsonNode node, String at, int depth) {
        if (depth > 20) {
            return Optional.empty();
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String where = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                JsonNode v = e.getValue();
                String name = e.getKey().toLowerCase(Locale.ROOT).replaceAll("[_.\\-]", "");
                if (v.isTextual() && SECRET_KEY_NAME.matcher(name).matches() && realValue(v.textValue())) {
                    return Optional.of(where);
                }
                Optional<String> deeper = secretField(v, where, depth + 1);
                if (deeper.isPresent()) {
                    return deeper;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size() && i < 1000; i++) {
                Optional<String> deeper = secretField(node.get(i), at + "[" + i + "]", depth + 1);
                if (deeper.isPresent()) {
                    return deeper;
                }
            }
        }
        return Optional.empty();
    }

    /** A value that is not empty, a placeholder ({@code ${DB_PASSWORD}}, {@code <secret>}) or a mask. */
    private static boolean realValue(String v) {
        String t = v.strip();
        return t.length() >= 4 && !t.startsWith("${") && !t.startsWith("{{") && !t.startsWith("<") && !t.startsWith("%")
                && !t.matches("[*x•.]+");
    }

    private static boolean gzippedHeapDump(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return false;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return startsWith(in.readNBytes(12), "JAVA PROFILE".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The key names of a config file's first lines, values left out. */
    private static String keysOnly(Body b, String text) {
        List<String> keys = new ArrayList<>();
        for (String line : text.lines().limit(30).toList()) {
            Matcher m = CONFIG_KEY.matcher(b.bounded(line));
            if (m.lookingAt()) {
                keys.add(m.group(1) + " = ****");
            }
        }
        return String.join(", ", keys);
    }

    // ---------------------------------------------------------------- text helpers

    /** Up to {@link #EXCERPT} characters from {@code at}, whitespace collapsed. */
    static String excerpt(String view, int at) {
        String s = view.substring(Math.max(0, at), Math.min(view.length(), Math.max(0, at) + EXCERPT * 3))
                .replaceAll("\\s+", " ").strip();
        return s.length() > EXCERPT ? s.substring(0, EXCERPT) + "…" : s;
    }

    private static String unescapeJson(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        return s.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"").replace("\\/", "/");
    }

    private static final Pattern ENTITY = Pattern.compile("&(#\\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> NAMED = Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"", "apos", "'",
            "nbsp", " ", "rsquo", "\u2019", "lsquo", "\u2018");

    static String decodeEntities(String s) {
        return decodeEntities(s, Long.MAX_VALUE);
    }

    static String decodeEntities(String s, long deadlineNanos) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(DeadlineText.of(s, deadlineNanos));
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String r;
            try {
                if (e.startsWith("#x") || e.startsWith("#X")) {
                    r = Character.toString(Integer.parseInt(e.substring(2), 16));
                } else if (e.startsWith("#")) {
                    r = Character.toString(Integer.parseInt(e.substring(1)));
                } else {
                    r = NAMED.getOrDefault(e, m.group());
                }
            } catch (IllegalArgumentException ex) {
                r = m.group();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(r));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static final Pattern BREAKING_TAG = Pattern.compile("(?i)<(?:br|/p|/div|/tr|/li|/td|/th|/h\\d|/pre|/title)\\b[^<>]{0,500}>");
    private static final Pattern TAG = Pattern.compile("</?[a-zA-Z][a-zA-Z0-9-]*(?:\\s[^<>]{0,2000})?/?>");

    static String stripTags(String s, long deadlineNanos) {
        if (s.indexOf('<') < 0) {
            return s;
        }
        // <init> and <clinit> appear in Java frames; they are not tags.
        String broken = BREAKING_TAG.matcher(DeadlineText.of(s, deadlineNanos)).replaceAll("\n");
        return TAG.matcher(DeadlineText.of(broken, deadlineNanos))
                .replaceAll(m -> m.group().equals("<init>") || m.group().equals("<clinit>") ? "$0" : "");
    }
}
