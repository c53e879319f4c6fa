package dev.airworthy.checks.http;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Durations;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "http.rate-limit",
        title = "Rate limiting",
        category = Category.HTTP,
        severity = Severity.MEDIUM,
        exclusive = true,
        summary = """
                Sends up to `requests` GET requests to `path`, 12 at a time, as fast as the service \
                answers and within `window`, stopping at the first 429. A 429 passes, with a warning when \
                it carries no valid Retry-After; the metric `requests_until_429` counts the answers up to \
                and including it, in the order they arrived. No 429 after all the requests fails (saying when \
                503s or 403s came: a limiter, or a WAF's rate-based rule, with the wrong status). Then, with the \
                limiter tripped, each `exempt` path is requested 5 times: a 429 there fails, since health \
                probes would fail during an attack. When requests fail (refused, timed out) and no 429 \
                came, or the service answered too slowly to send every request within `window` and the \
                item's deadline, the item is an error: the limit was not tested. Runs alone, after every \
                other item, because its burst trips the limiter for airworthy's address.""",
        rationale = """
                A rate limit is what keeps one client, a scraper, a credential-stuffing script or a \
                retry storm from taking the service down for everyone. It must answer 429 (so clients \
                back off, ideally told when by Retry-After) and must not cover the health endpoint, or \
                the orchestrator restarts healthy instances in the middle of an attack.""",
        remediation = """
                Limit requests per client at the edge and answer 429 with Retry-After; exempt the health \
                and readiness paths. nginx (whose `limit_req` answers 503 unless told otherwise):

                ```nginx
                limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;
                limit_req_status 429;
                server {
                    location /      { limit_req zone=api burst=20 nodelay; proxy_pass http://app; }
                    location /health { proxy_pass http://app; }   # no limit_req here
                }
                ```

                Frameworks: express-rate-limit, Django REST framework throttling, Spring with Bucket4j, \
                ASP.NET Core `AddRateLimiter`. An AWS WAF rate-based rule blocks with 403 by default: give \
                its Block action a custom response with status 429 (and a Retry-After header).""",
        example = """
                - id: rate-limit
                  title: API answers 429 under a burst
                  check: http.rate-limit
                  with: { path: /api/v1/modules/, requests: 200, window: 10s, exempt: [/health, /ready] }""",
        references = {"https://www.rfc-editor.org/rfc/rfc6585#section-4",
            "https://www.rfc-editor.org/rfc/rfc9110#name-retry-after",
            "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
            "https://nginx.org/en/docs/http/ngx_http_limit_req_module.html"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Path the burst requests, appended to the target URL (or an absolute URL)."),
            @Param(name = "requests", type = ParamType.INTEGER, defaultValue = "100",
                    description = "How many requests the burst may send (1-10000); the service must answer 429 before they are all answered."),
            @Param(name = "window", type = ParamType.DURATION, defaultValue = "10s",
                    description = "Time the burst may take; it also ends a little before the item's `timeout` (30s by default). If it ends before every request was answered and no 429 came, the item is an error: the limit was not tested."),
            @Param(name = "exempt", type = ParamType.STRING_LIST, defaultValue = "[/health]",
                    description = "Paths that must not be limited, requested 5 times each right after the burst; `[]` for none.")
        })
public final class RateLimitCheck implements Check {
    static final int CONCURRENCY = 12;
    static final int EXEMPT_PROBES = 5;
    static final int MAX_REQUESTS = 10_000;
    /** A burst stops after this many failed requests: hammering a failing service proves nothing. */
    static final int MAX_ERRORS = 10;

    private record Hit(int n, Exchange exchange) {
    }

    private record Burst(int answered, int failed, String firstError, Map<Integer, Integer> statuses, Hit limited,
            Exchange first, double seconds, boolean cutShort) {
    }

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String path = p.string("path");
        int requests = (int) p.integer("requests");
        Duration window = p.duration("window");
        List<String> exempt = p.list("exempt");
        HttpProbe probe = HttpProbe.of(ctx);
        URI uri = HttpProbe.resolve(ctx.requireUrl(), path);

        // The burst gets the window, but leaves time before the deadline for the exempt paths.
        Duration left = ctx.remaining();
        Duration reserve = min(left.dividedBy(3), Duration.ofSeconds(1 + exempt.size()));
        Duration budget = min(window, left.minus(reserve));
        boolean deadlineBound = budget.compareTo(window) < 0;

        Burst b = burst(ctx, probe, uri, requests, budget);
        Outcome out = new Outcome();
        double rps = b.seconds() > 0 ? b.answered() / b.seconds() : 0;
        out.metric("rps", rps);
        if (b.first() != null) {
            out.evidence(b.first().summary());
        }
        out.evidence("burst: " + b.answered() + " answered of " + requests + " allowed in " + seconds(b.seconds()) + " ("
                + Math.round(rps) + " requests/s, " + Math.min(requests, CONCURRENCY) + " at a time): " + breakdown(b)
                + (b.firstError() == null ? "" : "; first failure: " + b.firstError()));

        if (b.limited() != null) {
            Exchange x = b.limited().exchange();
            out.metric("requests_until_429", b.limited().n());
            out.evidence(x.evidence("Retry-After", "RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining"));
            retryAfter(x, out);
            List<String> unlimited = new ArrayList<>();
            for (String e : exempt) {
                try {
                    probeExempt(ctx, probe, e, out).ifPresent(status -> unlimited.add(e + " " + status));
                } catch (IOException failure) {
                    return out.error("after the burst, exempt path " + e + " could not be checked: " + failure.getMessage());
                }
            }
            return out.result("429 after " + b.limited().n() + " requests to " + path
                    + x.header("Retry-After").map(v -> " (Retry-After: " + v + ")").orElse("")
                    + (unlimited.isEmpty() ? "" : "; exempt paths not limited after the burst: " + String.join(", ", unlimited)));
        }
        if (b.failed() > 0) {
            return out.error(b.failed() + " of " + (b.answered() + b.failed()) + " requests to " + path + " failed and no 429 came ("
                    + b.firstError() + "): cannot tell whether it is rate limited");
        }
        if (b.answered() < requests) {
            String limit = deadlineBound
                    ? "the " + seconds(budget.toMillis() / 1000.0) + " left before the item's deadline (raise the item's timeout)"
                    : "the window of " + Durations.format(window);
            return out.error("only " + b.answered() + " of " + requests + " requests to " + path + " were answered within " + limit
                    + ", with no 429: the service answers too slowly to test a limit of " + requests + " requests; lower requests or lengthen window");
        }
        String hint = (b.statuses().containsKey(503)
                ? "; the 503s may be a limiter with the wrong status (nginx limit_req answers 503 unless limit_req_status 429)" : "")
                + (b.statuses().containsKey(403)
                        ? "; the 403s may be a WAF's rate-based rule: a limit that answers 403 instead of 429 (AWS WAF blocks with 403 "
                                + "unless its rule sets a custom response)" : "");
        out.fail("http.rate-limit.no-429", "no 429 after " + requests + " requests in " + Durations.format(window) + " (sent in "
                + seconds(b.seconds()) + ": " + breakdown(b) + ")" + hint);
        return out.result("");
    }

    /** Up to {@code requests} GETs, {@link #CONCURRENCY} at a time, until a 429, too many failures or the budget ends. */
    private static Burst burst(CheckContext ctx, HttpProbe probe, URI uri, int requests, Duration budget) throws InterruptedException {
        int workers = Math.min(requests, CONCURRENCY);
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<Hit> limited = new AtomicReference<>();
        AtomicReference<Exchange> first = new AtomicReference<>();
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        long t0 = System.nanoTime();
        AtomicLong last = new AtomicLong(t0);
        CountDownLatch finished = new CountDownLatch(workers);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        boolean done;
        try {
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> {
                    try {
                        while (!stop.get() && issued.getAndIncrement() < requests) {
                            try {
                                Exchange x = probe.send(ctx, "GET", uri, Map.of(), null, HttpProbe.HEADERS_ONLY);
                                int n = answered.incrementAndGet();
                                last.accumulateAndGet(System.nanoTime(), Math::max);
                                statuses.merge(x.status(), 1, Integer::sum);
                                first.compareAndSet(null, x);
                                if (x.status() == 429 && limited.compareAndSet(null, new Hit(n, x))) {
                                    stop.set(true);
                                }
                            } catch (IOException e) {
                                firstError.compareAndSet(null, e.getMessage());
                                if (failed.incrementAndGet() >= MAX_ERRORS) {
                                    stop.set(true);
                                }
                            }
                        }
                    } catch (InterruptedException e) {
                        // the budget ended with this request in flight: it is not counted
                    } finally {
                        finished.countDown();
                    }
                });
            }
            done = finished.await(Math.max(1, budget.toMillis()), TimeUnit.MILLISECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        if (!done) {
            // Let the interrupted workers leave, so the counts below are final.
            finished.await(1, TimeUnit.SECONDS);
        }
        return new Burst(answered.get(), failed.get(), firstError.get(), Map.copyOf(statuses), limited.get(), first.get(),
                (last.get() - t0) / 1e9, !done);
    }

    /**
     * Requests an exempt path a few times while the limiter is tripped. A 429 is a finding (and
     * empty is returned); otherwise the last status.
     */
    private static Optional<Integer> probeExempt(CheckContext ctx, HttpProbe probe, String path, Outcome out)
            throws IOException, InterruptedException {
        int status = 0;
        for (int i = 1; i <= EXEMPT_PROBES; i++) {
            Exchange x = probe.get(ctx, path, HttpProbe.HEADERS_ONLY);
            status = x.status();
            if (status == 429) {
                out.evidence(x.evidence("Retry-After"));
                out.fail("http.rate-limit.exempt-limited", "exempt path " + path + " answered 429 (request " + i + " of "
                        + EXEMPT_PROBES + " after the burst): health probes would fail during an attack");
                return Optional.empty();
            }
            if (i == EXEMPT_PROBES) {
                out.evidence(x.summary() + " (exempt path, request " + i + " of " + EXEMPT_PROBES + " after the burst; none answered 429)");
            }
        }
        return Optional.of(status);
    }

    /** A 429 should say when to come back: delay-seconds or an HTTP-date (RFC 9110, section 10.2.3). */
    private static void retryAfter(Exchange x, Outcome out) {
        Optional<String> value = x.header("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            out.warn("http.rate-limit.retry-after", "the 429 has no Retry-After header: clients cannot tell when to retry and tend to retry at once");
        } else if (!validRetryAfter(value.get())) {
            out.warn("http.rate-limit.retry-after", "the 429's Retry-After '" + value.get() + "' is neither a number of seconds nor an HTTP date");
        }
    }

    static boolean validRetryAfter(String v) {
        if (v.matches("\\d{1,10}")) {
            return true;
        }
        try {
            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String breakdown(Burst b) {
        String s = b.statuses().entrySet().stream().map(e -> e.getValue() + "×" + e.getKey()).collect(Collectors.joining(", "));
        if (b.failed() > 0) {
            s = (s.isEmpty() ? "" : s + ", ") + b.failed() + " failed";
        }
        if (b.cutShort()) {
            s = (s.isEmpty() ? "" : s + ", ") + "stopped by the time limit";
        }
        return s.isEmpty() ? "no answers" : s;
    }

    private static String seconds(double s) {
        return s < 1 ? Math.round(s * 1000) + " ms" : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        long requests = p.integer("requests");
        if (requests < 1 || requests > MAX_REQUESTS) {
            problems.add("requests must be between 1 and " + MAX_REQUESTS + ", got " + requests);
        }
        if (p.duration("window").isZero()) {
            problems.add("window must be longer than zero");
        }
        for (String e : p.list("exempt")) {
            problems.addAll(HttpProbe.pathProblems("exempt path", e));
        }
        return problems;
    }
}
