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
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "repo.ci",
        title = "CI runs the tests",
        category = Category.REPOSITORY,
        severity = Severity.HIGH,
        summary = """
                A CI definition is in the repository (GitHub Actions, GitLab CI with its local includes, \
                Jenkinsfile, CircleCI, Azure Pipelines, Bitbucket Pipelines, Travis CI, Drone, Buildkite, \
                Woodpecker, AppVeyor, Semaphore, Cirrus, Gitea/Forgejo Actions, AWS CodeBuild) and some job \
                runs tests: a `run`/`script`/`commands` step (or a Jenkins `sh`/`bat` step) invokes a test \
                command such as `npm test`, `pytest`, `tox`, `mvn verify` (not with `-DskipTests`), \
                `./gradlew check` (not with `-x test`), `go test`, `cargo test`, `make test`, `rspec`, \
                `bundle exec rake`, `phpunit`, `dotnet test`, `ctest` or `bazel test`, also behind \
                wrappers (`poetry run`, `npx`, `docker compose run`). Installing a test tool is not running \
                it. Fails without CI, and without a test command (the message names the files read). \
                GitHub Actions used at a tag or branch rather than a 40-hex commit SHA warn \
                (`actions/*` and `github/*` are exempt; local `./` actions and `docker://` images with a \
                digest are fine). A CI file that is not valid YAML is an error with its line and column.""",
        rationale = """
                A checklist's "tests pass" is only true today if a machine runs them on every change. A \
                third-party action referenced by tag runs whatever its owner (or whoever takes over the \
                account) pushes under that tag, with the workflow's secrets and token: tags were moved to \
                malicious commits in real supply-chain attacks (tj-actions/changed-files, 2025).""",
        remediation = """
                Add a workflow that runs the test suite on every push and pull request, e.g. \
                `.github/workflows/ci.yml` with a `run: mvn -B verify` or `run: npm ci && npm test` step. \
                Pin third-party actions to the full commit SHA with the tag as a comment \
                (`uses: owner/action@<40-hex sha> # v4.1.0`); Dependabot and Renovate keep such pins \
                up to date.""",
        example = """
                - id: ci
                  title: CI runs the tests on every change
                  check: repo.ci""",
        references = {"https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions",
            "https://docs.gitlab.com/ee/ci/yaml/",
            "https://www.jenkins.io/doc/book/pipeline/jenkinsfile/",
            "https://owasp.org/www-project-top-10-ci-cd-security-risks/"})
public final class CiCheck implements Check {
    private static final long MAX_JENKINSFILE = 1024 * 1024;
    private static final int NODE_BUDGET = 200_000;
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern DIGEST = Pattern.compile(".*@sha256:[0-9a-fA-F]{64}");
    private static final Pattern ORB_JOB = Pattern.compile("[a-z0-9_-]{1,64}/[a-z0-9_-]{1,64}");
    private static final Pattern SHELL_STEP = Pattern.compile("(?:\\b(?:sh|bat|powershell|pwsh)\\s*\\(?|\\bscript\\s*:)\\s*$");
    /** Keys whose values are shell commands, across CI systems; so is any key ending in {@code _script} (Cirrus, AppVeyor, GitLab). */
    private static final Set<String> COMMAND_KEYS = Set.of("run", "script", "scripts", "commands", "command", "cmd", "bash", "pwsh",
            "powershell", "sh", "install", "before_install");
    private static final String COMPOSITE_ACTION = "GitHub Actions composite action";
    private static final Set<String> FIRST_PARTY_OWNERS = Set.of("actions", "github");
    private static final Map<String, String> TRAVIS_DEFAULTS = Map.of("java", "mvn test", "ruby", "rake", "node_js", "npm test",
            "go", "go test ./...", "rust", "cargo test", "php", "phpunit", "elixir", "mix test", "scala", "sbt test",
            "clojure", "lein test", "android", "gradle connectedCheck");

    /** One CI file to read, with the system it belongs to. */
    record CiFile(RepoFile file, String system) {
    }

    /** A shell command found in a CI file, and where. */
    record Command(String file, int line, String text) {
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        RepoTree tree = RepoTree.of(ctx);
        Outcome out = new Outcome();
        List<CiFile> files = discover(tree);
        // A composite action is a piece of a workflow, not a pipeline of its own.
        if (files.stream().allMatch(f -> f.system().equals(COMPOSITE_ACTION))) {
            out.finding(Finding.fail("repo.ci.missing", "no CI definition in the repository (looked for .github/workflows/*.yml, "
                    + ".gitlab-ci.yml, Jenkinsfile, .circleci/config.yml, azure-pipelines.yml, bitbucket-pipelines.yml, .travis.yml, "
                    + ".drone.yml, .buildkite/pipeline.yml, .woodpecker.yml and others)"));
            return out.result("");
        }
        List<String> problems = new ArrayList<>();
        List<String> read = new ArrayList<>();
        Set<String> external = new LinkedHashSet<>();
        Command tests = null;
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < files.size(); i++) {
            CiFile ci = files.get(i);
            if (!seen.add(ci.file().path())) {
                continue;
            }
            read.add(ci.file().path());
            try {
                Reader reader = new Reader(ci, tree);
                reader.read();
                files.addAll(reader.includes);
                external.addAll(reader.external);
                Command found = reader.commands.stream()
                        .map(c -> TestCommands.find(c.text()).map(m -> new Command(c.file(), c.line() + m.lineIndex(), m.command()))
                                .orElse(null))
                        .filter(c -> c != null).findFirst().orElse(reader.implied.isEmpty() ? null : reader.implied.getFirst());
                if (found != null && tests == null) {
                    tests = found;
                }
                out.evidence(ci.file().path() + " (" + ci.system() + "): commands: " + reader.commands.size()
                        + (found == null ? ", none runs tests" : "; tests at line " + found.line() + ": " + found.text()));
                for (Reader.Uses u : reader.uses) {
                    String why = unpinnedAction(u.ref());
                    if (why != null) {
                        out.finding(Finding.warn("repo.ci.unpinned-action", ci.file().path() + ":" + u.line() + ": " + why)
                                .at(ci.file().path(), u.line()));
                    }
                }
            } catch (UnreadableFile e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return out.error(String.join("; ", problems));
        }
        if (tests == null) {
            out.finding(Finding.fail("repo.ci.no-tests", "no CI job runs tests (read: " + String.join(", ", read) + ")"
                    + (external.isEmpty() ? "" : "; not read: " + String.join(", ", external))));
        }
        return out.result(tests == null ? "" : "CI runs tests: " + tests.file() + ":" + tests.line() + " " + tests.text());
    }

    static List<CiFile> discover(RepoTree tree) {
        List<CiFile> out = new ArrayList<>();
        add(out, tree, "GitHub Actions", ".github/workflows/*.yml", ".github/workflows/*.yaml");
        add(out, tree, COMPOSITE_ACTION, ".github/actions/**/action.yml", ".github/actions/**/action.yaml");
        add(out, tree, "Gitea/Forgejo Actions", ".gitea/workflows/*.yml", ".gitea/workflows/*.yaml", ".forgejo/workflows/*.yml",
                ".forgejo/workflows/*.yaml");
        add(out, tree, "GitLab CI", ".gitlab-ci.yml", ".gitlab-ci.yaml");
        add(out, tree, "CircleCI", ".circleci/config.yml", ".circleci/config.yaml");
        add(out, tree, "Azure Pipelines", "azure-pipelines.yml", "azure-pipelines.yaml", ".azure-pipelines/**.yml",
                ".azure-pipelines/**.yaml", ".azuredevops/**.yml");
        add(out, tree, "Bitbucket Pipelines", "bitbucket-pipelines.yml");
        add(out, tree, "Travis CI", ".travis.yml");
        add(out, tree, "Drone", ".drone.yml", ".drone.yaml");
        add(out, tree, "Buildkite", ".buildkite/pipeline.yml", ".buildkite/pipeline.yaml", ".buildkite/pipeline.*.yml");
        add(out, tree, "Woodpecker", ".woodpecker.yml", ".woodpecker.yaml", ".woodpecker/*.yml", ".woodpecker/*.yaml");
        add(out, tree, "AppVeyor", "appveyor.yml", ".appveyor.yml");
        add(out, tree, "Semaphore", ".semaphore/semaphore.yml");
        add(out, tree, "Cirrus CI", ".cirrus.yml");
        add(out, tree, "AWS CodeBuild", "buildspec.yml", "buildspec.yaml");
        for (RepoFile f : tree.files()) {
            String n = f.name();
            if (n.equals("Jenkinsfile") || n.startsWith("Jenkinsfile.") || n.toLowerCase(Locale.ROOT).endsWith(".jenkinsfile")) {
                out.add(new CiFile(f, "Jenkins"));
            }
        }
        return out;
    }

    private static void add(List<CiFile> out, RepoTree tree, String system, String... globs) {
        for (String g : globs) {
            for (RepoFile f : tree.glob(g)) {
                if (out.stream().noneMatch(c -> c.file().path().equals(f.path()))) {
                    out.add(new CiFile(f, system));
                }
            }
        }
    }

    /** Why a GitHub {@code uses:} reference can change under the workflow, or null when it cannot. */
    static String unpinnedAction(String ref) {
        String r = ref.strip();
        if (r.startsWith("./") || r.startsWith(".\\")) {
            return null;
        }
        if (r.startsWith("docker://")) {
            return DIGEST.matcher(r).matches() ? null : r + " is a container image without a digest";
        }
        int at = r.lastIndexOf('@');
        String action = at < 0 ? r : r.substring(0, at);
        String owner = action.contains("/") ? action.substring(0, action.indexOf('/')) : action;
        if (FIRST_PARTY_OWNERS.contains(owner.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (at < 0) {
            return r + " names no version at all";
        }
        String version = r.substring(at + 1);
        return SHA.matcher(version).matches() ? null : action + "@" + version + " is not pinned to a commit SHA";
    }

    /** Reads one CI file: its shell commands, its GitHub {@code uses:} references, local includes and what it pulls from elsewhere. */
    private static final class Reader {
        record Uses(String ref, int line) {
        }

        private final CiFile ci;
        private final RepoTree tree;
        private final String label;
        private final boolean github;
        private final boolean circle;
        final List<Command> commands = new ArrayList<>();
        /** Steps that run tests without a shell command of their own (orb jobs). */
        final List<Command> implied = new ArrayList<>();
        final List<Uses> uses = new ArrayList<>();
        final List<CiFile> includes = new ArrayList<>();
        final Set<String> external = new LinkedHashSet<>();
        private int budget = NODE_BUDGET;

        Reader(CiFile ci, RepoTree tree) {
            this.ci = ci;
            this.tree = tree;
            this.label = ci.file().path();
            this.github = ci.system().contains("Actions");
            this.circle = ci.system().equals("CircleCI");
        }

        void read() throws UnreadableFile {
            if (ci.system().equals("Jenkins")) {
                jenkinsfile(FileText.read(ci.file().absolute(), label, MAX_JENKINSFILE));
                return;
            }
            for (YamlNode doc : RepoYaml.parse(ci.file())) {
                walk(doc, null, 0);
                if (ci.system().equals("GitLab CI")) {
                    gitlabIncludes(doc);
                }
                if (ci.system().equals("Travis CI") && doc.isMap() && doc.get("script").isEmpty()) {
                    String language = doc.textAt("language").orElse("").toLowerCase(Locale.ROOT);
                    String implied = TRAVIS_DEFAULTS.get(language);
                    if (implied != null) {
                        commands.add(new Command(label, doc.get("language").map(YamlNode::line).orElse(1), implied));
                    }
                }
            }
        }

        private void walk(YamlNode n, String key, int depth) throws UnreadableFile {
            if (--budget < 0 || depth > YamlNode.MAX_DEPTH) {
                throw new UnreadableFile(label + ": more than " + NODE_BUDGET + " YAML nodes or " + YamlNode.MAX_DEPTH
                        + " levels (alias expansion?); not read");
            }
            if (n.isScalar()) {
                String text = n.text();
                if (text == null || key == null) {
                    return;
                }
                if (COMMAND_KEYS.contains(key) || key.endsWith("_script")) {
                    // A multi-line command is a block scalar (run: |) whose text starts on the line after the indicator.
                    commands.add(new Command(label, n.line() + (text.contains("\n") ? 1 : 0), text));
                } else if (github && key.equals("uses")) {
                    uses.add(new Uses(text, n.line()));
                    if (text.contains("/.github/workflows/") && !text.startsWith("./")) {
                        external.add(text + " (reusable workflow in another repository)");
                    }
                } else if (circle && (key.equals("steps") || key.equals("jobs")) && ORB_JOB.matcher(text).matches()) {
                    orbCommand(text, n.line());
                }
                return;
            }
            if (n.isList()) {
                for (YamlNode item : n.items()) {
                    walk(item, key, depth + 1);
                }
                return;
            }
            Map<String, YamlNode> entries = n.entries();
            azureTask(n, entries);
            if (github) {
                actionWithArguments(entries);
            }
            for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
                if (circle && ORB_JOB.matcher(e.getKey()).matches()) {
                    orbCommand(e.getKey(), e.getValue().line());
                }
                walk(e.getValue(), e.getKey(), depth + 1);
            }
        }

        /** CircleCI orbs: a step or job such as {@code node/test} or {@code maven/test} runs the orb's test command. */
        private void orbCommand(String name, int line) {
            String job = name.substring(name.indexOf('/') + 1);
            if (TestCommands.testName(job)) {
                implied.add(new Command(label, line, name + " (CircleCI orb job)"));
            } else {
                external.add(name + " (CircleCI orb)");
            }
        }

        /** Azure Pipelines tasks that run tests: Maven@, Gradle@, DotNetCoreCLI@ test, Npm@ custom, VSTest@. */
        private void azureTask(YamlNode n, Map<String, YamlNode> entries) {
            YamlNode task = entries.get("task");
            if (task == null || task.text() == null) {
                return;
            }
            String name = task.text().toLowerCase(Locale.ROOT);
            name = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
            String goals = n.textAt("inputs", "goals").orElse("");
            String options = n.textAt("inputs", "options").orElse("");
            String synthesized = switch (name) {
                case "maven" -> "mvn " + (goals.isEmpty() ? "package" : goals) + " " + options;
                case "gradle" -> "gradle " + n.textAt("inputs", "tasks").orElse("build") + " " + options;
                case "dotnetcorecli" -> "dotnet " + n.textAt("inputs", "command").orElse("build");
                case "npm" -> "npm " + n.textAt("inputs", "customCommand").orElse(n.textAt("inputs", "command").orElse("install"));
                case "vstest" -> "vstest.console";
                default -> null;
            };
            if (synthesized != null) {
                commands.add(new Command(label, task.line(), synthesized.strip() + " # task " + task.text()));
            }
        }

        /** Actions that run a build tool given in {@code with:} (Gradle's {@code arguments}) or are test runners (Cypress). */
        private void actionWithArguments(Map<String, YamlNode> entries) {
            YamlNode uses = entries.get("uses");
            if (uses == null || uses.text() == null) {
                return;
            }
            String action = uses.text().toLowerCase(Locale.ROOT);
            YamlNode with = entries.get("with");
            if (action.startsWith("gradle/") && with != null) {
                with.textAt("arguments").ifPresent(a -> commands.add(new Command(label, uses.line(), "gradle " + a)));
            } else if (action.startsWith("cypress-io/github-action")) {
                commands.add(new Command(label, uses.line(), "cypress run # " + uses.text()));
            }
        }

        /** Local {@code include:} files are read as part of the pipeline; project, remote and template ones are named as not read. */
        private void gitlabIncludes(YamlNode doc) {
            Optional<YamlNode> include = doc.get("include");
            if (include.isEmpty()) {
                return;
            }
            List<YamlNode> items = include.get().isList() ? include.get().items() : List.of(include.get());
            for (YamlNode item : items) {
                String local = null;
                if (item.isScalar() && item.text() != null) {
                    String t = item.text();
                    if (t.contains("://")) {
                        external.add(t + " (remote include)");
                    } else {
                        local = t;
                    }
                } else if (item.isMap()) {
                    local = item.textAt("local").orElse(null);
                    if (local == null) {
                        Map<String, YamlNode> e = item.entries();
                        String kind = e.keySet().stream().filter(k -> Set.of("project", "remote", "template", "component").contains(k))
                                .findFirst().orElse(null);
                        String what = kind == null ? null : e.get(kind).text();
                        external.add(kind == null ? "an include of unknown kind" : kind + " include " + what);
                    }
                }
                if (local != null) {
                    String path = local.startsWith("/") ? local.substring(1) : local;
                    for (RepoFile f : tree.glob(path)) {
                        includes.add(new CiFile(f, "GitLab CI"));
                    }
                }
            }
        }

        /** Shell steps of a Jenkinsfile: string literals passed to {@code sh}, {@code bat}, {@code powershell} or as {@code script:}. */
        private void jenkinsfile(String text) {
            for (Command c : groovyShellStrings(label, text)) {
                commands.add(c);
            }
            if (text.contains("@Library")) {
                external.add(label + " shared library steps");
            }
        }
    }

    /**
     * The string literals of a Groovy file that follow {@code sh}, {@code bat}, {@code powershell},
     * {@code pwsh} (with or without parentheses) or {@code script:}, with their lines. Comments are
     * skipped; one pass over the text.
     */
    static List<Command> groovyShellStrings(String label, String text) {
        List<Command> out = new ArrayList<>();
        int n = text.length();
        int line = 1;
        int gapStart = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                gapStart = i;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (int k = i; k < end; k++) {
                    if (text.charAt(k) == '\n') {
                        line++;
                    }
                }
                i = end;
                gapStart = i;
            } else if (c == '\'' || c == '"') {
                boolean triple = i + 2 < n && text.charAt(i + 1) == c && text.charAt(i + 2) == c;
                String delim = triple ? String.valueOf(c).repeat(3) : String.valueOf(c);
                String gap = text.substring(Math.max(gapStart, i - 80), i);
                int start = line;
                int j = i + delim.length();
                StringBuilder literal = new StringBuilder();
                while (j < n && !text.startsWith(delim, j)) {
                    char d = text.charAt(j);
                    if (d == '\\' && j + 1 < n) {
                        literal.append(text.charAt(j + 1) == '\n' ? ' ' : text.charAt(j + 1));
                        if (text.charAt(j + 1) == '\n') {
                            line++;
                        }
                        j += 2;
                        continue;
                    }
                    if (d == '\n') {
                        if (!triple) {
                            break; // an unterminated one-line string: stop at the line end
                        }
                        line++;
                    }
                    literal.append(d);
                    j++;
                }
                if (SHELL_STEP.matcher(gap).find()) {
                    out.add(new Command(label, start, literal.toString()));
                }
                i = Math.min(n, j + (j < n && text.startsWith(delim, j) ? delim.length() : 0));
                gapStart = i;
            } else {
                i++;
            }
        }
        return out;
    }
}
