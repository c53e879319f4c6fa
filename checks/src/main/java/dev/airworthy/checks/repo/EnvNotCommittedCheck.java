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
import java.util.regex.Pattern;
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
                No real env file is in the repository, at any depth. Env names, compared without case and \
                split into parts on dots: `.env`, `.env.<anything>`, `.env-<anything>`, `.env_<anything>`, \
                direnv's `.envrc` and `.envrc.<anything>` (a \
                `.envrc` in the work tree that assigns no variable, only direnv commands such as `use flake`, \
                is a script and not judged); any name with a later part exactly `env` \
                (`production.env`, `prod.env.local`, `secrets.env.json`) unless its last part is a source or \
                documentation extension (`app.env.ts`, `ts`, `js`, `py`, `md`, ...); and `env.<environment>` \
                where the environment is one of local, dev, development, prod, production, staging, stage, \
                test, testing, qa, uat, preprod, live, secret(s) (`env.production`, not `env.ts`). So \
                `environment.ts`, `vite-env.d.ts` and `.environment` are not env files. Templates meant to be \
                committed are fine: a name with an `example`, `sample`, `template`, `tmpl`, `tpl`, `dist`, \
                `defaults` or `schema` part (split on dots, dashes and underscores), and dotenv-vault's \
                encrypted `.env.vault`. Fails for each env file git tracks (it is in the index, so in the next \
                commit if not already in history), in any directory: a tracked `vendor/.env` is the \
                repository's own; and for each one present in the work tree and not ignored by git (the \
                next `git add .` commits it; vendored directories are not walked). Ignore rules are git's \
                own: `.gitignore` files up to the work tree's root, `.git/info/exclude` and \
                `core.excludesFile`. When a git directory is found but its index cannot be read (JGit does \
                not read split or sparse indexes), `git ls-files` is asked instead when the `git` binary is \
                installed (30 s at most); failing that the item is `error` ("git index unreadable: ..."), \
                never a pass. Outside a git work tree only presence can be judged, and the evidence says so.""",
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
    /** Environment names that make {@code env.<name>} an env file ({@code env.production}, not {@code env.ts}). */
    private static final Set<String> ENVIRONMENT_NAMES = Set.of(
            "local", "dev", "development", "prod", "production", "staging", "stage", "test", "testing", "qa", "uat",
            "preprod", "live", "secret", "secrets");
    /** Last name parts of source code and documentation: {@code app.env.ts} is a module, not an env file. */
    private static final Set<String> CODE_EXTENSIONS = Set.of(
            "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "rb", "go", "java", "kt", "rs", "php", "cs", "md", "rst", "html");

    /**
     * True for a name shaped like an env file, template or not: {@code .env}, {@code .env.*},
     * {@code .env-*}, {@code .env_*}, {@code .envrc}, {@code .envrc.*}; a name with a part exactly
     * {@code env} after its first ({@code production.env}, {@code prod.env.local}, {@code secrets.env.json}),
     * unless it ends in a source or documentation extension; {@code env.<environment>} ({@code env.production}).
     * Parts are split on dots, so {@code environment.ts} and {@code vite-env.d.ts} are not env names.
     */
    static boolean isEnvLikeName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String[] parts = n.split("[.]", -1);
        if (n.startsWith(".")) {
            String first = parts[1];
            return first.equals("env") || first.equals("envrc") || first.startsWith("env-") || first.startsWith("env_");
        }
        if (parts.length < 2) {
            return false;
        }
        if (parts[0].equals("env")) {
            return ENVIRONMENT_NAMES.contains(parts[1]);
        }
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("env")) {
                return i == parts.length - 1 || !CODE_EXTENSIONS.contains(parts[parts.length - 1]);
            }
        }
        return false;
    }

    /**
     * True for the name of a real env file: {@link #isEnvLikeName env-shaped}, and no part of it (split
     * on dots, dashes and underscores) marks it as a template ({@code .env.example}, {@code .env.local.sample},
     * {@code example.env}, {@code .env-template}). An empty part ({@code .env.production.}) exempts nothing.
     */
    static boolean isEnvFileName(String name) {
        if (!isEnvLikeName(name)) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        String rest = n.startsWith(".") ? n.substring(1) : n;
        List<String> parts = List.of(rest.split("[._-]", -1));
        return parts.stream().noneMatch(TEMPLATE_PARTS::contains);
    }

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s{0,64}(?:export\\s{1,16})?[A-Za-z_][A-Za-z0-9_]{0,255}=");
    private static final long MAX_ENVRC_BYTES = 64 * 1024;

    /**
     * True for a direnv {@code .envrc} in the work tree that sets no variable ({@code use flake},
     * {@code layout python}, {@code dotenv_if_exists}): it is a script meant to be committed. One that
     * assigns anything, cannot be read, or is not in the work tree counts as an env file.
     */
    static boolean direnvCommandsOnly(Path root, String path) {
        if (!path.substring(path.lastIndexOf('/') + 1).equalsIgnoreCase(".envrc")) {
            return false;
        }
        try {
            String text = FileText.read(root.resolve(path), path, MAX_ENVRC_BYTES);
            return text.lines().noneMatch(l -> ASSIGNMENT.matcher(l).find());
        } catch (UnreadableFile e) {
            return false;
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        RepoTree tree = RepoTree.of(ctx);
        Outcome out = new Outcome();
        Optional<Set<String>> index;
        String indexProblem = null;
        try {
            index = tree.tracked();
        } catch (UnreadableFile e) {
            index = Optional.empty();
            indexProblem = e.getMessage();
        }
        Set<String> judged = new TreeSet<>();
        List<String> templates = new ArrayList<>();
        if (index.isPresent()) {
            for (String path : new TreeSet<>(index.get())) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                // Tracked paths are the repository's whatever their directory is called, vendor/ included.
                if (isEnvFileName(name) && !direnvCommandsOnly(tree.root(), path)) {
                    judged.add(path);
                    out.finding(Finding.fail("repo.env-not-committed.tracked",
                            path + " is tracked by git: it is committed, or will be with the next commit").at(path, null));
                }
            }
        }
        List<String> untracked = new ArrayList<>();
        for (RepoFile f : tree.files()) {
            if (isEnvFileName(f.name()) && !direnvCommandsOnly(tree.root(), f.path())) {
                if (!judged.contains(f.path())) {
                    untracked.add(f.path());
                }
            } else if (isEnvLikeName(f.name())) {
                templates.add(f.path());
            }
        }
        // git's ignore rules do not need the index: they still apply when it could not be read.
        Set<String> ignoredByGit = index.isPresent() || indexProblem != null ? ignoredByGit(tree.root(), untracked) : Set.of();
        for (String path : untracked) {
            if (ignoredByGit.contains(path)) {
                out.evidence(path + ": present, ignored by git");
            } else {
                out.finding(Finding.fail("repo.env-not-committed.not-ignored", path
                        + " is in the work tree and not ignored by git: the next git add commits it").at(path, null));
            }
        }
        if (indexProblem != null) {
            out.evidence("git directory found but its index could not be read: tracking unknown; presence judged");
        } else if (index.isPresent()) {
            out.evidence("git index read: " + index.get().size() + " tracked files under the repository, "
                    + judged.size() + " of them env files");
        } else {
            out.evidence("not a git work tree: tracking could not be checked; only presence was judged (.gitignore rules applied)");
        }
        if (!templates.isEmpty()) {
            out.evidence("templates, not judged as env files: " + String.join(", ", templates.subList(0, Math.min(10, templates.size())))
                    + (templates.size() > 10 ? ", ..." : ""));
        }
        if (indexProblem != null) {
            return out.error(indexProblem);
        }
        return out.result(index.isPresent() ? "no env file committed or exposed"
                : "no env file present outside .gitignore (not a git work tree: tracking not checked)");
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
