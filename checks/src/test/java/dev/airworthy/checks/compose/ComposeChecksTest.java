package dev.airworthy.checks.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckRegistry;
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
