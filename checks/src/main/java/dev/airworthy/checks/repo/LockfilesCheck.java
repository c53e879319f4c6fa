package dev.airworthy.checks.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import dev.airworthy.checks.yaml.YamlNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "repo.lockfiles",
        title = "Lockfiles committed",
        category = Category.REPOSITORY,
        severity = Severity.MEDIUM,
        summary = """
                Every dependency manifest in the repository, at any depth, has its lockfile committed next \
                to it or at the root of the workspace it belongs to: `package.json` → `package-lock.json`, \
                `npm-shrinkwrap.json`, `yarn.lock`, `pnpm-lock.yaml` or `bun.lock(b)` (npm, Yarn, pnpm and \
                Bun workspaces); `pyproject.toml` → `poetry.lock`, `uv.lock`, `pdm.lock`, `pylock.toml` or a \
                `requirements*.txt` written by pip-compile (uv workspaces); `Pipfile` → `Pipfile.lock`; \
                `go.mod` → `go.sum` (or `go.work.sum` of a `go.work`); `Cargo.toml` → `Cargo.lock` (Cargo \
                workspaces); `Gemfile` → `Gemfile.lock`; `composer.json` → `composer.lock`. Only manifests \
                that declare dependencies count (a `pyproject.toml` with only tool settings, a \
                `package.json` with only scripts). A lockfile that exists but is ignored by git fails too: \
                it is not in the repository; in a git work tree the lockfile must also be tracked (in the \
                index), an untracked one fails (`repo.lockfiles.untracked`). A lockfile that locks nothing \
                fails (`repo.lockfiles.empty`): empty or whitespace only (a blank `go.sum` for a `go.mod` with \
                requires), comments only, or a `package-lock.json`/`npm-shrinkwrap.json`, `composer.lock` or \
                `Pipfile.lock` listing no package (`{}`). A pnpm workspace without a root `package.json` is \
                judged at its `pnpm-workspace.yaml`. When the repository is in a git work tree whose index \
                cannot be read, the item is `error` (see repo.env-not-committed). Skipped when no manifest \
                declares dependencies.""",
        rationale = """
                Without a lockfile every install resolves version ranges again: a build next month gets \
                different transitive dependencies than the one that was tested, including a compromised \
                release published in between. The lockfile makes builds reproducible and reviewable.""",
        remediation = """
                Generate the lockfile with the package manager (`npm install`, `yarn`, `pnpm install`, \
                `poetry lock`, `uv lock`, `pipenv lock`, `go mod tidy`, `cargo generate-lockfile`, \
                `bundle lock`, `composer update --lock`), commit it, remove it from `.gitignore`, and \
                install with the frozen mode in CI (`npm ci`, `yarn --immutable`, `pnpm install \
                --frozen-lockfile`, `uv sync --locked`, `poetry install --sync`).""",
        example = """
                - id: lockfiles
                  title: Every manifest has a committed lockfile
                  check: repo.lockfiles""",
        references = {"https://docs.npmjs.com/cli/configuring-npm/package-lock-json",
            "https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile",
            "https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html",
            "https://go.dev/ref/mod#go-sum-files",
            "https://cheatsheetseries.owasp.org/cheatsheets/NPM_Security_Cheat_Sheet.html"})
public final class LockfilesCheck implements Check {
    private static final long MAX_MANIFEST_BYTES = 1024 * 1024;
    private static final Set<String> NPM_DEPS = Set.of("dependencies", "devDependencies", "optionalDependencies");
    private static final Pattern GEM = Pattern.compile("^\\s*(?:gem|gemspec)\\b");
    private static final Set<String> COMPOSER_PLATFORM = Set.of("php", "composer", "composer-plugin-api", "composer-runtime-api");

    /** The package managers judged, with their manifests' lockfiles. */
    enum Family {
        NPM(List.of("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb")),
        PYPROJECT(List.of("poetry.lock", "uv.lock", "pdm.lock", "pylock.toml")),
        PIPENV(List.of("Pipfile.lock")),
        GO(List.of("go.sum")),
        CARGO(List.of("Cargo.lock")),
        BUNDLER(List.of("Gemfile.lock")),
        GEMS_RB(List.of("gems.locked")),
        COMPOSER(List.of("composer.lock"));

        final List<String> locks;

        Family(List<String> locks) {
            this.locks = locks;
        }
    }

    /** A manifest that declares dependencies (or roots a workspace), so it needs a lockfile. */
    record Manifest(RepoFile file, Family family) {
    }

    /** A workspace root: its directory, the member directory globs, and the lockfiles that cover its members. */
    record Workspace(String dir, Family family, List<String> members, List<String> excluded, List<String> locks, String declaredIn) {
        boolean includes(String memberDir) {
            if (!isUnder(memberDir, dir) || memberDir.equals(dir)) {
                return false;
            }
            String rel = dir.isEmpty() ? memberDir : memberDir.substring(dir.length() + 1);
            if (excluded.stream().anyMatch(g -> globMatches(g, rel))) {
                return false;
            }
            // A Cargo workspace without a members list takes its path dependencies: any crate below may belong.
            return (members.isEmpty() && family == Family.CARGO) || members.stream().anyMatch(g -> globMatches(g, rel));
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        RepoTree tree = RepoTree.of(ctx);
        Map<String, RepoFile> byPath = tree.files().stream().collect(Collectors.toMap(RepoFile::path, f -> f));
        Outcome out = new Outcome();
        List<String> problems = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        List<Workspace> workspaces = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (RepoFile f : tree.files()) {
            try {
                Boolean declares = read(f, workspaces);
                if (declares == null) {
                    continue;
                }
                if (declares) {
                    manifests.add(new Manifest(f, familyOf(f.name())));
                } else {
                    without.add(f.path());
                }
            } catch (UnreadableFile e) {
                problems.add(e.getMessage());
            }
        }
        // pnpm declares its workspace in a file of its own: the package.json beside it roots the workspace,
        // and without one the workspace file itself is judged, so that its members are not left unjudged.
        for (Workspace w : workspaces) {
            String rootManifest = join(w.dir(), "package.json");
            if (w.declaredIn().endsWith("pnpm-workspace.yaml")
                    && manifests.stream().noneMatch(m -> m.file().path().equals(rootManifest))) {
                RepoFile root = byPath.getOrDefault(rootManifest, byPath.get(w.declaredIn()));
                manifests.add(new Manifest(root, Family.NPM));
                without.remove(rootManifest);
            }
        }
        if (manifests.isEmpty() && problems.isEmpty()) {
            if (without.isEmpty()) {
                throw new NotApplicable("no dependency manifest (package.json, pyproject.toml, Pipfile, go.mod, Cargo.toml, "
                        + "Gemfile, composer.json) in the repository");
            }
            out.evidence(without.stream().map(p -> p + ": declares no dependencies").toList());
            return out.skipped("no manifest declares dependencies: " + String.join(", ", without));
        }
        Optional<Set<String>> tracked;
        try {
            tracked = tree.tracked();
        } catch (UnreadableFile e) {
            tracked = Optional.empty();
            problems.add(e.getMessage());
        }
        for (Manifest m : manifests) {
            try {
                judge(m, tree.root(), byPath, tracked, workspaces, out);
            } catch (UnreadableFile e) {
                problems.add(e.getMessage());
            }
        }
        for (String p : without) {
            out.evidence(p + ": declares no dependencies; nothing to lock");
        }
        if (!problems.isEmpty()) {
            return out.error(String.join("; ", problems));
        }
        return out.result(manifests.size() == 1 ? manifests.getFirst().file().path() + " has its lockfile"
                : "all " + manifests.size() + " manifests have their lockfiles");
    }

    private static void judge(Manifest m, Path root, Map<String, RepoFile> byPath, Optional<Set<String>> tracked,
            List<Workspace> workspaces, Outcome out) throws UnreadableFile {
        String dir = m.file().dir();
        List<String> locks = m.family().locks;
        for (String lock : locks) {
            RepoFile l = byPath.get(join(dir, lock));
            if (l != null) {
                judgeLock(m, l, tracked, m.file().path() + ": " + l.path(), out);
                return;
            }
        }
        if (m.family() == Family.PYPROJECT) {
            String compiled = pipCompiled(dir, byPath);
            if (compiled != null) {
                judgeLock(m, byPath.get(compiled), tracked, m.file().path() + ": " + compiled + " (pip-compile output)", out);
                return;
            }
        }
        Workspace ws = workspaces.stream()
                .filter(w -> w.family() == m.family() && w.includes(dir))
                .max((a, b) -> Integer.compare(a.dir().length(), b.dir().length()))
                .orElse(null);
        if (ws != null) {
            for (String lock : ws.locks()) {
                RepoFile l = byPath.get(join(ws.dir(), lock));
                if (l != null && l.size() > 0) {
                    judgeLock(m, l, tracked, m.file().path() + ": member of the workspace of " + ws.declaredIn() + ", locked by " + l.path(), out);
                    return;
                }
            }
            if (ws.family() != Family.GO) {
                // The workspace root is a manifest of its own: its finding covers the members.
                out.evidence(m.file().path() + ": member of the workspace of " + ws.declaredIn() + " (judged at the workspace root)");
                return;
            }
        }
        for (String lock : locks) {
            String path = join(dir, lock);
            if (Files.isRegularFile(root.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
                if (tracked.orElse(Set.of()).contains(path)) {
                    judgeLock(m, new RepoFile(path, root.resolve(path), sizeOf(root.resolve(path))), tracked,
                            m.file().path() + ": " + path + " (tracked, although a .gitignore rule matches it)", out);
                    return;
                }
                out.finding(Finding.fail("repo.lockfiles.ignored", m.file().path() + ": its lockfile " + path
                        + " exists but is ignored by git, so it is not in the repository").at(m.file().path(), null));
                return;
            }
        }
        out.finding(Finding.fail("repo.lockfiles.missing", m.file().path() + " declares dependencies but has no lockfile ("
                + String.join(", ", locks) + ")").at(m.file().path(), null));
    }

    /** A lockfile found for {@code m}: it must hold something and, in a git work tree, be tracked. */
    private static void judgeLock(Manifest m, RepoFile l, Optional<Set<String>> tracked, String evidence, Outcome out)
            throws UnreadableFile {
        String empty = emptiness(l);
        if (empty != null) {
            out.finding(Finding.fail("repo.lockfiles.empty", m.file().path() + ": its lockfile " + l.path() + " " + empty)
                    .at(m.file().path(), null));
        } else if (tracked.isPresent() && !tracked.get().contains(l.path())) {
            out.finding(Finding.fail("repo.lockfiles.untracked", m.file().path() + ": its lockfile " + l.path()
                    + " is not tracked by git, so it is not in the repository (git add it)").at(m.file().path(), null));
        } else {
            out.evidence(evidence);
        }
    }

    /** Lockfiles larger than this hold entries; smaller ones are read to see whether they list any package. */
    private static final long MAX_LOCK_READ_BYTES = 4L * 1024 * 1024;
    private static final JsonFactory JSON = new JsonFactory();
    /** The JSON lockfiles whose package lists can be counted, with the fields that hold packages. */
    private static final Map<String, Set<String>> JSON_LOCK_PACKAGES = Map.of(
            "package-lock.json", Set.of("packages", "dependencies"),
            "npm-shrinkwrap.json", Set.of("packages", "dependencies"),
            "composer.lock", Set.of("packages", "packages-dev"),
            "Pipfile.lock", Set.of("default", "develop"));

    /**
     * Why a lockfile locks nothing (empty, whitespace or comments only, a JSON lock listing no package),
     * or null when it has content. A lockfile too large to read cheaply has content.
     */
    static String emptiness(RepoFile l) throws UnreadableFile {
        if (l.size() == 0) {
            return "is empty";
        }
        if (l.size() > MAX_LOCK_READ_BYTES || l.name().equals("bun.lockb")) {
            return null;
        }
        String text = FileText.read(l.absolute(), l.path(), MAX_LOCK_READ_BYTES);
        if (text.isBlank()) {
            return "is empty (whitespace only)";
        }
        Set<String> fields = JSON_LOCK_PACKAGES.get(l.name());
        if (fields != null) {
            return countJsonPackages(text, l.path(), fields) == 0 ? "lists no package (" + String.join(", ", fields) + " empty)" : null;
        }
        boolean onlyComments = text.lines().map(String::strip).allMatch(s -> s.isEmpty() || s.startsWith("#") || s.startsWith("//"));
        return onlyComments ? "holds only comments" : null;
    }

    /** Entries of the top-level {@code fields} (objects or arrays); npm's root package {@code ""} is not one. */
    private static int countJsonPackages(String text, String label, Set<String> fields) throws UnreadableFile {
        int count = 0;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableFile(label + ": not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (fields.contains(field) && (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY)) {
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY && t != null) {
                        if (t == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            if (!key.isEmpty()) {
                                count++;
                            }
                        } else {
                            count++;
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw ManifestJson.at(label, e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new UnreadableFile(label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return count;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Reads one file: true when it is a manifest that declares dependencies, false when it is a
     * manifest that declares none, null when it is not a manifest. Workspace roots found on the way
     * are added to {@code workspaces}.
     */
    private static Boolean read(RepoFile f, List<Workspace> workspaces) throws UnreadableFile {
        String name = f.name();
        switch (name) {
            case "package.json" -> {
                ManifestJson json = ManifestJson.read(f.absolute(), f.path(), NPM_DEPS, Set.of("workspaces"));
                List<String> members = json.lists().getOrDefault("workspaces", List.of());
                if (!members.isEmpty()) {
                    addWorkspace(workspaces, f, Family.NPM, members, Family.NPM.locks);
                    return true;
                }
                return NPM_DEPS.stream().anyMatch(s -> !json.entries(s).isEmpty());
            }
            case "pnpm-workspace.yaml" -> {
                List<String> members = new ArrayList<>();
                for (YamlNode doc : RepoYaml.parse(f)) {
                    doc.get("packages").ifPresent(p -> p.items().forEach(i -> {
                        if (i.text() != null) {
                            members.add(i.text());
                        }
                    }));
                }
                addWorkspace(workspaces, f, Family.NPM, members, List.of("pnpm-lock.yaml"));
                return null;
            }
            case "pyproject.toml" -> {
                TomlLines toml = TomlLines.parse(FileText.read(f.absolute(), f.path(), MAX_MANIFEST_BYTES));
                List<String> members = TomlLines.strings(toml.value("tool.uv.workspace.members"));
                if (toml.tables().contains("tool.uv.workspace")) {
                    addWorkspace(workspaces, f, Family.PYPROJECT, members, List.of("uv.lock"),
                            TomlLines.strings(toml.value("tool.uv.workspace.exclude")));
                    return true;
                }
                return pyprojectDeclares(toml);
            }
            case "Pipfile" -> {
                TomlLines toml = TomlLines.parse(FileText.read(f.absolute(), f.path(), MAX_MANIFEST_BYTES));
                return !toml.under("packages").isEmpty() || !toml.under("dev-packages").isEmpty();
            }
            case "go.mod" -> {
                return goRequires(FileText.read(f.absolute(), f.path(), MAX_MANIFEST_BYTES));
            }
            case "go.work" -> {
                List<String> uses = goUses(FileText.read(f.absolute(), f.path(), MAX_MANIFEST_BYTES));
                addWorkspace(workspaces, f, Family.GO, uses, List.of("go.work.sum"));
                return null;
            }
            case "Cargo.toml" -> {
                TomlLines toml = TomlLines.parse(FileText.read(f.absolute(), f.path(), MAX_MANIFEST_BYTES));
                if (toml.tables().contains("workspace") || !toml.under("workspace").isEmpty()) {
                    addWorkspace(workspaces, f, Family.CARGO, TomlLines.strings(toml.value("workspace.members")),
                            Family.CARGO.locks, TomlLines.strings(toml.value("workspace.exclude")));
                    return true;
                }
                return toml.entries().stream().anyMatch(e -> cargoDependency(e.key()));
            }
            case "Gemfile", "gems.rb" -> {
                return FileText.read(f.absolute(), f.path(), MAX_MANIFEST_BYTES).lines().anyMatch(l -> GEM.matcher(l).find());
            }
            case "composer.json" -> {
                ManifestJson json = ManifestJson.read(f.absolute(), f.path(), Set.of("require", "require-dev"), Set.of());
                return json.objects().values().stream().flatMap(List::stream).anyMatch(e -> !composerPlatform(e.key()));
            }
            default -> {
                return null;
            }
        }
    }

    private static Family familyOf(String manifestName) {
        return switch (manifestName) {
            case "package.json" -> Family.NPM;
            case "pyproject.toml" -> Family.PYPROJECT;
            case "Pipfile" -> Family.PIPENV;
            case "go.mod" -> Family.GO;
            case "Cargo.toml" -> Family.CARGO;
            case "Gemfile" -> Family.BUNDLER;
            case "gems.rb" -> Family.GEMS_RB;
            case "composer.json" -> Family.COMPOSER;
            default -> throw new IllegalArgumentException(manifestName);
        };
    }

    private static void addWorkspace(List<Workspace> workspaces, RepoFile f, Family family, List<String> members, List<String> locks) {
        addWorkspace(workspaces, f, family, members, locks, List.of());
    }

    private static void addWorkspace(List<Workspace> workspaces, RepoFile f, Family family, List<String> members,
            List<String> locks, List<String> excluded) {
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>(excluded.stream().map(LockfilesCheck::cleanGlob).toList());
        for (String m : members) {
            if (m.startsWith("!")) {
                exclude.add(cleanGlob(m.substring(1)));
            } else {
                include.add(cleanGlob(m));
            }
        }
        workspaces.add(new Workspace(f.dir(), family, include, exclude, locks, f.path()));
    }

    /** True for dependency declarations of PEP 621, PEP 735, Poetry, PDM and uv; a Python version alone is none. */
    static boolean pyprojectDeclares(TomlLines toml) {
        for (TomlLines.Entry e : toml.entries()) {
            String k = e.key();
            boolean list = k.equals("project.dependencies") || k.startsWith("project.optional-dependencies.")
                    || k.startsWith("dependency-groups.") || k.startsWith("tool.pdm.dev-dependencies.")
                    || k.equals("tool.uv.dev-dependencies");
            if (list && !TomlLines.strings(e.value()).isEmpty()) {
                return true;
            }
            String poetry = poetryDependency(k);
            if (poetry != null && !poetry.equals("python")) {
                return true;
            }
        }
        return false;
    }

    /** The dependency name of a Poetry dependency key, or null when the key is none. */
    private static String poetryDependency(String key) {
        for (String prefix : List.of("tool.poetry.dependencies.", "tool.poetry.dev-dependencies.")) {
            if (key.startsWith(prefix)) {
                return firstSegment(key.substring(prefix.length()));
            }
        }
        if (key.startsWith("tool.poetry.group.")) {
            String rest = key.substring("tool.poetry.group.".length());
            int d = rest.indexOf(".dependencies.");
            if (d > 0 && rest.indexOf('.') == d) {
                return firstSegment(rest.substring(d + ".dependencies.".length()));
            }
        }
        return null;
    }

    private static String firstSegment(String s) {
        int dot = s.indexOf('.');
        return (dot < 0 ? s : s.substring(0, dot)).toLowerCase(Locale.ROOT);
    }

    /** {@code [dependencies]}, {@code [dev-dependencies]}, {@code [build-dependencies]}, also per target, with an entry. */
    private static boolean cargoDependency(String key) {
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("dependencies") || parts[i].equals("dev-dependencies") || parts[i].equals("build-dependencies")) {
                return i == 0 || parts[0].equals("target");
            }
        }
        return false;
    }

    private static boolean composerPlatform(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return COMPOSER_PLATFORM.contains(n) || n.startsWith("ext-") || n.startsWith("lib-");
    }

    /** True when a go.mod has a require directive (single or block); one without needs no go.sum. */
    static boolean goRequires(String text) {
        return !goDirective(text, "require").isEmpty();
    }

    /** The module directories a go.work uses. */
    static List<String> goUses(String text) {
        return goDirective(text, "use");
    }

    /** The arguments of a go.mod or go.work directive, written on one line or as a {@code keyword ( ... )} block. */
    private static List<String> goDirective(String text, String keyword) {
        List<String> out = new ArrayList<>();
        boolean block = false;
        for (String raw : text.split("\r?\n")) {
            String s = stripGoComment(raw);
            if (block) {
                if (s.equals(")")) {
                    block = false;
                } else if (!s.isEmpty()) {
                    out.add(s);
                }
            } else if (s.startsWith(keyword) && (s.length() == keyword.length() || Character.isWhitespace(s.charAt(keyword.length()))
                    || s.charAt(keyword.length()) == '(')) {
                String rest = s.substring(keyword.length()).strip();
                if (rest.startsWith("(")) {
                    rest = rest.substring(1).strip();
                    if (rest.isEmpty()) {
                        block = true;
                    } else if (!rest.startsWith(")")) {
                        out.add(rest.endsWith(")") ? rest.substring(0, rest.length() - 1).strip() : rest);
                    }
                } else if (!rest.isEmpty()) {
                    out.add(rest);
                }
            }
        }
        return out;
    }

    private static String stripGoComment(String line) {
        int c = line.indexOf("//");
        return (c < 0 ? line : line.substring(0, c)).strip();
    }

    /** A requirements file in {@code dir} that pip-compile (or uv's) wrote: a lock in all but name. */
    private static String pipCompiled(String dir, Map<String, RepoFile> byPath) {
        for (RepoFile f : byPath.values()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (f.dir().equals(dir) && name.startsWith("requirements") && name.endsWith(".txt") && headerSaysCompiled(f.absolute())) {
                return f.path();
            }
        }
        return null;
    }

    private static boolean headerSaysCompiled(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            char[] head = new char[2048];
            int n = r.read(head);
            String s = n <= 0 ? "" : new String(head, 0, n);
            return s.contains("pip-compile") || s.contains("uv pip compile") || s.contains("uv export");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String cleanGlob(String g) {
        String s = g.strip();
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    static boolean globMatches(String glob, String rel) {
        if (glob.isEmpty() || glob.equals(".")) {
            return rel.isEmpty();
        }
        try {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            return m.matches(Path.of(rel));
        } catch (IllegalArgumentException e) {
            return glob.equals(rel);
        }
    }

    private static boolean isUnder(String path, String dir) {
        return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
