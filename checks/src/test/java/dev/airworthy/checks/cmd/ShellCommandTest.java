package dev.airworthy.checks.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's children do not outlive its item: not at the deadline, and not when the shell leaves them in the background. */
class ShellCommandTest {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();

    @TempDir
    Path repo;

    private ItemResult run(String command, String timeout) throws Exception {
        String yaml = "airworthy: 1\nsections:\n  - title: T\n    items:\n      - id: c\n        check: cmd\n        timeout: " + timeout
                + "\n        with: { run: \"" + command + "\" }\n";
        Checklist checklist = new ChecklistLoader(REGISTRY, Map.of()).load("t.yml", yaml, repo);
        return new Runner(REGISTRY, Clock.systemUTC()).run(checklist, RunOptions.defaults().withRepo(repo), Progress.NONE)
                .items().getFirst();
    }

    /**
     * Whether the background subshell still runs. A killed orphan waits for the system's init to
     * reap it, and counts as alive for {@link ProcessHandle} until then: its state tells.
     */
    private boolean backgroundRuns() throws Exception {
        long pid = Long.parseLong(Files.readString(repo.resolve("pid")).strip());
        for (int i = 0; i < 20; i++) {
            Path stat = Path.of("/proc", String.valueOf(pid), "stat");
            String state = Files.exists(stat) ? Files.readString(stat).replaceAll("^.*\\) ", "").substring(0, 1) : "gone";
            if (state.equals("gone") || state.equals("Z") || state.equals("X")) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    @Test
    void aBackgroundChildIsKilledWhenTheShellExits() throws Exception {
        long start = System.nanoTime();
        ItemResult r = run("(sleep 30; echo x) & echo $! > pid; echo started", "20s");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASS);
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms: the background child kept no pipe open").isLessThan(4_000);
        assertThat(backgroundRuns()).as("the background subshell runs").isFalse();
    }

    @Test
    void everyDescendantIsKilledAtTheDeadline() throws Exception {
        ItemResult r = run("(sleep 30; echo x) & echo $! > pid; sleep 30", "2s");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(backgroundRuns()).as("the background subshell runs").isFalse();
    }
}
