package dev.airworthy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Category;
import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.ParamSpec;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checks.fixture.HostileRepo;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import dev.airworthy.run.Runner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file-reading check in the catalog (its documented example item) against {@link HostileRepo},
 * in this JVM capped at 256 MB: every item ends by its deadline with one clear line, nothing
 * crashes, hangs on a FIFO or reads {@code /dev/zero} forever, and nothing passes on garbage.
 */
class HostileRepoTest {
    private static final Duration ITEM_TIMEOUT = Duration.ofSeconds(10);
    private static final long SLACK_MS = 2_000;
    private static final CheckRegistry REGISTRY = CheckRegistry.load();
    /** Static checks that do not read repository files, or that may truthfully pass on this tree. */
    private static final Set<String> NOT_FILE_JUDGES = Set.of("cmd", "sql.query", "manual");

    @TempDir
    Path dir;

    @Test
    void everyStaticCheckEndsByItsDeadlineOnAHostileRepository() throws Exception {
        Path repo = HostileRepo.create(dir);
        Checklist checklist = new ChecklistLoader(REGISTRY, Map.of()).load("hostile.yml", checklist(), repo);
        RunOptions options = new RunOptions(null, null, repo, List.of(), null, null, ITEM_TIMEOUT);
        RunResult result = new Runner(REGISTRY, Clock.systemUTC()).run(checklist, options, Progress.NONE);
        List<String> problems = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (ItemResult r : result.items()) {
            table.append(String.format("  %-8s %-24s %5d ms  %s%n", r.status().label(), r.item().check(), r.durationMs(), r.message()));
            String where = r.item().check();
            if (r.durationMs() > ITEM_TIMEOUT.toMillis() + SLACK_MS) {
                problems.add(where + ": took " + r.durationMs() + " ms");
            }
            if (r.message().isBlank() || r.message().contains("\n")) {
                problems.add(where + ": message is not one clear line: '" + r.message() + "'");
            }
            if (r.status() == Status.PASS) {
                problems.add(where + ": passed on a hostile repository: " + r.message());
            }
        }
        System.out.print(table);
        assertThat(problems).as("hostile-repository problems; statuses:%n%s", table).isEmpty();
    }

    /** Per file-reading check: its documented example, made unique, and an item with default parameters. */
    private static String checklist() {
        StringBuilder sb = new StringBuilder("airworthy: 1\nsections:\n  - title: Hostile\n    items:\n");
        List<CheckDescriptor> fileChecks = REGISTRY.all().stream()
                .filter(d -> Set.of(Category.REPOSITORY, Category.CONTAINERS, Category.CONFIGURATION, Category.OPERATIONS)
                        .contains(d.category()))
                .filter(d -> !NOT_FILE_JUDGES.contains(d.id()))
                .toList();
        assertThat(fileChecks).isNotEmpty();
        for (CheckDescriptor d : fileChecks) {
            String example = d.example().lines().map(l -> "      " + l).collect(Collectors.joining("\n"));
            sb.append(example.replaceFirst("- id: \\S+", "- id: " + d.id().replace('.', '-'))).append('\n');
            // Examples often name their files; an item with default parameters discovers them, so it
            // meets the hostile ones (when the check runs without parameters at all).
            String bare = "      - id: " + d.id().replace('.', '-') + "-discovered\n        check: " + d.id() + "\n";
            if (d.params().stream().noneMatch(ParamSpec::required) && loads(bare)) {
                sb.append(bare);
            }
        }
        return sb.toString();
    }

    private static boolean loads(String items) {
        try {
            new ChecklistLoader(REGISTRY, Map.of()).load("bare.yml", "airworthy: 1\nsections:\n  - title: S\n    items:\n" + items, Path.of("."));
            return true;
        } catch (dev.airworthy.checklist.ChecklistException e) {
            return false;
        }
    }
}
