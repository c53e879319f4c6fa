package dev.airworthy.checks.repo;

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
import dev.airworthy.checks.docker.Dockerfile;
import dev.airworthy.checks.docker.DockerfileCheck;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "repo.deps-pinned",
        title = "Dependencies pinned",
        category = Category.REPOSITORY,
        severity = Severity.MEDIUM,
        summary = """
                Reads what the repository declares and judges how firmly each dependency is pinned. \
                `requirements*.txt` (and `requirements/*.txt`), and every file they include with `-r`/`-c` \
                (`--requirement`, `--constraint`) whatever its name: includes are relative to the including \
                file, each file is read once (cycles are fine), at most 10 includes deep; an include that \
                leaves the repository or is missing makes the item `error` (what it pins cannot be judged), \
                one that is a URL fails. Each requirement pinned with `==` or `===` (`==1.4.*` is a range); \
                VCS references (also `-e`) at a commit SHA; archive URLs with a `--hash`; options, local \
                paths and bare archive file names (`pkg-1.2.3-py3-none-any.whl`, the version is in the \
                name) are fine; `--hash` continuation lines do not count towards the 8192-character line \
                limit. `package.json` (`dependencies`, `devDependencies`, `optionalDependencies`, and the \
                versions forced anywhere in the tree by npm `overrides`, Yarn `resolutions` and \
                `pnpm.overrides`, nested entries included; `$name` references in overrides point at a \
                judged dependency; `peerDependencies` are ranges by design and left out): `*`, `latest`, \
                `\"\"`, `x`, `>=0`/`>=0.0.0` (unbounded above from zero), a `||` union with any such \
                alternative (`1.2.3 || *`), other dist-tags, and URLs or git references without a commit \
                fail; ranges (`^`, `~`, `>=1`, `1.x`, `||`) warn; exact versions, `workspace:`, `file:` and \
                `link:` are fine; Yarn's `patch:<name>@<spec>#<file>` is judged by its inner spec. \
                `pom.xml`: a dependency, plugin (and a plugin's own `<dependencies>`), extension or parent \
                version that is a SNAPSHOT, a range (`[1.0,2.0)`) or `LATEST`/`RELEASE` fails, after \
                resolving `${properties}` from the pom and its parents in the repository; artifacts built in \
                the repository itself are not judged: a module is built here when its pom is reachable \
                through `<modules>` from a root pom (one no other pom lists as a module) that is not in an \
                example, sample, test, fixture or demo directory. Dockerfile `FROM` lines: as \
                `docker.dockerfile` judges base images (a tag other than `latest`, or a digest). Skipped \
                when the repository has none of these files.""",
        rationale = """
                An unpinned dependency changes under a build that did not change: the next release of a \
                library, a moved dist-tag or branch, or a republished SNAPSHOT reaches production without \
                review, and a compromised release is installed the hour it is published. Pinned versions \
                make a build reproducible and every upgrade a reviewed change.""",
        remediation = """
                Pin exact versions and upgrade on purpose with a bot (Dependabot, Renovate). Python: \
                generate `requirements.txt` with `pip-compile --generate-hashes` or `uv pip compile` from \
                loose inputs. npm: `npm config set save-exact true`, or rely on a committed lockfile and \
                `npm ci` (ranges then only warn). Git dependencies: reference a commit SHA. Maven: release \
                versions only; `mvn versions:resolve-ranges` and `versions:use-releases` help. Docker: a \
                version tag, best with its digest (`python:3.12-slim@sha256:...`).""",
        example = """
                - id: deps-pinned
                  title: Dependencies are pinned
                  check: repo.deps-pinned""",
        references = {"https://pip.pypa.io/en/stable/topics/repeatable-installs/",
            "https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies",
            "https://maven.apache.org/pom.html#Dependency_Version_Requirement_Specification",
            "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
            "https://slsa.dev/spec/v1.0/requirements"})
public final class DepsPinnedCheck implements Check {
    private static final long MAX_REQUIREMENTS_BYTES = 2L * 1024 * 1024;
    private static final Set<String> NPM_SECTIONS = Set.of("dependencies", "devDependencies", "optionalDependencies");
    /** Sections that force versions anywhere in the tree: npm overrides, Yarn resolutions, pnpm overrides. */
    private static final Set<String> NPM_OVERRIDES = Set.of("overrides", "resolutions", "pnpm.overrides");
    private static final int MAX_INCLUDE_DEPTH = 10;
    /** Directories whose poms are examples or test projects, not modules of the build. */
    private static final Set<String> NOT_BUILT_DIRS = Set.of(
            "example", "examples", "sample", "samples", "test", "tests", "testdata", "test-data", "testing", "fixtures",
            "fixture", "__fixtures__", "it", "demo", "demos");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]{1,200})}");
    private static final Pattern EXACT_RANGE = Pattern.compile("\\[[^,\\[\\]()]+]");

    @Override
    public CheckResult run(CheckContext ctx) {
        RepoTree tree = RepoTree.of(ctx);
        Outcome out = new Outcome();
        List<String> problems = new ArrayList<>();
        int judged = requirementsWithIncludes(tree, out, problems);
        for (RepoFile f : tree.named("package.json")) {
            judged += packageJson(f, out, problems);
        }
        judged += poms(tree.named("pom.xml"), out, problems);
        for (RepoFile f : tree.filter(DepsPinnedCheck::isDockerfile)) {
            judged += dockerfile(f, out, problems);
        }
        if (!problems.isEmpty()) {
            return out.error(String.join("; ", problems));
        }
        if (judged == 0) {
            throw new NotApplicable("no pinnable dependency declared: no requirements*.txt, package.json dependencies, "
                    + "pom.xml versions or Dockerfile FROM image in the repository");
        }
        return out.result("all " + judged + " declared dependencies and base images are pinned");
    }

    static boolean isRequirementsFile(RepoFile f) {
        String name = f.name().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".txt")) {
            return false;
        }
        String dir = f.dir().substring(f.dir().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return name.startsWith("requirements") || name.endsWith("-requirements.txt") || name.endsWith("_requirements.txt")
                || dir.equals("requirements");
    }

    static boolean isDockerfile(RepoFile f) {
        String name = f.name().toLowerCase(Locale.ROOT);
        return name.equals("dockerfile") || name.equals("containerfile") || name.startsWith("dockerfile.")
                || name.endsWith(".dockerfile") || name.endsWith(".containerfile");
    }

    /**
     * Judges every requirements file, and every file they include with {@code -r}/{@code -c}
     * whatever its name: relative to the including file, inside the repository, each file once,
     * at most {@value #MAX_INCLUDE_DEPTH} includes deep.
     */
    private static int requirementsWithIncludes(RepoTree tree, Outcome out, List<String> problems) {
        record Pending(RepoFile file, int depth) {
        }
        Deque<Pending> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (RepoFile f : tree.filter(DepsPinnedCheck::isRequirementsFile)) {
            queue.add(new Pending(f, 0));
            seen.add(f.path());
        }
        int judged = 0;
        while (!queue.isEmpty()) {
            Pending next = queue.poll();
            RepoFile f = next.file();
            String text;
            try {
                text = FileText.read(f.absolute(), f.path(), MAX_REQUIREMENTS_BYTES);
            } catch (UnreadableFile e) {
                problems.add(e.getMessage());
                continue;
            }
            judged += requirements(f, text, out, problems);
            for (PythonRequirements.Include inc : PythonRequirements.includes(text)) {
                String where = f.path() + ":" + inc.line() + ": " + inc.option() + " " + PythonRequirements.userinfoMasked(inc.target());
                if (inc.target().contains("://")) {
                    out.finding(Finding.fail("repo.deps-pinned.python", where + " includes a URL: its content can change")
                            .at(f.path(), inc.line()));
                    continue;
                }
                String rel = f.dir().isEmpty() ? inc.target() : f.dir() + "/" + inc.target();
                if (!RepoTree.pathsLeavingRoot("-r", List.of(rel)).isEmpty() || inc.target().startsWith("/")) {
                    problems.add(where + ": leaves the repository, so what it pins cannot be judged");
                    continue;
                }
                Optional<RepoFile> included = tree.explicit(rel);
                if (included.isEmpty()) {
                    problems.add(where + ": not found in the repository");
                } else if (next.depth() >= MAX_INCLUDE_DEPTH) {
                    problems.add(where + ": includes nested deeper than " + MAX_INCLUDE_DEPTH);
                } else if (seen.add(included.get().path())) {
                    queue.add(new Pending(included.get(), next.depth() + 1));
                }
            }
        }
        return judged;
    }

    private static int requirements(RepoFile f, String text, Outcome out, List<String> problems) {
        try {
            List<PythonRequirements.Requirement> reqs = PythonRequirements.judge(text, f.path());
            int unpinned = 0;
            for (PythonRequirements.Requirement r : reqs) {
                if (r.unpinned() != null) {
                    unpinned++;
                    out.finding(Finding.fail("repo.deps-pinned.python", f.path() + ":" + r.line() + ": " + r.unpinned()).at(f.path(), r.line()));
                }
            }
            out.evidence(f.path() + ": " + reqs.size() + " requirements, " + (reqs.size() - unpinned) + " pinned");
            return reqs.size();
        } catch (UnreadableFile e) {
            problems.add(e.getMessage());
            return 0;
        }
    }

    private static int packageJson(RepoFile f, Outcome out, List<String> problems) {
        ManifestJson json;
        try {
            json = ManifestJson.read(f.absolute(), f.path(), NPM_SECTIONS, Set.of(), NPM_OVERRIDES);
        } catch (UnreadableFile e) {
            problems.add(e.getMessage());
            return 0;
        }
        int total = 0;
        int exact = 0;
        int local = 0;
        int ranges = 0;
        for (String section : List.of("dependencies", "devDependencies", "optionalDependencies", "overrides", "resolutions",
                "pnpm.overrides")) {
            for (ManifestJson.Entry e : json.entries(section)) {
                total++;
                // "$name" in overrides refers to the version of a direct dependency, which is judged itself.
                NpmSpec.Verdict v = e.value() != null && e.value().startsWith("$") && NPM_OVERRIDES.contains(section)
                        ? new NpmSpec.Verdict(NpmSpec.Pin.LOCAL, null) : NpmSpec.judge(e.value());
                String where = f.path() + ":" + e.line() + ": " + section + (NPM_OVERRIDES.contains(section) ? " " : ".") + e.key() + " ";
                switch (v.pin()) {
                    case EXACT -> exact++;
                    case LOCAL -> local++;
                    case RANGE -> {
                        ranges++;
                        out.finding(Finding.warn("repo.deps-pinned.npm-range", where + v.why() + "; only the lockfile pins it")
                                .at(f.path(), e.line()));
                    }
                    case UNPINNED -> out.finding(Finding.fail("repo.deps-pinned.npm", where + v.why()).at(f.path(), e.line()));
                }
            }
        }
        if (total > 0) {
            out.evidence(f.path() + ": " + total + " dependencies: " + exact + " exact, " + local + " local or workspace, "
                    + ranges + " ranges, " + (total - exact - local - ranges) + " unpinned");
        }
        return total;
    }

    private static int poms(List<RepoFile> files, Outcome out, List<String> problems) {
        List<PomFile> poms = new ArrayList<>();
        for (RepoFile f : files) {
            try {
                poms.add(PomFile.read(f.absolute(), f.path()));
            } catch (UnreadableFile e) {
                problems.add(e.getMessage());
            }
        }
        Map<String, PomFile> modules = new HashMap<>();
        Map<String, PomFile> built = new HashMap<>();
        Set<PomFile> reactor = reactor(poms);
        for (PomFile p : poms) {
            if (p.effectiveGroupId() != null && p.artifactId() != null) {
                modules.put(p.effectiveGroupId() + ":" + p.artifactId(), p);
                if (reactor.contains(p)) {
                    built.put(p.effectiveGroupId() + ":" + p.artifactId(), p);
                }
            }
        }
        int judged = 0;
        for (PomFile p : poms) {
            int own = 0;
            int unresolved = 0;
            int fine = 0;
            for (PomFile.Ref ref : p.refs()) {
                String group = resolve(ref.groupId(), p, modules);
                if (group != null && built.containsKey(group + ":" + ref.artifactId())) {
                    own++;
                    continue;
                }
                String version = resolve(ref.version(), p, modules);
                if (version == null) {
                    unresolved++;
                    continue;
                }
                judged++;
                String why = mavenUnpinned(version);
                if (why == null) {
                    fine++;
                } else {
                    String shown = version.equals(ref.version()) ? version : ref.version() + " = " + version;
                    out.finding(Finding.fail("repo.deps-pinned.maven", p.file() + ":" + ref.line() + ": " + ref.kind() + " "
                            + ref.coordinates() + " " + shown + " " + why).at(p.file(), ref.line()));
                }
            }
            if (!p.refs().isEmpty()) {
                out.evidence(p.file() + ": " + p.refs().size() + " versions: " + fine + " release versions"
                        + (own > 0 ? ", " + own + " of modules built here (not judged)" : "")
                        + (unresolved > 0 ? ", " + unresolved + " from properties not defined in the repository (not judged)" : ""));
            }
        }
        return judged;
    }

    /**
     * The poms a build of the repository builds: those reachable through {@code <modules>} from a root
     * (a pom no other pom lists as a module) that is not in an example, sample, test or fixture directory.
     */
    static Set<PomFile> reactor(List<PomFile> poms) {
        Map<String, PomFile> byPath = new HashMap<>();
        for (PomFile p : poms) {
            byPath.put(p.file(), p);
        }
        Map<PomFile, List<PomFile>> children = new HashMap<>();
        Set<PomFile> listed = new HashSet<>();
        for (PomFile p : poms) {
            String dir = p.file().contains("/") ? p.file().substring(0, p.file().lastIndexOf('/')) : "";
            List<PomFile> kids = new ArrayList<>();
            for (String m : p.modules()) {
                String rel = (dir.isEmpty() ? "" : dir + "/") + m.strip();
                String path = rel.endsWith(".xml") ? rel : rel + "/pom.xml";
                PomFile child = byPath.get(java.nio.file.Path.of(path).normalize().toString().replace('\\', '/'));
                if (child != null) {
                    kids.add(child);
                    listed.add(child);
                }
            }
            children.put(p, kids);
        }
        Set<PomFile> out = new HashSet<>();
        Deque<PomFile> queue = new ArrayDeque<>();
        for (PomFile p : poms) {
            if (!listed.contains(p) && !underNotBuiltDir(p.file())) {
                queue.add(p);
            }
        }
        while (!queue.isEmpty()) {
            PomFile p = queue.poll();
            if (out.add(p)) {
                queue.addAll(children.getOrDefault(p, List.of()));
            }
        }
        return out;
    }

    private static boolean underNotBuiltDir(String path) {
        String[] parts = path.toLowerCase(Locale.ROOT).split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (NOT_BUILT_DIRS.contains(parts[i])) {
                return true;
            }
        }
        return false;
    }

    /** Why a Maven version is not pinned, or null when it names one release. */
    static String mavenUnpinned(String version) {
        String v = version.strip();
        if (v.toUpperCase(Locale.ROOT).endsWith("-SNAPSHOT") || v.equalsIgnoreCase("SNAPSHOT")) {
            return "is a SNAPSHOT: it is rebuilt and republished under the same name";
        }
        if (v.equals("LATEST") || v.equals("RELEASE")) {
            return "is a moving meta-version";
        }
        if ((v.startsWith("[") || v.startsWith("(")) && !EXACT_RANGE.matcher(v).matches()) {
            return "is a version range";
        }
        return null;
    }

    /**
     * Resolves {@code ${...}} from the pom's properties, its own and its parent's version, then from
     * its parents in the repository. Null when something stays unresolved (a property from outside).
     */
    static String resolve(String raw, PomFile pom, Map<String, PomFile> modules) {
        if (raw == null) {
            return null;
        }
        String value = raw;
        for (int round = 0; round < 10 && value.contains("${"); round++) {
            Matcher m = PROPERTY.matcher(value);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = property(m.group(1), pom, modules);
                if (v == null) {
                    return null;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            value = sb.toString();
        }
        return value.contains("${") ? null : value;
    }

    private static String property(String name, PomFile pom, Map<String, PomFile> modules) {
        Set<PomFile> seen = new HashSet<>();
        for (PomFile p = pom; p != null && seen.add(p); p = p.parent() == null ? null
                : modules.get(p.parent().groupId() + ":" + p.parent().artifactId())) {
            switch (name) {
                case "project.version", "pom.version", "version" -> {
                    String v = p.version() != null ? p.version() : p.parent() == null ? null : p.parent().version();
                    if (v != null) {
                        return v;
                    }
                }
                case "project.parent.version", "parent.version" -> {
                    return p.parent() == null ? null : p.parent().version();
                }
                case "project.groupId", "pom.groupId", "groupId" -> {
                    return p.effectiveGroupId();
                }
                default -> {
                    String v = p.properties().get(name);
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    private static int dockerfile(RepoFile f, Outcome out, List<String> problems) {
        Dockerfile d;
        try {
            d = Dockerfile.read(f.absolute(), f.path());
        } catch (IOException e) {
            problems.add(e.getMessage() != null && e.getMessage().startsWith(f.path()) ? e.getMessage()
                    : f.path() + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            return 0;
        }
        // The same reading as docker.dockerfile: ARG defaults before the first FROM apply.
        List<DockerfileCheck.Base> bases = DockerfileCheck.resolvedBases(d);
        for (DockerfileCheck.Base b : bases) {
            int line = b.stage().line();
            if (!b.unresolved().isEmpty()) {
                out.finding(Finding.warn("repo.deps-pinned.image", f.path() + ":" + line + ": FROM " + b.shown()
                        + " depends on the build argument " + String.join(", ", b.unresolved()) + ", which has no default")
                        .at(f.path(), line));
                continue;
            }
            String why = b.ref().unpinnedReason();
            if (why != null) {
                String what = b.shown().equals(b.stage().from().raw()) ? why : b.shown() + ": " + why;
                out.finding(Finding.fail("repo.deps-pinned.image", f.path() + ":" + line + ": FROM " + what)
                        .at(f.path(), line));
            }
        }
        if (!bases.isEmpty()) {
            out.evidence(f.path() + ": " + bases.size() + " base image(s): "
                    + String.join(", ", bases.stream().map(DockerfileCheck.Base::shown).toList()));
        }
        return bases.size();
    }
}
