package dev.airworthy.checks.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.check.NotApplicable;
import dev.airworthy.checks.compose.ComposeService.Build;
import dev.airworthy.checks.compose.ComposeService.EnvVar;
import dev.airworthy.checks.compose.ComposeService.Mount;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.yaml.YamlNode.YamlSyntaxError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeProjectTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private ComposeProject read(String... paths) throws IOException, YamlSyntaxError {
        RepoTree tree = RepoTree.walk(dir);
        List<String> wanted = List.of(paths);
        return ComposeProject.read(dir, tree.filter(f -> wanted.contains(f.path())));
    }

    private static ComposeService service(ComposeProject p, String file, String name) {
        return p.services().stream().filter(s -> s.file().equals(file) && s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void mountsInShortAndLongSyntax() throws Exception {
        write("compose.yaml", """
                services:
                  app:
                    image: app:1.0.0
                    volumes:
                      - data:/var/lib/app/
                      - ./conf:/etc/app:ro
                      - ~/cache:/cache
                      - ${DATA_DIR:-./uploads}:/uploads:rw
                      - ${LOGS}:/logs
                      - /scratch
                      - C:\\data:/windows
                      - type: volume
                        target: /anon
                      - type: tmpfs
                        target: /run
                    tmpfs: [/tmp:size=64m]
                """);
        List<Mount> mounts = service(read("compose.yaml"), "compose.yaml", "app").mounts();
        assertThat(mounts).extracting(m -> m.target() + "=" + m.kind()).containsExactly(
                "/var/lib/app=NAMED", "/etc/app=BIND", "/cache=BIND", "/uploads=BIND", "/logs=BIND",
                "/scratch=ANONYMOUS", "/windows=BIND", "/anon=ANONYMOUS", "/run=TMPFS", "/tmp=TMPFS");
        Mount data = mounts.getFirst();
        assertThat(data.covers("/var/lib/app")).isTrue();
        assertThat(data.covers("/var/lib/app/db")).isTrue();
        assertThat(data.covers("/var/lib/application")).isFalse();
    }

    @Test
    void anOverrideFileIsMergedWithItsBaseAndAStandaloneVariantIsNot() throws Exception {
        write("docker-compose.yml", """
                services:
                  api:
                    image: api:1.0.0
                    restart: always
                    environment: [LOG_LEVEL=info, DB_PASSWORD=base]
                    deploy: { resources: { limits: { memory: 1G, cpus: "1" } } }
                  db:
                    image: postgres:16.4
                """);
        write("docker-compose.prod.yml", """
                services:
                  api:
                    environment: { LOG_LEVEL: warn }
                    deploy: { resources: { limits: { memory: 2G } } }
                """);
        write("docker-compose.staging.yml", """
                services:
                  api:
                    image: api:1.0.0
                  mailer:
                    image: mailer:1.0.0
                """);
        write("docker-compose.qa.yml", """
                services:
                  tester:
                    image: tester:1.0.0
                """);
        ComposeProject p = read("docker-compose.yml", "docker-compose.prod.yml", "docker-compose.staging.yml", "docker-compose.qa.yml");
        assertThat(p.files()).extracting(ComposeFile::path, ComposeFile::base).containsExactly(
                org.assertj.core.groups.Tuple.tuple("docker-compose.prod.yml", "docker-compose.yml"),
                org.assertj.core.groups.Tuple.tuple("docker-compose.qa.yml", null),
                org.assertj.core.groups.Tuple.tuple("docker-compose.staging.yml", "docker-compose.yml"),
                org.assertj.core.groups.Tuple.tuple("docker-compose.yml", null));
        ComposeService prod = service(p, "docker-compose.prod.yml", "api");
        assertThat(prod.line()).isEqualTo(2);
        assertThat(prod.text("restart")).contains("always");
        assertThat(prod.text("deploy", "resources", "limits", "memory")).contains("2G");
        assertThat(prod.text("deploy", "resources", "limits", "cpus")).contains("1");
        Map<String, EnvVar> env = prod.environment();
        assertThat(env.get("LOG_LEVEL").value()).isEqualTo("warn");
        assertThat(env.get("LOG_LEVEL").node().file()).isEqualTo("docker-compose.prod.yml");
        assertThat(env.get("DB_PASSWORD").node().file()).isEqualTo("docker-compose.yml");
        // Only the override's own services are judged in it; db is judged in the base file.
        assertThat(p.files().getFirst().services()).extracting(ComposeService::name).containsExactly("api");
        // A variant that redefines a base service is deployed on top of the base (-f base -f staging);
        // a service only the variant defines takes nothing from the base.
        assertThat(service(p, "docker-compose.staging.yml", "api").text("restart")).contains("always");
        assertThat(service(p, "docker-compose.staging.yml", "mailer").has("restart")).isFalse();
        assertThat(service(p, "docker-compose.qa.yml", "tester").layers()).hasSize(1);
    }

    @Test
    void extendsIsFollowedAcrossFilesAndCyclesEnd() throws Exception {
        write("common/services.yml", """
                services:
                  base:
                    restart: unless-stopped
                    healthcheck: { test: ["CMD", "true"] }
                """);
        write("compose.yaml", """
                services:
                  api:
                    image: api:1.0.0
                    extends: { file: common/services.yml, service: base }
                  a: { image: a:1.0.0, extends: b }
                  b: { image: b:1.0.0, extends: a }
                """);
        ComposeProject p = read("compose.yaml");
        assertThat(service(p, "compose.yaml", "api").text("restart")).contains("unless-stopped");
        assertThat(service(p, "compose.yaml", "api").healthcheckTest()).isPresent();
        assertThat(service(p, "compose.yaml", "a").layers()).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void buildResolvesContextAndDockerfileAgainstTheComposeFile() throws Exception {
        write("deploy/compose.yaml", """
                services:
                  api: { build: { context: ../services/api, dockerfile: docker/Dockerfile.prod, target: runtime } }
                  web: { build: ../web }
                  remote: { build: "https://github.com/example/app.git#main" }
                  outside: { build: ../../elsewhere }
                  inline: { build: { dockerfile_inline: "FROM alpine:3.20" } }
                """);
        ComposeProject p = read("deploy/compose.yaml");
        Build api = service(p, "deploy/compose.yaml", "api").build().orElseThrow();
        assertThat(api.dockerfile()).isEqualTo("services/api/docker/Dockerfile.prod");
        assertThat(api.target()).isEqualTo("runtime");
        assertThat(service(p, "deploy/compose.yaml", "web").build().orElseThrow().dockerfile()).isEqualTo("web/Dockerfile");
        assertThat(service(p, "deploy/compose.yaml", "remote").build().orElseThrow().why()).contains("remote context");
        assertThat(service(p, "deploy/compose.yaml", "outside").build().orElseThrow().why()).contains("outside the repository");
        assertThat(service(p, "deploy/compose.yaml", "inline").build().orElseThrow().inline()).isEqualTo("FROM alpine:3.20");
    }

    @Test
    void oneShots() throws Exception {
        write("compose.yaml", """
                services:
                  api:
                    image: api:1.0.0
                    depends_on: { migrate: { condition: service_completed_successfully }, db: { condition: service_started } }
                  migrate: { image: api:1.0.0 }
                  db: { image: postgres:16.4 }
                  seed: { image: api:1.0.0, restart: "no", profiles: [tools] }
                  ops: { image: api:1.0.0, deploy: { mode: global-job } }
                  adminer: { image: adminer:4.8.1, profiles: [debug] }
                  job: { image: api:1.0.0, deploy: { mode: replicated-job } }
                """);
        ComposeProject p = read("compose.yaml");
        assertThat(p.services()).filteredOn(s -> s.oneShot() != null).extracting(ComposeService::name)
                .containsExactly("migrate", "ops", "job");
    }

    @Test
    void aFileWithoutServicesIsNotApplicableAndBrokenYamlNamesTheLine() throws Exception {
        write("compose.yaml", "networks: { shared: { external: true } }\n");
        assertThatThrownBy(() -> read("compose.yaml")).isInstanceOf(NotApplicable.class);
        write("docker-compose.yml", "services:\n  api:\n    image: [a\n");
        assertThatThrownBy(() -> read("docker-compose.yml")).isInstanceOf(YamlSyntaxError.class)
                .hasMessageStartingWith("docker-compose.yml:4:");
    }

    @Test
    void discoveryNames() {
        assertThat(List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
                "docker-compose.prod.yml", "compose.staging.yaml", "Docker-Compose.YML", "docker-compose-prod.yml",
                "docker-compose.prod.override.yml", "prod.compose.yml", "staging.docker-compose.yaml", "docker-stack.yml",
                "stack.yml", "docker-stack.prod.yml"))
                .allMatch(ComposeProject::isComposeName);
        assertThat(List.of("compose.json", "my-compose.yml", "docker-compose.yml.bak", "compose", "stacks.yml",
                "docker-compose.a.b.c.yml"))
                .noneMatch(ComposeProject::isComposeName);
    }

    @Test
    void examplesAndTestsAreSkippedAndLookalikesNotedNotJudged() throws Exception {
        write("deploy/docker-compose-production.yml", "services:\n  api:\n    image: api:1.0.0\n");
        write("examples/docker-compose.yml", "services:\n  demo:\n    image: demo:1.0.0\n");
        write("src/testdata/compose.yaml", "services:\n  x:\n    image: x:1.0.0\n");
        write("ops/app.yml", "# comment\nservices:\n  app:\n    build: .\n");
        write("ops/other.yml", "jobs:\n  services:\n    image: a\n");
        write("stack.yml", "version: 1.0\nprovider: { name: openfaas }\nfunctions: { f: { image: f:1.0 } }\n");
        ComposeProject p = ComposeProject.discover(dir);
        assertThat(p.files()).extracting(ComposeFile::path).containsExactlyInAnyOrder("deploy/docker-compose-production.yml", "stack.yml");
        assertThat(p.evidence()).contains(
                "examples/docker-compose.yml not judged: under examples/, which holds examples or tests (name it in files to judge it)",
                "src/testdata/compose.yaml not judged: under testdata/, which holds examples or tests (name it in files to judge it)",
                "ops/app.yml reads like a compose file (services with an image or a build) but is not named like one:"
                        + " not judged (name it in files to judge it)",
                "stack.yml defines no service, so it is no stack file");
        assertThat(String.join("\n", p.evidence())).doesNotContain("ops/other.yml");
    }

    @Test
    void includesAreFollowedOnceInsideTheRepositoryWithTheirOwnEnvFile() throws Exception {
        write("compose.yaml", """
                include:
                  - infra/db.yaml
                  - path: [ops/base.yml, ops/prod.yml]
                    env_file: ops/ops.env
                  - ../outside.yml
                  - infra
                services:
                  api: { image: "api:${TAG:-1.0.0}", depends_on: { init: { condition: service_completed_successfully } } }
                """);
        write(".env", "TAG=2.0.0\nREGISTRY=${CI_REGISTRY}\n");
        write("infra/db.yaml", "include: [../compose.yaml, db.yaml]\nservices:\n  db: { image: \"postgres:${PG:-16.4}\" }\n");
        write("infra/.env", "PG=17.0\n");
        write("ops/base.yml", "services:\n  init: { image: \"init:${INIT:-1}\" }\n  metrics: { image: m:1, restart: always }\n");
        write("ops/prod.yml", "services:\n  metrics: { restart: \"no\" }\n");
        write("ops/ops.env", "INIT=3\n");
        ComposeProject p = read("compose.yaml");
        assertThat(p.files()).extracting(ComposeFile::path, ComposeFile::includedBy).containsExactly(
                org.assertj.core.groups.Tuple.tuple("compose.yaml", null),
                org.assertj.core.groups.Tuple.tuple("infra/db.yaml", "compose.yaml"),
                org.assertj.core.groups.Tuple.tuple("ops/base.yml", "compose.yaml"));
        assertThat(service(p, "compose.yaml", "api").image()).contains("api:2.0.0");
        // REGISTRY is set from the deploy environment, so its default is not what runs.
        assertThat(service(p, "compose.yaml", "api").resolve("${REGISTRY:-ghcr.io}/api").unresolved()).containsExactly("REGISTRY");
        assertThat(service(p, "infra/db.yaml", "db").image()).contains("postgres:17.0");
        ComposeService init = service(p, "ops/base.yml", "init");
        assertThat(init.image()).contains("init:3");
        assertThat(init.oneShot()).contains("api waits for it");
        assertThat(service(p, "ops/base.yml", "metrics").text("restart")).contains("no");
        assertThat(String.join("\n", p.evidence())).contains("includes ../outside.yml, which is no file in the repository")
                .contains("includes infra, which is no file in the repository")
                .contains("include of compose.yaml not followed (a cycle)");
    }

    @Test
    void documentsOfAFileMergeInOrder() throws Exception {
        write("compose.yaml", """
                services:
                  api: { image: api:1.0.0, restart: always, environment: { A: "1", B: "1" } }
                volumes: { data: {} }
                ---
                services:
                  api: { restart: "no", environment: { B: "2" } }
                  web: { image: web:1.0.0 }
                """);
        ComposeProject p = read("compose.yaml");
        ComposeService api = service(p, "compose.yaml", "api");
        assertThat(api.line()).isEqualTo(2);
        assertThat(api.text("restart")).contains("no");
        assertThat(api.environment()).extractingFromEntries(e -> e.getKey() + "=" + e.getValue().value()).containsExactly("A=1", "B=2");
        assertThat(p.services()).extracting(ComposeService::name).containsExactly("api", "web");
    }

    @Test
    void dotEnvValuesQuotesCommentsAndExport() {
        Map<String, String> env = ProjectEnv.parse("""
                # comment
                export A=1
                B = two words # a comment
                C='literal ${A} # kept'
                D="line\\none ${A}"
                E="multi
                line"
                F: yaml-style
                G=a#b
                not an assignment
                H=${MISSING:-fallback}
                I=${CI_TAG}
                J=x${I}
                """);
        assertThat(env).containsEntry("A", "1").containsEntry("B", "two words").containsEntry("C", "literal ${A} # kept")
                .containsEntry("D", "line\none 1").containsEntry("E", "multi\nline").containsEntry("F", "yaml-style")
                .containsEntry("G", "a#b").containsEntry("H", "fallback").containsEntry("I", ProjectEnv.UNKNOWN)
                .containsEntry("J", ProjectEnv.UNKNOWN).hasSize(10);
    }
}
