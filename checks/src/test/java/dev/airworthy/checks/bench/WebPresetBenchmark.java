package dev.airworthy.checks.bench;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checklist.Presets;
import dev.airworthy.checks.fixture.FixtureServer;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import dev.airworthy.run.Runner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A benchmark, not a test: the {@code web} preset against N loopback targets in one JVM, all runs
 * at once, as a platform team's fleet check would. Prints wall time and requests per second.
 * Run it with {@code bench/web-preset [TARGETS]} (default 200).
 */
public final class WebPresetBenchmark {
    /** A well-configured service, so the checks run their full course instead of stopping early. */
    static final String SERVICE = """
            routes:
              /health: { headers: { Content-Type: application/json }, body: '{"status":"ok"}' }
              /ready: { headers: { Content-Type: application/json }, body: '{"status":"UP","components":{"db":{"status":"UP"}}}' }
              /:
                headers:
                  Content-Type: text/html; charset=utf-8
                  Content-Security-Policy: "default-src 'self'; frame-ancestors 'none'"
                  X-Content-Type-Options: nosniff
                  Referrer-Policy: strict-origin-when-cross-origin
                  Cache-Control: no-cache
                body: "<!doctype html><title>shop</title><p>Welcome to the shop.</p>"
                repeat: 40
                gzip: true
            """;

    private WebPresetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        CheckRegistry registry = CheckRegistry.load();
        Checklist web = Presets.load("web", new ChecklistLoader(registry, Map.of()), Path.of("."));
        List<FixtureServer> servers = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            servers.add(FixtureServer.start(SERVICE));
        }
        try {
            run(registry, web, servers.subList(0, Math.min(5, targets))); // warm-up: JIT, TLS and HTTP client classes
            int before = servers.stream().mapToInt(FixtureServer::requests).sum();
            long t0 = System.nanoTime();
            List<RunResult> results = run(registry, web, servers);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int requests = servers.stream().mapToInt(FixtureServer::requests).sum() - before;
            Map<Status, Integer> statuses = new EnumMap<>(Status.class);
            results.forEach(r -> r.items().forEach(i -> statuses.merge(i.status(), 1, Integer::sum)));
            int items = results.stream().mapToInt(r -> r.items().size()).sum();
            System.out.printf(Locale.ROOT, "web preset (%d checks) against %d loopback targets in one run%n",
                    web.items().size(), targets);
            System.out.printf(Locale.ROOT, "items: %d, by status: %s%n", items, statuses);
            Map<String, Long> why = new java.util.TreeMap<>();
            results.forEach(r -> r.items().stream().filter(i -> i.status() != Status.PASS).forEach(i -> why.merge(
                    i.status().label() + " " + i.item().check() + ": " + i.message().replaceAll("\\d+(\\.\\d+)?", "N"), 1L, Long::sum)));
            why.forEach((k, n) -> System.out.printf(Locale.ROOT, "  %5d × %s%n", n, k.length() > 150 ? k.substring(0, 150) + "…" : k));
            System.out.printf(Locale.ROOT, "wall time: %.2f s%n", seconds);
            System.out.printf(Locale.ROOT, "requests: %d, %.0f requests/s, %.0f items/s%n", requests, requests / seconds, items / seconds);
            System.out.printf(Locale.ROOT, "machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        } finally {
            servers.forEach(FixtureServer::close);
        }
    }

    private static List<RunResult> run(CheckRegistry registry, Checklist web, List<FixtureServer> servers) throws Exception {
        List<RunResult> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RunResult>> runs = new ArrayList<>();
            for (FixtureServer s : servers) {
                RunOptions options = RunOptions.defaults().withUrl(s.url()).withRepo(Path.of("."));
                runs.add(pool.submit(() -> new Runner(registry, Clock.systemUTC()).run(web, options, Progress.NONE)));
            }
            for (Future<RunResult> f : runs) {
                out.add(f.get());
            }
        }
        return out;
    }
}
