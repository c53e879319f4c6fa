package dev.airworthy.checks.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.docker.DockerfileCheck.KeyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileCheckTest {

    private static List<KeyValue> pairs(String line) {
        return DockerfileCheck.pairs(Dockerfile.parse("FROM scratch\n" + line, "Dockerfile").instructions().get(1));
    }

    @Test
    void envInBothForms() {
        assertThat(pairs("ENV a=b c=\"d e\" f='g h'")).containsExactly(
                new KeyValue("a", "b"), new KeyValue("c", "d e"), new KeyValue("f", "g h"));
        assertThat(pairs("ENV DB_PASSWORD some long value")).containsExactly(new KeyValue("DB_PASSWORD", "some long value"));
        assertThat(pairs("ENV A=1 \\\n    B=2")).containsExactly(new KeyValue("A", "1"), new KeyValue("B", "2"));
        assertThat(pairs("ENV ESCAPED=a\\ b")).containsExactly(new KeyValue("ESCAPED", "a b"));
    }

    @Test
    void argWithAndWithoutDefaults() {
        assertThat(pairs("ARG NPM_TOKEN")).containsExactly(new KeyValue("NPM_TOKEN", null));
        assertThat(pairs("ARG A=1 B")).containsExactly(new KeyValue("A", "1"), new KeyValue("B", null));
        assertThat(pairs("ARG EMPTY=")).containsExactly(new KeyValue("EMPTY", ""));
    }

    @Test
    void dockerfileNames() {
        assertThat(DockerfileCheck.variant("Dockerfile")).isEmpty();
        assertThat(DockerfileCheck.variant("dockerfile")).isEmpty();
        assertThat(DockerfileCheck.variant("Containerfile")).isEmpty();
        assertThat(DockerfileCheck.variant("Dockerfile.prod")).isEqualTo("prod");
        assertThat(DockerfileCheck.variant("worker.Dockerfile")).isEqualTo("worker");
        assertThat(DockerfileCheck.variant("api.dockerfile")).isEqualTo("api");
        assertThat(DockerfileCheck.variant("Dockerfile.dockerignore")).isEqualTo("dockerignore");
        assertThat(DockerfileCheck.variant("docker-compose.yml")).isNull();
        assertThat(DockerfileCheck.variant("Dockerfiles")).isNull();
    }

    @Test
    void userAndHealthcheckCarryOverFromTheStageTheFinalOneBuildsOn() {
        Dockerfile d = Dockerfile.parse("""
                FROM alpine:3.20 AS base
                USER app
                FROM base AS mid
                HEALTHCHECK CMD true
                FROM mid
                RUN echo final
                FROM alpine:3.20 AS unrelated
                """, "Dockerfile");
        Dockerfile.Stage third = d.stages().get(2);
        assertThat(d.lastInherited(third, "USER")).map(Dockerfile.Instruction::line).contains(2);
        assertThat(d.lastInherited(third, "HEALTHCHECK")).map(Dockerfile.Instruction::line).contains(4);
        assertThat(d.lastInherited(d.finalStage().orElseThrow(), "USER")).isEmpty();
        assertThat(d.stageNamed("MID")).map(Dockerfile.Stage::index).contains(1);
    }
}
