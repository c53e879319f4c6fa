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
                Every long-running service of each compose file has `restart: unless-stopped`, `always` or \
                `on-failure[:N]`, or a `deploy.restart_policy` whose condition is `any` or `on-failure`. A service \
                of an override file (`docker-compose.prod.yml` that only adds keys) is judged merged with the \
                same service of the base file in its directory. One-shot services are not judged: one that \
                another service waits for with `condition: service_completed_successfully`, a swarm job \
                (`deploy.mode: replicated-job`), or one with `restart: "no"` that only starts with a profile.""",
        rationale = """
                Without a restart policy a container that crashes, or a host that reboots, leaves the service \
                down until someone notices. `restart: "no"` is the default, so a compose file that says nothing \
                means nothing restarts.""",
        remediation = """
                Add `restart: unless-stopped` (or `always`) to each long-running service; under swarm, \
                `deploy.restart_policy: { condition: any }`. For a migration or seed job that must run once, make \
                its dependants wait with `depends_on: { migrate: { condition: service_completed_successfully } }` \
                or give it a profile and `restart: "no"`.""",
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

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) {
        for (ComposeService s : j.services(project, true)) {
            j.judged();
            Optional<YamlNode> restart = s.at("restart");
            Optional<YamlNode> policy = s.at("deploy", "restart_policy");
            if (restart.isPresent()) {
                judgeRestart(s, restart.get(), j);
            } else if (policy.isPresent()) {
                judgePolicy(s, policy.get(), j);
            } else {
                j.fail("compose.restart.missing", s, s.name() + " has no restart policy, so it stays down after a crash or reboot");
            }
        }
        return j.result("every long-running service restarts automatically (" + j.count() + " judged)",
                "every service is a one-shot; none needs a restart policy");
    }

    private static void judgeRestart(ComposeService s, YamlNode restart, Judgment j) {
        String raw = restart.text() == null ? "" : restart.text().strip();
        String value = Interpolation.resolve(raw).text().toLowerCase(Locale.ROOT);
        String base = value.startsWith("on-failure:") ? "on-failure" : value;
        if (RESTARTS.contains(base)) {
            j.evidence(s.file() + ": " + s.name() + ": restart " + raw + " (" + ComposeService.where(restart) + ")");
        } else if (value.isEmpty() || value.equals("no") || value.equals("false")) {
            j.fail("compose.restart.disabled", restart, s.name() + " has restart: \"" + raw + "\", so it stays down after a crash or reboot");
        } else {
            j.fail("compose.restart.invalid", restart, s.name() + " has restart: " + raw
                    + ", which is not one of always, unless-stopped, on-failure");
        }
    }

    private static void judgePolicy(ComposeService s, YamlNode policy, Judgment j) {
        Optional<YamlNode> condition = policy.get("condition");
        // Swarm's default condition is any.
        String value = condition.map(YamlNode::text).orElse("any").strip().toLowerCase(Locale.ROOT);
        YamlNode at = condition.orElse(policy);
        if (value.equals("any") || value.equals("on-failure")) {
            j.evidence(s.file() + ": " + s.name() + ": deploy.restart_policy condition " + value + " (" + ComposeService.where(at) + ")");
        } else if (value.equals("none")) {
            j.fail("compose.restart.disabled", at, s.name() + " has deploy.restart_policy condition none, so it stays down after a crash");
        } else {
            j.fail("compose.restart.invalid", at, s.name() + " has deploy.restart_policy condition " + value
                    + ", which is not one of any, on-failure");
        }
    }
}
