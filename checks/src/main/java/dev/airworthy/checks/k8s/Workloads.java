package dev.airworthy.checks.k8s;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Params;
import dev.airworthy.checks.k8s.Kustomize.Build;
import dev.airworthy.checks.k8s.Kustomize.Patch;
import dev.airworthy.checks.k8s.Manifests.KubeObject;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The workloads of the repository's Kubernetes manifests, read the same way for every k8s check:
 * Deployments, StatefulSets, DaemonSets, ReplicaSets and ReplicationControllers (long-running),
 * Jobs, CronJobs and bare Pods (not), each with its pod spec and containers. Kinds Kubernetes does
 * not build in (an Argo Rollout, an OpenShift DeploymentConfig, an OpenKruise CloneSet) are judged by
 * their pod template when they have one: {@code spec.template.spec} makes a long-running, replicated
 * workload ({@code spec.replicas}), {@code spec.jobTemplate.spec.template.spec} one that runs to completion.
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

    /**
     * A workload object and its pod spec; {@code generic} when its kind is not built into Kubernetes and
     * it is judged by its pod template, {@code scheduled} when that template is a job template.
     */
    record Workload(KubeObject object, YamlNode podSpec, boolean generic, boolean scheduled) {
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
            return LONG_RUNNING.contains(kind()) || (generic && !scheduled);
        }

        boolean replicated() {
            return REPLICATED.contains(kind()) || (generic && !scheduled);
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
            boolean builtIn = LONG_RUNNING.contains(o.kind()) || RUN_TO_COMPLETION.contains(o.kind());
            Optional<YamlNode> spec = builtIn ? podSpec(o) : withContainers(o.node().at("spec", "template", "spec"));
            Optional<YamlNode> jobSpec = builtIn || spec.isPresent() ? Optional.empty()
                    : withContainers(o.node().at("spec", "jobTemplate", "spec", "template", "spec"));
            if (spec.isEmpty() && builtIn) {
                incomplete.add(o.label() + " (" + o.file() + ":" + o.line() + ")");
            }
            spec.ifPresent(s -> all.add(new Workload(o, s, !builtIn, false)));
            jobSpec.ifPresent(s -> all.add(new Workload(o, s, true, true)));
        }
    }

    /** The repository's workloads, in the files the item's {@code files} parameter selects (all YAML when empty). */
    static Workloads of(CheckContext ctx) {
        return new Workloads(Manifests.of(ctx, ctx.params().list("files")));
    }

    private static Optional<YamlNode> podSpec(KubeObject o) {
        if (o.kind().equals("CronJob")) {
            return withContainers(o.node().at("spec", "jobTemplate", "spec", "template", "spec"));
        }
        return withContainers(o.kind().equals("Pod") ? o.node().get("spec") : o.node().at("spec", "template", "spec"));
    }

    private static Optional<YamlNode> withContainers(Optional<YamlNode> podSpec) {
        return podSpec.filter(s -> s.get("containers").map(c -> !c.items().isEmpty()).orElse(false));
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
        List<String> generic = judged.stream().filter(Workload::generic)
                .map(w -> w.label() + " (" + w.object().apiVersion() + ")").toList();
        if (!generic.isEmpty()) {
            out.evidence("kinds Kubernetes does not build in, judged by their pod template: " + abbreviated(generic));
        }
        notes().forEach(out::evidence);
        if (judged.isEmpty() && manifests.errors.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!manifests.objects.isEmpty()) {
                parts.add("no " + what + " in " + count(manifests.objects.size(), "Kubernetes object"));
            } else if (notes().isEmpty()) {
                parts.add("no Kubernetes manifests in the repository");
            } else {
                parts.add("no Kubernetes manifest judged as written");
            }
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

    /** Which patches of a build may change what a check judges of an object. */
    @FunctionalInterface
    interface PatchesThatMatter {
        List<Patch> of(KubeObject object, Build build);

        /** Every patch that may target the object: a patch can change anything in it. */
        PatchesThatMatter ALL = (o, b) -> b.patching(o.kind(), o.name());
    }

    /**
     * Warns {@code <check>.patched}, at each kustomize patch that may change one of the judged
     * {@code objects} (its target names it, or is unknown): patches are not applied, so the object was
     * judged as its base writes it, and the patched result may differ.
     */
    void patched(Outcome out, String checkId, Collection<KubeObject> objects, PatchesThatMatter matter) {
        Map<String, Patch> patches = new LinkedHashMap<>();
        Map<String, Set<String>> changed = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            for (Build b : manifests.kustomize.builds(o.file())) {
                for (Patch p : matter.of(o, b)) {
                    patches.putIfAbsent(p.where(), p);
                    changed.computeIfAbsent(p.where(), k -> new LinkedHashSet<>()).add(o.label());
                }
            }
        }
        patches.forEach((where, p) -> out.finding(Finding.warn(checkId + ".patched", p.file() + " applies " + p.source()
                + ", which may change " + abbreviated(List.copyOf(changed.get(where))) + ": kustomize patches are not applied "
                + "here, so what it changes is not judged (point files at kustomize build output)").at(p.file(), p.line())));
    }

    /** {@link #patched(Outcome, String, Collection, PatchesThatMatter)} for the judged workloads, every patch mattering. */
    void patched(Outcome out, String checkId, List<Workload> judged) {
        patched(out, checkId, judged.stream().map(Workload::object).toList(), PatchesThatMatter.ALL);
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

    /**
     * A boolean as Kubernetes reads YAML (1.1 spellings included); empty when absent or not a boolean,
     * a quoted {@code "true"} included: that is a string, which the API server rejects ({@link #wrongType}).
     */
    static Optional<Boolean> bool(Optional<YamlNode> node) {
        return node.filter(YamlNode::isPlain).map(YamlNode::text).map(t -> switch (t) {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" -> Boolean.TRUE;
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" -> Boolean.FALSE;
            default -> null;
        });
    }

    /**
     * An integer value: a plain YAML integer, or a number with nothing after the point ({@code 1.0}
     * reaches the API server as 1); empty when absent, quoted, fractional, or not a number (a variable).
     */
    static Optional<Long> integer(Optional<YamlNode> node) {
        return node.filter(YamlNode::isPlain).map(YamlNode::text).filter(t -> t.matches("[+-]?[0-9]{1,18}(\\.0*)?"))
                .map(t -> Long.parseLong(t.replaceFirst("\\..*", "")));
    }

    /**
     * Why a field Kubernetes types as integer or boolean cannot be one, for a message; empty when absent,
     * null, or of the right type. A quoted {@code "3"} or {@code "true"} is a string: the API server
     * rejects the manifest, so the field counts as not set. Plain text that is not a number (a
     * {@code ${VARIABLE}}) is not judged here: it is decided at deploy time.
     */
    static Optional<String> wrongType(Optional<YamlNode> node, boolean integer) {
        if (node.isEmpty() || (node.get().isPlain() && node.get().text() == null)) {
            return Optional.empty();
        }
        YamlNode n = node.get();
        String type = integer ? "an integer" : "a boolean";
        if (!n.isScalar()) {
            return Optional.of("is " + (n.isMap() ? "a mapping" : "a list") + ", not " + type + " (line " + n.line() + ")");
        }
        if (!n.isPlain()) {
            return Optional.of("is the string \"" + n.text() + "\", not " + type + ": the API server rejects the manifest "
                    + "(invalid type), so it counts as not set");
        }
        if (integer && n.text().matches("[+-]?[0-9]{0,18}\\.[0-9]{1,18}") && integer(node).isEmpty()) {
            return Optional.of("is " + n.text() + ", not a whole number: the API server rejects the manifest");
        }
        return Optional.empty();
    }
}
