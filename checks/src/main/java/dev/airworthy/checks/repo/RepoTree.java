package dev.airworthy.checks.repo;

import dev.airworthy.check.CheckContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The repository's files as a reviewer sees them: {@code .gitignore} files honoured (nested ones,
 * negations, and {@code .git/info/exclude} at the root), version-control and vendored directories
 * ({@code node_modules}, {@code vendor}, virtualenvs, ...) left out, symbolic links not followed.
 * The tree is walked once per run and shared by every check ({@link #of(CheckContext)}).
 *
 * <p>Ignore files above {@code --repo} do not apply: the repository under check is the directory
 * the user named, whether or not it is a git work tree of its own.
 */
public final class RepoTree {
    /** Directories that hold other people's code or tool state, never the service's own files. */
    public static final Set<String> SKIPPED_DIRS = Set.of(
            ".git", ".hg", ".svn", "node_modules", "bower_components", "jspm_packages", "vendor", "third_party",
            ".venv", "venv", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".gradle", ".terraform",
            "Pods", ".bundle", ".yarn");

    /** One regular file: its path relative to the root with {@code /} separators, and its size. */
    public record RepoFile(String path, Path absolute, long size) {
        public String name() {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? path : path.substring(slash + 1);
        }

        /** The directory part of {@link #path()}, empty for files at the root. */
        public String dir() {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? "" : path.substring(0, slash);
        }
    }

    private final Path root;
    private final List<RepoFile> files;
    private volatile IndexRead tracked;

    private RepoTree(Path root, List<RepoFile> files) {
        this.root = root;
        this.files = files;
    }

    /** The tree of the run's repository, walked on first use and shared by the run's checks. */
    public static RepoTree of(CheckContext ctx) {
        return ctx.shared(Cache.class, Cache::new).get(ctx.repo());
    }

    /**
     * Walks {@code root} now. The root itself is resolved to its real path first: the user named it, so a
     * symbolic link to the repository is the repository (links inside it are still not followed).
     */
    public static RepoTree walk(Path root) throws IOException {
        Path named = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(named)) {
            throw new IOException("repository " + root + " is not a directory");
        }
        Path abs = named.toRealPath();
        Walker walker = new Walker(abs);
        Files.walkFileTree(abs, walker);
        walker.out.sort((a, b) -> a.path().compareTo(b.path()));
        return new RepoTree(abs, List.copyOf(walker.out));
    }

    public Path root() {
        return root;
    }

    /** Every file not ignored, sorted by path. */
    public List<RepoFile> files() {
        return files;
    }

    /** Files whose name (last segment) is one of {@code names}, compared without case. */
    public List<RepoFile> named(String... names) {
        Set<String> wanted = new HashSet<>();
        for (String n : names) {
            wanted.add(n.toLowerCase(Locale.ROOT));
        }
        return filter(f -> wanted.contains(f.name().toLowerCase(Locale.ROOT)));
    }

    /**
     * Files whose relative path matches a glob such as {@code **}{@code /Dockerfile} or {@code k8s/*.yaml}.
     * A {@code **}{@code /} segment matches zero or more directories, as in .gitignore and most tools
     * ({@code k8s/**}{@code /*.yaml} matches {@code k8s/a.yaml}); Java's glob alone wants at least one.
     */
    public List<RepoFile> glob(String glob) {
        List<PathMatcher> matchers = globVariants(glob).stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        return filter(f -> {
            Path p = Path.of(f.path());
            return matchers.stream().anyMatch(m -> m.matches(p));
        });
    }

    /** The glob with each {@code **}{@code /} segment kept or dropped, every combination (at most 2^8). */
    static List<String> globVariants(String glob) {
        List<String> out = new ArrayList<>(List.of(glob));
        int from = 0;
        for (int n = 0; n < 8; n++) {
            int at = glob.indexOf("**/", from);
            while (at > 0 && glob.charAt(at - 1) != '/') {
                at = glob.indexOf("**/", at + 1);
            }
            if (at < 0) {
                break;
            }
            final int cut = at;
            out.addAll(out.stream().map(g -> dropSegmentAt(g, glob, cut)).toList());
            from = at + 3;
        }
        return out;
    }

    /** {@code variant} with the {@code **}{@code /} found at {@code at} in {@code glob} removed. */
    private static String dropSegmentAt(String variant, String glob, int at) {
        // Variants only ever lose text before "at", so the segment is the same distance from the end.
        int fromEnd = glob.length() - at;
        int i = variant.length() - fromEnd;
        return variant.substring(0, i) + variant.substring(i + 3);
    }

    public List<RepoFile> filter(Predicate<RepoFile> p) {
        return files.stream().filter(p).toList();
    }

    /**
     * For a check's {@code validate}: one problem per path of parameter {@code param} that is absolute
     * or climbs out of the repository with {@code ..}.
     */
    public static List<String> pathsLeavingRoot(String param, List<String> paths) {
        List<String> problems = new ArrayList<>();
        for (String p : paths) {
            String plain = p.replace('\\', '/');
            if (plain.startsWith("/") || Path.of(plain).normalize().startsWith("..")) {
                problems.add(param + ": '" + p + "' leaves the repository; paths are relative to its root");
            }
        }
        return problems;
    }

    /**
     * A file a checklist names by its relative path: found even when ignored (rendered output such as
     * {@code kustomize build > deploy/rendered.yaml}); empty when it is missing, not a regular file, or
     * outside the root.
     */
    public Optional<RepoFile> explicit(String path) {
        Path abs = root.resolve(path).normalize();
        if (!abs.startsWith(root) || abs.equals(root)) {
            return Optional.empty();
        }
        String rel = root.relativize(abs).toString().replace('\\', '/');
        Optional<RepoFile> walked = files.stream().filter(f -> f.path().equals(rel)).findFirst();
        if (walked.isPresent()) {
            return walked;
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attrs.isRegularFile() ? Optional.of(new RepoFile(rel, abs, attrs.size())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The paths (relative to the root) that git tracks, when the root is inside a git work tree;
     * empty when no git directory is found above it (or it is bare). Read from the index, as
     * {@code git ls-files} does.
     *
     * @throws UnreadableFile when a git directory is found but its index cannot be read: which files
     *     are tracked is then unknown, which is not the same as "not a git work tree"
     */
    public Optional<Set<String>> tracked() throws UnreadableFile {
        IndexRead t = tracked;
        if (t == null) {
            try {
                t = new IndexRead(readIndex(root), null);
            } catch (UnreadableFile e) {
                t = new IndexRead(null, e.getMessage());
            }
            tracked = t;
        }
        if (t.problem() != null) {
            throw new UnreadableFile(t.problem());
        }
        return t.paths();
    }

    private record IndexRead(Optional<Set<String>> paths, String problem) {
    }

    /** How long {@code git ls-files} may take when JGit cannot read the index itself. */
    static final long GIT_LS_FILES_SECONDS = 30;
    private static final long MAX_LS_FILES_BYTES = 256L * 1024 * 1024;

    static Optional<Set<String>> readIndex(Path root) throws UnreadableFile {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        String problem;
        try (Repository repo = builder.setMustExist(true).build()) {
            if (repo.isBare()) {
                return Optional.empty();
            }
            Path work = repo.getWorkTree().toPath().toRealPath();
            String prefix = root.equals(work) ? "" : work.relativize(root).toString().replace('\\', '/') + "/";
            DirCache index = repo.readDirCache();
            Set<String> out = new HashSet<>();
            problem = null;
            for (int i = 0; i < index.getEntryCount() && problem == null; i++) {
                DirCacheEntry e = index.getEntry(i);
                String p = e.getPathString();
                if (e.getFileMode() == FileMode.TREE || p.endsWith("/")) {
                    // A sparse index stands for a whole directory with one entry; its files are not listed.
                    problem = "sparse index (directory entry " + p + ")";
                } else if (p.startsWith(prefix)) {
                    out.add(p.substring(prefix.length()));
                }
            }
            if (problem == null) {
                return Optional.of(Set.copyOf(out));
            }
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        // JGit cannot read every index git writes (split index, sparse index): git itself can, when installed.
        return Optional.of(lsFiles(root, "git index unreadable: " + builder.getGitDir() + ": " + problem));
    }

    /**
     * The tracked paths under {@code root} as the {@code git} binary lists them, bounded in time and size.
     * The fsmonitor hook (a command a repository's config may name) is switched off, and the caller's
     * {@code GIT_*} variables are dropped so that they cannot point git at another repository.
     */
    private static Set<String> lsFiles(Path root, String problem) throws UnreadableFile {
        Path outFile = null;
        Process proc = null;
        try {
            outFile = Files.createTempFile("airworthy-ls-files", ".z");
            ProcessBuilder pb = new ProcessBuilder("git", "-c", "core.fsmonitor=false", "-C", root.toString(),
                    "ls-files", "-z", "--cached")
                    .redirectOutput(outFile.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
            try {
                proc = pb.start();
            } catch (IOException e) {
                throw new UnreadableFile(problem + " (no git binary to ask instead)");
            }
            if (!proc.waitFor(GIT_LS_FILES_SECONDS, TimeUnit.SECONDS)) {
                throw new UnreadableFile(problem + " (git ls-files did not finish within " + GIT_LS_FILES_SECONDS + " s)");
            }
            if (proc.exitValue() != 0) {
                throw new UnreadableFile(problem + " (git ls-files failed too, exit " + proc.exitValue() + ")");
            }
            if (Files.size(outFile) > MAX_LS_FILES_BYTES) {
                throw new UnreadableFile(problem + " (git ls-files listed more than " + MAX_LS_FILES_BYTES + " bytes)");
            }
            Set<String> out = new HashSet<>();
            for (String p : Files.readString(outFile, StandardCharsets.UTF_8).split("\0")) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
            return Set.copyOf(out);
        } catch (IOException e) {
            throw new UnreadableFile(problem + " (git ls-files: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreadableFile(problem + " (interrupted while git ls-files ran)");
        } finally {
            if (proc != null && proc.isAlive()) {
                proc.destroyForcibly();
            }
            if (outFile != null) {
                try {
                    Files.deleteIfExists(outFile);
                } catch (IOException ignored) {
                    // A temporary file left behind is harmless.
                }
            }
        }
    }

    /** Walks once, keeping a stack of the ignore rules that apply to the current directory. */
    private static final class Walker extends SimpleFileVisitor<Path> {
        private final Path root;
        private final List<RepoFile> out = new ArrayList<>();
        /** Innermost first: the rules of a directory and the directory's path relative to the root. */
        private final Deque<Rules> rules = new ArrayDeque<>();

        private record Rules(String dir, IgnoreNode node) {
        }

        Walker(Path root) {
            this.root = root;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            String rel = relative(dir);
            if (!rel.isEmpty()) {
                if (SKIPPED_DIRS.contains(dir.getFileName().toString()) || ignored(rel, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
            }
            IgnoreNode node = new IgnoreNode();
            boolean any = parse(node, dir.resolve(".gitignore"));
            if (rel.isEmpty()) {
                any |= parse(node, dir.resolve(".git/info/exclude"));
            }
            rules.push(new Rules(rel, any ? node : null));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
            rules.pop();
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
                String rel = relative(file);
                if (!ignored(rel, false)) {
                    out.add(new RepoFile(rel, file, attrs.size()));
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
            // Unreadable entries (permissions, races) are left out rather than failing the walk.
            return FileVisitResult.CONTINUE;
        }

        private boolean ignored(String rel, boolean isDir) {
            for (Rules r : rules) {
                if (r.node() == null) {
                    continue;
                }
                String local = r.dir().isEmpty() ? rel : rel.substring(r.dir().length() + 1);
                Boolean verdict = r.node().checkIgnored(local, isDir);
                if (verdict != null) {
                    return verdict;
                }
            }
            return false;
        }

        private String relative(Path p) {
            return root.relativize(p).toString().replace('\\', '/');
        }

        private static boolean parse(IgnoreNode node, Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            try (InputStream in = Files.newInputStream(file)) {
                node.parse(file.toString(), in);
            }
            return !node.getRules().isEmpty();
        }
    }

    /** One tree per repository root per run. */
    static final class Cache {
        private final Map<Path, RepoTree> trees = new ConcurrentHashMap<>();

        RepoTree get(Path root) {
            return trees.computeIfAbsent(root, r -> {
                try {
                    return walk(r);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
