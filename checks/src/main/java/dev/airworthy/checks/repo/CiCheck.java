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
                A CI definition is in the repository, at the place its system reads it (`--repo` is the \
                root): GitHub Actions `.github/workflows/`, GitLab CI `.gitlab-ci.yml` with its local \
                includes, a `Jenkinsfile` (or `Jenkinsfile.*`, `*.jenkinsfile`) at the root, CircleCI, Azure \
                Pipelines, Bitbucket Pipelines, Travis CI, Drone, Buildkite, Woodpecker, AppVeyor, Semaphore, \
                Cirrus, Gitea/Forgejo Actions, AWS CodeBuild; copies under `examples/` or `docs/` are not CI. \
                And some job that runs on changes runs tests: a `run`/`script`/`commands` step (or a Jenkins \
                `sh`/`bat` step) invokes a test command such as `npm test`, `pytest`, `tox`, `mvn verify`, \
                `./gradlew check`, `go test`, `cargo test`, `make test`, `rspec`, `phpunit`, `dotnet test`, \
                `ctest`, `deno test` or `bazel test`, also behind wrappers (`poetry run`, `uv run python -m`, \
                `npx`, `docker compose run`). Not counted: installing a test tool; skipping tests \
                (`-DskipTests`, `-D skipTests`, `-Dmaven.test.skip(.exec)=true`, `-x test`); listing, \
                compiling or describing them (`--collect-only`, `--co`, `--no-run`, `--listTests`, \
                `--list-tests`, `--dry-run`, `-h`, `--help`, `--version`); a command whose failure is hidden \
                (`|| true`, `|| :`, `|| echo`, `; exit 0`, `&`, a pipe without `pipefail`, \
                `-Dmaven.test.failure.ignore=true`, `--exit-zero`); code that never runs (`if false; then`, \
                `false &&`); `tox -e`/`nox -s` with no test environment (`py312`, `tests`, `unit` are; \
                `lint` is not); coverage report commands (`coverage report`, `nyc report`); script and target \
                names that are not exactly tests (`make test-deps`, `npm run test:lint`: a name with a lint, \
                format, typecheck, deps, build, ... part). Only jobs that run on changes count: GitHub \
                workflows triggered by push, pull_request(_target), merge_group or schedule (a \
                workflow_dispatch/workflow_call-only one counts only when a counted job calls it with \
                `uses: ./...`; a composite action only when a counted step uses it); not a job or step with a \
                literal `if: false` or `continue-on-error: true`; GitLab hidden jobs (`.name`) only through a \
                counted job that `extends` them without its own `script`, not `when: manual`/`never` (also \
                when every rule says so) or `allow_failure: true` jobs; CircleCI jobs only when a workflow \
                lists them (without `workflows`, the `build` job), reusable commands only when a counted job \
                uses them; not Jenkins stages with `when { expression { false } }`; not Azure steps with \
                `condition: false`, `enabled: false` or `continueOnError: true`, nor pipelines with \
                `trigger: none` and `pr: none` and no schedule; not Bitbucket `custom` pipelines (started by \
                hand). Fails without CI, and without a counted test \
                command (the message names the files read; the evidence says what was not counted and why). \
                GitHub Actions used at a tag or branch rather than a 40-hex commit SHA warn (`actions/*` and \
                `github/*` are exempt; local `./` actions and `docker://` images with a digest are fine). A CI \
                file that is not valid YAML is an error with its line and column.""",
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

    /**
     * One CI file to read, with the system it belongs to; {@code called} when a counted pipeline runs
     * it (a reusable workflow or composite action used by a counted job), so its own triggers do not matter.
     */
    record CiFile(RepoFile file, String system, boolean called) {
        CiFile(RepoFile file, String system) {
            this(file, system, false);
        }
    }

    /**
     * A shell command found in a CI file, and where; {@code linesMatch} when each line of the text is a
     * line of the file (a block scalar or a Groovy string), so a match on its n-th line is at {@code line + n}.
     */
    record Command(String file, int line, String text, boolean linesMatch) {
        Command(String file, int line, String text) {
            this(file, line, text, true);
        }
    }

    /** GitHub events that run a workflow on the changes themselves (or on a schedule). */
    private static final Set<String> CHANGE_EVENTS = Set.of("push", "pull_request", "pull_request_target", "merge_group", "schedule");

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
        // A file is read once, and again when a counted pipeline calls it after it was read as not counted.
        Map<String, Boolean> seen = new java.util.HashMap<>();
        GitlabJobs gitlab = new GitlabJobs();
        for (int i = 0; i < files.size(); i++) {
            CiFile ci = files.get(i);
            Boolean before = seen.get(ci.file().path());
            if (before != null && (before || !ci.called())) {
                continue;
            }
            seen.put(ci.file().path(), ci.called());
            if (before == null) {
                read.add(ci.file().path());
            }
            try {
                Reader reader = new Reader(ci, tree, gitlab);
                reader.read();
                files.addAll(reader.includes);
                external.addAll(reader.external);
                Command found = firstTest(reader.commands);
                if (found == null && !reader.implied.isEmpty()) {
                    found = reader.implied.getFirst();
                }
                if (found != null && tests == null) {
                    tests = found;
                }
                out.evidence(ci.file().path() + " (" + ci.system() + (ci.called() ? ", called by a counted pipeline" : "") + "): commands: "
                        + reader.commands.size() + (reader.notCounted > 0 ? " (" + reader.notCounted + " more not counted: "
                        + String.join("; ", reader.whyNotCounted) + ")" : "")
                        + (found == null ? ", none runs tests" : "; tests at line " + found.line() + ": " + found.text()));
                if (before != null) {
                    continue; // its actions were judged on the first read
                }
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
        if (tests == null) {
            List<Command> inherited = gitlab.inheritedCommands();
            tests = firstTest(inherited);
            if (!inherited.isEmpty()) {
                out.evidence("GitLab hidden jobs extended by counted jobs: commands: " + inherited.size()
                        + (tests == null ? ", none runs tests" : "; tests at " + tests.file() + ":" + tests.line() + ": " + tests.text()));
            }
        }
        if (!problems.isEmpty()) {
            return out.error(String.join("; ", problems));
        }
        if (tests == null) {
            out.finding(Finding.fail("repo.ci.no-tests", "no CI job that runs on changes runs tests (read: " + String.join(", ", read) + ")"
                    + (external.isEmpty() ? "" : "; not read: " + String.join(", ", external))));
        }
        return out.result(tests == null ? "" : "CI runs tests: " + tests.file() + ":" + tests.line() + " " + tests.text());
    }

    private static Command firstTest(List<Command> commands) {
        for (Command c : commands) {
            Optional<TestCommands.Match> m = TestCommands.find(c.text());
            if (m.isPresent()) {
                return new Command(c.file(), c.line() + (c.linesMatch() ? m.get().lineIndex() : 0), m.get().command());
            }
        }
        return null;
    }

    /**
     * GitLab's hidden jobs ({@code .name}) across the pipeline's files: they run only as the base of a
     * counted job that {@code extends} them without a {@code script} of its own.
     */
    static final class GitlabJobs {
        final Map<String, List<Command>> hidden = new java.util.HashMap<>();
        final Map<String, List<String>> hiddenExtends = new java.util.HashMap<>();
        final Set<String> extendedByCounted = new LinkedHashSet<>();

        List<Command> inheritedCommands() {
            List<Command> out = new ArrayList<>();
            Set<String> done = new java.util.HashSet<>();
            java.util.Deque<String> queue = new java.util.ArrayDeque<>(extendedByCounted);
            while (!queue.isEmpty()) {
                String name = queue.poll();
                if (done.add(name)) {
                    out.addAll(hidden.getOrDefault(name, List.of()));
                    queue.addAll(hiddenExtends.getOrDefault(name, List.of()));
                }
            }
            return out;
        }
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
            // Jenkins reads the Jenkinsfile at the root of the repository (or one named so there), like every other system here.
            if (f.dir().isEmpty() && (n.equals("Jenkinsfile") || n.startsWith("Jenkinsfile.") || n.toLowerCase(Locale.ROOT).endsWith(".jenkinsfile"))) {
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
        String r = PythonRequirements.userinfoMasked(ref.strip());
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
        private final GitlabJobs gitlab;
        private final String label;
        private final boolean github;
        private final boolean circle;
        private final boolean azure;
        /** Commands in jobs that run on changes; only these can show that CI runs the tests. */
        final List<Command> commands = new ArrayList<>();
        int notCounted;
        final Set<String> whyNotCounted = new LinkedHashSet<>();
        /** Steps that run tests without a shell command of their own (orb jobs). */
        final List<Command> implied = new ArrayList<>();
        final List<Uses> uses = new ArrayList<>();
        final List<CiFile> includes = new ArrayList<>();
        final Set<String> external = new LinkedHashSet<>();
        private List<String> lines = List.of();
        private int budget = NODE_BUDGET;

        Reader(CiFile ci, RepoTree tree, GitlabJobs gitlab) {
            this.ci = ci;
            this.tree = tree;
            this.gitlab = gitlab;
            this.label = ci.file().path();
            this.github = ci.system().contains("Actions") || ci.system().equals(COMPOSITE_ACTION);
            this.circle = ci.system().equals("CircleCI");
            this.azure = ci.system().equals("Azure Pipelines");
        }

        void read() throws UnreadableFile {
            if (ci.system().equals("Jenkins")) {
                jenkinsfile(FileText.read(ci.file().absolute(), label, MAX_JENKINSFILE));
                return;
            }
            List<YamlNode> docs = RepoYaml.parse(ci.file());
            try {
                lines = FileText.read(ci.file().absolute(), label, TestCommands.MAX_SCRIPT * 64L).lines().toList();
            } catch (UnreadableFile e) {
                lines = List.of(); // parsed as YAML already; only the line numbers of quoted scalars need the text
            }
            for (YamlNode doc : docs) {
                boolean counting = ci.called() || runsOnChanges(doc);
                if (ci.system().equals("GitLab CI") && doc.isMap()) {
                    gitlabJobs(doc);
                } else if (circle && doc.isMap()) {
                    circleJobs(doc);
                } else {
                    walk(doc, null, 0, counting);
                }
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

        /**
         * Whether a document's pipeline runs on pushes and pull requests: a GitHub (Gitea, Forgejo)
         * workflow triggered by push, pull_request(_target), merge_group or schedule (one with only
         * workflow_dispatch or workflow_call runs when someone asks); an Azure pipeline unless both
         * {@code trigger: none} and {@code pr: none} without {@code schedules}; a composite action never
         * on its own. Other systems run every pipeline file they read.
         */
        private boolean runsOnChanges(YamlNode doc) {
            if (ci.system().equals(COMPOSITE_ACTION)) {
                notCounted("a composite action runs only as a step of a workflow that uses it");
                return false;
            }
            if (github) {
                YamlNode on = doc.get("on").orElse(doc.get("true").orElse(null));
                Set<String> events = new LinkedHashSet<>();
                if (on != null && on.isScalar() && on.text() != null) {
                    events.add(on.text());
                } else if (on != null && on.isList()) {
                    on.items().forEach(i -> events.add(String.valueOf(i.text())));
                } else if (on != null && on.isMap()) {
                    events.addAll(on.entries().keySet());
                }
                boolean runs = events.stream().anyMatch(CHANGE_EVENTS::contains);
                if (!runs) {
                    notCounted("triggered only by " + (events.isEmpty() ? "nothing" : String.join(", ", events)));
                }
                return runs;
            }
            if (azure && doc.isMap()) {
                boolean noTrigger = "none".equals(doc.textAt("trigger").orElse(null));
                boolean noPr = "none".equals(doc.textAt("pr").orElse(null));
                if (noTrigger && noPr && doc.get("schedules").isEmpty()) {
                    notCounted("trigger: none and pr: none");
                    return false;
                }
            }
            return true;
        }

        private void notCounted(String why) {
            whyNotCounted.add(why);
        }

        /** True for YAML that is literally false: {@code false}, {@code "false"}, {@code ${{ false }}}. */
        private static boolean literallyFalse(YamlNode n) {
            String t = n == null ? null : n.text();
            if (t == null) {
                return false;
            }
            String v = t.strip();
            if (v.startsWith("${{") && v.endsWith("}}")) {
                v = v.substring(3, v.length() - 2).strip();
            }
            return v.equalsIgnoreCase("false");
        }

        private static boolean literallyTrue(YamlNode n) {
            return n != null && n.text() != null && n.text().strip().equalsIgnoreCase("true");
        }

        /** Why a job or step of this file never runs, or cannot fail its pipeline; null when it counts. */
        private String excluded(Map<String, YamlNode> entries) {
            if (github) {
                if (literallyFalse(entries.get("if"))) {
                    return "if: false";
                }
                if (literallyTrue(entries.get("continue-on-error"))) {
                    return "continue-on-error: true";
                }
            } else if (azure) {
                if (literallyFalse(entries.get("condition"))) {
                    return "condition: false";
                }
                if (literallyFalse(entries.get("enabled"))) {
                    return "enabled: false";
                }
                if (literallyTrue(entries.get("continueOnError"))) {
                    return "continueOnError: true";
                }
            }
            return null;
        }

        private void walk(YamlNode n, String key, int depth, boolean counting) throws UnreadableFile {
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
                    Command c = command(n, text);
                    if (counting) {
                        commands.add(c);
                    } else {
                        notCounted++;
                    }
                } else if (github && key.equals("uses")) {
                    uses.add(new Uses(text, n.line()));
                    if (text.contains("/.github/workflows/") && !text.startsWith("./")) {
                        external.add(PythonRequirements.userinfoMasked(text) + " (reusable workflow in another repository)");
                    } else if (text.startsWith("./") && counting) {
                        localUses(text.substring(2));
                    }
                } else if (circle && (key.equals("steps") || key.equals("jobs")) && ORB_JOB.matcher(text).matches()) {
                    orbCommand(text, n.line());
                }
                return;
            }
            if (n.isList()) {
                for (YamlNode item : n.items()) {
                    walk(item, key, depth + 1, counting);
                }
                return;
            }
            Map<String, YamlNode> entries = n.entries();
            boolean c = counting;
            String why = excluded(entries);
            if (why != null && counting) {
                notCounted(why);
                c = false;
            }
            if (c) {
                azureTask(n, entries);
                if (github) {
                    actionWithArguments(entries);
                }
            }
            for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
                if (circle && ORB_JOB.matcher(e.getKey()).matches()) {
                    orbCommand(e.getKey(), e.getValue().line());
                }
                // Bitbucket's custom pipelines run when someone starts them (or on a schedule set outside the file).
                boolean manual = ci.system().equals("Bitbucket Pipelines") && "pipelines".equals(key) && e.getKey().equals("custom");
                if (manual && c) {
                    notCounted("custom pipelines run only when started by hand");
                }
                walk(e.getValue(), e.getKey(), depth + 1, c && !manual);
            }
        }

        /**
         * A command scalar and its line: a block scalar ({@code run: |}) starts on the line after its
         * indicator, and its lines are the file's; a quoted or plain one is on its key's line, whatever
         * escaped line breaks it holds.
         */
        private Command command(YamlNode n, String text) {
            int line = n.line();
            String source = line - 1 < lines.size() ? lines.get(line - 1) : "";
            int colon = source.indexOf(':');
            String after = colon < 0 ? source.strip() : source.substring(colon + 1).strip();
            if (after.startsWith("- ")) {
                after = after.substring(2).strip();
            }
            boolean block = after.startsWith("|") || after.startsWith(">");
            if (block) {
                return new Command(label, line + 1, text, true);
            }
            return new Command(label, line, text, !text.contains("\n"));
        }

        /** {@code uses: ./path}: a reusable workflow file or a local action directory, run as part of this job. */
        private void localUses(String path) {
            String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (p.endsWith(".yml") || p.endsWith(".yaml")) {
                tree.explicit(p).ifPresent(f -> includes.add(new CiFile(f, ci.system().equals(COMPOSITE_ACTION) ? "GitHub Actions"
                        : ci.system(), true)));
                return;
            }
            for (String name : List.of("action.yml", "action.yaml")) {
                Optional<RepoFile> f = tree.explicit(p + "/" + name);
                if (f.isPresent()) {
                    includes.add(new CiFile(f.get(), COMPOSITE_ACTION, true));
                    return;
                }
            }
        }

        /** Top-level GitLab keys that are settings, not jobs. */
        private static final Set<String> GITLAB_GLOBAL = Set.of("stages", "variables", "include", "default", "workflow", "image",
                "services", "cache", "before_script", "after_script", "types", "pages:deploy", "spec");

        /**
         * GitLab jobs: a hidden job ({@code .name}) runs only as the base of a job that extends it, a job
         * with {@code when: manual} or {@code never} (also through every one of its {@code rules}) does
         * not run on its own, and one with {@code allow_failure: true} cannot fail the pipeline.
         */
        private void gitlabJobs(YamlNode doc) throws UnreadableFile {
            for (Map.Entry<String, YamlNode> e : doc.entries().entrySet()) {
                String name = e.getKey();
                YamlNode job = e.getValue();
                if (GITLAB_GLOBAL.contains(name) || !job.isMap()) {
                    walk(job, name, 1, !name.equals("workflow"));
                    continue;
                }
                List<String> bases = new ArrayList<>();
                job.get("extends").ifPresent(x -> {
                    if (x.isList()) {
                        x.items().forEach(i -> bases.add(String.valueOf(i.text())));
                    } else if (x.text() != null) {
                        bases.add(x.text());
                    }
                });
                if (name.startsWith(".")) {
                    Reader sub = new Reader(ci, tree, gitlab);
                    sub.lines = lines;
                    sub.walk(job, name, 1, true);
                    gitlab.hidden.computeIfAbsent(name, k -> new ArrayList<>()).addAll(sub.commands);
                    gitlab.hiddenExtends.computeIfAbsent(name, k -> new ArrayList<>()).addAll(bases);
                    budget -= NODE_BUDGET - sub.budget;
                    continue;
                }
                String why = gitlabExcluded(job);
                if (why != null) {
                    notCounted(name + ": " + why);
                    walk(job, name, 1, false);
                    continue;
                }
                if (job.get("script").isEmpty()) {
                    gitlab.extendedByCounted.addAll(bases);
                }
                walk(job, name, 1, true);
            }
        }

        private static String gitlabExcluded(YamlNode job) {
            String when = job.textAt("when").orElse("");
            if (when.equals("manual") || when.equals("never")) {
                return "when: " + when;
            }
            if (literallyTrue(job.get("allow_failure").orElse(null))) {
                return "allow_failure: true";
            }
            Optional<YamlNode> rules = job.get("rules");
            if (rules.isPresent() && rules.get().isList() && !rules.get().items().isEmpty()
                    && rules.get().items().stream().allMatch(r -> Set.of("manual", "never").contains(r.textAt("when").orElse("")))) {
                return "every rule is when: manual or never";
            }
            return null;
        }

        /**
         * CircleCI runs the jobs its workflows list (by name, or as the key of a map item); without a
         * {@code workflows} section, only the job named {@code build}.
         */
        private void circleJobs(YamlNode doc) throws UnreadableFile {
            Set<String> referenced = new java.util.HashSet<>();
            Optional<YamlNode> workflows = doc.get("workflows");
            workflows.ifPresent(w -> w.entries().values().forEach(wf -> wf.get("jobs").ifPresent(jobs -> jobs.items().forEach(j -> {
                if (j.text() != null) {
                    referenced.add(j.text());
                } else if (j.isMap()) {
                    referenced.addAll(j.entries().keySet());
                }
            }))));
            // Reusable commands run when a counted job's steps name them.
            Set<String> stepNames = new java.util.HashSet<>();
            for (Map.Entry<String, YamlNode> e : doc.entries().entrySet()) {
                if (!e.getKey().equals("jobs") || !e.getValue().isMap()) {
                    continue;
                }
                for (Map.Entry<String, YamlNode> job : e.getValue().entries().entrySet()) {
                    boolean runs = workflows.isEmpty() ? job.getKey().equals("build") : referenced.contains(job.getKey());
                    if (!runs) {
                        notCounted("job " + job.getKey() + " is in no workflow");
                    } else {
                        job.getValue().get("steps").ifPresent(steps -> steps.items().forEach(step -> {
                            if (step.text() != null) {
                                stepNames.add(step.text());
                            } else if (step.isMap()) {
                                stepNames.addAll(step.entries().keySet());
                            }
                        }));
                    }
                    walk(job.getValue(), job.getKey(), 2, runs);
                }
            }
            for (Map.Entry<String, YamlNode> e : doc.entries().entrySet()) {
                if (e.getKey().equals("jobs") && e.getValue().isMap()) {
                    continue;
                }
                if (e.getKey().equals("commands") && e.getValue().isMap()) {
                    for (Map.Entry<String, YamlNode> cmd : e.getValue().entries().entrySet()) {
                        boolean used = stepNames.contains(cmd.getKey());
                        if (!used) {
                            notCounted("command " + cmd.getKey() + " is used by no counted job");
                        }
                        walk(cmd.getValue(), cmd.getKey(), 2, used);
                    }
                    continue;
                }
                walk(e.getValue(), e.getKey(), 1, true);
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
                        external.add(PythonRequirements.userinfoMasked(t) + " (remote include)");
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
                        external.add(kind == null ? "an include of unknown kind" : kind + " include " + PythonRequirements.userinfoMasked(String.valueOf(what)));
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
            List<int[]> disabled = disabledStages(text);
            for (Command c : groovyShellStrings(label, text)) {
                if (disabled.stream().anyMatch(r -> c.line() >= r[0] && c.line() <= r[1])) {
                    notCounted++;
                    notCounted("a stage with when { expression { false } }");
                } else {
                    commands.add(c);
                }
            }
            if (text.contains("@Library")) {
                external.add(label + " shared library steps");
            }
        }
    }

    private static final Pattern WHEN_FALSE = Pattern.compile(
            "when\\s{0,64}\\{\\s{0,64}expression\\s{0,64}\\{\\s{0,64}(?:return\\s{1,16})?false\\s{0,64}}");
    private static final Pattern STAGE = Pattern.compile("\\bstage\\s{0,16}\\(");

    /**
     * The line ranges of declarative stages that can never run: {@code when { expression { false } }}
     * inside them. A stage's range runs from its {@code stage(} to its block's closing brace.
     */
    static List<int[]> disabledStages(String text) {
        List<int[]> out = new ArrayList<>();
        java.util.regex.Matcher w = WHEN_FALSE.matcher(text);
        if (!w.find()) {
            return out;
        }
        // Every brace's partner in one pass, then every stage's block: bounded work on any file.
        int[] partner = new int[text.length()];
        java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                open.push(i);
            } else if (c == '}' && !open.isEmpty()) {
                int o = open.pop();
                partner[o] = i;
            }
        }
        List<int[]> stages = new ArrayList<>();
        java.util.regex.Matcher st = STAGE.matcher(text);
        int nextBrace = -1;
        while (st.find() && stages.size() < 10_000) {
            if (nextBrace < st.end()) {
                nextBrace = text.indexOf('{', st.end());
            }
            if (nextBrace < 0) {
                break;
            }
            if (partner[nextBrace] > 0) {
                stages.add(new int[] {st.start(), nextBrace, partner[nextBrace]});
            }
        }
        int found = 0;
        do {
            int[] innermost = null;
            for (int[] stage : stages) {
                if (stage[1] < w.start() && stage[2] > w.end() && (innermost == null || stage[0] > innermost[0])) {
                    innermost = stage;
                }
            }
            if (innermost != null) {
                out.add(new int[] {lineOf(text, innermost[0]), lineOf(text, innermost[2])});
            }
        } while (++found < 64 && w.find());
        return out;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
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
