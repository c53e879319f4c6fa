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
import dev.airworthy.checks.docker.ImageRef;
import dev.airworthy.checks.k8s.Kustomize.Build;
import dev.airworthy.checks.k8s.Kustomize.ImageOverride;
import dev.airworthy.checks.k8s.Workloads.Container;
import dev.airworthy.checks.k8s.Workloads.Workload;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "k8s.images-pinned",
        title = "Kubernetes images pinned",
        category = Category.CONTAINERS,
        severity = Severity.HIGH,
        summary = """
                Every container image (init containers included) of every workload in the repository's \
                manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, \
                CronJob, Pod) names a tag that is not `latest`, or a digest (best). An image without a tag \
                means `latest`; one built from a `${VARIABLE}` is decided at deploy time and is not pinned \
                either. When kustomize builds include the manifest, each build's `images:` override \
                (`newTag`, `digest`, `newName`) is applied first: an untagged image in a base is pinned if \
                every build that uses it sets a tag, and a `newTag: latest` in an overlay is found at its \
                line. Overrides compose as kustomize applies them: the base's first, then each overlay's in \
                turn, each entry matching the name the image has by then (after an earlier `newName`). \
                `imagePullPolicy` does not matter: `Always` does not make a moving tag reproducible. \
                Helm chart templates, `{{ }}`-templated files and kustomize patches are set aside \
                with a note (see `k8s.probes`). \
                Rules, at the container's line or the override's: `k8s.images-pinned.latest`, \
                `k8s.images-pinned.untagged`, `k8s.images-pinned.variable`, `k8s.images-pinned.no-image`; \
                `k8s.images-pinned.patched` (warns, at the patch's entry in the kustomization) where a \
                kustomize patch may change a judged workload: patches are not applied (see `k8s.probes`).""",
        rationale = """
                A moving tag means the cluster runs whatever the registry held when a node last pulled: \
                two pods of one Deployment can run different code, a rollback redeploys the broken image, \
                and nobody can say what is in production. A tag names a release; a digest names exact \
                bytes that cannot change under you.""",
        remediation = """
                Reference images by a release tag, or better by digest (`ghcr.io/acme/api:1.4.2@sha256:...`), \
                and let CI write it: `kustomize edit set image api=ghcr.io/acme/api:1.4.2`, a Helm value, \
                or a tool such as Renovate that bumps pinned versions.""",
        example = """
                - id: k8s-images-pinned
                  title: Kubernetes images are pinned
                  check: k8s.images-pinned""",
        references = {"https://kubernetes.io/docs/concepts/containers/images/#image-names",
            "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
            "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = Workloads.FILES_DESCRIPTION)
        })
public final class ImagesPinnedCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) {
        Workloads workloads = Workloads.of(ctx);
        Outcome out = new Outcome();
        List<Workload> judged = workloads.judged(out, w -> true, "workloads", "");
        Map<ImageRef.Pinning, Integer> counts = new EnumMap<>(ImageRef.Pinning.class);
        Set<String> seen = new HashSet<>();
        for (Workload w : judged) {
            List<Build> builds = workloads.kustomize().builds(w.file());
            for (Container c : w.allContainers()) {
                Optional<String> image = c.node().textAt("image").filter(i -> !i.isBlank());
                if (image.isEmpty()) {
                    out.finding(Finding.fail("k8s.images-pinned.no-image", c.label() + " has no image").at(c.file(), c.line()));
                    continue;
                }
                if (builds.isEmpty()) {
                    judge(out, seen, counts, c, ImageRef.parse(image.get()), null, null);
                }
                for (Build b : builds) {
                    // Base first, then each overlay, each entry matching the name the image has by then.
                    ImageRef ref = ImageRef.parse(image.get());
                    ImageOverride decider = null;
                    for (ImageOverride o : b.images()) {
                        if (o.name().equals(ref.name())) {
                            ref = applied(ref, o);
                            decider = o.newTag() != null || o.digest() != null ? o : decider;
                        }
                    }
                    judge(out, seen, counts, c, ref, decider, b.root());
                }
            }
        }
        workloads.patched(out, "k8s.images-pinned", judged);
        String tally = counts.entrySet().stream()
                .map(e -> e.getValue() + " by " + e.getKey().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        out.evidence("image references: " + tally);
        return workloads.result(out, "every image is pinned (" + tally + ")");
    }

    private static void judge(Outcome out, Set<String> seen, Map<ImageRef.Pinning, Integer> counts, Container c, ImageRef ref,
            ImageOverride override, String build) {
        counts.merge(ref.pinning(), 1, Integer::sum);
        String reason = ref.unpinnedReason();
        if (reason == null) {
            return;
        }
        // The last override that set a tag or digest decides it; without one the manifest's own reference does.
        String file = override != null ? override.file() : c.file();
        int line = override != null ? override.line() : c.line();
        String rule = "k8s.images-pinned." + ref.pinning().name().toLowerCase(Locale.ROOT);
        if (seen.add(rule + "@" + file + ":" + line + "@" + c.label())) {
            String in = build == null ? "" : " (as kustomize builds " + build + ")";
            out.finding(Finding.fail(rule, c.label() + ": image " + reason + in).at(file, line));
        }
    }

    /** The image a kustomize {@code images:} entry turns {@code ref} into. */
    private static ImageRef applied(ImageRef ref, ImageOverride o) {
        String name = o.newName() != null ? o.newName() : ref.name();
        if (o.digest() != null) {
            return ImageRef.parse(name + "@" + o.digest());
        }
        if (o.newTag() != null) {
            return ImageRef.parse(name + ":" + o.newTag());
        }
        return ImageRef.parse(name + (ref.tag() != null ? ":" + ref.tag() : "") + (ref.digest() != null ? "@" + ref.digest() : ""));
    }

    @Override
    public List<String> validate(Params params) {
        return Workloads.validateFiles(params);
    }
}
