package dev.airworthy.checks.ops;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.Params;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/**
 * Files on the host the operations checks judge (a backup directory, a log file): paths outside
 * the repository, so they are not found through {@code RepoTree}. A relative path resolves against
 * the checklist's directory ({@link CheckContext#checklistDir()}), as a target's {@code repo} does;
 * an absolute one is taken as it is.
 */
final class HostFiles {
    static final String DIR_RESOLUTION = "Absolute, or relative to the directory of the checklist file.";
    /** A directory with more entries than this is not walked to the end: the verdict would rest on part of it. */
    static final int MAX_ENTRIES = 100_000;
    private static final int MAX_DEPTH = 16;

    private HostFiles() {
    }

    /** A regular file under the directory: its path relative to it ({@code /} separators), size and modification time. */
    record Entry(String name, Path path, long size, Instant modified) {
    }

    /**
     * A directory's files that match a glob, newest first; {@code shown} is the directory as the
     * checklist names it, {@code located} the same with the absolute path when it was relative.
     */
    record Listing(String shown, String located, List<Entry> files, List<String> leftOut) {
        long totalBytes() {
            return files.stream().mapToLong(Entry::size).sum();
        }

        /** A file as findings name it: under the directory as the checklist names it. */
        String file(Entry e) {
            return shown.endsWith("/") ? shown + e.name() : shown + "/" + e.name();
        }

        /** The first evidence line: where the directory is and how many files match. */
        String describe(String glob) {
            return located + ": " + files.size() + " file" + (files.size() == 1 ? " matches " : "s match ") + glob
                    + (files.isEmpty() ? "" : ", " + Sizes.format(totalBytes()) + " in all")
                    + (leftOut.isEmpty() ? "" : "; left out (partial, logs, notes, checksums): "
                            + String.join(", ", leftOut.stream().limit(5).toList()) + (leftOut.size() > 5 ? " and "
                            + (leftOut.size() - 5) + " more" : ""));
        }
    }

    static Path resolve(CheckContext ctx, String path) {
        return ctx.checklistDir().resolve(path).toAbsolutePath().normalize();
    }

    /** How a parameter's path is shown: as written, with the absolute path when it was relative. */
    static String shown(String given, Path resolved) {
        return Path.of(given).isAbsolute() ? given : given + " (" + resolved + ")";
    }

    /** How a directory is walked: for the newest backup, or for everything a retention policy covers. */
    enum Walk {
        /**
         * A glob without {@code /} looks at the directory itself only; hidden files count only when
         * the glob names them; files still being written ({@code *.tmp}, {@code *.part}, ...) do not
         * count unless the glob names their extension; with glob {@code *} logs, notes and checksums
         * ({@code *.log}, {@code *.txt}, {@code *.md}, {@code README*}, {@code *.sha256}, ...) do not
         * count either.
         */
        BACKUPS,
        /**
         * Every file below the directory (16 levels deep), hidden ones included: a glob without
         * {@code /} is matched against the file's name, one with {@code /} against its path.
         */
        RETENTION
    }

    /** Extensions of files still being written: never the newest backup. */
    static final List<String> PARTIAL = List.of(".tmp", ".temp", ".part", ".partial", ".lock", ".swp", ".crdownload", ".inprogress");
    /** Extensions glob {@code *} leaves out of a backup directory: what a backup job writes beside its backups. */
    static final List<String> BESIDE_BACKUPS = List.of(".log", ".txt", ".md", ".sha256", ".sha512", ".sha1", ".md5", ".sig", ".asc");
    static final String BACKUP_FILES = "A glob without `/` looks at `dir` itself; `**/*.dump` looks below it. Hidden files count "
            + "only when the glob names them; files still being written (`*.tmp`, `*.temp`, `*.part`, `*.partial`, `*.lock`, "
            + "`*.swp`, `*.crdownload`, `*.inprogress`) never count unless the glob names their extension; with glob `*` (the "
            + "default) logs, notes and checksums (`*.log`, `*.txt`, `*.md`, `README*`, `*.sha256`, `*.sha512`, `*.sha1`, "
            + "`*.md5`, `*.sig`, `*.asc`) do not count either. `dir` may be a symbolic link (it is followed); links below it are not.";

    /**
     * The regular files under {@code dir} whose path relative to it matches {@code glob}, newest
     * first, walked as {@code walk} says. {@code dir} is followed when it is a symbolic link (the
     * checklist names it); links below it are not (a {@code latest} link would count a backup twice).
     *
     * @throws IOException with a message naming the directory when it is absent, not a directory,
     *     unreadable, or holds more than {@link #MAX_ENTRIES} entries
     */
    static Listing list(CheckContext ctx, String dir, String glob, Walk walk) throws IOException {
        Path given = resolve(ctx, dir);
        String shown = shown(dir, given);
        if (!Files.exists(given)) {
            throw new IOException("dir " + shown + " does not exist");
        }
        if (!Files.isDirectory(given)) {
            throw new IOException("dir " + shown + " is not a directory");
        }
        if (!Files.isReadable(given)) {
            throw new IOException("dir " + shown + " cannot be read (permission denied)");
        }
        Path root = given.toRealPath();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        // A leading "**/" also matches at the top, as in .gitignore and most tools.
        PathMatcher atTop = glob.startsWith("**/") ? FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)) : matcher;
        boolean deep = glob.contains("/");
        boolean backups = walk == Walk.BACKUPS;
        boolean hiddenWanted = !backups || glob.startsWith(".") || glob.contains("/.");
        String globLower = glob.toLowerCase(Locale.ROOT);
        boolean anything = glob.equals("*");
        List<Entry> out = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        int[] seen = {0};
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), deep || !backups ? MAX_DEPTH : 1, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (++seen[0] > MAX_ENTRIES) {
                    throw new IOException("dir " + shown + " holds more than " + MAX_ENTRIES + " entries; narrow glob or dir");
                }
                String rel = root.relativize(file).toString().replace('\\', '/');
                String name = file.getFileName().toString();
                boolean hidden = name.startsWith(".");
                Path matched = Path.of(deep || backups ? rel : name);
                if (!attrs.isRegularFile() || hidden && !hiddenWanted || !(matcher.matches(matched) || atTop.matches(matched))) {
                    return FileVisitResult.CONTINUE;
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (backups && (PARTIAL.stream().anyMatch(e -> lower.endsWith(e) && !globLower.endsWith(e))
                        || anything && (BESIDE_BACKUPS.stream().anyMatch(lower::endsWith) || lower.startsWith("readme")))) {
                    leftOut.add(rel);
                    return FileVisitResult.CONTINUE;
                }
                out.add(new Entry(rel, file, attrs.size(), attrs.lastModifiedTime().toInstant()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (file.equals(root)) {
                    throw new IOException("dir " + shown + " cannot be read: " + reason(e));
                }
                // An unreadable entry below: left out, as a backup tool would skip it.
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(Comparator.comparing(Entry::modified).reversed().thenComparing(Entry::name));
        leftOut.sort(null);
        return new Listing(dir, shown + (root.equals(given) ? "" : " -> " + root), List.copyOf(out), List.copyOf(leftOut));
    }

    /** Problems with {@code dir} and {@code glob}, as checklist errors; a list the caller may add to. */
    static List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        if (p.string("dir").isBlank()) {
            problems.add("dir is empty");
        }
        String glob = p.string("glob");
        if (glob.isBlank()) {
            problems.add("glob is empty");
        } else if (glob.startsWith("/") || Path.of(glob).normalize().startsWith("..")) {
            problems.add("glob '" + glob + "' is matched against paths relative to dir; it cannot be absolute or leave dir");
        } else {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (PatternSyntaxException e) {
                problems.add("glob '" + glob + "' is not a valid pattern: " + e.getDescription());
            }
        }
        return problems;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code 9.5 h}, {@code 3.2 d}: an age in the unit that reads best. */
    static String age(java.time.Duration d) {
        double hours = d.toMillis() / 3_600_000.0;
        if (hours < 1) {
            return Math.round(d.toMillis() / 60_000.0) + " min";
        }
        if (hours < 72) {
            return String.format(Locale.ROOT, "%.1f h", hours);
        }
        return String.format(Locale.ROOT, "%.1f d", hours / 24);
    }
}
