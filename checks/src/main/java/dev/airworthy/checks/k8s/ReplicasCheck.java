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
import dev.airworthy.checks.k8s.Kustomize.Patch;
import dev.airworthy.checks.k8s.Kustomize.ReplicaOverride;
import dev.airworthy.checks.k8s.Manifests.KubeObject;
import dev.airworthy.checks.k8s.Workloads.PatchesThatMatter;
import dev.airworthy.checks.k8s.Workloads.Workload;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
                manifests (and any other kind with a pod template in `spec.template`, such as an Argo \
                Rollout or an OpenShift DeploymentConfig) runs at least `min` replicas: `spec.replicas` \
                (absent means 1), or, when a HorizontalPodAutoscaler (`minReplicas`, default 1) or a KEDA \
                ScaledObject (`minReplicaCount`, default 0) in the same namespace targets it, the \
                autoscaler's minimum, which then decides. A ScaledObject's `idleReplicaCount` (what KEDA \
                scales to while no trigger is active) and its `autoscaling.keda.sh/paused-replicas` \
                annotation (what it holds while paused) must be at least `min` too. A kustomize \
                `replicas:` override of a build that includes the manifest counts for that build. \
                DaemonSets (one pod per node), Jobs, CronJobs and Pods are not judged. A count that is not \
                a number (`${REPLICAS}`) warns: it is decided at deploy time. A count written as a quoted \
                string (`"3"`) or a fraction (`1.5`) fails: the API server rejects the manifest; `1.0` is 1. \
                Helm chart templates, `{{ }}`-templated files and kustomize patches are set aside \
                with a note (see `k8s.probes`); where a kustomize patch may change a count (it may target \
                the workload or its autoscaler), the count judged is the one written, and the patch warns; \
                a patch applied before the build's `replicas:` override cannot change it, as kustomize \
                sets the override after the patches of its own and inner kustomizations. \
                Rules: `k8s.replicas.too-few` (at `replicas`, the override, or the workload), \
                `k8s.replicas.autoscaler-min` (at the autoscaler's minimum), `k8s.replicas.wrong-type`, \
                `k8s.replicas.unknown` (warns), `k8s.replicas.patched` (warns, at the patch's entry in \
                the kustomization).""",
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
    private static final String PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";
    /**
     * A build's patches that may change a count: any that may target an autoscaler; for a workload,
     * those applied after its {@code replicas:} override (kustomize sets the override after the
     * patches of the same kustomization and the ones inside it).
     */
    private static final PatchesThatMatter PATCHES = (o, b) -> {
        List<Patch> patches = PatchesThatMatter.ALL.of(o, b);
        ReplicaOverride override = o.kind().equals("HorizontalPodAutoscaler") || o.kind().equals("ScaledObject")
                ? null : b.replicas().get(o.name());
        return override == null ? patches : patches.stream().filter(p -> p.level() > override.level()).toList();
    };

    /**
     * A bound an autoscaler puts on a workload: the count it may scale down to (or holds it at), the
     * field or annotation that says so, its value as written (absent: {@code absent} applies).
     */
    private record Autoscaler(KubeObject object, String field, Optional<YamlNode> value, long absent, boolean annotation) {
        int line() {
            return value.map(YamlNode::line).orElse(object.line());
        }

        String what() {
            return object.kind() + " " + object.name() + " " + (annotation ? "annotation " : "") + field;
        }

        /** What a count {@code n} below {@code min} does, for the finding. */
        String effect(long n, long min) {
            return switch (field) {
                case "idleReplicaCount" -> "scales it to " + n + " while no trigger is active";
                case PAUSED_REPLICAS -> "holds it at " + n + " while paused";
                default -> "lets it scale down below " + min;
            };
        }
    }

    /** A count as read: the number (the default when absent), or why there is none (a wrong type, a deploy-time value). */
    private record Count(long value, boolean set, String wrongType, String unknown) {
        static Count of(Optional<YamlNode> node, long absent, boolean annotation) {
            // Annotations are strings by definition; every other count must be a YAML integer.
            Optional<String> wrongType = annotation ? Optional.empty() : Workloads.wrongType(node, true);
            Optional<Long> n = annotation ? node.map(YamlNode::text).filter(t -> t.matches("[0-9]{1,18}")).map(Long::parseLong)
                    : Workloads.integer(node);
            boolean set = node.map(YamlNode::text).isPresent();
            String unknown = set && n.isEmpty() ? node.get().text() : null;
            return new Count(n.orElse(absent), set || wrongType.isPresent(), wrongType.orElse(null), unknown);
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        long min = ctx.params().integer("min");
        Workloads workloads = Workloads.of(ctx);
        Outcome out = new Outcome();
        List<Workload> judged = workloads.judged(out, Workload::replicated, "replicated workloads (Deployment, StatefulSet, ReplicaSet)",
                "DaemonSets run one pod per node; Jobs, CronJobs and Pods run to completion");
        Set<String> seen = new HashSet<>();
        // What decides each count: the autoscalers where there are some, else the workload's own replicas.
        Set<KubeObject> deciding = new LinkedHashSet<>();
        for (Workload w : judged) {
            List<Autoscaler> scalers = autoscalers(workloads, w);
            scalers.forEach(a -> deciding.add(a.object()));
            for (Autoscaler a : scalers) {
                Count c = Count.of(a.value(), a.absent(), a.annotation());
                String where = a.object().file();
                if (!invalid(out, seen, w, a.what(), c, where, a.line(), "")) {
                    if (c.value() < min) {
                        out.finding(Finding.fail("k8s.replicas.autoscaler-min", w.label() + ": " + a.what() + " " + c.value()
                                + (c.set() ? "" : " (the default)") + " " + a.effect(c.value(), min) + "; at least " + min + " wanted")
                                .at(where, a.line()));
                    } else {
                        out.evidence(w.label() + ": " + a.what() + " " + c.value() + " (" + where + ":" + a.line() + ")");
                    }
                }
            }
            if (!scalers.isEmpty()) {
                continue;
            }
            deciding.add(w.object());
            Optional<YamlNode> written = w.object().node().at("spec", "replicas");
            List<Build> builds = workloads.kustomize().builds(w.file());
            if (builds.isEmpty()) {
                judge(out, seen, w, written, w.file(), "", min);
            }
            for (Build b : builds) {
                ReplicaOverride o = b.replicas().get(w.name());
                // A patch may set spec.replicas: then the count is only what the files say, not what is built.
                String in = PATCHES.of(w.object(), b).isEmpty() ? " (as kustomize builds " + b.root() + ")"
                        : " (as written; " + b.root() + " applies a patch that may change it, not applied)";
                if (o == null) {
                    judge(out, seen, w, written, w.file(), in, min);
                } else {
                    judge(out, seen, w, Optional.of(o.count()), o.file(), in, min);
                }
            }
        }
        workloads.patched(out, "k8s.replicas", deciding, PATCHES);
        return workloads.result(out, "every replicated workload (" + judged.size() + ") runs at least " + min + " replicas");
    }

    private static void judge(Outcome out, Set<String> seen, Workload w, Optional<YamlNode> replicas, String file, String in, long min) {
        int line = replicas.map(YamlNode::line).orElse(w.line());
        Count c = Count.of(replicas, 1, false);
        if (invalid(out, seen, w, "replicas", c, file, line, in)) {
            return;
        }
        if (c.value() < min) {
            String what = !c.set() ? "has no replicas, so it runs 1" : "runs " + c.value() + " replica" + (c.value() == 1 ? "" : "s");
            addOnce(out, seen, Finding.fail("k8s.replicas.too-few", w.label() + " " + what + in + "; at least " + min + " wanted").at(file, line));
        } else {
            out.evidence(w.label() + ": replicas " + c.value() + in);
        }
    }

    /** Reports a count that is no number (a wrong type fails, a deploy-time value warns); false when it is one. */
    private static boolean invalid(Outcome out, Set<String> seen, Workload w, String what, Count c, String file, int line, String in) {
        if (c.wrongType() != null) {
            addOnce(out, seen, Finding.fail("k8s.replicas.wrong-type", w.label() + ": " + what + " " + c.wrongType() + in).at(file, line));
        } else if (c.unknown() != null) {
            addOnce(out, seen, Finding.warn("k8s.replicas.unknown", w.label() + ": " + what + " '" + c.unknown()
                    + "' is decided at deploy time" + in).at(file, line));
        }
        return c.wrongType() != null || c.unknown() != null;
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
                out.add(new Autoscaler(hpa, "minReplicas", hpa.node().at("spec", "minReplicas"), 1, false));
            }
        }
        for (KubeObject keda : workloads.objects("ScaledObject")) {
            if (targets(keda, w, "Deployment")) {
                out.add(new Autoscaler(keda, "minReplicaCount", keda.node().at("spec", "minReplicaCount"), 0, false));
                // KEDA scales to idleReplicaCount while no trigger is active, and holds paused-replicas while paused.
                Optional<YamlNode> idle = keda.node().at("spec", "idleReplicaCount");
                if (idle.isPresent()) {
                    out.add(new Autoscaler(keda, "idleReplicaCount", idle, 0, false));
                }
                Optional<YamlNode> paused = keda.node().at("metadata", "annotations", PAUSED_REPLICAS);
                if (paused.isPresent()) {
                    out.add(new Autoscaler(keda, PAUSED_REPLICAS, paused, 0, true));
                }
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
