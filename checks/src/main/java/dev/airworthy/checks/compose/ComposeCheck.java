package dev.airworthy.checks.compose;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Params;
import dev.airworthy.checks.docker.CheckedFiles;
import dev.airworthy.checks.yaml.YamlNode.YamlSyntaxError;
import java.io.IOException;
import java.util.List;

/**
 * What the compose checks share: the project read once (named by {@code files} or discovered),
 * an unparseable file as an {@code error} naming file, line and column, and a {@link Judgment}
 * that keeps the evidence and findings. Subclasses implement {@link dev.airworthy.check.Check}
 * themselves: this class is no check of its own.
 */
abstract class ComposeCheck {
    static final String FILES_DOC = "Compose files to judge, relative to the repository root (globs allowed). "
            + "Default: every `compose.yaml`, `compose.yml`, `docker-compose.yml`, `docker-compose.yaml` and their "
            + "variants (`docker-compose.<env>.yml`, `docker-compose.<env>.<x>.yml`, `docker-compose-<env>.yml`, "
            + "`compose.<env>.yaml`, `<env>.compose.yml`), and swarm stack files (`docker-stack.yml`, `stack.yml`) "
            + "with services, except development ones (dev, local, test, ci, e2e, debug, `.devcontainer/`) and those "
            + "under directories of examples and tests (`examples/`, `example/`, `test/`, `tests/`, `fixtures/`, "
            + "`testdata/`), which are noted. YAML files with other names that read like compose files are noted, "
            + "not judged. Each file is read as docker compose reads it: all its YAML documents merged in order (a "
            + "later one overrides the keys of an earlier one), `${VAR:-default}` interpolated with the `.env` in its "
            + "directory (values there win over defaults, one it takes from the environment, `TAG=${CI_TAG}`, stays "
            + "unknown; a service's `env_file` is never used for interpolation), "
            + "`extends` and `include:` followed (inside the repository, each file once, at most 8 levels deep; an "
            + "included file is judged with its own `.env` or the include's `env_file`). A variant next to a base file "
            + "(`docker-compose.prod.yml` next to `docker-compose.yml`) that redefines services of the base, or a "
            + "`*.override.*` file, is judged as an override: those services are merged onto the base's, as "
            + "`docker compose -f docker-compose.yml -f docker-compose.prod.yml` merges them; a service only the "
            + "variant defines takes nothing from the base.";

    public final CheckResult run(CheckContext ctx) throws IOException {
        ComposeProject project;
        try {
            project = ComposeProject.load(ctx);
        } catch (YamlSyntaxError e) {
            return new Outcome().error(e.getMessage());
        }
        Judgment j = new Judgment();
        j.evidence(project.evidence());
        try {
            return judge(ctx, project, j);
        } catch (ComposeService.Malformed e) {
            return new Outcome().error(e.getMessage());
        }
    }

    abstract CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) throws IOException;

    public List<String> validate(Params params) {
        return CheckedFiles.validate(params);
    }
}
