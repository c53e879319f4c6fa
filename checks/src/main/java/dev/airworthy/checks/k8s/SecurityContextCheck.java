package dev.airworthy.checks.k8s;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.k8s.Workloads.Container;
import dev.airworthy.checks.k8s.Workloads.Workload;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.List;
import java.util.Optional;

@AutoService(Check.class)
@CheckInfo(
        id = "k8s.security-context",
        title = "Kubernetes security context",
        category = Category.CONTAINERS,
        severity = Severity.HIGH,
        summary = """
                Every container (init containers included) of every workload in the repository's \
                manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, \
                CronJob, Pod) runs with an effective `runAsNonRoot: true` and no `runAsUser: 0` (the \
                container's `securityContext` overrides the pod's, which it inherits otherwise), is not \
                `privileged`, and sets `allowPrivilegeEscalation: false` explicitly (Kubernetes defaults it \
                to true). One finding per property, at the container's line. Pods with `os.name: windows` \
                are not judged on the user they run as. A field written with the wrong type (a quoted \
                `"true"` or `"0"`) fails under its rule: the API server rejects the manifest. Other kinds \
                with a pod template (an Argo Rollout, an OpenShift DeploymentConfig) are judged by it. Helm \
                chart templates, `{{ }}`-templated files and kustomize patches are set aside \
                with a note (see `k8s.probes`). \
                Rules: `k8s.security-context.run-as-non-root`, \
                `k8s.security-context.run-as-user-root`, `k8s.security-context.privileged`, \
                `k8s.security-context.allow-privilege-escalation`, `k8s.security-context.patched` \
                (warns, at the patch's entry in the kustomization).""",
        rationale = """
                A container running as root is one kernel or runtime bug away from root on the node; a \
                privileged one is root on the node already, with every device and capability. \
                `allowPrivilegeEscalation` lets a process gain more privileges than its parent (setuid \
                binaries), and is on unless switched off. These are the core of the Pod Security \
                Standards' restricted profile.""",
        remediation = """
                Set the pod to run as a non-root user and lock each container down:

                ```yaml
                spec:
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 10001
                  containers:
                    - name: api
                      securityContext:
                        allowPrivilegeEscalation: false
                        capabilities: { drop: [ALL] }
                ```

                The image must then work as that user (a numeric `USER` in its Dockerfile, files it \
                writes owned by it). Enforce it cluster-wide with the Pod Security admission \
                `restricted` level.""",
        example = """
                - id: k8s-security-context
                  title: Containers run as non-root, unprivileged
                  check: k8s.security-context""",
        references = {"https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = Workloads.FILES_DESCRIPTION)
        })
public final class SecurityContextCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) {
        Workloads workloads = Workloads.of(ctx);
        Outcome out = new Outcome();
        List<Workload> judged = workloads.judged(out, w -> true, "workloads", "");
        int containers = 0;
        for (Workload w : judged) {
            boolean windows = w.podSpec().textAt("os", "name").map("windows"::equalsIgnoreCase).orElse(false);
            Optional<YamlNode> pod = w.podSpec().get("securityContext");
            for (Container c : w.allContainers()) {
                containers++;
                Optional<YamlNode> own = c.node().get("securityContext");
                if (!windows) {
                    Setting nonRoot = Setting.of(own, pod, "runAsNonRoot");
                    Setting user = Setting.of(own, pod, "runAsUser");
                    Optional<String> userType = Workloads.wrongType(user.value(), true);
                    if (userType.isPresent()) {
                        fail(out, c, "run-as-user-root", "has runAsUser that " + userType.get() + user.where());
                    } else if (Workloads.integer(user.value()).map(u -> u == 0).orElse(false)) {
                        fail(out, c, "run-as-user-root", "runs as root: runAsUser 0" + user.where());
                    }
                    Optional<String> nonRootType = Workloads.wrongType(nonRoot.value(), false);
                    Optional<Boolean> b = Workloads.bool(nonRoot.value());
                    if (nonRootType.isPresent()) {
                        fail(out, c, "run-as-non-root", "has runAsNonRoot that " + nonRootType.get() + nonRoot.where());
                    } else if (!b.orElse(false)) {
                        fail(out, c, "run-as-non-root", b.isEmpty()
                                ? "does not set runAsNonRoot: true, so nothing stops it running as root"
                                : "sets runAsNonRoot: false" + nonRoot.where());
                    }
                }
                Optional<YamlNode> privileged = own.flatMap(s -> s.get("privileged"));
                Optional<String> privilegedType = Workloads.wrongType(privileged, false);
                if (privilegedType.isPresent()) {
                    fail(out, c, "privileged", "has privileged that " + privilegedType.get());
                } else if (Workloads.bool(privileged).orElse(false)) {
                    fail(out, c, "privileged", "is privileged: it has every capability and device of the node");
                }
                Optional<YamlNode> escalation = own.flatMap(s -> s.get("allowPrivilegeEscalation"));
                Optional<String> escalationType = Workloads.wrongType(escalation, false);
                Optional<Boolean> allows = Workloads.bool(escalation);
                if (escalationType.isPresent()) {
                    fail(out, c, "allow-privilege-escalation", "has allowPrivilegeEscalation that " + escalationType.get());
                } else if (allows.orElse(true)) {
                    fail(out, c, "allow-privilege-escalation", allows.isEmpty()
                            ? "does not set allowPrivilegeEscalation: false (it defaults to true)"
                            : "sets allowPrivilegeEscalation: true");
                }
            }
        }
        workloads.patched(out, "k8s.security-context", judged);
        return workloads.result(out, "every container (" + Workloads.containersIn(containers, judged.size())
                + ") runs as non-root, unprivileged, without privilege escalation");
    }

    private static void fail(Outcome out, Container c, String rule, String message) {
        out.finding(Finding.fail("k8s.security-context." + rule, c.label() + " " + message).at(c.file(), c.line()));
    }

    /** A securityContext field as the container sees it: its own value, else the pod's. */
    private record Setting(Optional<YamlNode> value, boolean fromPod) {
        static Setting of(Optional<YamlNode> container, Optional<YamlNode> pod, String key) {
            Optional<YamlNode> own = container.flatMap(s -> s.get(key));
            return own.isPresent() ? new Setting(own, false) : new Setting(pod.flatMap(s -> s.get(key)), true);
        }

        String where() {
            return fromPod ? value.map(v -> " (inherited from the pod securityContext at line " + v.line() + ")").orElse("") : "";
        }
    }

    @Override
    public List<String> validate(Params params) {
        return Workloads.validateFiles(params);
    }
}
