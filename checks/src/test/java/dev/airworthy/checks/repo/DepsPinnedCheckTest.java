package dev.airworthy.checks.repo;

import static dev.airworthy.checks.repo.RepoChecks.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Status;
import dev.airworthy.checks.repo.NpmSpec.Pin;
import dev.airworthy.run.ItemResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** repo.deps-pinned on what its first version missed: includes, overrides, plugin dependencies, the reactor. */
class DepsPinnedCheckTest {
    @TempDir
    Path dir;

    @Test
    void includedRequirementsAreJudgedWhateverTheirNameOnceEachAndInsideTheRepository() throws Exception {
        write(dir, "requirements.txt", "-r deps/base.in\n-c deps/constraints.pip\nflask==3.0.0\n");
        write(dir, "deps/base.in", "-r ../requirements.txt\n-rshared.pip\nrequests>=2\n");
        write(dir, "deps/shared.pip", "--requirement=base.in\nurllib3\n");
        write(dir, "deps/constraints.pip", "idna==3.7\n");
        ItemResult r = RepoChecks.run(dir, "repo.deps-pinned", "");
        assertThat(RepoChecks.rules(r)).as("%s", r.evidence()).containsExactlyInAnyOrder(
                "repo.deps-pinned.python@deps/base.in:3", "repo.deps-pinned.python@deps/shared.pip:2");
        assertThat(r.evidence()).contains("deps/constraints.pip: 1 requirements, 1 pinned");
    }

    @Test
    void anIncludeThatLeavesTheRepositoryOrIsMissingIsAnErrorAndAUrlIncludeFails() throws Exception {
        write(dir, "requirements.txt", "-r ../outside.txt\nflask==3.0.0\n");
        ItemResult r = RepoChecks.run(dir, "repo.deps-pinned", "");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).contains("requirements.txt:1: -r ../outside.txt: leaves the repository");

        write(dir, "requirements.txt", "-r missing.txt\n");
        assertThat(RepoChecks.run(dir, "repo.deps-pinned", "").message()).contains("requirements.txt:1: -r missing.txt: not found");

        write(dir, "requirements.txt", "-r https://example.com/reqs.txt\nflask==3.0.0\n");
        assertThat(RepoChecks.rules(RepoChecks.run(dir, "repo.deps-pinned", ""))).containsExactly("repo.deps-pinned.python@requirements.txt:1");
    }

    @Test
    void npmOverridesResolutionsAndPnpmOverridesAreJudged() throws Exception {
        write(dir, "package.json", """
                {
                  "dependencies": { "foo": "1.0.0" },
                  "overrides": {
                    "foo": "$foo",
                    "bar": { "baz": "*" }
                  },
                  "resolutions": { "**/lodash": "latest" },
                  "pnpm": { "overrides": { "qux@1": ">=0.0.0" }, "neverBuiltDependencies": ["x"] }
                }
                """);
        ItemResult r = RepoChecks.run(dir, "repo.deps-pinned", "");
        assertThat(RepoChecks.rules(r)).containsExactlyInAnyOrder("repo.deps-pinned.npm@package.json:5",
                "repo.deps-pinned.npm@package.json:7", "repo.deps-pinned.npm@package.json:8");
        assertThat(r.message()).contains("overrides bar > baz \"*\" takes any version");
    }

    @Test
    void npmUnionsFromZeroAndPatches() {
        for (String s : List.of("1.2.3 || *", "^1 || latest", ">=0.0.0", ">=0", ">= 0.0", ">0", "patch:lodash@npm%3Alatest#./p.patch",
                "patch:lodash@npm%3A*#./p.patch")) {
            assertThat(NpmSpec.judge(s).pin()).as(s).isEqualTo(Pin.UNPINNED);
        }
        assertThat(NpmSpec.judge("patch:lodash@npm%3A4.17.21#./patches/lodash.patch").pin()).isEqualTo(Pin.EXACT);
        assertThat(NpmSpec.judge("patch:lodash@npm%3A%5E4.17.21#./p.patch").pin()).isEqualTo(Pin.RANGE);
        assertThat(NpmSpec.judge(">=0.1.0").pin()).isEqualTo(Pin.RANGE);
    }

    @Test
    void pluginDependenciesAreJudgedAndOnlyReactorModulesAreBuiltHere() throws Exception {
        write(dir, "pom.xml", """
                <project>
                  <groupId>com.acme</groupId><artifactId>root</artifactId><version>1.0.0</version>
                  <modules><module>core</module></modules>
                  <dependencies>
                    <dependency><groupId>com.acme</groupId><artifactId>core</artifactId><version>1.0.0-SNAPSHOT</version></dependency>
                    <dependency><groupId>com.acme</groupId><artifactId>sample-lib</artifactId><version>LATEST</version></dependency>
                  </dependencies>
                  <build><plugins><plugin>
                    <artifactId>maven-enforcer-plugin</artifactId><version>3.4.1</version>
                    <dependencies>
                      <dependency><groupId>org.codehaus.mojo</groupId><artifactId>extra-enforcer-rules</artifactId><version>1.8-SNAPSHOT</version></dependency>
                    </dependencies>
                    <configuration><rules><dependency><version>RELEASE</version></dependency></rules></configuration>
                  </plugin></plugins></build>
                </project>
                """);
        write(dir, "core/pom.xml", "<project><parent><groupId>com.acme</groupId><artifactId>root</artifactId><version>1.0.0</version>"
                + "</parent><artifactId>core</artifactId><version>1.0.0-SNAPSHOT</version></project>");
        // A pom of an example project defines com.acme:sample-lib, but no build of the repository builds it.
        write(dir, "examples/lib/pom.xml", "<project><groupId>com.acme</groupId><artifactId>sample-lib</artifactId>"
                + "<version>1.0.0</version></project>");
        ItemResult r = RepoChecks.run(dir, "repo.deps-pinned", "");
        assertThat(RepoChecks.rules(r)).as("%s", r.evidence()).containsExactlyInAnyOrder(
                "repo.deps-pinned.maven@pom.xml:6", "repo.deps-pinned.maven@pom.xml:11");
        assertThat(r.message()).contains("plugin dependency org.codehaus.mojo:extra-enforcer-rules 1.8-SNAPSHOT");
    }

    @Test
    void longHashContinuationsAndBareWheelFilenames() throws Exception {
        StringBuilder text = new StringBuilder("cryptography==42.0.5 \\\n");
        for (int i = 0; i < 200; i++) {
            text.append("    --hash=sha256:").append("0".repeat(64)).append(" \\\n");
        }
        text.append("    --hash=sha256:").append("1".repeat(64)).append("\n");
        text.append("./wheels/local-1.0-py3-none-any.whl\nmypkg-2.1.0-py3-none-any.whl\n");
        List<PythonRequirements.Requirement> reqs = PythonRequirements.judge(text.toString(), "requirements.txt");
        assertThat(reqs).extracting(PythonRequirements.Requirement::unpinned).containsOnlyNulls().hasSize(3);
    }

    @Test
    void tokensInUrlsNeverReachAMessageWholeEvenWhenCut() throws Exception {
        String token = "ghp_FAKEfakeFAKEfake0123456789FAKEfake01";
        assertThat(PythonRequirements.short40("git+https://" + token + "@github.com/acme/very-long-repository-name.git#main"))
                .isEqualTo("git+https://ghp_…(40 chars)@github.com/acme/very-long-rep...");
        assertThat(PythonRequirements.userinfoMasked("https://deploy:" + token + "@host/x and ssh://git@github.com/a"))
                .isEqualTo("https://deploy:ghp_…(40 chars)@host/x and ssh://git@github.com/a");
        write(dir, "package.json", "{\"dependencies\": {\"x\": \"git+https://" + token + "@github.com/acme/x.git\"}}");
        write(dir, "requirements.txt", "-r https://user:" + token + "@example.com/reqs.txt\n"
                + "lib @ git+https://" + token + "@github.com/acme/lib.git@main\n");
        ItemResult r = RepoChecks.run(dir, "repo.deps-pinned", "");
        assertThat(r.findings()).hasSize(3);
        assertThat(r.message()).doesNotContain("FAKEfakeFAKE").contains("ghp_…(40 chars)@github.com");
        assertThat(String.join("\n", r.evidence())).doesNotContain("FAKEfakeFAKE");
    }
}
