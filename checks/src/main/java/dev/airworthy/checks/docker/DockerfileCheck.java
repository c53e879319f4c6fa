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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "docker.dockerfile",
        title = "Dockerfile production practices",
        category = Category.CONTAINERS,
        severity = Severity.HIGH,
        summary = """
                Judges each Dockerfile, a finding per rule: the final stage runs as a non-root `USER` \
                (`docker.dockerfile.root-user`; earlier build stages may be root; `USER ${VAR}` warns; a base tagged \
                `nonroot`, as distroless images are, counts as one); every base \
                image is pinned to a tag that is not `latest`, a digest being best \
                (`docker.dockerfile.unpinned-base`; `FROM node:${NODE_VERSION}` is judged by the `ARG` default, \
                and warns without one); the final stage has a `HEALTHCHECK`, or a compose service that builds the \
                Dockerfile has its own healthcheck, or only one-shot services build it \
                (`docker.dockerfile.no-healthcheck`; `HEALTHCHECK NONE` fails); \
                no `ENV` or `ARG` named like a secret holds a literal value (`docker.dockerfile.secret-in-env`; a \
                secret-named `ARG` without a value, or an `ENV` copied from one, warns, as build arguments are \
                kept in the image's history); no `ADD` of a URL without `--checksum` (`docker.dockerfile.add-url`). \
                `USER` and `HEALTHCHECK` are inherited from an earlier stage the final stage builds on. \
                Discovery finds `Dockerfile`, `Dockerfile.*`, `*.Dockerfile` and `Containerfile`, except \
                development variants (`Dockerfile.dev`, `test.Dockerfile`, `.devcontainer/`) and templates.""",
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
                            + "every `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile` and `Containerfile` in "
                            + "the repository, except development variants (dev, local, test, ci, e2e, debug, "
                            + "`.devcontainer/`) and templates (`.j2`, `.tmpl`, ...).")
        })
public final class DockerfileCheck implements Check {
    private static final Set<String> NOT_DOCKERFILES = Set.of(
            "md", "txt", "j2", "jinja", "jinja2", "tmpl", "tpl", "template", "erb", "bak", "orig", "swp", "sample", "example",
            "dockerignore", "in");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        List<String> notes = new ArrayList<>();
        boolean named = !ctx.params().list(CheckedFiles.PARAM).isEmpty();
        List<RepoFile> files = named ? CheckedFiles.select(ctx, f -> false) : discovered(RepoTree.of(ctx), notes);
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
        out.evidence(notes);
        ComposeLinks compose = new ComposeLinks(ctx, out);
        for (Dockerfile d : dockerfiles) {
            judge(d, compose, out);
        }
        return out.result(dockerfiles.size() == 1
                ? dockerfiles.getFirst().file() + ": non-root, pinned, with a healthcheck, no secrets, no ADD of URLs"
                : "all " + dockerfiles.size() + " Dockerfiles: non-root, pinned, with a healthcheck, no secrets, no ADD of URLs");
    }

    /** The Dockerfiles discovery judges; development variants and templates are left out with a note. */
    private static List<RepoFile> discovered(RepoTree tree, List<String> notes) {
        List<RepoFile> out = new ArrayList<>();
        for (RepoFile f : tree.files()) {
            String variant = variant(f.name());
            if (variant == null) {
                continue;
            }
            String why = NOT_DOCKERFILES.contains(variant) ? "a template or copy, not a Dockerfile"
                    : CheckedFiles.developmentOnly(f, variant.isEmpty() ? null : variant);
            if (why == null) {
                out.add(f);
            } else if (!variant.equals("dockerignore")) {
                notes.add(f.path() + " not judged: " + why + " (name it in files to judge it)");
            }
        }
        return out;
    }

    /** For a Dockerfile's name, the variant it names ({@code prod} of {@code Dockerfile.prod}), "" for none, null for another file. */
    static String variant(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("dockerfile") || lower.equals("containerfile")) {
            return "";
        }
        if (lower.startsWith("dockerfile.") || lower.startsWith("containerfile.")) {
            return lower.substring(lower.indexOf('.') + 1);
        }
        if (lower.endsWith(".dockerfile") || lower.endsWith(".containerfile")) {
            return lower.substring(0, lower.lastIndexOf('.'));
        }
        return null;
    }

    private static void judge(Dockerfile d, ComposeLinks compose, Outcome out) {
        Stage last = d.finalStage().orElseThrow();
        Map<String, String> globalArgs = globalArgs(d);
        out.evidence(d.file() + ": " + d.stages().size() + (d.stages().size() == 1 ? " stage" : " stages")
                + "; final stage FROM " + last.from().raw() + " (line " + last.line() + ")");
        bases(d, globalArgs, out);
        user(d, last, globalArgs, out);
        healthcheck(d, last, compose, out);
        secrets(d, out);
        addUrls(d, out);
    }

    /** The ARG defaults declared before the first FROM, which FROM lines may use. */
    private static Map<String, String> globalArgs(Dockerfile d) {
        Map<String, String> out = new HashMap<>();
        for (Instruction ins : d.instructions()) {
            if (ins.keyword().equals("FROM")) {
                break;
            }
            if (ins.keyword().equals("ARG")) {
                pairs(ins).forEach(kv -> out.put(kv.name(), kv.value()));
            }
        }
        return out;
    }

    private static void bases(Dockerfile d, Map<String, String> globalArgs, Outcome out) {
        Set<String> stageNames = d.stages().stream().filter(s -> s.name() != null)
                .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (Stage st : d.externalBases()) {
            String raw = st.from().raw();
            ImageRef ref = st.from();
            String shown = raw;
            if (Interpolation.hasReference(raw)) {
                Interpolation.Resolved r = Interpolation.resolve(raw, globalArgs::get);
                if (!r.complete()) {
                    out.finding(Finding.warn("docker.dockerfile.unpinned-base", "FROM " + raw + " depends on the build argument "
                            + String.join(", ", r.unresolved()) + ", which has no default").at(d.file(), st.line()));
                    continue;
                }
                if (stageNames.contains(r.text().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                ref = ImageRef.parse(r.text());
                shown = raw + " (by default " + r.text() + ")";
            }
            String reason = ref.unpinnedReason();
            if (reason != null) {
                out.finding(Finding.fail("docker.dockerfile.unpinned-base", "FROM " + (shown.equals(raw) ? "" : shown + ": ") + reason)
                        .at(d.file(), st.line()));
            } else {
                out.evidence(d.file() + ":" + st.line() + ": FROM " + shown + " pinned by "
                        + (ref.pinning() == ImageRef.Pinning.DIGEST ? "digest" : "tag, a digest is best"));
            }
        }
    }

    private static void user(Dockerfile d, Stage last, Map<String, String> globalArgs, Outcome out) {
        Optional<Instruction> user = d.lastInherited(last, "USER");
        if (user.isEmpty()) {
            Stage root = last;
            while (d.parent(root).isPresent()) {
                root = d.parent(root).get();
            }
            String tag = root.from().tag() == null ? "" : root.from().tag().toLowerCase(Locale.ROOT);
            if (tag.contains("nonroot")) {
                out.evidence(d.file() + ": no USER, but the base " + root.from().raw() + " runs as a non-root user");
                return;
            }
            out.finding(Finding.fail("docker.dockerfile.root-user", "the final stage (FROM " + last.from().raw()
                    + ") sets no USER, so the container runs as root").at(d.file(), last.line()));
            return;
        }
        Instruction ins = user.get();
        String spec = words(ins.args()).stream().findFirst().orElse("");
        String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        if (Interpolation.hasReference(name)) {
            Map<String, String> args = new HashMap<>(globalArgs);
            for (Stage s = last; s != null; s = d.parent(s).orElse(null)) {
                for (Instruction a : s.all("ARG")) {
                    pairs(a).stream().filter(kv -> kv.value() != null).forEach(kv -> args.putIfAbsent(kv.name(), kv.value()));
                }
            }
            Interpolation.Resolved r = Interpolation.resolve(name, args::get);
            if (r.complete() && isRoot(r.text())) {
                out.finding(Finding.fail("docker.dockerfile.root-user", "USER " + spec + " is root by default").at(d.file(), ins.line()));
            } else {
                out.finding(Finding.warn("docker.dockerfile.root-user", "USER " + spec + " depends on a build argument"
                        + (r.complete() ? " (by default " + r.text() + ")" : " with no default")
                        + ", so the user can be root").at(d.file(), ins.line()));
            }
        } else if (isRoot(name)) {
            out.finding(Finding.fail("docker.dockerfile.root-user", "the final stage runs as root (USER " + spec + ")")
                    .at(d.file(), ins.line()));
        } else {
            out.evidence(d.file() + ":" + ins.line() + ": runs as USER " + spec);
        }
    }

    private static boolean isRoot(String user) {
        String u = user.strip();
        return u.equalsIgnoreCase("root") || u.matches("0{1,10}");
    }

    private static void healthcheck(Dockerfile d, Stage last, ComposeLinks compose, Outcome out) {
        Optional<Instruction> hc = d.lastInherited(last, "HEALTHCHECK");
        boolean none = hc.isPresent() && hc.get().args().strip().equalsIgnoreCase("NONE");
        if (hc.isPresent() && !none) {
            out.evidence(d.file() + ":" + hc.get().line() + ": HEALTHCHECK");
            return;
        }
        List<ComposeService> builders = compose.builders(d, last);
        Optional<ComposeService> covered = builders.stream().filter(s -> s.healthcheckTest().isPresent()).findFirst();
        if (covered.isPresent()) {
            out.evidence(d.file() + ": no HEALTHCHECK, but " + covered.get().name() + ", which builds it, has a healthcheck at "
                    + ComposeService.where(covered.get().healthcheckTest().orElseThrow()));
            return;
        }
        if (!builders.isEmpty() && builders.stream().allMatch(s -> s.oneShot() != null)) {
            out.evidence(d.file() + ": no HEALTHCHECK, and it is built only for one-shot services: "
                    + builders.stream().map(s -> s.name() + " (" + s.oneShot() + ")").collect(Collectors.joining(", ")));
            return;
        }
        String message = none ? "HEALTHCHECK NONE turns the healthcheck off" : "the final stage has no HEALTHCHECK";
        if (!builders.isEmpty()) {
            message += ", and " + builders.stream().map(ComposeService::name).collect(Collectors.joining(", "))
                    + " (compose) building it has no healthcheck either";
        }
        out.finding(Finding.fail("docker.dockerfile.no-healthcheck", message).at(d.file(), none ? hc.get().line() : last.line()));
    }

    private static void secrets(Dockerfile d, Outcome out) {
        for (Instruction ins : d.instructions()) {
            boolean env = ins.keyword().equals("ENV");
            if (!env && !ins.keyword().equals("ARG")) {
                continue;
            }
            for (KeyValue kv : pairs(ins)) {
                if (!SecretValues.isSecretName(kv.name())) {
                    continue;
                }
                String value = kv.value() == null ? "" : kv.value();
                Interpolation.Resolved r = Interpolation.resolve(value);
                if (value.isEmpty() || (Interpolation.hasReference(value) && r.text().isEmpty())) {
                    if (!env || !value.isEmpty()) {
                        out.finding(Finding.warn("docker.dockerfile.secret-in-env", ins.keyword() + " " + kv.name()
                                + (env ? " copies a build argument into the image's environment"
                                        : ": build arguments are kept in the image's history")
                                + "; pass it with RUN --mount=type=secret or at run time").at(d.file(), ins.line()));
                    }
                } else if (!r.complete()) {
                    out.finding(Finding.warn("docker.dockerfile.secret-in-env", ins.keyword() + " " + kv.name()
                            + " bakes a build argument into the image; pass it with RUN --mount=type=secret or at run time")
                            .at(d.file(), ins.line()));
                } else {
                    out.finding(Finding.fail("docker.dockerfile.secret-in-env", ins.keyword() + " " + kv.name()
                            + " holds a literal secret (" + SecretValues.masked(r.text()) + "), readable by anyone who pulls the image")
                            .at(d.file(), ins.line()));
                }
            }
        }
    }

    private static void addUrls(Dockerfile d, Outcome out) {
        for (Instruction ins : d.instructions()) {
            if (!ins.keyword().equals("ADD")) {
                continue;
            }
            List<String> words = addArguments(ins.args());
            boolean checksum = words.stream().anyMatch(w -> w.toLowerCase(Locale.ROOT).startsWith("--checksum="));
            List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
            for (String source : paths.subList(0, Math.max(0, paths.size() - 1))) {
                String lower = source.toLowerCase(Locale.ROOT);
                boolean remote = lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("git@")
                        || lower.startsWith("git://");
                if (remote && checksum) {
                    out.evidence(d.file() + ":" + ins.line() + ": ADD " + withoutCredentials(source) + " verified by --checksum");
                } else if (remote) {
                    out.finding(Finding.fail("docker.dockerfile.add-url", "ADD fetches " + withoutCredentials(source)
                            + " without --checksum, so the build takes whatever the server returns").at(d.file(), ins.line()));
                }
            }
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

    /** A name and, for {@code NAME=value} or the legacy {@code ENV NAME value}, its value (null for a bare {@code ARG NAME}). */
    record KeyValue(String name, String value) {
    }

    /** The variables an ENV or ARG instruction sets: {@code ENV a=b c="d e"}, {@code ENV A some value}, {@code ARG A B=1}. */
    static List<KeyValue> pairs(Instruction ins) {
        List<String> words = words(ins.args());
        List<KeyValue> out = new ArrayList<>();
        if (words.isEmpty()) {
            return out;
        }
        if (ins.keyword().equals("ENV") && !words.getFirst().contains("=")) {
            String args = ins.args().strip();
            int sp = 0;
            while (sp < args.length() && !Character.isWhitespace(args.charAt(sp))) {
                sp++;
            }
            out.add(new KeyValue(words.getFirst(), args.substring(sp).strip()));
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                out.add(new KeyValue(w.substring(0, eq), w.substring(eq + 1)));
            } else if (eq < 0) {
                out.add(new KeyValue(w, null));
            }
        }
        return out;
    }

    /** Splits on blanks outside quotes, removing the quotes and backslash escapes, as the Dockerfile parser does. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
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
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    @Override
    public List<String> validate(Params params) {
        return CheckedFiles.validate(params);
    }

    /**
     * The compose services that build each Dockerfile, read lazily: only a Dockerfile without a
     * HEALTHCHECK needs them. A compose file that cannot be read is noted, not fatal: the finding
     * about the Dockerfile stands on its own.
     */
    private static final class ComposeLinks {
        private final CheckContext ctx;
        private final Outcome out;
        private List<ComposeService> services;

        ComposeLinks(CheckContext ctx, Outcome out) {
            this.ctx = ctx;
            this.out = out;
        }

        /** The services that build the Dockerfile's final stage. */
        List<ComposeService> builders(Dockerfile d, Stage last) {
            if (services == null) {
                services = read();
            }
            List<ComposeService> found = new ArrayList<>();
            for (ComposeService s : services) {
                Optional<ComposeService.Build> b = s.build();
                if (b.isPresent() && d.file().equals(b.get().dockerfile())
                        && (b.get().target() == null || b.get().target().equalsIgnoreCase(String.valueOf(last.name())))) {
                    found.add(s);
                }
            }
            return found;
        }

        private List<ComposeService> read() {
            try {
                return ComposeProject.discover(ctx).services();
            } catch (NotApplicable e) {
                return List.of();
            } catch (YamlSyntaxError | IOException e) {
                out.evidence("compose files not read for healthchecks: " + e.getMessage());
                return List.of();
            }
        }
    }
}
