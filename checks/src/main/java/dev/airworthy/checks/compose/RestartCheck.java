package dev.airworthy.checks.compose;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.docker.Interpolation;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

@AutoService(Check.class)
@CheckInfo(
        id = "compose.restart",
        title = "Compose services restart automatically",
        category = Category.CONTAINERS,
        severity = Severity.HIGH,
        summary = """
                Every long-running service of each compose file restarts by itself: `restart: unless-stopped`, \
                `always` or `on-failure[:N]`, or a `deploy.restart_policy` whose condition is `any` or `on-failure`. \
                When a service has both, `deploy.restart_policy` wins, as docker compose applies it; a policy with \
                no `condition` gives docker compose no restart policy at all, so it fails, except in a swarm stack \
                file (`docker-stack.yml`), where swarm's default, `any`, applies. `restart` values are read once \
                interpolated with the project's `.env`. A service of an override file (`docker-compose.prod.yml` \
                that redefines services of `docker-compose.yml`) is judged merged with the same service of the base \
                file in its directory. One-shot services are not judged: one that another service waits for with \
                `condition: service_completed_successfully`, or a swarm job (`deploy.mode: replicated-job` or \
                `global-job`). `restart: "no"` is not taken as a sign of a one-shot, even with `profiles`: a \
                profile's services are often long-running tools.""",
        rationale = """
                Without a restart policy a container that crashes, or a host that reboots, leaves the service \
                down until someone notices. `restart: "no"` is the default, so a compose file that says nothing \
                means nothing restarts.""",
        remediation = """
                Add `restart: unless-stopped` (or `always`) to each long-running service; under swarm, \
                `deploy.restart_policy: { condition: any }`. For a migration or seed job that must run once, make \
                its dependants wait with `depends_on: { migrate: { condition: service_completed_successfully } }`, \
                or leave it out of the production file.""",
        example = """
                - id: restart
                  title: Every service restarts after a crash or a reboot
                  check: compose.restart""",
        references = {"https://docs.docker.com/reference/compose-file/services/#restart",
                "https://docs.docker.com/reference/compose-file/deploy/#restart_policy"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = ComposeCheck.FILES_DOC)
        })
public final class RestartCheck extends ComposeCheck implements Check {
    private static final List<String> RESTARTS = List.of("always", "unless-stopped", "on-failure");
    private static final List<String> POLICY_RESTARTS = List.of("any", "always", "on-failure", "unless-stopped");

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) {
        for (ComposeService s : j.services(project, true)) {
            j.judged();
            Optional<YamlNode> restart = s.at("restart");
            Optional<YamlNode> policy = s.at("deploy", "restart_policy");
            if (policy.isPresent()) {
                restart.ifPresent(r -> j.evidence(s.file() + ": " + s.name() + ": restart at " + ComposeService.where(r)
                        + " is overridden by deploy.restart_policy"));
                judgePolicy(s, policy.get(), j);
            } else if (restart.isPresent()) {
                judgeRestart(s, restart.get(), j);
            } else {
                j.fail("compose.restart.missing", s, s.name() + " has no restart policy, so it stays down after a crash or reboot");
            }
        }
        return j.result("every long-running service restarts automatically (" + j.count() + " judged)",
                "every service is a one-shot; none needs a restart policy");
    }

    private static void judgeRestart(ComposeService s, YamlNode restart, Judgment j) {
        String raw = restart.text() == null ? "" : restart.text().strip();
        Interpolation.Resolved r = s.resolve(raw);
        String value = r.text().strip().toLowerCase(Locale.ROOT);
        String shown = raw + s.scope().provenance(r);
        String base = value.startsWith("on-failure:") ? "on-failure" : value;
        if (RESTARTS.contains(base)) {
            j.evidence(s.file() + ": " + s.name() + ": restart " + shown + " (" + ComposeService.where(restart) + ")");
        } else if (value.isEmpty() || value.equals("no") || value.equals("false")) {
            j.fail("compose.restart.disabled", restart, s.name() + " has restart: \"" + shown + "\", so it stays down after a crash or reboot");
        } else {
            j.fail("compose.restart.invalid", restart, s.name() + " has restart: " + shown
                    + ", which is not one of always, unless-stopped, on-failure");
        }
    }

    /** Compose maps a policy's condition to a restart policy: any/always, on-failure, unless-stopped; none/no or no condition restarts nothing. */
    private static void judgePolicy(ComposeService s, YamlNode policy, Judgment j) {
        Optional<YamlNode> condition = policy.get("condition").filter(c -> c.text() != null);
        YamlNode at = condition.orElse(policy);
        if (condition.isEmpty()) {
            if (s.scope().stack()) {
                j.evidence(s.file() + ": " + s.name() + ": deploy.restart_policy without condition: swarm's default, any ("
                        + ComposeService.where(at) + ")");
            } else {
                j.fail("compose.restart.disabled", at, s.name() + " has a deploy.restart_policy with no condition, which docker compose "
                        + "applies as no restart policy (swarm's default, any, holds only for docker stack deploy)");
            }
            return;
        }
        Interpolation.Resolved r = s.resolve(condition.get().text().strip());
        String value = r.text().strip().toLowerCase(Locale.ROOT);
        String shown = value + s.scope().provenance(r);
        if (POLICY_RESTARTS.contains(value)) {
            j.evidence(s.file() + ": " + s.name() + ": deploy.restart_policy condition " + shown + " (" + ComposeService.where(at) + ")");
        } else if (value.equals("none") || value.equals("no") || value.isEmpty()) {
            j.fail("compose.restart.disabled", at, s.name() + " has deploy.restart_policy condition " + shown
                    + ", so it stays down after a crash");
        } else {
            j.fail("compose.restart.invalid", at, s.name() + " has deploy.restart_policy condition " + shown
                    + ", which is not one of any, on-failure");
        }
    }
}
