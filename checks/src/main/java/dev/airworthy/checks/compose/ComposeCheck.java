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
            + "`docker-compose.<env>.yml` / `compose.<env>.yaml` variants, except development ones (dev, local, test, "
            + "ci, e2e, debug, `.devcontainer/`).";

    public final CheckResult run(CheckContext ctx) throws IOException {
        ComposeProject project;
        try {
            project = ComposeProject.load(ctx);
        } catch (YamlSyntaxError e) {
            return new Outcome().error(e.getMessage());
        }
        Judgment j = new Judgment();
        j.evidence(project.evidence());
        return judge(ctx, project, j);
    }

    abstract CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) throws IOException;

    public List<String> validate(Params params) {
        return CheckedFiles.validate(params);
    }
}
