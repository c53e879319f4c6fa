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
                new String[] {".gitea/workflows/ci.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: pytest\n"},
                new String[] {"Jenkinsfile.release", "node { sh(script: \"make test\", label: 'tests') }\n"},
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

    private void expectNoTests(String why) throws Exception {
        ItemResult r = run();
        assertThat(RepoChecks.rules(r)).as("%s: %s %s", why, r.message(), r.evidence()).containsExactly("repo.ci.no-tests");
    }

    private void expectTests(String why) throws Exception {
        ItemResult r = run();
        assertThat(r.status()).as("%s: %s %s", why, r.message(), r.evidence()).isEqualTo(Status.PASS);
    }

    @Test
    void githubWorkflowsCountOnlyWhenTheyRunOnChangesAndTheirStepCanFail() throws Exception {
        write(dir, ".github/workflows/manual.yml", "on: [workflow_dispatch]\njobs:\n  t:\n    steps:\n      - run: npm test\n");
        write(dir, ".github/workflows/ci.yml", """
                on:
                  push:
                    branches: [main]
                jobs:
                  off:
                    if: false
                    steps:
                      - run: npm test
                  soft:
                    continue-on-error: true
                    steps:
                      - run: pytest
                  build:
                    steps:
                      - run: go test ./...
                        if: ${{ false }}
                      - run: cargo test
                        continue-on-error: true
                      - run: make build
                """);
        expectNoTests("dispatch-only, if: false, continue-on-error");
        assertThat(run().evidence()).anyMatch(e -> e.contains("triggered only by workflow_dispatch"))
                .anyMatch(e -> e.contains("if: false") && e.contains("continue-on-error: true"));

        write(dir, ".github/workflows/ci.yml", "on: pull_request\njobs:\n  t:\n    uses: ./.github/workflows/reusable.yml\n");
        write(dir, ".github/workflows/reusable.yml", "on: workflow_call\njobs:\n  t:\n    steps:\n      - run: |\n          npm ci\n          npm test\n");
        ItemResult r = run();
        assertThat(r.status()).as("%s %s", r.message(), r.evidence()).isEqualTo(Status.PASS);
        assertThat(r.message()).isEqualTo("CI runs tests: .github/workflows/reusable.yml:7 npm test");
    }

    @Test
    void aCompositeActionCountsWhenACountedStepUsesIt() throws Exception {
        write(dir, ".github/actions/test/action.yml", "runs:\n  using: composite\n  steps:\n    - run: npm test\n      shell: bash\n");
        write(dir, ".github/workflows/ci.yml", "on: workflow_dispatch\njobs:\n  t:\n    steps:\n      - uses: ./.github/actions/test\n");
        expectNoTests("only a manual workflow uses it");
        write(dir, ".github/workflows/ci.yml", "on: push\njobs:\n  t:\n    steps:\n      - uses: ./.github/actions/test\n");
        expectTests("a push workflow uses it");
    }

    @Test
    void gitlabHiddenManualAndAllowedToFailJobsDoNotCount() throws Exception {
        write(dir, ".gitlab-ci.yml", """
                .tests:
                  script: [npm test]
                manual:
                  when: manual
                  script: [pytest]
                soft:
                  allow_failure: true
                  script: [go test ./...]
                ruled:
                  rules:
                    - if: $CI_COMMIT_TAG
                      when: manual
                  script: [cargo test]
                build:
                  script: [make build]
                """);
        expectNoTests("hidden, manual, allow_failure, manual rules");
        write(dir, ".gitlab-ci.yml", "include:\n  - local: ci/base.yml\nunit:\n  extends: .tests\n");
        write(dir, "ci/base.yml", ".tests:\n  extends: .base\n.base:\n  script:\n    - npm ci\n    - npm test\n");
        expectTests("a real job extends the hidden ones across files");
    }

    @Test
    void circleJobsCountOnlyInAWorkflow() throws Exception {
        write(dir, ".circleci/config.yml", """
                version: 2.1
                commands:
                  unused:
                    steps: [{run: pytest}]
                  run-tests:
                    steps: [{run: npm test}]
                jobs:
                  orphan:
                    steps: [{run: go test ./...}]
                  build:
                    steps: [checkout, {run: make build}]
                workflows:
                  main:
                    jobs: [build]
                """);
        expectNoTests("orphan job, unused command");
        write(dir, ".circleci/config.yml", """
                version: 2.1
                commands:
                  run-tests:
                    steps: [{run: npm test}]
                jobs:
                  build:
                    steps: [checkout, run-tests]
                workflows:
                  main:
                    jobs: [{build: {context: x}}]
                """);
        expectTests("a workflow's job uses the command");
    }

    @Test
    void jenkinsDisabledStagesAndOnlyRootJenkinsfiles() throws Exception {
        write(dir, "Jenkinsfile", """
                pipeline {
                  stages {
                    stage('Build') { steps { sh 'make build' } }
                    stage('Test') {
                      when { expression { false } }
                      steps { sh 'make test' }
                    }
                  }
                }
                """);
        write(dir, "docs/examples/Jenkinsfile", "node { sh 'npm test' }\n");
        expectNoTests("a disabled stage, a Jenkinsfile under docs/");
        assertThat(run().evidence()).noneMatch(e -> e.startsWith("docs/examples/Jenkinsfile"));
    }

    @Test
    void azureDisabledStepsAndPipelinesWithoutTriggers() throws Exception {
        write(dir, "azure-pipelines.yml", """
                steps:
                  - script: npm test
                    condition: false
                  - script: pytest
                    continueOnError: true
                  - script: make build
                """);
        expectNoTests("condition: false, continueOnError");
        write(dir, "azure-pipelines.yml", "trigger: none\npr: none\nsteps:\n  - script: npm test\n");
        expectNoTests("trigger: none and pr: none");
        write(dir, "azure-pipelines.yml", "trigger: none\npr: none\nschedules:\n  - cron: '0 0 * * *'\n    branches: {include: [main]}\n"
                + "steps:\n  - script: npm test\n");
        expectTests("a scheduled pipeline");
    }

    @Test
    void bitbucketCustomPipelinesRunOnlyByHand() throws Exception {
        write(dir, "bitbucket-pipelines.yml", "pipelines:\n  custom:\n    tests:\n      - step:\n          script: [npm test]\n"
                + "  default:\n    - step:\n        script: [npm run build]\n");
        expectNoTests("custom pipeline");
    }

    @Test
    void workflowsOutsideTheRootDirectoryAreNotCI() throws Exception {
        write(dir, "examples/app/.github/workflows/ci.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: npm test\n");
        write(dir, "templates/.gitlab-ci.yml", "t:\n  script: [npm test]\n");
        assertThat(RepoChecks.rules(run())).containsExactly("repo.ci.missing");
    }

    @Test
    void aQuotedCommandWithEscapedLineBreaksIsOnItsKeysLine() throws Exception {
        write(dir, ".github/workflows/ci.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: \"npm ci\\nnpm test\"\n");
        assertThat(run().message()).isEqualTo("CI runs tests: .github/workflows/ci.yml:5 npm test");
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
