package dev.airworthy.checks.compose;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.docker.CheckedFiles;
import dev.airworthy.checks.docker.Dockerfile;
import dev.airworthy.checks.docker.Dockerfile.Instruction;
import dev.airworthy.checks.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

@AutoService(Check.class)
@CheckInfo(
        id = "compose.healthchecks",
        title = "Compose services have healthchecks",
        category = Category.CONTAINERS,
        severity = Severity.MEDIUM,
        summary = """
                Every long-running service has a `healthcheck` that is not turned off (`disable: true`, \
                or `yes`, `on`, `${NO_HC:-true}`; `test: ["NONE"]`), or builds (`build:`) from a Dockerfile in the repository whose stage sets a \
                `HEALTHCHECK`. A registry image's own HEALTHCHECK cannot be seen from the repository, so such a \
                service needs its own. One-shot services (see `compose.restart`) are not judged.""",
        rationale = """
                Without a healthcheck Docker reports a hung or half-started container as running: `depends_on` \
                with `condition: service_healthy` cannot wait for it, a rolling update cannot tell a bad release, \
                and the restart policy never fires on a process that is alive but not serving.""",
        remediation = """
                Add a healthcheck that exercises the service: \
                `healthcheck: { test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"], interval: 30s, \
                timeout: 5s, retries: 3, start_period: 20s }`; for PostgreSQL `["CMD-SHELL", "pg_isready -U app"]`, \
                for Redis `["CMD", "redis-cli", "ping"]`. Or add a `HEALTHCHECK` to the service's Dockerfile.""",
        example = """
                - id: healthchecks
                  title: Every service reports its health
                  check: compose.healthchecks""",
        references = {"https://docs.docker.com/reference/compose-file/services/#healthcheck",
                "https://docs.docker.com/reference/dockerfile/#healthcheck"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = ComposeCheck.FILES_DOC)
        })
public final class HealthchecksCheck extends ComposeCheck implements Check {

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) throws IOException {
        for (ComposeService s : j.services(project, true)) {
            j.judged();
            Optional<YamlNode> disable = s.isTrue("healthcheck", "disable");
            if (disable.isPresent()) {
                j.fail("compose.healthchecks.disabled", disable.get(), s.name() + " turns its healthcheck off (disable: "
                        + disable.get().text().strip() + ")");
                continue;
            }
            Optional<YamlNode> test = s.at("healthcheck", "test");
            if (test.isPresent() && ComposeService.isNone(test.get())) {
                j.fail("compose.healthchecks.disabled", test.get(), s.name() + " turns its healthcheck off (test: NONE)");
                continue;
            }
            Optional<YamlNode> own = s.healthcheckTest();
            if (own.isPresent()) {
                j.evidence(s.file() + ": " + s.name() + ": healthcheck at " + ComposeService.where(own.get()));
                continue;
            }
            imageHealthcheck(ctx.repo(), s, j);
        }
        return j.result("every long-running service has a healthcheck (" + j.count() + " judged)",
                "every service is a one-shot; none needs a healthcheck");
    }

    /** The service has no healthcheck of its own: the HEALTHCHECK of the image it builds, if the repository holds it. */
    private static void imageHealthcheck(Path repo, ComposeService s, Judgment j) throws IOException {
        Optional<ComposeService.Build> build = s.build();
        if (build.isEmpty()) {
            String image = s.text("image").orElse("its image");
            j.fail("compose.healthchecks.missing", s, s.name() + " has no healthcheck (" + image
                    + " may define one, but that cannot be seen from the repository)");
            return;
        }
        ComposeService.Build b = build.get();
        Dockerfile dockerfile;
        if (b.inline() != null) {
            dockerfile = Dockerfile.parse(b.inline(), s.file());
        } else if (b.dockerfile() == null) {
            j.fail("compose.healthchecks.missing", s, s.name() + " has no healthcheck, and " + b.why());
            return;
        } else {
            Optional<Path> path = CheckedFiles.regularFileInside(repo, b.dockerfile());
            if (path.isEmpty()) {
                j.fail("compose.healthchecks.missing", s, s.name() + " has no healthcheck, and its Dockerfile "
                        + b.dockerfile() + " is not in the repository");
                return;
            }
            dockerfile = Dockerfile.read(path.get(), b.dockerfile());
        }
        Optional<Dockerfile.Stage> stage = b.target() == null ? dockerfile.finalStage() : dockerfile.stageNamed(b.target());
        String which = b.inline() != null ? "its inline Dockerfile" : dockerfile.file()
                + (b.target() == null ? "" : " (stage " + b.target() + ")");
        Optional<Instruction> hc = stage.flatMap(st -> dockerfile.lastInherited(st, "HEALTHCHECK"));
        if (hc.isEmpty()) {
            j.fail("compose.healthchecks.missing", s, s.name() + " has no healthcheck, and " + which
                    + (stage.isEmpty() ? " has no such stage" : " sets no HEALTHCHECK"));
        } else if (hc.get().args().strip().toUpperCase(Locale.ROOT).equals("NONE")) {
            // The line is the Dockerfile's, except for an inline one, whose lines are not the file's.
            j.add(Finding.fail("compose.healthchecks.disabled", s.name() + " has no healthcheck, and " + which
                    + " turns it off (HEALTHCHECK NONE)").at(b.inline() != null ? s.file() : dockerfile.file(),
                    b.inline() != null ? b.node().line() : hc.get().line()));
        } else {
            j.evidence(s.file() + ": " + s.name() + ": HEALTHCHECK of " + which + " at line " + hc.get().line());
        }
    }
}
