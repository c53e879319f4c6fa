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
import java.util.Optional;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "compose.resources",
        title = "Compose services have memory and CPU limits",
        category = Category.CONTAINERS,
        severity = Severity.MEDIUM,
        summary = """
                Every service sets a memory limit (`deploy.resources.limits.memory` or `mem_limit`) and a CPU \
                limit (`deploy.resources.limits.cpus`, `cpus` or `cpu_quota`); a finding per missing limit. \
                Reservations are not limits, and a limit of 0 means none. One-shot services are judged too: a \
                runaway migration or backup starves the host as well as a server does. A limit given by \
                `${VAR}` with no default warns.""",
        rationale = """
                A container without limits can take all the host's memory, and the kernel's OOM killer then picks \
                a victim, often the database next to it; one busy service can starve the others of CPU. Limits \
                turn a leak into one container's restart instead of a host-wide outage.""",
        remediation = """
                Add `deploy: { resources: { limits: { memory: 512M, cpus: "1.0" } } }` to each service (or \
                `mem_limit: 512m` and `cpus: 1.0`), sized from what the service uses under load plus headroom.""",
        example = """
                - id: resources
                  title: Every container has memory and CPU limits
                  check: compose.resources""",
        references = {"https://docs.docker.com/reference/compose-file/deploy/#resources",
                "https://docs.docker.com/engine/containers/resource_constraints/"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = ComposeCheck.FILES_DOC)
        })
public final class ResourcesCheck extends ComposeCheck implements Check {
    /** 0, 0.0, 0b, 0m, ...: no limit at all. */
    private static final Pattern ZERO = Pattern.compile("0+(?:\\.0+)?\\s{0,4}[a-zA-Z]{0,2}");

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) {
        for (ComposeService s : j.services(project, false)) {
            j.judged();
            limit(s, j, "compose.resources.memory", "memory",
                    s.at("deploy", "resources", "limits", "memory").or(() -> s.at("mem_limit")),
                    s.at("deploy", "resources", "reservations", "memory"));
            limit(s, j, "compose.resources.cpu", "CPU",
                    s.at("deploy", "resources", "limits", "cpus").or(() -> s.at("cpus")).or(() -> s.at("cpu_quota")),
                    s.at("deploy", "resources", "reservations", "cpus"));
        }
        return j.result("every service has memory and CPU limits (" + j.count() + " judged)", "no service to judge");
    }

    private static void limit(ComposeService s, Judgment j, String rule, String what, Optional<YamlNode> limit,
            Optional<YamlNode> reservation) {
        if (limit.isEmpty() || limit.get().text() == null) {
            String note = reservation.isPresent() ? " (a reservation at " + ComposeService.where(reservation.get())
                    + " is not a limit)" : "";
            j.fail(rule, s, s.name() + " has no " + what + " limit" + note);
            return;
        }
        YamlNode node = limit.get();
        Interpolation.Resolved r = s.resolve(node.text().strip());
        if (!r.complete()) {
            j.warn(rule, node, s.name() + ": the " + what + " limit depends on " + String.join(", ", r.unresolved())
                    + ", which has no default");
        } else if (r.text().isBlank() || ZERO.matcher(r.text().strip()).matches()) {
            j.fail(rule, node, s.name() + ": a " + what + " limit of " + node.text().strip() + " is no limit");
        } else {
            j.evidence(s.file() + ": " + s.name() + ": " + what + " limit " + r.text().strip() + s.scope().provenance(r)
                    + " (" + ComposeService.where(node) + ")");
        }
    }
}
