package dev.airworthy.checks.repo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.errors.StopWalkException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.OrTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Whether a file committed to git (a coverage report) is older than the code it describes: a commit
 * after the report's last commit changed a source file of its directory.
 */
final class ReportHistory {
    /** Commits looked at per walk; a longer history is not searched and the answer is "cannot tell". */
    static final int MAX_COMMITS = 20_000;

    /** The answer: {@code changedBy} names the later commit and file; {@code unknown} when history could not be searched. */
    record Verdict(String changedBy, boolean unknown) {
    }

    private ReportHistory() {
    }

    /**
     * @param root the repository under check (real path)
     * @param report the report, relative to {@code root}
     * @param module the directory whose sources the report covers, relative to {@code root} ("" for all)
     * @param extensions source file extensions, without the dot
     * @return null when the report was never committed (only staged) or no later commit changed sources
     */
    static Verdict laterSourceChange(Path root, String report, String module, Collection<String> extensions) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toFile());
        if (builder.getGitDir() == null) {
            return null;
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            Path work = repo.getWorkTree().toPath().toRealPath();
            String prefix = root.equals(work) ? "" : work.relativize(root).toString().replace('\\', '/') + "/";
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                return null;
            }
            RevCommit reportCommit;
            try (RevWalk rw = new RevWalk(repo)) {
                Bounded bound = new Bounded();
                rw.setRevFilter(bound);
                rw.setTreeFilter(AndTreeFilter.create(PathFilter.create(prefix + report), TreeFilter.ANY_DIFF));
                rw.markStart(rw.parseCommit(head));
                reportCommit = rw.next();
                if (reportCommit == null && bound.stopped) {
                    return new Verdict(null, true);
                }
            }
            if (reportCommit == null) {
                return null;
            }
            String dir = prefix + module;
            List<TreeFilter> suffixes = new ArrayList<>();
            for (String ext : extensions) {
                suffixes.add(PathSuffixFilter.create("." + ext));
            }
            List<TreeFilter> filters = new ArrayList<>();
            if (!dir.isEmpty()) {
                filters.add(PathFilter.create(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir));
            }
            filters.add(suffixes.size() == 1 ? suffixes.getFirst() : OrTreeFilter.create(suffixes));
            filters.add(TreeFilter.ANY_DIFF);
            try (RevWalk rw = new RevWalk(repo)) {
                Bounded bound = new Bounded();
                rw.setRevFilter(bound);
                rw.setTreeFilter(AndTreeFilter.create(filters));
                rw.markStart(rw.parseCommit(head));
                rw.markUninteresting(rw.parseCommit(reportCommit));
                RevCommit later = rw.next();
                if (later == null && bound.stopped) {
                    return new Verdict(null, true);
                }
                return later == null ? null : new Verdict("commit " + later.abbreviate(10).name() + " (" + firstLine(later) + ")", false);
            }
        } catch (StopWalkException e) {
            return new Verdict(null, true);
        } catch (IOException | RuntimeException e) {
            return new Verdict(null, true);
        }
    }

    private static String firstLine(RevCommit c) {
        String m = c.getShortMessage();
        return m.length() <= 60 ? m : m.substring(0, 57) + "...";
    }

    /** Stops a walk after {@link #MAX_COMMITS} commits, or when the check's thread is interrupted at its deadline. */
    private static final class Bounded extends RevFilter {
        private int seen;
        boolean stopped;

        @Override
        public boolean include(RevWalk walker, RevCommit c) {
            if (++seen > MAX_COMMITS || Thread.currentThread().isInterrupted()) {
                stopped = true;
                throw StopWalkException.INSTANCE;
            }
            return true;
        }

        @Override
        public RevFilter clone() {
            return new Bounded();
        }
    }
}
