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
    void onlyAWordStartingWithTwoAnglesInRunCopyOrAddOpensAHeredoc() {
        Dockerfile d = Dockerfile.parse("""
                FROM alpine:3.20
                LABEL x="<<HERE"
                RUN sha256sum -c <<< "abc  file"
                RUN echo "<<EOF" 'x <<EOF'
                USER app
                COPY <<A <<-"B" /dest/
                USER root
                A
                \tUSER root
                \tB
                RUN <<EOF
                  EOF
                USER root
                EOF
                HEALTHCHECK CMD true
                """, "Dockerfile");
        assertThat(d.instructions()).extracting(i -> i.keyword() + " " + i.line()).containsExactly(
                "FROM 1", "LABEL 2", "RUN 3", "RUN 4", "USER 5", "COPY 6", "RUN 11", "HEALTHCHECK 15");
        assertThat(Dockerfile.heredocs("cat 2<<EOF <<-'X' cat<<NOT \"<<NOT\" <<<NOT").stream().map(h -> h.name() + h.chomp()))
                .containsExactly("EOFfalse", "Xtrue");
    }

    @Test
    void byteOrderMarkCrlfAndBlankLinesInsideAContinuation() {
        Dockerfile d = Dockerfile.parse("\uFEFFFROM alpine:3.20\r\nENV A=1 \\\r\n\r\n    # note\r\n    B=2\r\nUSER app\r\n", "Dockerfile");
        assertThat(d.hasFrom()).isTrue();
        assertThat(d.instructions()).extracting(Dockerfile.Instruction::keyword).containsExactly("FROM", "ENV", "USER");
        Dockerfile.Instruction env = d.instructions().get(1);
        assertThat(env.args()).isEqualTo("A=1  B=2");
        assertThat(env.lineAt(env.args().indexOf("A="))).isEqualTo(2);
        assertThat(env.lineAt(env.args().indexOf("B="))).isEqualTo(5);
        assertThat(d.instructions().get(2).line()).isEqualTo(6);
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
        assertThat(ImageRef.parse("${REGISTRY}/app:1.2.3").pinning()).isEqualTo(Pinning.TAG);
        assertThat(ImageRef.parse("${REGISTRY:-ghcr.io}/team/app").pinning()).isEqualTo(Pinning.UNTAGGED);
        assertThat(ImageRef.parse("${REGISTRY}/app:latest").pinning()).isEqualTo(Pinning.LATEST);
        assertThat(ImageRef.parse("team/${APP}").pinning()).isEqualTo(Pinning.VARIABLE);
        assertThat(ImageRef.parse("${IMAGE:?set it}").pinning()).isEqualTo(Pinning.VARIABLE);
        assertThat(ImageRef.parse("${IMAGE:-app:1.0}").tag()).isNull();
        assertThat(ImageRef.parse("nginx@${DIGEST}").pinning()).isEqualTo(Pinning.VARIABLE);
        assertThat(ImageRef.parse("registry:5000/team/app").name()).isEqualTo("registry:5000/team/app");
    }
}
