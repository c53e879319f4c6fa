package dev.airworthy.checks.repo;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Finding;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.Runner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/** Runs one repository check through the real loader and runner against a directory written by a test. */
final class RepoChecks {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();

    private RepoChecks() {
    }

    /** Runs {@code check} with {@code with} (a YAML flow mapping, or empty) against {@code repo}. */
    static ItemResult run(Path repo, String check, String with) throws Exception {
        String yaml = "airworthy: 1\nsections:\n  - title: T\n    items:\n      - id: item\n        check: " + check + "\n"
                + (with.isEmpty() ? "" : "        with: " + with + "\n");
        Checklist checklist = new ChecklistLoader(REGISTRY, Map.of()).load("t.yml", yaml, repo);
        return new Runner(REGISTRY, Clock.systemUTC()).run(checklist, RunOptions.defaults().withRepo(repo), Progress.NONE)
                .items().getFirst();
    }

    static List<String> rules(ItemResult r) {
        return r.findings().stream().map(f -> f.rule() + (f.line() == null ? "" : "@" + f.file() + ":" + f.line())).toList();
    }

    static List<String> files(ItemResult r) {
        return r.findings().stream().map(Finding::file).toList();
    }

    /** Stages every file of the work tree and commits it, unsigned, as a fixed test identity. */
    static void commitAll(Git git) throws Exception {
        PersonIdent me = new PersonIdent("Test", "test@example.invalid");
        git.add().addFilepattern(".").call();
        git.commit().setMessage("c").setAuthor(me).setCommitter(me).setSign(false).call();
    }

    static void write(Path dir, String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
