package dev.airworthy.checks.repo;

import static dev.airworthy.checks.repo.RepoChecks.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Status;
import dev.airworthy.run.ItemResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiCheckTest {
    @TempDir
    Path dir;

    private ItemResult run() throws Exception {
        return RepoChecks.run(dir, "repo.ci", "");
    }

    @Test
    void everyCiSystemsCommandKeysAreRead() throws Exception {
        List<String[]> systems = List.of(
                new String[] {"bitbucket-pipelines.yml", "pipelines:\n  default:\n    - step:\n        script:\n          - npm ci\n          - npm test\n"},
                new String[] {".drone.yml", "kind: pipeline\nsteps:\n  - name: test\n    image: golang:1.23\n    commands:\n      - go test ./...\n"},
                new String[] {".woodpecker/test.yml", "steps:\n  test:\n    image: rust:1.82\n    commands: [cargo test]\n"},
                new String[] {".buildkite/pipeline.yml", "steps:\n  - label: tests\n    command: bundle exec rspec\n"},
                new String[] {".cirrus.yml", "task:\n  container: { image: python:3.12 }\n  test_script: tox\n"},
                new String[] {"appveyor.yml", "build_script: dotnet build\ntest_script:\n  - dotnet test\n"},
                new String[] {".semaphore/semaphore.yml", "blocks:\n  - task:\n      jobs:\n        - commands: [make check]\n"},
                new String[] {"buildspec.yml", "phases:\n  build:\n    commands:\n      - ./gradlew test\n"},
                new String[] {".gitea/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: pytest\n"},
                new String[] {"ci/Jenkinsfile.release", "node { sh(script: \"make test\", label: 'tests') }\n"},
                new String[] {".travis.yml", "language: node_js\nnode_js: [22]\n"});
        for (String[] s : systems) {
            Path sub = dir.resolve(s[0].replace('/', '_'));
            write(sub, s[0], s[1]);
            ItemResult r = RepoChecks.run(sub, "repo.ci", "");
            assertThat(r.status()).as("%s: %s %s", s[0], r.message(), r.evidence()).isEqualTo(Status.PASS);
        }
    }

    @Test
    void noTestsNamesWhatWasReadAndWhatWasNot() throws Exception {
        write(dir, ".gitlab-ci.yml", """
                include:
                  - project: acme/ci-templates
                    file: /test.yml
                  - remote: https://example.com/ci.yml
                  - local: ci/*.yml
                build:
                  script: [make build]
                """);
        write(dir, "ci/lint.yml", "lint:\n  script: make lint\n");
        ItemResult r = run();
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.message()).contains("read: .gitlab-ci.yml, ci/lint.yml")
                .contains("project include acme/ci-templates").contains("remote include https://example.com/ci.yml");
    }

    @Test
    void anAliasBombIsAnErrorNotAWalkThroughBillionsOfNodes() throws Exception {
        // 48 aliases, under the parser's limit of 50, expanding to 3^16 (43 million) nodes.
        StringBuilder sb = new StringBuilder("x0: &l0 [{run: npm ci}, lol, lol]\n");
        for (int i = 1; i <= 16; i++) {
            String prev = "*l" + (i - 1);
            sb.append("x").append(i).append(": &l").append(i).append(" [").append(String.join(", ", java.util.Collections.nCopies(3, prev))).append("]\n");
        }
        sb.append("jobs:\n  t:\n    steps: *l16\n");
        write(dir, ".github/workflows/ci.yml", sb.toString());
        long start = System.nanoTime();
        ItemResult r = run();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).contains(".github/workflows/ci.yml: more than");
    }

    @Test
    void aCompositeActionAloneIsNoPipeline() throws Exception {
        write(dir, ".github/actions/test/action.yml", "runs:\n  using: composite\n  steps:\n    - run: npm test\n      shell: bash\n");
        assertThat(RepoChecks.rules(run())).containsExactly("repo.ci.missing");
    }

    @Test
    void actionPinning() {
        assertThat(CiCheck.unpinnedAction("actions/checkout@v4")).isNull();
        assertThat(CiCheck.unpinnedAction("github/codeql-action/init@v3")).isNull();
        assertThat(CiCheck.unpinnedAction("./.github/actions/setup")).isNull();
        assertThat(CiCheck.unpinnedAction("acme/x@0123456789abcdef0123456789abcdef01234567")).isNull();
        assertThat(CiCheck.unpinnedAction("docker://alpine@sha256:" + "a".repeat(64))).isNull();
        assertThat(CiCheck.unpinnedAction("acme/x@v1.2.3")).contains("acme/x@v1.2.3 is not pinned to a commit SHA");
        assertThat(CiCheck.unpinnedAction("acme/x@0123456")).contains("not pinned");
        assertThat(CiCheck.unpinnedAction("acme/x")).contains("names no version");
        assertThat(CiCheck.unpinnedAction("docker://alpine:3")).contains("without a digest");
    }

    @Test
    void groovyShellStepsOnly() {
        String jenkinsfile = """
                stage('make test') {            // a stage name is no command
                  echo 'npm test'
                  sh "mvn -B verify"
                  bat(script: 'dotnet test')
                  /* sh 'pytest' */
                  sh label: 'lint', script: '''
                    make lint
                  '''
                }
                """;
        List<CiCheck.Command> cmds = CiCheck.groovyShellStrings("Jenkinsfile", jenkinsfile);
        assertThat(cmds).extracting(CiCheck.Command::text).containsExactly("mvn -B verify", "dotnet test", "\n    make lint\n  ");
        assertThat(cmds).extracting(CiCheck.Command::line).containsExactly(3, 4, 6);
    }
}
