package dev.airworthy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Category;
import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checks.fixture.HostileServer;
import dev.airworthy.checks.fixture.TestCertificates;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import dev.airworthy.run.Runner;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every live check in the catalog (its documented example item) against each pathological
 * server, all at once in this JVM, whose heap the build caps at 256 MB: every item ends by its
 * deadline with a one-line message, nothing crashes or runs out of memory, and where no complete
 * trusted response ever arrived, nothing passes.
 */
class HostileTargetsTest {
    private static final Duration ITEM_TIMEOUT = Duration.ofSeconds(6);
    private static final long SLACK_MS = 1_500;
    private static final CheckRegistry REGISTRY = CheckRegistry.load();

    @Test
    void everyLiveCheckEndsByItsDeadlineAgainstEveryHostileServer() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("the build runs this suite with -Xmx256m").isLessThanOrEqualTo(256L << 20);
        Checklist checklist = new ChecklistLoader(REGISTRY, Map.of("API_TOKEN", "hostile-token"))
                .load("hostile.yml", checklist(), Path.of("."));
        List<HostileServer> servers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<RunResult>> runs = new ArrayList<>();
            for (HostileServer.Mode mode : HostileServer.Mode.values()) {
                HostileServer server = HostileServer.start(mode);
                servers.add(server);
                RunOptions options = new RunOptions(null, server.url(), Path.of("."), List.of(), null, null, ITEM_TIMEOUT)
                        .withCaFiles(List.of(TestCertificates.get().caPem()));
                runs.add(pool.submit(() -> new Runner(REGISTRY, Clock.systemUTC()).run(checklist, options, Progress.NONE)));
            }
            for (int m = 0; m < runs.size(); m++) {
                HostileServer.Mode mode = HostileServer.Mode.values()[m];
                RunResult result = runs.get(m).get();
                table.append(mode).append(":\n");
                for (ItemResult r : result.items()) {
                    table.append(String.format("  %-8s %-24s %5d ms  %s%n", r.status().label(), r.item().check(), r.durationMs(), r.message()));
                    String where = mode + " " + r.item().check();
                    if (r.durationMs() > ITEM_TIMEOUT.toMillis() + SLACK_MS) {
                        problems.add(where + ": took " + r.durationMs() + " ms");
                    }
                    if (r.message().isBlank() || r.message().contains("\n")) {
                        problems.add(where + ": message is not one clear line: '" + r.message() + "'");
                    }
                    if (mode.noResponse && r.status() == Status.PASS) {
                        problems.add(where + ": passed without a complete trusted response: " + r.message());
                    }
                }
            }
        } finally {
            servers.forEach(HostileServer::close);
        }
        System.out.print(table);
        System.out.println("ran within a " + (Runtime.getRuntime().maxMemory() >> 20) + " MB heap; old generation peaked at "
                + oldGenerationPeakMb() + " MB");
        assertThat(problems).as("hostile-target problems; statuses:%n%s", table).isEmpty();
    }

    /** One item per live check: its documented example, made unique. */
    private static String checklist() {
        StringBuilder sb = new StringBuilder("airworthy: 1\nsections:\n  - title: Hostile\n    items:\n");
        List<CheckDescriptor> live = REGISTRY.all().stream()
                .filter(d -> d.category() == Category.HTTP || d.category() == Category.TLS)
                .toList();
        assertThat(live).hasSizeGreaterThanOrEqualTo(5);
        for (CheckDescriptor d : live) {
            String example = d.example().lines().map(l -> "      " + l).collect(Collectors.joining("\n"));
            sb.append(example.replaceFirst("- id: \\S+", "- id: " + d.id().replace('.', '-'))).append('\n');
        }
        return sb.toString();
    }

    /** What survived young collections at most: the long-lived part of the run's memory. */
    private static long oldGenerationPeakMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old") && pool.getPeakUsage() != null) {
                peak = Math.max(peak, pool.getPeakUsage().getUsed());
            }
        }
        return peak >> 20;
    }
}
