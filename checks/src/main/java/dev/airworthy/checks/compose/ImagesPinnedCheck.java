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
import dev.airworthy.checks.docker.ImageRef;
import dev.airworthy.checks.docker.Interpolation;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.Optional;

@AutoService(Check.class)
@CheckInfo(
        id = "compose.images-pinned",
        title = "Compose images pinned",
        category = Category.CONTAINERS,
        severity = Severity.MEDIUM,
        summary = """
                Every service's `image` has a tag that is not `latest` (a digest, `@sha256:...`, is best). A \
                service built locally (`build:`) counts as pinned only when it also names a versioned `image`, \
                the tag the build is pushed and deployed as. `${TAG:-1.4.2}` is judged by the value the project's \
                `.env` gives `TAG`, else by its default; `${TAG}` with no value warns, since the version is then \
                chosen at deploy time; a variable that only names the registry (`${REGISTRY}/app:1.4.2`) leaves the \
                image pinned by its tag.""",
        rationale = """
                `latest`, or no tag at all, is whatever the registry holds when the host pulls: two hosts, or the \
                same host before and after a restart, run different code, and a rollback has nothing to go back to.""",
        remediation = """
                Pin each image to a version tag (`postgres:16.4`), better to a digest \
                (`postgres:16.4@sha256:...`), and let a tool such as Renovate or Dependabot propose upgrades. For \
                a service with `build:`, add `image: registry.example.com/team/app:${VERSION:-1.4.2}`.""",
        example = """
                - id: images-pinned
                  title: Compose images are pinned to versions
                  check: compose.images-pinned""",
        references = {"https://docs.docker.com/reference/compose-file/services/#image",
                "https://docs.docker.com/reference/compose-file/interpolation/"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = ComposeCheck.FILES_DOC)
        })
public final class ImagesPinnedCheck extends ComposeCheck implements Check {

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) {
        for (ComposeService s : j.services(project, false)) {
            j.judged();
            Optional<YamlNode> image = s.at("image").filter(i -> i.text() != null && !i.text().isBlank());
            Optional<YamlNode> build = s.at("build");
            if (image.isEmpty()) {
                if (build.isPresent()) {
                    j.fail("compose.images-pinned.build-unversioned", build.get(), s.name()
                            + " is built locally and names no image, so nothing says which version runs");
                } else {
                    j.warn("compose.images-pinned.no-image", s,
                            s.name() + " names no image and no build; its image could not be judged");
                }
                continue;
            }
            judgeImage(s, image.get(), build.isPresent(), j);
        }
        return j.result("every image is pinned (" + j.count() + " services judged)", "no service to judge");
    }

    private static void judgeImage(ComposeService s, YamlNode image, boolean built, Judgment j) {
        String raw = image.text().strip();
        Interpolation.Resolved r = s.resolve(raw);
        // A variable that only names the registry (${REGISTRY}/app:1.4.2) leaves the tag to judge.
        ImageRef ref = ImageRef.parse(r.complete() ? r.text() : raw);
        if (!r.complete() && ref.pinning() == ImageRef.Pinning.VARIABLE) {
            j.warn("compose.images-pinned.variable", image, s.name() + ": image " + raw + " depends on "
                    + String.join(", ", r.unresolved()) + ", which has no default, so the version is chosen at deploy time");
            return;
        }
        String shown = raw;
        if (r.complete() && !r.text().equals(raw)) {
            shown = r.supplied().isEmpty() ? raw + " (by default " + r.text() + ")" : raw + " (" + r.text() + ")" + s.scope().provenance(r);
        }
        String reason = ref.unpinnedReason();
        if (reason == null) {
            String how = ref.pinning() == ImageRef.Pinning.DIGEST ? "pinned by digest" : "pinned by tag, a digest is best";
            String registry = r.complete() ? "" : " (" + String.join(", ", r.unresolved()) + " only chooses the registry)";
            j.evidence(s.file() + ": " + s.name() + ": " + shown + " " + how + registry + " (" + ComposeService.where(image) + ")");
        } else if (built) {
            j.fail("compose.images-pinned.build-unversioned", image, s.name() + " is built locally as " + shown
                    + ", which is no version: tag the build it deploys");
        } else {
            String rule = ref.pinning() == ImageRef.Pinning.LATEST ? "compose.images-pinned.latest" : "compose.images-pinned.untagged";
            j.fail(rule, image, s.name() + ": " + (shown.equals(raw) ? "" : shown + ": ") + reason);
        }
    }
}
