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
        id = "k8s.probes",
        title = "Kubernetes liveness and readiness probes",
        category = Category.CONTAINERS,
        severity = Severity.HIGH,
        summary = """
                Every container of every long-running workload (Deployment, StatefulSet, DaemonSet, \
                ReplicaSet, ReplicationController) in the repository's manifests has a `livenessProbe` \
                and a `readinessProbe`, each with a handler (`httpGet`, `tcpSocket`, `exec` or `grpc`). A \
                `startupProbe` does not replace either. Init containers, Jobs, CronJobs and bare Pods are \
                not judged: they run to completion. Other kinds with a pod template in `spec.template` (an \
                Argo Rollout, an OpenShift DeploymentConfig) are judged by it as long-running; evidence \
                names them. Manifests are found in every `*.yaml`/`*.yml` file (multi-document files and \
                `kind: List` included). Set aside with a note, never judged: files in a Helm chart's \
                `templates/`, files that do not parse because of `{{ }}` template syntax, and documents \
                whose unquoted `{{ .Values.x }}` parses as a mapping key; a document that parses is \
                judged (`{{ }}` inside a string value is data). When nothing is left, the item is skipped \
                saying what was set aside. A key written twice in one mapping counts with its last \
                value, as kubectl reads it. Kustomize patches (`patches`, `patchesStrategicMerge`, \
                `patchesJson6902`) are not applied: a workload is judged as its base writes it, and each \
                patch that may change a judged workload (its target names it, or cannot be known: a \
                selector, an unreadable patch) warns, so a patched build is never reported as verified. \
                Rules, at the container's line: `k8s.probes.no-liveness`, `k8s.probes.no-readiness`; \
                `k8s.probes.patched` (warns, at the patch's entry in the kustomization).""",
        rationale = """
                Without a readiness probe, a pod receives traffic the moment its process starts, before it \
                can answer, and keeps receiving it while it is overloaded or lost its database: every \
                rollout and every hiccup becomes a burst of errors. Without a liveness probe, a process \
                that deadlocks stays in the load balancer forever, because Kubernetes only restarts \
                containers that exit.""",
        remediation = """
                Add both probes to each container; readiness should check what the container needs to \
                serve (its dependencies), liveness only that the process itself is not stuck:

                ```yaml
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.4.2
                    readinessProbe:
                      httpGet: { path: /ready, port: 8080 }
                      periodSeconds: 5
                    livenessProbe:
                      httpGet: { path: /health, port: 8080 }
                      periodSeconds: 10
                      failureThreshold: 3
                ```

                For a slow-starting container add a `startupProbe` as well, so liveness does not kill it \
                while it boots. Render Helm charts (`helm template`) and kustomize overlays \
                (`kustomize build`) into a file and point `files` at it to judge the result.""",
        example = """
                - id: k8s-probes
                  title: Every container has liveness and readiness probes
                  check: k8s.probes
                  with: { files: [deploy/] }""",
        references = {"https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = Workloads.FILES_DESCRIPTION)
        })
public final class ProbesCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) {
        Workloads workloads = Workloads.of(ctx);
        Outcome out = new Outcome();
        List<Workload> judged = workloads.judged(out, Workload::longRunning,
                "long-running workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet)", "they run to completion");
        int containers = 0;
        for (Workload w : judged) {
            for (Container c : w.containers()) {
                containers++;
                missing(c, "livenessProbe").ifPresent(why ->
                        out.finding(Finding.fail("k8s.probes.no-liveness", c.label() + why).at(c.file(), c.line())));
                missing(c, "readinessProbe").ifPresent(why ->
                        out.finding(Finding.fail("k8s.probes.no-readiness", c.label() + why).at(c.file(), c.line())));
            }
        }
        workloads.patched(out, "k8s.probes", judged);
        return workloads.result(out, "liveness and readiness probes on every container ("
                + Workloads.containersIn(containers, judged.size()) + ")");
    }

    /** Why the probe does not count, or empty when it does. */
    private static Optional<String> missing(Container c, String probe) {
        Optional<YamlNode> p = c.node().get(probe);
        if (p.isEmpty()) {
            boolean startup = c.node().get("startupProbe").isPresent();
            return Optional.of(" has no " + probe + (startup ? " (a startupProbe only covers start-up)" : ""));
        }
        boolean handler = p.get().isMap()
                && List.of("httpGet", "tcpSocket", "exec", "grpc").stream().anyMatch(h -> p.get().get(h).isPresent());
        return handler ? Optional.empty() : Optional.of("'s " + probe + " has no handler (httpGet, tcpSocket, exec or grpc)");
    }

    @Override
    public List<String> validate(Params params) {
        return Workloads.validateFiles(params);
    }
}
