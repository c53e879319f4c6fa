package dev.airworthy.checks.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileCheckTest {

    /** {@code name=value@line} for each variable the instruction on line 2 sets. */
    private static List<String> pairs(String line) {
        Dockerfile.Instruction ins = Dockerfile.parse("FROM scratch\n" + line, "Dockerfile").instructions().get(1);
        return DockerfileCheck.pairs(ins).stream().map(kv -> kv.name() + "=" + kv.value() + "@" + ins.lineAt(kv.offset())).toList();
    }

    @Test
    void envInBothForms() {
        assertThat(pairs("ENV a=b c=\"d e\" f='g h'")).containsExactly("a=b@2", "c=d e@2", "f=g h@2");
        assertThat(pairs("ENV DB_PASSWORD some long value")).containsExactly("DB_PASSWORD=some long value@2");
        assertThat(pairs("ENV A=1 \\\n    B=2 \\\n\n  # c\n  C=\"x y\"")).containsExactly("A=1@2", "B=2@3", "C=x y@6");
        assertThat(pairs("ENV ESCAPED=a\\ b")).containsExactly("ESCAPED=a b@2");
    }

    @Test
    void argWithAndWithoutDefaults() {
        assertThat(pairs("ARG NPM_TOKEN")).containsExactly("NPM_TOKEN=null@2");
        assertThat(pairs("ARG A=1 B")).containsExactly("A=1@2", "B=null@2");
        assertThat(pairs("ARG EMPTY=")).containsExactly("EMPTY=@2");
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
        assertThat(DockerfileCheck.variant("Dockerfile-prod")).isEqualTo("prod");
        assertThat(DockerfileCheck.variant("Dockerfile_worker")).isEqualTo("worker");
        assertThat(DockerfileCheck.variant("Containerfile-api")).isEqualTo("api");
        assertThat(DockerfileCheck.variant("Dockerfile-")).isNull();
    }

    @Test
    void rootIsTheNameOrUidZeroHoweverWritten() {
        assertThat(List.of("root", "ROOT", "0", "000", "+0", "+000000000000000", "0:0", "0:app", "root:root", " 0 "))
                .allMatch(DockerfileCheck::isRoot);
        assertThat(List.of("app", "10001", "1000:0", "rooty", "-0", "0x0", "+", "", "app:root"))
                .noneMatch(DockerfileCheck::isRoot);
    }

    @Test
    void variablesComeFromInheritedEnvStageArgsAndBuildArguments() {
        Dockerfile d = Dockerfile.parse("""
                ARG HOME_DIR=/srv
                FROM alpine:3.20 AS base
                ENV RUN_AS=root
                FROM base
                ARG RUN_AS=app
                ARG HOME_DIR
                ARG TAG=1.0
                ENV LABEL=v${TAG}
                USER $RUN_AS
                """, "Dockerfile");
        Dockerfile.Stage last = d.finalStage().orElseThrow();
        java.util.Map<String, BuildScope.Var> at = new java.util.HashMap<>();
        BuildScope.walk(d, last, java.util.Map.of("TAG", "2.0"), "the build.args of api", (ins, vars) -> {
            if (ins.keyword().equals("USER")) {
                at.putAll(vars);
            }
        });
        assertThat(at.get("RUN_AS").value()).as("ENV wins over an ARG of the same name").isEqualTo("root");
        assertThat(at.get("RUN_AS").origin()).isEqualTo("ENV RUN_AS=root (line 3)");
        assertThat(at.get("HOME_DIR").value()).as("a bare ARG takes the global default").isEqualTo("/srv");
        assertThat(at.get("LABEL").value()).isEqualTo("v2.0");
        assertThat(at.get("LABEL").fromArgument()).isTrue();
        assertThat(at.get("TAG").origin()).isEqualTo("the build.args of api set TAG=2.0");
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
