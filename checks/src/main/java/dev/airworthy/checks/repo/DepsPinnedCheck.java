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
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
                `requirements*.txt` (and `requirements/*.txt`): each requirement pinned with `==` or `===` \
                (`==1.4.*` is a range); VCS references (also `-e`) at a commit SHA; archive URLs with a \
                `--hash`; options, `-r`/`-c` includes and local paths are fine. `package.json` \
                (`dependencies`, `devDependencies`, `optionalDependencies`; `peerDependencies` are ranges \
                by design and left out): `*`, `latest`, `\"\"`, `x`, other dist-tags, and URLs or git \
                references without a commit fail; ranges (`^`, `~`, `>=`, `1.x`, `||`) warn; exact versions, \
                `workspace:`, `file:` and `link:` are fine. `pom.xml`: a dependency, plugin, extension or \
                parent version that is a SNAPSHOT, a range (`[1.0,2.0)`) or `LATEST`/`RELEASE` fails, after \
                resolving `${properties}` from the pom and its parents in the repository; artifacts built in \
                the repository itself (a multi-module build's own modules) are not judged. Dockerfile \
                `FROM` lines: as `docker.dockerfile` judges base images (a tag other than `latest`, or a \
                digest). Skipped when the repository has none of these files.""",
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
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]{1,200})}");
    private static final Pattern EXACT_RANGE = Pattern.compile("\\[[^,\\[\\]()]+]");

    @Override
    public CheckResult run(CheckContext ctx) {
        RepoTree tree = RepoTree.of(ctx);
        Outcome out = new Outcome();
        List<String> problems = new ArrayList<>();
        int judged = 0;
        for (RepoFile f : tree.filter(DepsPinnedCheck::isRequirementsFile)) {
            judged += requirements(f, out, problems);
        }
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

    private static int requirements(RepoFile f, Outcome out, List<String> problems) {
        try {
            List<PythonRequirements.Requirement> reqs = PythonRequirements.judge(FileText.read(f.absolute(), f.path(), MAX_REQUIREMENTS_BYTES), f.path());
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
            json = ManifestJson.read(f.absolute(), f.path(), NPM_SECTIONS, Set.of());
        } catch (UnreadableFile e) {
            problems.add(e.getMessage());
            return 0;
        }
        int total = 0;
        int exact = 0;
        int local = 0;
        int ranges = 0;
        for (String section : List.of("dependencies", "devDependencies", "optionalDependencies")) {
            for (ManifestJson.Entry e : json.entries(section)) {
                total++;
                NpmSpec.Verdict v = NpmSpec.judge(e.value());
                String where = f.path() + ":" + e.line() + ": " + section + "." + e.key() + " ";
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
        for (PomFile p : poms) {
            if (p.effectiveGroupId() != null && p.artifactId() != null) {
                modules.put(p.effectiveGroupId() + ":" + p.artifactId(), p);
            }
        }
        int judged = 0;
        for (PomFile p : poms) {
            int own = 0;
            int unresolved = 0;
            int fine = 0;
            for (PomFile.Ref ref : p.refs()) {
                String group = resolve(ref.groupId(), p, modules);
                if (group != null && modules.containsKey(group + ":" + ref.artifactId())) {
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
        List<Dockerfile.Stage> bases = d.externalBases();
        for (Dockerfile.Stage s : bases) {
            String why = s.from().unpinnedReason();
            if (why != null) {
                out.finding(Finding.fail("repo.deps-pinned.image", f.path() + ":" + s.line() + ": FROM " + why).at(f.path(), s.line()));
            }
        }
        if (!bases.isEmpty()) {
            out.evidence(f.path() + ": " + bases.size() + " base image(s): "
                    + String.join(", ", bases.stream().map(s -> s.from().raw()).toList()));
        }
        return bases.size();
    }
}
