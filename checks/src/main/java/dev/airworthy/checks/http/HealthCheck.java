package dev.airworthy.checks.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.check.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@AutoService(Check.class)
@CheckInfo(
        id = "http.health",
        title = "Health endpoint",
        category = Category.HTTP,
        severity = Severity.CRITICAL,
        summary = """
                Requests the health endpoint `samples` times, one after another, and judges every answer \
                (behind a load balancer each may come from another replica), stopping at the first that \
                fails and naming it. Every answer must be a 2xx (what Kubernetes probes and load balancers \
                count as healthy), reached without credentials, with a body that says healthy: JSON \
                `status` of ok, up, healthy, pass, green or available (or a boolean `healthy`, `ok` or \
                `up`), or a plain `ok`; a 204 passes, having no body to say otherwise. The median latency \
                must stay within `max-latency-ms`. Fails on 401/403, any other non-2xx, a body reporting \
                another status, a body over 1 MiB, and an HTML page (Content-Type html with markup, or a \
                body starting with `<` not declared XML): the answer of a single-page app's fallback \
                route, not a health endpoint. Warns, saying on how many of the requests, when a 2xx body \
                is empty or does not say healthy, and on a status of `warn` (the IETF health-check \
                draft's "healthy, with concerns"). Two JSON documents in one body are not JSON.""",
        rationale = """
                Load balancers, orchestrators and uptime monitors decide from the health endpoint whether \
                to send traffic and whether to restart the service. One that is slow, needs a login or \
                answers 200 while reporting a failure makes all of them wrong.""",
        remediation = """
                Serve the path without authentication, answer fast (do not run deep dependency checks \
                here; use a readiness endpoint for those) and return `{"status":"ok"}` with 200 when \
                healthy, 503 otherwise. When a single-page app's server answers the path with its \
                `index.html` (nginx `try_files $uri /index.html`), route the path to the service before \
                the fallback, e.g. `location = /health { proxy_pass http://app; }`.""",
        example = """
                - id: health
                  title: /health responds
                  check: http.health
                  with: { path: /health, max-latency-ms: 200 }""",
        references = {"https://datatracker.ietf.org/doc/html/draft-inadarei-api-health-check",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"},
        params = {
            @Param(name = "path", defaultValue = "/health", description = "Path of the health endpoint."),
            @Param(name = "max-latency-ms", type = ParamType.INTEGER, defaultValue = "200",
                    description = "Budget for the median latency over the samples."),
            @Param(name = "samples", type = ParamType.INTEGER, defaultValue = "5",
                    description = "Number of requests, sent one after another.")
        })
public final class HealthCheck implements Check {
    private static final Set<String> HEALTHY = Set.of("ok", "up", "healthy", "pass", "green", "available");

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String path = p.string("path");
        int samples = (int) p.integer("samples");
        HttpProbe probe = HttpProbe.of(ctx);
        Outcome out = new Outcome();
        List<Double> latencies = new ArrayList<>();
        // Warnings by message: on how many requests, and the first of them.
        Map<String, int[]> warnings = new LinkedHashMap<>();
        for (int i = 1; i <= samples; i++) {
            Exchange x = probe.get(ctx, path);
            latencies.add(x.elapsedMs());
            if (i == 1) {
                out.evidence(x.evidence("Content-Type", "WWW-Authenticate"));
            }
            String which = samples == 1 ? "" : "on request " + i + " of " + samples + ", ";
            if (x.status() == 401 || x.status() == 403) {
                if (i > 1) {
                    out.evidence(x.evidence("Content-Type", "WWW-Authenticate"));
                }
                out.fail("http.health.auth", (i > 1 ? which : "") + path + " answered " + x.status() + ": it requires credentials, which probes do not have");
                return out.result("");
            }
            if (x.status() < 200 || x.status() > 299) {
                if (i > 1) {
                    out.evidence(x.summary());
                }
                out.fail("http.health.status", path + " answered " + x.status() + " on request " + i + " of " + samples);
                return out.result("");
            }
            Optional<Finding> v = verdict(x);
            if (v.isPresent() && v.get().level() == Status.FAIL) {
                // Behind a load balancer each answer may come from another replica: every one must be healthy.
                if (i > 1) {
                    out.evidence(x.evidence("Content-Type"));
                }
                out.finding(v.get().withMessage(which + path + " " + v.get().message()));
                return out.result("");
            }
            int request = i;
            v.ifPresent(w -> warnings.computeIfAbsent(w.message(), m -> new int[] {0, request})[0]++);
        }
        warnings.forEach((message, seen) -> out.warn("http.health.body", (seen[0] == samples ? ""
                : "on " + seen[0] + " of " + samples + " requests (the first: request " + seen[1] + "), ") + path + " " + message));
        List<Double> sorted = latencies.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        if (sorted.size() % 2 == 0) {
            median = (sorted.get(sorted.size() / 2 - 1) + median) / 2;
        }
        out.metric("p50_ms", median);
        out.metric("max_ms", sorted.getLast());
        out.evidence("latency over " + sorted.size() + " requests: median " + fmt(median) + " ms, max " + fmt(sorted.getLast()) + " ms");
        long budget = p.integer("max-latency-ms");
        if (median > budget) {
            out.fail("http.health.latency", "median latency " + fmt(median) + " ms over " + sorted.size() + " requests exceeds " + budget + " ms");
        }
        return out.result(path + " healthy, median " + fmt(median) + " ms over " + sorted.size() + " requests");
    }

    /**
     * What the body of a 2xx answer says, as a finding whose message starts with "answered": nothing
     * when it reports healthy, and nothing for 204, which has no body to say otherwise.
     */
    static Optional<Finding> verdict(Exchange x) {
        String answered = "answered " + x.status();
        if (x.status() == 204) {
            return Optional.empty();
        }
        if (x.truncated()) {
            return Optional.of(Finding.fail("http.health.body", answered + " with a body larger than " + (HttpProbe.MAX_BODY >> 20)
                    + " MiB; a health endpoint should answer in a few bytes"));
        }
        Optional<JsonNode> json = x.json();
        if (json.isEmpty() && htmlPage(x)) {
            return Optional.of(Finding.fail("http.health.body", answered
                    + " with an HTML page, not a health response (a single-page app's fallback route?)"));
        }
        if (json.isPresent() && json.get().isObject()) {
            JsonNode status = json.get().get("status");
            if (status != null && status.isTextual() && status.textValue().equalsIgnoreCase("warn")) {
                // The IETF health-check draft: "warn" is healthy, with concerns.
                return Optional.of(Finding.warn("http.health.body", answered + " and reports status \"warn\": healthy, with concerns"));
            }
            if (status != null && status.isTextual()) {
                return HEALTHY.contains(status.textValue().toLowerCase(Locale.ROOT)) ? Optional.empty()
                        : Optional.of(Finding.fail("http.health.body",
                                answered + " but its body reports status \"" + status.textValue() + "\""));
            }
            for (String flag : List.of("healthy", "ok", "up")) {
                JsonNode b = json.get().get(flag);
                if (b != null && b.isBoolean()) {
                    return b.booleanValue() ? Optional.empty()
                            : Optional.of(Finding.fail("http.health.body",
                                    answered + " but its body reports " + flag + ": false"));
                }
            }
            return Optional.of(Finding.warn("http.health.body",
                    answered + ", but its JSON body has no status field to confirm it is healthy"));
        }
        String text = x.bodyText().strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return Optional.of(Finding.warn("http.health.body", answered + " with an empty body"));
        }
        if (HEALTHY.contains(text.replaceAll("[.!]$", ""))) {
            return Optional.empty();
        }
        return Optional.of(Finding.warn("http.health.body",
                answered + ", but its body does not say it is healthy"));
    }

    /**
     * Whether a body that is not JSON is an HTML page, such as a single-page app's shell served for
     * every unknown path: it starts with {@code <} (after a byte order mark and whitespace) and is
     * not declared XML, or it is declared HTML and holds a tag. A body declared HTML without one
     * ({@code ok} from a framework whose default type is text/html) is judged by its text.
     */
    static boolean htmlPage(Exchange x) {
        String type = x.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        boolean declaredHtml = type.contains("html");
        int n = Math.min(x.body().length, 4096);
        String head = new String(x.body(), 0, n, java.nio.charset.StandardCharsets.UTF_8);
        String start = head.replaceFirst("^[\\s\\uFEFF]+", "");
        if (start.startsWith("<")) {
            return declaredHtml || !type.contains("xml");
        }
        return declaredHtml && head.contains("<") && head.contains(">");
    }

    private static String fmt(double ms) {
        return ms < 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.valueOf(Math.round(ms));
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        if (p.integer("samples") < 1 || p.integer("samples") > 100) {
            problems.add("samples must be between 1 and 100");
        }
        if (p.integer("max-latency-ms") < 1) {
            problems.add("max-latency-ms must be positive");
        }
        return problems;
    }
}
