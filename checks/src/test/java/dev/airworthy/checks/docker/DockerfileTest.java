package dev.airworthy.checks.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.docker.ImageRef.Pinning;
import org.junit.jupiter.api.Test;

class DockerfileTest {
    @Test
    void joinsContinuationsSkipsCommentsAndHeredocsAndKeepsStartLines() {
        Dockerfile d = Dockerfile.parse("""
                # syntax=docker/dockerfile:1
                FROM --platform=$BUILDPLATFORM golang:1.23 AS build
                RUN apt-get update && \\
                    # a comment inside the continuation
                    apt-get install -y curl
                RUN <<EOF
                USER root
                EOF
                FROM build AS test
                FROM scratch
                COPY --from=build /app /app
                USER 65532
                """, "Dockerfile");
        assertThat(d.instructions()).extracting(Dockerfile.Instruction::keyword)
                .containsExactly("FROM", "RUN", "RUN", "FROM", "FROM", "COPY", "USER");
        assertThat(d.instructions().get(1).args()).isEqualTo("apt-get update &&  apt-get install -y curl");
        assertThat(d.instructions().get(1).line()).isEqualTo(3);
        assertThat(d.stages()).extracting(Dockerfile.Stage::name).containsExactly("build", "test", null);
        assertThat(d.externalBases()).extracting(s -> s.from().raw()).containsExactly("golang:1.23");
        assertThat(d.finalStage().orElseThrow().last("USER").orElseThrow().args()).isEqualTo("65532");
    }

    @Test
    void escapeDirectiveChangesTheContinuationCharacter() {
        Dockerfile d = Dockerfile.parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\n", "Dockerfile");
        assertThat(d.instructions()).hasSize(2);
        assertThat(d.instructions().get(1).args()).isEqualTo("dir  c:\\");
    }

    @Test
    void imageReferencesArePinnedByDigestOrNonLatestTag() {
        assertThat(ImageRef.parse("postgres:16.4").pinning()).isEqualTo(Pinning.TAG);
        assertThat(ImageRef.parse("registry:5000/team/app").pinning()).isEqualTo(Pinning.UNTAGGED);
        assertThat(ImageRef.parse("registry:5000/team/app:LATEST").pinning()).isEqualTo(Pinning.LATEST);
        assertThat(ImageRef.parse("nginx@sha256:" + "a".repeat(64)).pinning()).isEqualTo(Pinning.DIGEST);
        assertThat(ImageRef.parse("nginx:latest@sha256:" + "a".repeat(64)).pinning()).isEqualTo(Pinning.DIGEST);
        assertThat(ImageRef.parse("nginx@sha256:abc").pinning()).isEqualTo(Pinning.UNTAGGED);
        assertThat(ImageRef.parse("app:${TAG}").pinning()).isEqualTo(Pinning.VARIABLE);
        assertThat(ImageRef.parse("registry:5000/team/app").name()).isEqualTo("registry:5000/team/app");
    }
}
