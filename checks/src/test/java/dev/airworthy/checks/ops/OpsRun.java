package dev.airworthy.checks.ops;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.Runner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Items run through the real loader and runner, with the checklist in one directory and the repository in another. */
final class OpsRun {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();

    private OpsRun() {
    }

    /** Runs {@code items} (YAML list entries) as a checklist in {@code checklistDir}, against {@code repo}. */
    static List<ItemResult> run(Path checklistDir, Path repo, Clock clock, String items) throws Exception {
        Checklist c = new ChecklistLoader(REGISTRY, Map.of()).load(checklistDir.resolve("airworthy.yml").toString(),
                Checklists.wrap(items), checklistDir);
        return new Runner(REGISTRY, clock).run(c, RunOptions.defaults().withRepo(repo), Progress.NONE).items();
    }

    /** The one item of a run. */
    static ItemResult one(Path checklistDir, Path repo, Clock clock, String item) throws Exception {
        List<ItemResult> items = run(checklistDir, repo, clock, item);
        if (items.size() != 1) {
            throw new IllegalStateException("expected one item, got " + items.size());
        }
        return items.getFirst();
    }
}
