package dev.airworthy.cli;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checklist.Item;
import dev.airworthy.checklist.Target;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.secrets.SecretBaseline;
import dev.airworthy.checks.secrets.SecretScanCheck;
import dev.airworthy.checks.secrets.SecretScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "baseline",
        description = {"Accept the secrets secrets.scan finds today: write each secrets.scan item's baseline file, so that "
                + "the item fails only on secrets that are not in it.",
            "Entries are keyed by rule and secret (an HMAC-SHA256 under a random salt kept in the file), not by line; "
                + "the file holds no secret. Review it and commit it."},
        footerHeading = "%nExamples:%n",
        footer = {"  airworthy baseline", "  airworthy baseline -c ops/airworthy.yml --repo .",
            "  airworthy baseline --output .airworthy/secrets-baseline.json"},
        sortOptions = false, mixinStandardHelpOptions = true)
final class BaselineCommand implements Callable<Integer> {
    private static final String CHECK = "secrets.scan";

    @Option(names = {"-c", "--checklist"}, paramLabel = "FILE", description = "The checklist (default: airworthy.yml).")
    Path checklist;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository to scan (default: the target's repo, else .).")
    Path repo;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write for an item whose with: names no baseline.")
    Path output;

    private final Session session;

    BaselineCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        Path file = session.resolve(checklist == null ? CheckCommand.DEFAULT_CHECKLIST : checklist);
        if (!Files.exists(file)) {
            throw new UserError("no checklist at " + file + "; pass -c FILE");
        }
        Checklist c = new ChecklistLoader(CheckRegistry.load(), session.env()).load(file);
        List<Item> items = c.items().stream().filter(i -> CHECK.equals(i.check())).toList();
        if (items.isEmpty()) {
            throw new UserError(file + " has no " + CHECK + " item; add one (see: airworthy explain " + CHECK + ")");
        }
        // Every item's file first, so that nothing is scanned or written when one is missing.
        Map<Path, List<Item>> byFile = new LinkedHashMap<>();
        List<Item> unconfigured = new ArrayList<>();
        for (Item item : items) {
            Optional<Path> configured = SecretScanCheck.baselineFile(item.params(), c.baseDir());
            if (configured.isEmpty() && output == null) {
                throw new UserError("item '" + item.id() + "' names no baseline file; add `baseline: FILE` to its with:, "
                        + "or pass --output FILE");
            }
            if (configured.isEmpty()) {
                unconfigured.add(item);
            }
            byFile.computeIfAbsent(configured.orElseGet(() -> session.resolve(output)), k -> new ArrayList<>()).add(item);
        }
        Path repoDir = repoDir(c);
        RepoTree tree = RepoTree.walk(repoDir);
        // The same files the check scans: the walk, plus tracked files it leaves out.
        List<RepoTree.RepoFile> scanned = new ArrayList<>(tree.files());
        try {
            scanned.addAll(SecretScanCheck.beyondTheWalk(tree));
        } catch (dev.airworthy.checks.repo.UnreadableFile e) {
            // Without the index the baseline could miss tracked files; better none than a partial one.
            throw new UserError(e.getMessage());
        }
        for (var e : byFile.entrySet()) {
            List<SecretScanner.Finding> findings = new ArrayList<>();
            int files = 0;
            for (Item item : e.getValue()) {
                SecretScanner.Report r = SecretScanCheck.scanner(item.params())
                        .scan(scanned, System.nanoTime() + Duration.ofDays(1).toNanos());
                findings.addAll(r.findings());
                files = Math.max(files, r.filesScanned());
                if (!r.unreadable().isEmpty()) {
                    session.err().println("airworthy: item '" + item.id() + "': could not read " + r.unreadable().size()
                            + " file(s), not in the baseline: " + r.unreadable().getFirst());
                }
                if (r.moreFindings() > 0) {
                    session.err().println("airworthy: item '" + item.id() + "': " + r.moreFindings()
                            + " more findings than a baseline holds were left out");
                }
            }
            Set<String> before = previous(e.getKey());
            int written = SecretBaseline.write(e.getKey(), findings);
            // The salt of an earlier baseline is kept, so its fingerprints compare with the new ones.
            SecretBaseline now = SecretBaseline.read(e.getKey(), e.getKey().toString());
            Set<String> nowKeys = now.entries().stream().map(SecretBaseline.Entry::fingerprint).collect(Collectors.toSet());
            String change = before == null ? "" : String.format(Locale.ROOT, " (%d new, %d no longer found)",
                    nowKeys.stream().filter(f -> !before.contains(f)).count(), before.stream().filter(f -> !nowKeys.contains(f)).count());
            session.out().printf(Locale.ROOT, "Wrote %s: %d entr%s from %d finding(s) in %d files of %s%s, for %s.%n",
                    e.getKey(), written, written == 1 ? "y" : "ies", findings.size(), files, repoDir, change,
                    e.getValue().stream().map(i -> "'" + i.id() + "'").collect(Collectors.joining(", ")));
        }
        for (Item item : unconfigured) {
            session.out().println("Item '" + item.id() + "' does not use it yet: add `baseline: "
                    + c.baseDir().relativize(session.resolve(output)).toString().replace('\\', '/') + "` to its with:.");
        }
        session.out().println("Review and commit the baseline; " + CHECK + " now fails only on secrets that are not in it.");
        return ExitCode.GO.code();
    }

    /** As {@code airworthy check} chooses it: {@code --repo}, else the only target's repo, else the working directory. */
    private Path repoDir(Checklist c) {
        Path dir;
        if (repo != null) {
            dir = session.resolve(repo);
        } else {
            List<Path> repos = c.targets().values().stream().map(Target::repo).filter(r -> r != null)
                    .map(r -> c.baseDir().resolve(r).normalize()).distinct().toList();
            dir = repos.size() == 1 ? repos.getFirst() : session.cwd();
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError((repo != null ? "--repo " + repo : "repository " + dir) + ": not a directory");
        }
        return dir;
    }

    /** The fingerprints of an existing baseline, or null when there is none (or it is not one). */
    private static Set<String> previous(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return SecretBaseline.read(file, file.toString()).entries().stream().map(SecretBaseline.Entry::fingerprint)
                    .collect(Collectors.toSet());
        } catch (java.io.IOException | SecretBaseline.Invalid e) {
            return null;
        }
    }
}
