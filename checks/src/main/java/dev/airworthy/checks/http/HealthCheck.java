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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

@AutoService(Check.class)
@CheckInfo(
        id = "http.health",
        title = "Health endpoint",
        category = Category.HTTP,
        severity = Severity.CRITICAL,
        summary = """
                Requests the health endpoint `samples` times. Every answer must be 200, reached without \
                credentials, with a body that says healthy (JSON `status` of ok, up, healthy or pass, or \
                a plain `ok`), and the median latency must stay within `max-latency-ms`. A status of \
                `warn` (the IETF health-check draft's "healthy, with concerns") warns.""",
        rationale = """
                Load balancers, orchestrators and uptime monitors decide from the health endpoint whether \
                to send traffic and whether to restart the service. One that is slow, needs a login or \
                answers 200 while reporting a failure makes all of them wrong.""",
        remediation = """
                Serve the path without authentication, answer fast (do not run deep dependency checks \
                here; use a readiness endpoint for those) and return `{"status":"ok"}` with 200 when \
                healthy, 503 otherwise.""",
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
        HttpProbe probe = HttpProbe.of(ctx);
        Outcome out = new Outcome();
        List<Double> latencies = new ArrayList<>();
        Exchange first = null;
        for (int i = 0; i < p.integer("samples"); i++) {
            Exchange x = probe.get(ctx, path);
            latencies.add(x.elapsedMs());
            if (first == null) {
                first = x;
                out.evidence(x.evidence("Content-Type", "WWW-Authenticate"));
            }
            if (x.status() == 401 || x.status() == 403) {
                out.fail("http.health.auth", path + " answered " + x.status() + ": it requires credentials, which probes do not have");
                return out.result("");
            }
            if (x.status() != 200) {
                if (x != first) {
                    out.evidence(x.summary());
                }
                out.fail("http.health.status", path + " answered " + x.status() + " on request " + (i + 1) + " of " + p.integer("samples"));
                return out.result("");
            }
        }
        if (first.truncated()) {
            out.fail("http.health.body", "answered 200 with a body larger than " + (HttpProbe.MAX_BODY >> 20)
                    + " MiB; a health endpoint should answer in a few bytes");
        } else {
            verdict(first).ifPresent(out::finding);
        }
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

    /** What the body of a 200 says: nothing when it reports healthy. */
    static Optional<Finding> verdict(Exchange x) {
        Optional<JsonNode> json = x.json();
        if (json.isPresent() && json.get().isObject()) {
            JsonNode status = json.get().get("status");
            if (status != null && status.isTextual() && status.textValue().equalsIgnoreCase("warn")) {
                // The IETF health-check draft: "warn" is healthy, with concerns.
                return Optional.of(Finding.warn("http.health.body", "answered 200 and reports status \"warn\": healthy, with concerns"));
            }
            if (status != null && status.isTextual()) {
                return HEALTHY.contains(status.textValue().toLowerCase(Locale.ROOT)) ? Optional.empty()
                        : Optional.of(Finding.fail("http.health.body",
                                "answered 200 but its body reports status \"" + status.textValue() + "\""));
            }
            for (String flag : List.of("healthy", "ok", "up")) {
                JsonNode b = json.get().get(flag);
                if (b != null && b.isBoolean()) {
                    return b.booleanValue() ? Optional.empty()
                            : Optional.of(Finding.fail("http.health.body",
                                    "answered 200 but its body reports " + flag + ": false"));
                }
            }
            return Optional.of(Finding.warn("http.health.body",
                    "answered 200, but its JSON body has no status field to confirm it is healthy"));
        }
        String text = x.bodyText().strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return Optional.of(Finding.warn("http.health.body", "answered 200 with an empty body"));
        }
        if (HEALTHY.contains(text.replaceAll("[.!]$", ""))) {
            return Optional.empty();
        }
        return Optional.of(Finding.warn("http.health.body",
                "answered 200, but its body does not say it is healthy"));
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
