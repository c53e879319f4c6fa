package dev.airworthy.checks.k8s;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Params;
import dev.airworthy.checks.k8s.Manifests.KubeObject;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The workloads of the repository's Kubernetes manifests, read the same way for every k8s check:
 * Deployments, StatefulSets, DaemonSets, ReplicaSets and ReplicationControllers (long-running),
 * Jobs, CronJobs and bare Pods (not), each with its pod spec and containers.
 */
final class Workloads {
    static final Set<String> LONG_RUNNING = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController");
    static final Set<String> REPLICATED = Set.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController");
    static final Set<String> RUN_TO_COMPLETION = Set.of("Job", "CronJob", "Pod");
    /** The {@code files} parameter every k8s check takes. */
    static final String FILES_DESCRIPTION = "Manifests to judge: paths, directories or globs relative to the repository "
            + "root (e.g. `deploy/`, `k8s/**/*.yaml`, or `kustomize build` output). Default: every `*.yaml` and `*.yml` "
            + "file in the repository.";
    /** Workloads named in evidence one by one; beyond this, counted. */
    private static final int EVIDENCE_LINES = 40;

    /** A workload object and its pod spec. */
    record Workload(KubeObject object, YamlNode podSpec) {
        String kind() {
            return object.kind();
        }

        String name() {
            return object.name();
        }

        String namespace() {
            return object.namespace();
        }

        String file() {
            return object.file();
        }

        int line() {
            return object.line();
        }

        String label() {
            return object.label();
        }

        boolean longRunning() {
            return LONG_RUNNING.contains(kind());
        }

        boolean replicated() {
            return REPLICATED.contains(kind());
        }

        /** The app containers (not init containers). */
        List<Container> containers() {
            return containers("containers", false);
        }

        /** Init containers, then app containers. */
        List<Container> allContainers() {
            List<Container> all = new ArrayList<>(containers("initContainers", true));
            all.addAll(containers());
            return all;
        }

        private List<Container> containers(String key, boolean init) {
            return podSpec.get(key).map(YamlNode::items).orElse(List.of()).stream()
                    .filter(YamlNode::isMap).map(n -> new Container(this, n, init)).toList();
        }
    }

    /** One container of a workload; findings about it point at its line. */
    record Container(Workload workload, YamlNode node, boolean init) {
        String name() {
            return node.textAt("name").orElse("(unnamed)");
        }

        int line() {
            return node.line();
        }

        String file() {
            return workload.file();
        }

        /** "Deployment api, container web" or "..., init container migrate". */
        String label() {
            return workload.label() + ", " + (init ? "init container " : "container ") + name();
        }
    }

    private final Manifests manifests;
    private final List<Workload> all = new ArrayList<>();
    /** Workload objects without a pod template to judge (fragments, typos): named in evidence. */
    private final List<String> incomplete = new ArrayList<>();

    private Workloads(Manifests manifests) {
        this.manifests = manifests;
        for (KubeObject o : manifests.objects) {
            Optional<YamlNode> spec = podSpec(o);
            if (spec.isEmpty() && (LONG_RUNNING.contains(o.kind()) || RUN_TO_COMPLETION.contains(o.kind()))) {
                incomplete.add(o.label() + " (" + o.file() + ":" + o.line() + ")");
            }
            spec.ifPresent(s -> all.add(new Workload(o, s)));
        }
    }

    /** The repository's workloads, in the files the item's {@code files} parameter selects (all YAML when empty). */
    static Workloads of(CheckContext ctx) {
        return new Workloads(Manifests.of(ctx, ctx.params().list("files")));
    }

    private static Optional<YamlNode> podSpec(KubeObject o) {
        Optional<YamlNode> spec;
        if (LONG_RUNNING.contains(o.kind()) || o.kind().equals("Job")) {
            spec = o.node().at("spec", "template", "spec");
        } else if (o.kind().equals("CronJob")) {
            spec = o.node().at("spec", "jobTemplate", "spec", "template", "spec");
        } else if (o.kind().equals("Pod")) {
            spec = o.node().get("spec");
        } else {
            return Optional.empty();
        }
        return spec.filter(s -> s.get("containers").map(c -> !c.items().isEmpty()).orElse(false));
    }

    /** Other objects of a kind (autoscalers, LimitRanges). */
    List<KubeObject> objects(String kind) {
        return manifests.objects.stream().filter(o -> o.kind().equals(kind)).toList();
    }

    Kustomize kustomize() {
        return manifests.kustomize;
    }

    /**
     * The workloads a check judges, after writing to {@code out} what was read and what was set aside.
     * Throws {@link NotApplicable} when nothing is left to judge and nothing failed to read.
     *
     * @param what the kinds judged, for messages ("long-running workloads (Deployment, ...)")
     * @param why  why the others are not judged, e.g. "run to completion"
     */
    List<Workload> judged(Outcome out, Predicate<Workload> which, String what, String why) {
        List<Workload> judged = all.stream().filter(which).toList();
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        judged.forEach(w -> byFile.computeIfAbsent(w.file(), f -> new ArrayList<>()).add(w.label()));
        int shown = 0;
        for (var e : byFile.entrySet()) {
            if (shown++ < EVIDENCE_LINES) {
                out.evidence(e.getKey() + ": " + String.join(", ", e.getValue()));
            }
        }
        if (byFile.size() > EVIDENCE_LINES) {
            out.evidence("... and " + (byFile.size() - EVIDENCE_LINES) + " more files with workloads");
        }
        List<String> others = all.stream().filter(which.negate()).map(Workload::label).toList();
        if (!others.isEmpty()) {
            out.evidence("not judged (" + why + "): " + abbreviated(others));
        }
        notes().forEach(out::evidence);
        if (judged.isEmpty() && manifests.errors.isEmpty()) {
            List<String> parts = new ArrayList<>();
            parts.add(manifests.objects.isEmpty()
                    ? "no Kubernetes manifests in the repository"
                    : "no " + what + " in " + count(manifests.objects.size(), "Kubernetes object"));
            parts.addAll(notes());
            throw new NotApplicable(String.join("; ", parts));
        }
        return judged;
    }

    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (!manifests.chartTemplates.isEmpty()) {
            notes.add(count(manifests.chartTemplates.size(), "Helm template") + " not judged: render them with helm template first ("
                    + abbreviated(manifests.chartTemplates) + ")");
        }
        if (!manifests.templated.isEmpty()) {
            notes.add(count(manifests.templated.size(), "file") + " templated with {{ }} not judged, in whole or in part: render "
                    + "them first (" + abbreviated(manifests.templated) + ")");
        }
        if (!manifests.patches.isEmpty()) {
            notes.add(count(manifests.patches.size(), "kustomize patch") + " not judged on their own ("
                    + abbreviated(manifests.patches) + "): judge kustomize build output for the patched result");
        }
        if (!incomplete.isEmpty()) {
            notes.add("no pod template with containers, not judged: " + abbreviated(incomplete));
        }
        return notes;
    }

    /** The result, or an error naming every manifest that could not be read (findings so far kept). */
    CheckResult result(Outcome out, String passMessage) {
        if (!manifests.errors.isEmpty()) {
            return out.error(String.join("; ", manifests.errors));
        }
        return out.result(passMessage);
    }

    /** Problems with the {@code files} parameter, for {@link dev.airworthy.check.Check#validate}. */
    static List<String> validateFiles(Params params) {
        return RepoTree.pathsLeavingRoot("files", params.list("files"));
    }

    /** Whether two objects end up in the same namespace as written (both without one counts as the same). */
    static boolean sameNamespace(KubeObject a, KubeObject b) {
        return Objects.equals(a.namespace(), b.namespace());
    }

    /** "3 in 2 workloads", for pass messages about every container. */
    static String containersIn(int containers, int workloads) {
        return containers + " in " + count(workloads, "workload");
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : noun.endsWith("ch") ? "es" : "s");
    }

    static String abbreviated(List<String> items) {
        if (items.size() <= 5) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }

    /** A boolean as Kubernetes reads YAML (1.1 spellings included); empty when absent or not a boolean. */
    static Optional<Boolean> bool(Optional<YamlNode> node) {
        return node.map(YamlNode::text).map(t -> switch (t) {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" -> Boolean.TRUE;
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" -> Boolean.FALSE;
            default -> null;
        });
    }

    /** An integer value; empty when absent or not a plain integer (a variable, a template). */
    static Optional<Long> integer(Optional<YamlNode> node) {
        return node.map(YamlNode::text).filter(t -> t.matches("[+-]?[0-9]{1,18}")).map(Long::parseLong);
    }
}
