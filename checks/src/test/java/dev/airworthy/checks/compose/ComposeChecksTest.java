package dev.airworthy.checks.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Params;
import dev.airworthy.check.SharedResources;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What fixtures cannot say: that a value never appears, and what the loader rejects. */
class ComposeChecksTest {
    private static final CheckRegistry REGISTRY = CheckRegistry.load();

    @TempDir
    Path dir;

    private List<ItemResult> run(String items) throws Exception {
        Path checklist = dir.resolve("airworthy.yml");
        Files.writeString(checklist, Checklists.wrap(items));
        return new Runner(REGISTRY, Clock.systemUTC())
                .run(new ChecklistLoader(REGISTRY, Map.of()).load(checklist), RunOptions.defaults().withRepo(dir), Progress.NONE)
                .items();
    }

    @Test
    void secretValuesNeverReachTheReport() throws Exception {
        List<String> secrets = List.of("Zr7q2LmX9pW4vK8tN3bH6cY1dF5gJ0sA", "Kp9xQ2mW7vL4nR8tZ3bY", "hunter2", "postgres-prod-pw");
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  api:
                    image: api:1.0.0
                    environment:
                      JWT_SECRET: Zr7q2LmX9pW4vK8tN3bH6cY1dF5gJ0sA
                      DATABASE_URL: postgres://app:Kp9xQ2mW7vL4nR8tZ3bY@db/app
                      ADMIN_PASSWORD: ${ADMIN_PASSWORD:-hunter2}
                    build:
                      context: .
                      args: [DB_PASSWORD=postgres-prod-pw]
                """);
        Files.writeString(dir.resolve("Dockerfile"), """
                FROM node:20.11.1
                ENV JWT_SECRET=Zr7q2LmX9pW4vK8tN3bH6cY1dF5gJ0sA
                ADD https://deploy:hunter2@example.com/app.tgz /app/
                """);
        List<ItemResult> results = run("""
                - { id: secrets, check: compose.secrets }
                - { id: dockerfile, check: docker.dockerfile }
                """);
        assertThat(results).extracting(ItemResult::status).containsOnly(Status.FAIL);
        for (ItemResult r : results) {
            StringBuilder all = new StringBuilder(r.message());
            r.evidence().forEach(all::append);
            r.findings().forEach(f -> all.append(f.message()));
            for (String secret : secrets) {
                assertThat(all.toString()).as("output of %s", r.item().id()).doesNotContain(secret);
            }
        }
    }

    private static final String EVERY_COMPOSE_CHECK = """
            - { id: restart, check: compose.restart }
            - { id: healthchecks, check: compose.healthchecks }
            - { id: images, check: compose.images-pinned }
            - { id: resources, check: compose.resources }
            - { id: secrets, check: compose.secrets }
            - { id: volumes, check: compose.volumes, with: { paths: [/data] } }
            - { id: dockerfile, check: docker.dockerfile }
            """;

    /**
     * Each check on its own (the runner's masking of ten thousand findings is not the check's
     * cost), the compose files read once per round as in a run, after a round that warms the JIT up.
     */
    @Test
    void tenThousandServicesAreJudgedInWellUnderASecondPerCheck() throws Exception {
        StringBuilder yaml = new StringBuilder("services:\n");
        for (int i = 0; i < 10_000; i++) {
            String next = "s" + (i + 1) % 10_000;
            yaml.append("  s").append(i).append(": {image: a:1, depends_on: ")
                    .append(i % 10 == 0 ? "{" + next + ": {condition: service_started}}" : "[" + next + "]").append("}\n");
        }
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nUSER app\nHEALTHCHECK CMD true\n");
        assertThat(Files.size(dir.resolve("compose.yaml"))).isBetween(350_000L, 600_000L);
        Map<String, Map<String, Object>> checks = new java.util.LinkedHashMap<>();
        for (String id : List.of("compose.restart", "compose.healthchecks", "compose.images-pinned", "compose.resources",
                "compose.secrets", "docker.dockerfile")) {
            checks.put(id, Map.of());
        }
        checks.put("compose.volumes", Map.of("paths", List.of("/data")));
        Map<String, Long> ms = new java.util.LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {
            try (SharedResources shared = new SharedResources()) {
                for (Map.Entry<String, Map<String, Object>> c : checks.entrySet()) {
                    CheckContext ctx = new CheckContext(c.getKey(), new Params(c.getValue()), null, dir, dir,
                            Instant.now().plusSeconds(60), Clock.systemUTC(), shared, List.of());
                    long t0 = System.nanoTime();
                    CheckResult r = REGISTRY.find(c.getKey()).orElseThrow().check().run(ctx);
                    ms.put(c.getKey() + " (" + r.status() + ")", (System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
        assertThat(ms).hasSize(7).allSatisfy((check, took) -> assertThat(took).as("%s took %d ms", check, took).isLessThan(1_000));
    }

    @Test
    void anAliasBombInAComposeFileNeitherPassesNorHangs() throws Exception {
        StringBuilder bomb = new StringBuilder("x-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            String prev = "*l" + (i - 1);
            bomb.append("x-l").append(i).append(": &l").append(i).append(" [").append(String.join(", ", java.util.Collections.nCopies(9, prev)))
                    .append("]\n");
        }
        bomb.append("services:\n  api:\n    image: *l9\n    environment: *l9\n    restart: *l9\n    privileged: *l9\n"
                + "    healthcheck: { test: *l9, disable: *l9 }\n    build: { context: *l9, args: *l9 }\n"
                + "    deploy: { resources: { limits: *l9 }, restart_policy: *l9 }\n    volumes: *l9\n    depends_on: *l9\n"
                + "    extends: *l9\n    tmpfs: *l9\ninclude: *l9\nvolumes: *l9\n");
        Files.writeString(dir.resolve("docker-compose.yml"), bomb);
        Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nUSER app\n");
        long t0 = System.nanoTime();
        List<ItemResult> results = run(EVERY_COMPOSE_CHECK);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for every check").isLessThan(10_000);
        assertThat(results).hasSize(7).allSatisfy(r -> assertThat(r.status()).as("%s: %s", r.item().check(), r.message())
                .isNotEqualTo(Status.PASS));
    }

    @Test
    void theLoaderRejectsPathsThatCannotBeJudged() {
        assertThat(Checklists.messages("""
                - { id: a, check: compose.volumes, with: { paths: [var/lib/data] } }
                - { id: b, check: compose.restart, with: { files: [../other/docker-compose.yml] } }
                - { id: c, check: docker.dockerfile, with: { files: [/etc/Dockerfile] } }
                - { id: d, check: compose.volumes, with: { paths: [] } }
                """)).containsExactly(
                "item 'a': 'var/lib/data' is not an absolute path inside the container",
                "item 'b': '../other/docker-compose.yml' leaves the repository; paths are relative to its root",
                "item 'c': '/etc/Dockerfile' leaves the repository; paths are relative to its root",
                "item 'd': paths lists nothing");
    }
}
