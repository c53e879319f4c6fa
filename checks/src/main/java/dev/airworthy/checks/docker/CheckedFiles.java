package dev.airworthy.checks.docker;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.Params;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The files a container check judges: those its {@code files} parameter names (paths or globs
 * relative to the repository root), else those discovery finds in the repository tree.
 */
public final class CheckedFiles {
    public static final String PARAM = "files";

    /** File-name variants that are for a developer's machine or a test run, not for production. */
    private static final Set<String> DEVELOPMENT = Set.of(
            "dev", "devel", "develop", "development", "local", "test", "tests", "testing", "ci", "e2e", "debug");

    private CheckedFiles() {
    }

    /**
     * Why discovery leaves a file out as development-only ({@code docker-compose.dev.yml},
     * {@code Dockerfile.test}, anything under {@code .devcontainer/}), or null when it is judged.
     * {@code variant} is the part of the name that says which environment, if any.
     */
    public static String developmentOnly(RepoFile f, String variant) {
        if (("/" + f.dir() + "/").contains("/.devcontainer/")) {
            return "a development container";
        }
        if (variant != null && DEVELOPMENT.contains(variant.toLowerCase(Locale.ROOT))) {
            return "named for " + variant;
        }
        return null;
    }

    /**
     * The named files, or when none are named the tree's files that {@code discovered} accepts.
     * A named path that does not exist, or a glob that matches nothing, is an error: the check
     * cannot judge what is not there.
     */
    public static List<RepoFile> select(CheckContext ctx, Predicate<RepoFile> discovered) throws IOException {
        List<String> named = ctx.params().list(PARAM);
        RepoTree tree = RepoTree.of(ctx);
        if (named.isEmpty()) {
            return tree.filter(discovered);
        }
        Map<String, RepoFile> out = new LinkedHashMap<>();
        for (String entry : named) {
            if (isGlob(entry)) {
                List<RepoFile> matches = tree.glob(entry);
                if (matches.isEmpty()) {
                    throw new IOException("nothing in the repository matches " + entry);
                }
                matches.forEach(f -> out.putIfAbsent(f.path(), f));
            } else {
                out.putIfAbsent(normalized(entry), named(tree.root(), entry));
            }
        }
        return List.copyOf(out.values());
    }

    /** A file the checklist names, read even when .gitignore hides it from discovery. */
    private static RepoFile named(Path root, String entry) throws IOException {
        Path abs = regularFileInside(root, entry)
                .orElseThrow(() -> new IOException(entry + ": not found in the repository"));
        return new RepoFile(root.relativize(abs).toString().replace('\\', '/'), abs, Files.size(abs));
    }

    /**
     * The regular file at {@code relative} under {@code root}, if there is one and it is really
     * inside: a symbolic link out of the repository is not followed, as the tree walk does not.
     */
    public static Optional<Path> regularFileInside(Path root, String relative) {
        try {
            Path abs = root.resolve(relative).normalize();
            if (!abs.startsWith(root) || !Files.isRegularFile(abs)) {
                return Optional.empty();
            }
            return abs.toRealPath().startsWith(root.toRealPath()) ? Optional.of(abs) : Optional.empty();
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static String normalized(String entry) {
        return Path.of(entry).normalize().toString().replace('\\', '/');
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** Problems with the {@code files} parameter the checklist loader reports. */
    public static List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        if (p.has(PARAM) && p.list(PARAM).isEmpty()) {
            problems.add("files lists nothing; leave it out to discover the files");
        }
        for (String f : p.list(PARAM)) {
            Path path = Path.of(f).normalize();
            if (path.isAbsolute() || path.startsWith("..")) {
                problems.add("'" + f + "' leaves the repository; paths are relative to its root");
            }
        }
        return problems;
    }
}
