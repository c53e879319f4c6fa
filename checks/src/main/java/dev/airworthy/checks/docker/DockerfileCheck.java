package dev.airworthy.checks.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.compose.ComposeProject;
import dev.airworthy.checks.compose.ComposeService;
import dev.airworthy.checks.docker.Dockerfile.Instruction;
import dev.airworthy.checks.docker.Dockerfile.Stage;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import dev.airworthy.checks.secrets.SecretValues;
import dev.airworthy.checks.yaml.YamlNode.YamlSyntaxError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "docker.dockerfile",
        title = "Dockerfile production practices",
        category = Category.CONTAINERS,
        severity = Severity.HIGH,
        summary = """
                Judges each Dockerfile, a finding per rule: the final stage runs as a non-root `USER` \
                (`docker.dockerfile.root-user`; earlier build stages may be root; root is `root` or uid 0 however \
                written, `0000`, `+0`, `0:app`; a base tagged `nonroot`, as distroless images are, counts as one; \
                `USER $VAR` is resolved through the stage's `ENV` (inherited from the stages it builds on) and `ARG`s: \
                root fails, a value a build argument decides warns); every base image, and every image a \
                `COPY --from=` names instead of a stage, is pinned to a tag that is not `latest`, a digest being best \
                (`docker.dockerfile.unpinned-base`; `FROM node:${NODE_VERSION}` is judged by the `ARG` default, and \
                warns without one; a variable that only names the registry leaves the tag to judge); the final stage \
                has a `HEALTHCHECK` (`docker.dockerfile.no-healthcheck`; `HEALTHCHECK NONE` fails), unless every \
                long-running compose service that runs the image has its own healthcheck, or only one-shot services \
                run it (those that build it, and those that run the image they tag, `image:`); no `ENV` or `ARG` \
                named like a secret holds a literal value (`docker.dockerfile.secret-in-env`, at the line of the \
                variable even inside a continued instruction; a secret-named `ARG` without a value, or an `ENV` copied \
                from one, warns, as build arguments are kept in the image's history); no `ADD` of a URL without \
                `--checksum`, also one an `ARG` gives (`docker.dockerfile.add-url`). `USER` and `HEALTHCHECK` are \
                inherited from an earlier stage the final stage builds on. A compose service that builds the \
                Dockerfile is judged as it builds it: its `build.target` stage is judged (user, healthcheck) as well \
                as the final stage, and its `build.args` replace the `ARG` defaults (for `FROM`, `USER`, `ADD`, \
                `COPY --from`); such findings name the stage and the service. Files are read as BuildKit reads them \
                (byte order mark, CRLF, blank and comment lines inside continuations, heredocs only from words \
                starting with `<<` in `RUN`, `COPY` and `ADD`). Discovery finds `Dockerfile`, `Dockerfile.*`, \
                `Dockerfile-*`, `Dockerfile_*`, `*.Dockerfile` and `Containerfile`, and every file a compose \
                service builds from (`build.dockerfile`), except development variants (`Dockerfile.dev`, \
                `test.Dockerfile`, `.devcontainer/`) and templates that no compose service builds.""",
        rationale = """
                A process running as root in a container is one kernel bug or mis-mounted socket away from root on \
                the host. An unpinned base image changes under the same Dockerfile, so a rebuild ships code nobody \
                reviewed. Without a healthcheck Docker cannot tell a hung service from a healthy one. Secrets in \
                `ENV` or `ARG` are readable by anyone who can pull the image (`docker history`, `docker inspect`), \
                and `ADD https://...` fetches whatever the server returns that day.""",
        remediation = """
                Create an unprivileged user and switch to it at the end (`RUN useradd -r -u 10001 app` then \
                `USER app`, or a `:nonroot` distroless base). Pin bases (`FROM python:3.12.4-slim@sha256:...`). Add \
                `HEALTHCHECK CMD curl -fsS http://localhost:8080/health || exit 1`, or a `healthcheck:` on the compose \
                service. Pass build secrets with `RUN --mount=type=secret,id=npm_token` and runtime secrets through \
                the environment or mounted files at run time. Replace `ADD URL` with `ADD --checksum=sha256:... URL` \
                or a `curl` followed by a checksum check.""",
        example = """
                - id: dockerfile
                  title: The image runs as non-root, pinned, with a healthcheck
                  check: docker.dockerfile""",
        references = {"https://docs.docker.com/build/building/best-practices/",
                "https://docs.docker.com/reference/dockerfile/#user",
                "https://docs.docker.com/reference/dockerfile/#healthcheck",
                "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
                "https://docs.docker.com/reference/dockerfile/#add---checksum"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST,
                    description = "Dockerfiles to judge, relative to the repository root (globs allowed). Default: "
                            + "every `Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, `Dockerfile_*`, `*.Dockerfile`, `*.dockerfile` "
                            + "and `Containerfile` in the repository, and every file a compose service builds from, except "
                            + "development variants (dev, local, test, ci, e2e, debug, `.devcontainer/`) and templates "
                            + "(`.j2`, `.tmpl`, ...) that no compose service builds.")
        })
public final class DockerfileCheck implements Check {
    private static final Set<String> NOT_DOCKERFILES = Set.of(
            "md", "txt", "j2", "jinja", "jinja2", "tmpl", "tpl", "template", "erb", "bak", "orig", "swp", "sample", "example",
            "dockerignore", "in");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A numeric user id of 0, however many zeros, with an optional sign. */
    private static final Pattern ROOT_UID = Pattern.compile("\\+?0+");

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        List<String> notes = new ArrayList<>();
        boolean named = !ctx.params().list(CheckedFiles.PARAM).isEmpty();
        ComposeLinks compose = new ComposeLinks(ctx, notes);
        List<RepoFile> files = named ? CheckedFiles.select(ctx, f -> false) : discovered(RepoTree.of(ctx), compose, notes);
        Outcome out = new Outcome();
        List<Dockerfile> dockerfiles = new ArrayList<>();
        for (RepoFile f : files) {
            Dockerfile d = Dockerfile.read(f.absolute(), f.path());
            if (d.hasFrom()) {
                dockerfiles.add(d);
            } else if (named) {
                return out.error(f.path() + ": no FROM instruction, so it is not a Dockerfile");
            } else {
                notes.add(f.path() + " not judged: no FROM instruction");
            }
        }
        if (dockerfiles.isEmpty()) {
            throw new NotApplicable("no Dockerfile in the repository" + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
        }
        Findings findings = new Findings(out);
        for (Dockerfile d : dockerfiles) {
            judge(d, compose, findings);
        }
        out.evidence(notes);
        return out.result(dockerfiles.size() == 1
                ? dockerfiles.getFirst().file() + ": non-root, pinned, with a healthcheck, no secrets, no ADD of URLs"
                : "all " + dockerfiles.size() + " Dockerfiles: non-root, pinned, with a healthcheck, no secrets, no ADD of URLs");
    }

    /**
     * The Dockerfiles discovery judges: those named like one, except development variants and
     * templates (noted), and every file a judged compose service builds from ({@code build.dockerfile}),
     * whatever its name.
     */
    private static List<RepoFile> discovered(RepoTree tree, ComposeLinks compose, List<String> notes) {
        Map<String, RepoFile> out = new LinkedHashMap<>();
        Map<String, String> left = new LinkedHashMap<>();
        for (RepoFile f : tree.files()) {
            String variant = variant(f.name());
            if (variant == null) {
                continue;
            }
            String extension = variant.substring(variant.lastIndexOf('.') + 1);
            String why = NOT_DOCKERFILES.contains(variant) || NOT_DOCKERFILES.contains(extension) ? "a template or copy, not a Dockerfile"
                    : CheckedFiles.developmentOnly(f, variant.isEmpty() ? null : variant);
            if (why == null) {
                out.put(f.path(), f);
            } else if (!variant.equals("dockerignore")) {
                left.put(f.path(), f.path() + " not judged: " + why + " (name it in files to judge it)");
            }
        }
        for (Map.Entry<String, ComposeService> ref : compose.dockerfiles().entrySet()) {
            String path = ref.getKey();
            if (out.containsKey(path)) {
                continue;
            }
            Optional<Path> abs = CheckedFiles.regularFileInside(tree.root(), path);
            if (abs.isPresent()) {
                try {
                    out.put(path, new RepoFile(path, abs.get(), Files.size(abs.get())));
                    left.remove(path);
                    notes.add(path + " judged: " + ref.getValue().name() + " (" + ref.getValue().file() + ") builds it");
                } catch (IOException e) {
                    notes.add(path + " not read: " + e.getMessage());
                }
            }
        }
        notes.addAll(left.values());
        return List.copyOf(out.values());
    }

    /**
     * For a Dockerfile's name, the variant it names ({@code prod} of {@code Dockerfile.prod},
     * {@code Dockerfile-prod}, {@code Dockerfile_prod} or {@code prod.Dockerfile}), "" for none,
     * null for another file.
     */
    static String variant(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("dockerfile") || lower.equals("containerfile")) {
            return "";
        }
        for (String base : List.of("dockerfile", "containerfile")) {
            if (lower.length() > base.length() + 1 && lower.startsWith(base) && ".-_".indexOf(lower.charAt(base.length())) >= 0) {
                return lower.substring(base.length() + 1);
            }
        }
        if (lower.endsWith(".dockerfile") || lower.endsWith(".containerfile")) {
            return lower.substring(0, lower.lastIndexOf('.'));
        }
        return null;
    }

    /**
     * A way the Dockerfile is built: the stage built, the build arguments given, and the compose
     * service that builds it so (null for a plain {@code docker build} with the defaults).
     */
    private record Build(Stage stage, Map<String, String> args, ComposeService by) {
        /** What a finding about this build adds to its message, "" for the plain build. */
        String suffix() {
            return by == null ? "" : " (as " + by.name() + " in " + by.file() + " builds it"
                    + (args.isEmpty() ? "" : " with its build.args") + ")";
        }

        String argumentsBy() {
            return by == null ? "the build" : "the build.args of " + by.name();
        }
    }

    /**
     * The item's findings, each kept once: a compose build that finds what the plain build found
     * adds nothing; one that finds something new says which service builds it so.
     */
    private static final class Findings {
        private final Outcome out;
        private final Set<String> seen = new HashSet<>();

        Findings(Outcome out) {
            this.out = out;
        }

        void add(Finding f, Build build) {
            if (seen.add(f.rule() + "@" + f.file() + ":" + f.line() + " " + f.message())) {
                out.finding(build.suffix().isEmpty() ? f : f.withMessage(f.message() + build.suffix()));
            }
        }

        void evidence(String line) {
            if (seen.add(line)) {
                out.evidence(line);
            }
        }
    }

    private static void judge(Dockerfile d, ComposeLinks compose, Findings out) {
        Stage last = d.finalStage().orElseThrow();
        out.evidence(d.file() + ": " + d.stages().size() + (d.stages().size() == 1 ? " stage" : " stages")
                + "; final stage FROM " + last.from().raw() + " (line " + last.line() + ")");
        List<Build> builds = new ArrayList<>();
        builds.add(new Build(last, Map.of(), null));
        for (ComposeService s : compose.builders(d.file())) {
            ComposeService.Build b = s.build().orElseThrow();
            String target = b.target() == null ? null : s.resolve(b.target()).text().strip();
            Optional<Stage> stage = target == null ? Optional.of(last) : d.stageNamed(target);
            if (stage.isEmpty()) {
                out.evidence(d.file() + ": " + s.name() + " (" + s.file() + ") builds the target " + target + ", which is no stage of it");
                continue;
            }
            Map<String, String> args = new LinkedHashMap<>();
            try {
                s.resolvedBuildArgs().forEach((k, v) -> {
                    if (v != null) {
                        args.put(k, v); // one taken from the environment leaves the Dockerfile's default
                    }
                });
            } catch (ComposeService.Malformed e) {
                out.evidence(d.file() + ": the build of " + s.name() + " not judged: " + e.getMessage());
                continue;
            }
            builds.add(new Build(stage.get(), args, s));
        }
        Set<String> judgedStages = new HashSet<>();
        for (Build b : builds) {
            bases(d, b, out);
            user(d, b, out);
            if (judgedStages.add(String.valueOf(b.stage().index()))) {
                healthcheck(d, b.stage(), b.stage() == last, compose, out);
            }
            addsAndCopies(d, b, out);
        }
        secrets(d, out);
    }

    /**
     * A base image a Dockerfile pulls, read as docker.dockerfile reads it with no build arguments:
     * {@code ref} has the global {@code ARG} defaults applied; {@code unresolved} names the arguments
     * that have no default (then the pinning cannot be told). {@code repo.deps-pinned} judges FROM
     * lines through this, so the two checks agree.
     */
    public record Base(Stage stage, String shown, ImageRef ref, List<String> unresolved) {
    }

    public static List<Base> resolvedBases(Dockerfile d) {
        return resolvedBases(d, Map.of(), "the build");
    }

    /** The bases with {@code args} (a compose service's build.args, given by {@code argumentsBy}) over the ARG defaults. */
    private static List<Base> resolvedBases(Dockerfile d, Map<String, String> args, String argumentsBy) {
        Map<String, BuildScope.Var> globalArgs = BuildScope.global(d, args, argumentsBy);
        Set<String> stageNames = d.stages().stream().filter(s -> s.name() != null)
                .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<Base> out = new java.util.ArrayList<>();
        for (Stage st : d.externalBases()) {
            String raw = st.from().raw();
            if (!Interpolation.hasReference(raw)) {
                out.add(new Base(st, raw, st.from(), List.of()));
                continue;
            }
            Interpolation.Resolved r = Interpolation.resolve(raw, n -> BuildScope.valueOf(globalArgs, n));
            if (r.complete() && stageNames.contains(r.text().toLowerCase(Locale.ROOT))) {
                continue;
            }
            ImageRef ref = ImageRef.parse(r.complete() ? r.text() : raw);
            boolean unknown = !r.complete() && ref.pinning() == ImageRef.Pinning.VARIABLE;
            String shown = !r.complete() ? raw : raw + " (" + r.text() + (args.keySet().stream().anyMatch(r.supplied()::contains)
                    ? " with " + argumentsBy + ")" : " by default)");
            out.add(new Base(st, shown, ref, unknown ? List.copyOf(r.unresolved()) : List.of()));
        }
        return out;
    }

    private static void bases(Dockerfile d, Build build, Findings out) {
        for (Base b : resolvedBases(d, build.args(), build.argumentsBy())) {
            if (!b.unresolved().isEmpty()) {
                out.add(Finding.warn("docker.dockerfile.unpinned-base", "FROM " + b.stage().from().raw() + " depends on the build argument "
                        + String.join(", ", b.unresolved()) + ", which has no default").at(d.file(), b.stage().line()), build);
                continue;
            }
            pinning("FROM " + b.shown(), b.ref(), d, b.stage().line(), build, out);
        }
    }

    /** Judges an image reference a build pulls (a FROM line's base, a COPY --from image) for pinning. */
    private static void pinning(String what, ImageRef ref, Dockerfile d, int line, Build build, Findings out) {
        String reason = ref.unpinnedReason();
        if (reason != null) {
            out.add(Finding.fail("docker.dockerfile.unpinned-base", what + ": " + reason).at(d.file(), line), build);
        } else {
            out.evidence(d.file() + ":" + line + ": " + what + " pinned by "
                    + (ref.pinning() == ImageRef.Pinning.DIGEST ? "digest" : "tag, a digest is best"));
        }
    }

    /** How findings name the stage a build runs: the final one, or the target a compose service builds. */
    private static String stageLabel(Dockerfile d, Stage stage) {
        return stage == d.finalStage().orElseThrow() ? "the final stage (FROM " + stage.from().raw() + ")" : stage.label();
    }

    private static void user(Dockerfile d, Build build, Findings out) {
        Stage stage = build.stage();
        String which = stageLabel(d, stage);
        Optional<Instruction> user = d.lastInherited(stage, "USER");
        if (user.isEmpty()) {
            Stage root = stage;
            while (d.parent(root).isPresent()) {
                root = d.parent(root).get();
            }
            String tag = root.from().tag() == null ? "" : root.from().tag().toLowerCase(Locale.ROOT);
            if (tag.contains("nonroot")) {
                out.evidence(d.file() + ": " + which + " sets no USER, but the base " + root.from().raw() + " runs as a non-root user");
                return;
            }
            out.add(Finding.fail("docker.dockerfile.root-user", which + " sets no USER, so the container runs as root")
                    .at(d.file(), stage.line()), build);
            return;
        }
        Instruction ins = user.get();
        String spec = words(ins.args()).stream().findFirst().orElse("");
        if (!Interpolation.hasReference(spec)) {
            if (isRoot(spec)) {
                out.add(Finding.fail("docker.dockerfile.root-user", which + " runs as root (USER " + spec + ")").at(d.file(), ins.line()), build);
            } else {
                out.evidence(d.file() + ":" + ins.line() + ": " + which + " runs as USER " + spec);
            }
            return;
        }
        Stage owner = stage;
        while (!owner.instructions().contains(ins)) {
            owner = d.parent(owner).orElseThrow();
        }
        Map<String, BuildScope.Var> scope = new HashMap<>();
        BuildScope.walk(d, owner, build.args(), build.argumentsBy(), (i, vars) -> {
            if (i == ins) {
                scope.putAll(vars);
            }
        });
        Interpolation.Resolved r = Interpolation.resolve(spec, n -> BuildScope.valueOf(scope, n));
        List<BuildScope.Var> used = new ArrayList<>();
        for (String n : r.supplied()) {
            used.add(scope.get(n));
        }
        String origins = used.stream().map(BuildScope.Var::origin).collect(Collectors.joining(", "));
        boolean argument = used.stream().anyMatch(BuildScope.Var::fromArgument);
        if (r.complete() && isRoot(r.text())) {
            out.add(Finding.fail("docker.dockerfile.root-user", "USER " + spec + " is root: " + origins).at(d.file(), ins.line()), build);
        } else if (!r.complete()) {
            out.add(Finding.warn("docker.dockerfile.root-user", "USER " + spec + " depends on " + String.join(", ", r.unresolved())
                    + ", which has no value here, so the user can be root").at(d.file(), ins.line()), build);
        } else if (argument) {
            out.add(Finding.warn("docker.dockerfile.root-user", "USER " + spec + " depends on a build argument (" + origins
                    + "), so the user can be root").at(d.file(), ins.line()), build);
        } else {
            out.evidence(d.file() + ":" + ins.line() + ": " + which + " runs as USER " + spec + " = " + r.text() + " (" + origins + ")");
        }
    }

    /** root, or uid 0 however written ({@code 0}, {@code 000}, {@code +0}), with or without a group ({@code 0:app}). */
    static boolean isRoot(String spec) {
        String u = spec.strip();
        int colon = u.indexOf(':');
        String name = colon < 0 ? u : u.substring(0, colon);
        return name.equalsIgnoreCase("root") || ROOT_UID.matcher(name).matches();
    }

    private static void healthcheck(Dockerfile d, Stage stage, boolean isFinal, ComposeLinks compose, Findings out) {
        Build plain = new Build(stage, Map.of(), null);
        Optional<Instruction> hc = d.lastInherited(stage, "HEALTHCHECK");
        boolean none = hc.isPresent() && hc.get().args().strip().equalsIgnoreCase("NONE");
        if (hc.isPresent() && !none) {
            out.evidence(d.file() + ":" + hc.get().line() + ": HEALTHCHECK" + (isFinal ? "" : " for " + stage.label()));
            return;
        }
        List<ComposeService> builders = compose.builders(d.file()).stream().filter(s -> builds(s, d, stage)).toList();
        List<ComposeService> runners = new ArrayList<>(builders);
        runners.addAll(compose.runningImagesOf(builders));
        List<ComposeService> longRunning = runners.stream().filter(s -> s.oneShot() == null).toList();
        if (!runners.isEmpty() && longRunning.isEmpty()) {
            out.evidence(d.file() + ": no HEALTHCHECK, and " + stageLabel(d, stage) + " is run only by one-shot services: "
                    + runners.stream().map(s -> s.name() + " (" + s.oneShot() + ")").collect(Collectors.joining(", ")));
            return;
        }
        List<ComposeService> unchecked = longRunning.stream().filter(s -> s.healthcheckTest().isEmpty()).toList();
        if (!longRunning.isEmpty() && unchecked.isEmpty()) {
            out.evidence(d.file() + ": no HEALTHCHECK, but every long-running service that runs it has its own: "
                    + longRunning.stream().map(s -> s.name() + " (" + ComposeService.where(s.healthcheckTest().orElseThrow()) + ")")
                    .collect(Collectors.joining(", ")));
            return;
        }
        String message = (none ? "HEALTHCHECK NONE turns the healthcheck off" : stageLabel(d, stage) + " has no HEALTHCHECK")
                + (isFinal ? "" : ", and " + builders.stream().map(ComposeService::name).collect(Collectors.joining(", "))
                        + " builds it (build.target)");
        if (!unchecked.isEmpty()) {
            message += ", and " + unchecked.stream().map(s -> s.name() + " (" + s.file() + ")").collect(Collectors.joining(", "))
                    + (unchecked.size() == 1 ? ", which runs it, has" : ", which run it, have") + " no healthcheck either";
        }
        out.add(Finding.fail("docker.dockerfile.no-healthcheck", message).at(d.file(), none ? hc.get().line() : stage.line()), plain);
    }

    /** Whether a compose service's build runs this stage: its target names it, or it has none and the stage is the final one. */
    private static boolean builds(ComposeService s, Dockerfile d, Stage stage) {
        String target = s.build().map(ComposeService.Build::target).map(t -> s.resolve(t).text().strip()).orElse(null);
        return target == null ? stage == d.finalStage().orElseThrow() : d.stageNamed(target).filter(st -> st == stage).isPresent();
    }

    private static void secrets(Dockerfile d, Findings out) {
        Build plain = new Build(d.finalStage().orElseThrow(), Map.of(), null);
        for (Instruction ins : d.instructions()) {
            boolean env = ins.keyword().equals("ENV");
            if (!env && !ins.keyword().equals("ARG")) {
                continue;
            }
            for (KeyValue kv : pairs(ins)) {
                if (!SecretValues.isSecretName(kv.name())) {
                    continue;
                }
                int line = ins.lineAt(kv.offset());
                String value = kv.value() == null ? "" : kv.value();
                Interpolation.Resolved r = Interpolation.resolve(value);
                if (value.isEmpty() || (Interpolation.hasReference(value) && r.text().isEmpty())) {
                    if (!env || !value.isEmpty()) {
                        out.add(Finding.warn("docker.dockerfile.secret-in-env", ins.keyword() + " " + kv.name()
                                + (env ? " copies a build argument into the image's environment"
                                        : ": build arguments are kept in the image's history")
                                + "; pass it with RUN --mount=type=secret or at run time").at(d.file(), line), plain);
                    }
                } else if (!r.complete()) {
                    out.add(Finding.warn("docker.dockerfile.secret-in-env", ins.keyword() + " " + kv.name()
                            + " bakes a build argument into the image; pass it with RUN --mount=type=secret or at run time")
                            .at(d.file(), line), plain);
                } else {
                    out.add(Finding.fail("docker.dockerfile.secret-in-env", ins.keyword() + " " + kv.name()
                            + " holds a literal secret (" + SecretValues.masked(r.text()) + "), readable by anyone who pulls the image")
                            .at(d.file(), line), plain);
                }
            }
        }
    }

    /**
     * The ADD and COPY instructions of every stage, with the variables in effect there: an ADD of
     * a URL (also one an ARG default or a build argument gives, {@code ADD ${URL}}) needs
     * {@code --checksum}; a COPY --from that names no stage pulls an image, judged for pinning like a base.
     */
    private static void addsAndCopies(Dockerfile d, Build build, Findings out) {
        for (Stage stage : d.stages()) {
            boolean relevant = stage.instructions().stream().anyMatch(i -> i.keyword().equals("ADD")
                    || (i.keyword().equals("COPY") && i.args().contains("--from")));
            if (!relevant) {
                continue;
            }
            BuildScope.walk(d, stage, build.args(), build.argumentsBy(), (ins, scope) -> {
                if (ins.keyword().equals("ADD")) {
                    addUrls(d, ins, scope, build, out);
                } else if (ins.keyword().equals("COPY")) {
                    copyFrom(d, ins, scope, build, out);
                }
            });
        }
    }

    private static void addUrls(Dockerfile d, Instruction ins, Map<String, BuildScope.Var> scope, Build build, Findings out) {
        List<String> words = addArguments(ins.args());
        boolean checksum = words.stream().anyMatch(w -> w.toLowerCase(Locale.ROOT).startsWith("--checksum="));
        List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
        for (String written : paths.subList(0, Math.max(0, paths.size() - 1))) {
            Interpolation.Resolved r = Interpolation.resolve(written, n -> BuildScope.valueOf(scope, n));
            String source = r.complete() ? r.text() : written;
            String lower = source.toLowerCase(Locale.ROOT);
            boolean remote = lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("git@")
                    || lower.startsWith("git://");
            String shown = withoutCredentials(source) + (source.equals(written) ? "" : " (" + written + ")");
            if (remote && checksum) {
                out.evidence(d.file() + ":" + ins.line() + ": ADD " + shown + " verified by --checksum");
            } else if (remote) {
                out.add(Finding.fail("docker.dockerfile.add-url", "ADD fetches " + shown
                        + " without --checksum, so the build takes whatever the server returns").at(d.file(), ins.line()), build);
            }
        }
    }

    private static void copyFrom(Dockerfile d, Instruction ins, Map<String, BuildScope.Var> scope, Build build, Findings out) {
        for (String w : addArguments(ins.args())) {
            if (!w.toLowerCase(Locale.ROOT).startsWith("--from=")) {
                continue;
            }
            String written = w.substring("--from=".length());
            Interpolation.Resolved r = Interpolation.resolve(written, n -> BuildScope.valueOf(scope, n));
            String from = r.complete() ? r.text() : written;
            if (from.isEmpty() || from.chars().allMatch(Character::isDigit) || d.stageNamed(from).isPresent()) {
                continue; // an earlier stage, by name or index
            }
            ImageRef ref = ImageRef.parse(from);
            if (!r.complete() && ref.pinning() == ImageRef.Pinning.VARIABLE) {
                out.add(Finding.warn("docker.dockerfile.unpinned-base", "COPY --from=" + written + " depends on "
                        + String.join(", ", r.unresolved()) + ", which has no default").at(d.file(), ins.line()), build);
                continue;
            }
            pinning("COPY --from=" + written + (from.equals(written) ? "" : " (" + from + ")"), ref, d, ins.line(), build, out);
        }
    }

    private static String withoutCredentials(String url) {
        return url.replaceFirst("//[^/@\\s]{1,256}@", "//***@");
    }

    /** ADD's words: flags and paths, from the shell form or the JSON exec form. */
    private static List<String> addArguments(String args) {
        String a = args.strip();
        List<String> flags = new ArrayList<>();
        // Flags come first in either form: ADD --checksum=... ["src", "dest"].
        while (a.startsWith("--")) {
            int sp = a.indexOf(' ');
            flags.add(sp < 0 ? a : a.substring(0, sp));
            a = sp < 0 ? "" : a.substring(sp + 1).strip();
        }
        if (a.startsWith("[")) {
            try {
                List<String> out = new ArrayList<>(flags);
                for (Object o : JSON.readValue(a, List.class)) {
                    out.add(String.valueOf(o));
                }
                return out;
            } catch (IOException e) {
                // Not valid JSON: docker reads it as the shell form too.
            }
        }
        List<String> out = new ArrayList<>(flags);
        out.addAll(words(a));
        return out;
    }

    /**
     * A name and, for {@code NAME=value} or the legacy {@code ENV NAME value}, its value (null for a
     * bare {@code ARG NAME}); {@code offset} is where it starts in the instruction's arguments.
     */
    record KeyValue(String name, String value, int offset) {
    }

    /** The variables an ENV or ARG instruction sets: {@code ENV a=b c="d e"}, {@code ENV A some value}, {@code ARG A B=1}. */
    static List<KeyValue> pairs(Instruction ins) {
        List<Word> words = wordsAt(ins.args());
        List<KeyValue> out = new ArrayList<>();
        if (words.isEmpty()) {
            return out;
        }
        if (ins.keyword().equals("ENV") && !words.getFirst().text().contains("=")) {
            String args = ins.args().strip();
            int sp = 0;
            while (sp < args.length() && !Character.isWhitespace(args.charAt(sp))) {
                sp++;
            }
            out.add(new KeyValue(words.getFirst().text(), args.substring(sp).strip(), 0));
            return out;
        }
        for (Word w : words) {
            int eq = w.text().indexOf('=');
            if (eq > 0) {
                out.add(new KeyValue(w.text().substring(0, eq), w.text().substring(eq + 1), w.start()));
            } else if (eq < 0) {
                out.add(new KeyValue(w.text(), null, w.start()));
            }
        }
        return out;
    }

    /** A word of an instruction's arguments, unquoted, and where it starts. */
    record Word(String text, int start) {
    }

    /** Splits on blanks outside quotes, removing the quotes and backslash escapes, as the Dockerfile parser does. */
    static List<String> words(String s) {
        return wordsAt(s).stream().map(Word::text).toList();
    }

    static List<Word> wordsAt(String s) {
        List<Word> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int start = -1;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (start >= 0) {
                    out.add(new Word(cur.toString(), start));
                    cur.setLength(0);
                    start = -1;
                }
            } else {
                start = start < 0 ? i : start;
                if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '\\' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            }
        }
        if (start >= 0) {
            out.add(new Word(cur.toString(), start));
        }
        return out;
    }

    @Override
    public List<String> validate(Params params) {
        return CheckedFiles.validate(params);
    }

    /**
     * The compose services of the repository, read once and only when needed: which build a
     * Dockerfile, and which run the images those builds are tagged as. A compose file that cannot
     * be read is noted, not fatal: the findings about the Dockerfile stand on their own.
     */
    private static final class ComposeLinks {
        private final CheckContext ctx;
        private final List<String> notes;
        private List<ComposeService> services;

        ComposeLinks(CheckContext ctx, List<String> notes) {
            this.ctx = ctx;
            this.notes = notes;
        }

        private List<ComposeService> services() {
            if (services == null) {
                try {
                    services = ComposeProject.discover(ctx).services();
                } catch (NotApplicable e) {
                    services = List.of();
                } catch (YamlSyntaxError | IOException e) {
                    notes.add("compose files not read: " + e.getMessage());
                    services = List.of();
                }
            }
            return services;
        }

        /** The services that build {@code dockerfile} (any target). */
        List<ComposeService> builders(String dockerfile) {
            return services().stream().filter(s -> s.build().map(b -> dockerfile.equals(b.dockerfile())).orElse(false)).toList();
        }

        /** Each Dockerfile a service builds from, with the first service that does. */
        Map<String, ComposeService> dockerfiles() {
            Map<String, ComposeService> out = new LinkedHashMap<>();
            for (ComposeService s : services()) {
                s.build().map(ComposeService.Build::dockerfile).ifPresent(f -> out.putIfAbsent(f, s));
            }
            return out;
        }

        /** The services that build nothing but run an image one of {@code builders} is tagged as. */
        List<ComposeService> runningImagesOf(List<ComposeService> builders) {
            Set<String> images = new HashSet<>();
            builders.forEach(b -> b.image().ifPresent(images::add));
            if (images.isEmpty()) {
                return List.of();
            }
            return services().stream().filter(s -> s.build().isEmpty() && s.image().filter(images::contains).isPresent()).toList();
        }
    }
}
