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
import dev.airworthy.checks.k8s.Kustomize.Build;
import dev.airworthy.checks.k8s.Kustomize.ReplicaOverride;
import dev.airworthy.checks.k8s.Manifests.KubeObject;
import dev.airworthy.checks.k8s.Workloads.Workload;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

@AutoService(Check.class)
@CheckInfo(
        id = "k8s.replicas",
        title = "Kubernetes replica count",
        category = Category.CONTAINERS,
        severity = Severity.MEDIUM,
        summary = """
                Every Deployment, StatefulSet, ReplicaSet and ReplicationController in the repository's \
                manifests runs at least `min` replicas: `spec.replicas` (absent means 1), or, when a \
                HorizontalPodAutoscaler (`minReplicas`, default 1) or a KEDA ScaledObject \
                (`minReplicaCount`, default 0) in the same namespace targets it, the autoscaler's minimum, \
                which then decides. A kustomize `replicas:` override of a build that includes the \
                manifest counts for that build. DaemonSets (one pod per node), Jobs, CronJobs and Pods \
                are not judged. A count that is not a number (`${REPLICAS}`) warns: it is decided at \
                deploy time. Helm chart templates, `{{ }}`-templated files and kustomize patches are set aside \
                with a note (see `k8s.probes`). \
                Rules: `k8s.replicas.too-few` (at `replicas`, the override, or the workload), \
                `k8s.replicas.autoscaler-min` (at the autoscaler's minimum), `k8s.replicas.unknown` (warns).""",
        rationale = """
                A single replica means every node drain, rollout hiccup, OOM kill or eviction is an \
                outage. Two replicas on different nodes let Kubernetes replace one while the other \
                serves; an autoscaler allowed to scale down to one undoes that at night, when nobody \
                watches.""",
        remediation = """
                Set `spec.replicas: 2` (or more), or give the autoscaler `minReplicas: 2`. Add a \
                PodDisruptionBudget and pod anti-affinity (or topology spread constraints) so the \
                replicas do not share one node. A StatefulSet that cannot run twice (a single-instance \
                database) is better waived with the reason than hidden.""",
        example = """
                - id: k8s-replicas
                  title: Services run at least two replicas
                  check: k8s.replicas
                  with: { min: 2 }""",
        references = {"https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#replicas",
            "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
            "https://kubernetes.io/docs/tasks/run-application/configure-pdb/"},
        params = {
            @Param(name = "min", type = ParamType.INTEGER, defaultValue = "2", description = "Fewest replicas a workload may run."),
            @Param(name = "files", type = ParamType.STRING_LIST, description = Workloads.FILES_DESCRIPTION)
        })
public final class ReplicasCheck implements Check {

    /** An autoscaler targeting a workload, with the minimum it may scale down to and where that is written. */
    private record Autoscaler(KubeObject object, long min, int line, String field) {
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        long min = ctx.params().integer("min");
        Workloads workloads = Workloads.of(ctx);
        Outcome out = new Outcome();
        List<Workload> judged = workloads.judged(out, Workload::replicated, "replicated workloads (Deployment, StatefulSet, ReplicaSet)",
                "DaemonSets run one pod per node; Jobs, CronJobs and Pods run to completion");
        Set<String> seen = new HashSet<>();
        for (Workload w : judged) {
            List<Autoscaler> scalers = autoscalers(workloads, w);
            if (!scalers.isEmpty()) {
                for (Autoscaler a : scalers) {
                    String what = a.object().kind() + " " + a.object().name() + " " + a.field() + " " + a.min();
                    if (a.min() < min) {
                        out.finding(Finding.fail("k8s.replicas.autoscaler-min", w.label() + ": " + what + " lets it scale down below "
                                + min).at(a.object().file(), a.line()));
                    } else {
                        out.evidence(w.label() + ": " + what + " (" + a.object().file() + ":" + a.line() + ")");
                    }
                }
                continue;
            }
            List<Build> builds = workloads.kustomize().builds(w.file());
            if (builds.isEmpty()) {
                judge(out, seen, w, w.object().node().at("spec", "replicas"), w.file(), null, min);
            }
            for (Build b : builds) {
                ReplicaOverride o = b.replicas().get(w.name());
                if (o == null) {
                    judge(out, seen, w, w.object().node().at("spec", "replicas"), w.file(), b.root(), min);
                } else {
                    judge(out, seen, w, Optional.of(o.count()), o.file(), b.root(), min);
                }
            }
        }
        return workloads.result(out, "every replicated workload (" + judged.size() + ") runs at least " + min + " replicas");
    }

    private static void judge(Outcome out, Set<String> seen, Workload w, Optional<YamlNode> replicas, String file, String build, long min) {
        String in = build == null ? "" : " (as kustomize builds " + build + ")";
        int line = replicas.map(YamlNode::line).orElse(w.line());
        Optional<Long> count = Workloads.integer(replicas);
        if (replicas.isPresent() && count.isEmpty()) {
            addOnce(out, seen, Finding.warn("k8s.replicas.unknown", w.label() + ": replicas '" + replicas.get().text()
                    + "' is decided at deploy time" + in).at(file, line));
        } else if (count.orElse(1L) < min) {
            String what = replicas.isEmpty() ? "has no replicas, so it runs 1" : "runs " + count.get() + " replica" + (count.get() == 1 ? "" : "s");
            addOnce(out, seen, Finding.fail("k8s.replicas.too-few", w.label() + " " + what + in + "; at least " + min + " wanted").at(file, line));
        } else {
            out.evidence(w.label() + ": replicas " + count.get() + in);
        }
    }

    /** Builds that leave a manifest's count alone would repeat the same finding at the same line. */
    private static void addOnce(Outcome out, Set<String> seen, Finding f) {
        if (seen.add(f.rule() + "@" + f.file() + ":" + f.line())) {
            out.finding(f);
        }
    }

    private static List<Autoscaler> autoscalers(Workloads workloads, Workload w) {
        List<Autoscaler> out = new ArrayList<>();
        for (KubeObject hpa : workloads.objects("HorizontalPodAutoscaler")) {
            if (targets(hpa, w, null)) {
                Optional<YamlNode> min = hpa.node().at("spec", "minReplicas");
                out.add(new Autoscaler(hpa, Workloads.integer(min).orElse(1L), min.map(YamlNode::line).orElse(hpa.line()), "minReplicas"));
            }
        }
        for (KubeObject keda : workloads.objects("ScaledObject")) {
            if (targets(keda, w, "Deployment")) {
                Optional<YamlNode> min = keda.node().at("spec", "minReplicaCount");
                out.add(new Autoscaler(keda, Workloads.integer(min).orElse(0L), min.map(YamlNode::line).orElse(keda.line()), "minReplicaCount"));
            }
        }
        return out;
    }

    private static boolean targets(KubeObject scaler, Workload w, String defaultKind) {
        Optional<YamlNode> ref = scaler.node().at("spec", "scaleTargetRef");
        String kind = ref.flatMap(r -> r.textAt("kind")).orElse(defaultKind);
        String name = ref.flatMap(r -> r.textAt("name")).orElse(null);
        return w.kind().equals(kind) && w.name().equals(name) && Workloads.sameNamespace(scaler, w.object());
    }

    @Override
    public List<String> validate(Params params) {
        List<String> problems = new ArrayList<>(Workloads.validateFiles(params));
        if (params.has("min") && params.integer("min") < 1) {
            problems.add("min must be at least 1");
        }
        return problems;
    }
}
