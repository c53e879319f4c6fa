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
import dev.airworthy.checks.k8s.Manifests.KubeObject;
import dev.airworthy.checks.k8s.Workloads.Container;
import dev.airworthy.checks.k8s.Workloads.Workload;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "k8s.resources",
        title = "Kubernetes resource requests and limits",
        category = Category.CONTAINERS,
        severity = Severity.MEDIUM,
        summary = """
                Every container (init containers included) of every workload in the repository's \
                manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, \
                CronJob, Pod) has a CPU and a memory request and a CPU and a memory limit; one finding per \
                missing value. A request left out next to an explicit limit is not a finding: Kubernetes \
                then uses the limit as the request. A `LimitRange` in the repository, in the workload's \
                namespace as written (both without a namespace counts as the same), whose `type: Container` \
                entry has `default` (limits) or `defaultRequest` (requests) fills what it provides, as the \
                LimitRanger admission plugin does. A quantity of zero (`0`, `"0"`, `0m`, `0Mi`, `0.0`), in a \
                container or a LimitRange default, counts as missing: a zero limit is no limit, a zero \
                request reserves nothing. Other kinds with a pod template (an Argo Rollout, an OpenShift \
                DeploymentConfig) are judged by it. Helm chart templates, `{{ }}`-templated files and \
                kustomize patches are set aside with a note (see `k8s.probes`). \
                Rules, at the container's line: `k8s.resources.no-cpu-request`, \
                `k8s.resources.no-memory-request`, `k8s.resources.no-cpu-limit`, `k8s.resources.no-memory-limit`; \
                `k8s.resources.patched` (warns, at the patch's entry in the kustomization; a patch that may \
                change a LimitRange whose defaults count warns too).""",
        rationale = """
                Requests are what the scheduler reserves: without them pods are packed onto nodes that \
                cannot hold them, and are the first evicted under pressure (BestEffort). Limits cap what a \
                container can take: without a memory limit one leaking pod can drive its node out of \
                memory and take its neighbours down with it.""",
        remediation = """
                Set requests from observed usage and limits from what the container may use at worst:

                ```yaml
                resources:
                  requests: { cpu: 250m, memory: 256Mi }
                  limits: { cpu: "1", memory: 512Mi }
                ```

                Or give the namespace a `LimitRange` with `default` and `defaultRequest` for containers, \
                so nothing runs unbounded even when a manifest forgets.""",
        example = """
                - id: k8s-resources
                  title: Containers have requests and limits
                  check: k8s.resources""",
        references = {"https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            "https://kubernetes.io/docs/concepts/policy/limit-range/"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = Workloads.FILES_DESCRIPTION)
        })
public final class ResourcesCheck implements Check {
    private static final List<String> RESOURCES = List.of("cpu", "memory");
    /** A zero quantity: sign, zero digits, an optional exponent and suffix (m, k, Mi, Gi, ...). */
    private static final Pattern ZERO = Pattern.compile("[+-]?(?:0{1,64}(?:\\.0{0,64})?|\\.0{1,64})(?:[eE][+-]?[0-9]{1,4})?[a-zA-Z]{0,2}");

    @Override
    public CheckResult run(CheckContext ctx) {
        Workloads workloads = Workloads.of(ctx);
        Outcome out = new Outcome();
        List<Workload> judged = workloads.judged(out, w -> true, "workloads", "");
        List<KubeObject> limitRanges = workloads.objects("LimitRange");
        Set<KubeObject> defaultsUsed = new LinkedHashSet<>();
        int containers = 0;
        for (Workload w : judged) {
            List<KubeObject> ranges = limitRanges.stream().filter(r -> Workloads.sameNamespace(r, w.object())).toList();
            for (Container c : w.allContainers()) {
                containers++;
                for (String resource : RESOURCES) {
                    Optional<String> limit = quantity(c.node(), "limits", resource);
                    Optional<String> request = quantity(c.node(), "requests", resource);
                    // A LimitRange fills only what is absent: a zero written is kept, and is nothing.
                    if (limit.isEmpty()) {
                        Optional<KubeObject> byDefault = defaulting(ranges, resource, "default");
                        byDefault.ifPresentOrElse(defaultsUsed::add, () -> out.finding(Finding.fail(
                                "k8s.resources.no-" + resource + "-limit", c.label() + " has no " + resource + " limit")
                                .at(c.file(), c.line())));
                    } else if (!nonZero(limit.get())) {
                        out.finding(Finding.fail("k8s.resources.no-" + resource + "-limit", c.label() + " has " + resource
                                + " limit " + limit.get() + ", which is no limit").at(c.file(), c.line()));
                    }
                    // An explicit limit is also the request when none is given.
                    if (request.isEmpty() && limit.isEmpty()) {
                        Optional<KubeObject> byDefault = defaulting(ranges, resource, "defaultRequest", "default");
                        byDefault.ifPresentOrElse(defaultsUsed::add, () -> out.finding(Finding.fail(
                                "k8s.resources.no-" + resource + "-request", c.label() + " has no " + resource + " request")
                                .at(c.file(), c.line())));
                    } else if (!nonZero(request.or(() -> limit).orElseThrow())) {
                        String zero = request.or(() -> limit).orElseThrow();
                        out.finding(Finding.fail("k8s.resources.no-" + resource + "-request", c.label() + " has " + resource
                                + " request " + zero + (request.isEmpty() ? " (its limit)" : "") + ", which reserves nothing")
                                .at(c.file(), c.line()));
                    }
                }
            }
        }
        defaultsUsed.forEach(r -> out.evidence("defaults from " + where(r) + " fill what containers leave out"));
        // A patch of a LimitRange whose defaults count may take them away.
        List<KubeObject> judgedObjects = new ArrayList<>(judged.stream().map(Workload::object).toList());
        judgedObjects.addAll(defaultsUsed);
        workloads.patched(out, "k8s.resources", judgedObjects, Workloads.PatchesThatMatter.ALL);
        return workloads.result(out, "CPU and memory requests and limits for every container ("
                + Workloads.containersIn(containers, judged.size()) + ")");
    }

    /** A quantity as written, zero included; empty when absent or blank. */
    private static Optional<String> quantity(YamlNode container, String kind, String resource) {
        return container.textAt("resources", kind, resource).filter(q -> !q.isBlank());
    }

    /** A quantity that reserves or caps something: {@code 0}, {@code 0m}, {@code 0Mi}, {@code 0.0} do neither. */
    static boolean nonZero(String quantity) {
        return !quantity.isBlank() && !ZERO.matcher(quantity.strip()).matches();
    }

    /**
     * The first LimitRange whose {@code type: Container} entries fill {@code resource} from one of
     * {@code keys} ({@code default} for limits; {@code defaultRequest}, else {@code default}, for requests).
     */
    private static Optional<KubeObject> defaulting(List<KubeObject> ranges, String resource, String... keys) {
        for (KubeObject range : ranges) {
            for (YamlNode limit : range.node().at("spec", "limits").map(YamlNode::items).orElse(List.of())) {
                if (!limit.textAt("type").map("Container"::equals).orElse(false)) {
                    continue;
                }
                for (String key : keys) {
                    if (limit.textAt(key, resource).filter(ResourcesCheck::nonZero).isPresent()) {
                        return Optional.of(range);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String where(KubeObject o) {
        return o.label() + " (" + o.file() + ":" + o.line() + ")";
    }

    @Override
    public List<String> validate(Params params) {
        return Workloads.validateFiles(params);
    }
}
