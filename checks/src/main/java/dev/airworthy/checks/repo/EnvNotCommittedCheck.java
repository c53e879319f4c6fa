package dev.airworthy.checks.repo;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

@AutoService(Check.class)
@CheckInfo(
        id = "repo.env-not-committed",
        title = "No env file committed",
        category = Category.REPOSITORY,
        severity = Severity.HIGH,
        summary = """
                No real env file is in the repository: `.env`, `.env.local`, `.env.production`, \
                `.env.staging.local`, `production.env` and the like, at any depth (vendored directories \
                left out). Templates meant to be committed are fine: names with an `example`, `sample`, \
                `template`, `tmpl`, `tpl`, `dist`, `defaults` or `schema` part, and dotenv-vault's encrypted \
                `.env.vault`. Fails for each env file git tracks (it is in the index, so in the next commit \
                if not already in history), and for each one present in the work tree and not ignored by \
                git (the next `git add .` commits it). Ignore rules are git's own: `.gitignore` files up to \
                the work tree's root, `.git/info/exclude` and `core.excludesFile`. Outside a git work tree \
                only presence can be judged, and the evidence says so.""",
        rationale = """
                Env files hold the credentials of real environments: database passwords, API keys, \
                signing secrets. Once committed they are in every clone, fork and CI cache, and in history \
                after deletion. Scanners crawl public repositories for exactly these files.""",
        remediation = """
                Add `.env` and `.env.*` to `.gitignore`, with `!.env.example` to keep the template. For a \
                file already tracked: `git rm --cached .env`, commit, then rotate every secret it held: \
                deleting the file does not remove it from history (use `git filter-repo` if the history \
                must be cleaned). Commit a `.env.example` with placeholders instead.""",
        example = """
                - id: env-not-committed
                  title: No .env file in git
                  check: repo.env-not-committed""",
        references = {"https://12factor.net/config",
            "https://git-scm.com/docs/gitignore",
            "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html"})
public final class EnvNotCommittedCheck implements Check {
    /** Name parts that mark a template meant to be committed. */
    private static final Set<String> TEMPLATE_PARTS = Set.of(
            "example", "examples", "sample", "samples", "template", "templates", "tmpl", "tpl", "dist", "defaults", "default",
            "schema", "vault");

    /**
     * True for the name of a real env file: {@code .env}, {@code .env.<anything>} and {@code <name>.env},
     * unless a part of the name marks it as a template ({@code .env.example}, {@code .env.local.sample},
     * {@code example.env}).
     */
    static boolean isEnvFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        List<String> parts;
        if (n.equals(".env")) {
            return true;
        } else if (n.startsWith(".env.")) {
            parts = List.of(n.substring(5).split("[.]"));
        } else if (n.endsWith(".env") && n.length() > 4 && !n.startsWith(".")) {
            parts = List.of(n.substring(0, n.length() - 4).split("[._-]"));
        } else {
            return false;
        }
        return parts.stream().noneMatch(p -> p.isEmpty() || TEMPLATE_PARTS.contains(p));
    }

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        RepoTree tree = RepoTree.of(ctx);
        Outcome out = new Outcome();
        Optional<Set<String>> index = tree.tracked();
        Set<String> judged = new TreeSet<>();
        List<String> templates = new ArrayList<>();
        if (index.isPresent()) {
            for (String path : new TreeSet<>(index.get())) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (isEnvFileName(name) && !vendored(path)) {
                    judged.add(path);
                    out.finding(Finding.fail("repo.env-not-committed.tracked",
                            path + " is tracked by git: it is committed, or will be with the next commit").at(path, null));
                }
            }
        }
        List<String> untracked = new ArrayList<>();
        for (RepoFile f : tree.files()) {
            if (isEnvFileName(f.name())) {
                if (!judged.contains(f.path())) {
                    untracked.add(f.path());
                }
            } else if (f.name().toLowerCase(Locale.ROOT).startsWith(".env.") || f.name().toLowerCase(Locale.ROOT).endsWith(".env")) {
                templates.add(f.path());
            }
        }
        Set<String> ignoredByGit = index.isPresent() ? ignoredByGit(tree.root(), untracked) : Set.of();
        for (String path : untracked) {
            if (ignoredByGit.contains(path)) {
                out.evidence(path + ": present, ignored by git");
            } else {
                out.finding(Finding.fail("repo.env-not-committed.not-ignored", path
                        + " is in the work tree and not ignored by git: the next git add commits it").at(path, null));
            }
        }
        if (index.isPresent()) {
            out.evidence("git index read: " + index.get().size() + " tracked files under the repository, "
                    + judged.size() + " of them env files");
        } else {
            out.evidence("not a git work tree: tracking could not be checked; only presence was judged (.gitignore rules applied)");
        }
        if (!templates.isEmpty()) {
            out.evidence("templates, not judged as env files: " + String.join(", ", templates.subList(0, Math.min(10, templates.size())))
                    + (templates.size() > 10 ? ", ..." : ""));
        }
        return out.result(index.isPresent() ? "no env file committed or exposed"
                : "no env file present outside .gitignore (not a git work tree: tracking not checked)");
    }

    private static boolean vendored(String path) {
        for (String part : path.split("/")) {
            if (RepoTree.SKIPPED_DIRS.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which of {@code paths} (relative to {@code root}) git ignores, asked of the work tree itself so
     * that rules above {@code root}, {@code .git/info/exclude} and {@code core.excludesFile} count: a
     * file inside an ignored directory is ignored too.
     */
    static Set<String> ignoredByGit(Path root, List<String> paths) throws IOException {
        Set<String> ignored = new HashSet<>();
        if (paths.isEmpty()) {
            return ignored;
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toFile());
        if (builder.getGitDir() == null) {
            return ignored;
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            Path work = repo.getWorkTree().toPath().toAbsolutePath().normalize();
            String prefix = root.equals(work) ? "" : work.relativize(root).toString().replace('\\', '/') + "/";
            List<String> full = paths.stream().map(p -> prefix + p).toList();
            try (TreeWalk walk = new TreeWalk(repo)) {
                walk.addTree(new FileTreeIterator(repo));
                walk.setFilter(PathFilterGroup.createFromStrings(full));
                walk.setRecursive(false);
                while (walk.next()) {
                    WorkingTreeIterator it = walk.getTree(0, WorkingTreeIterator.class);
                    String path = walk.getPathString();
                    if (it != null && it.isEntryIgnored()) {
                        // Everything at or below an ignored directory is ignored.
                        for (String f : full) {
                            if (f.equals(path) || f.startsWith(path + "/")) {
                                ignored.add(f.substring(prefix.length()));
                            }
                        }
                    } else if (walk.isSubtree()) {
                        walk.enterSubtree();
                    }
                }
            }
        }
        return ignored;
    }
}
