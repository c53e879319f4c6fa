package dev.airworthy.checks.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.checks.repo.RepoTree;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What fixtures cannot hold: files too large to commit, cycles, and parameter validation. */
class ManifestsTest {
    @TempDir
    Path repo;

    @Test
    void anOversizedFileIsAnErrorOnlyWhenItLooksLikeAManifest() throws IOException {
        writeLarge("k8s/huge.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
        writeLarge("data/fixtures.yaml", "rows:\n");
        Manifests m = Manifests.read(RepoTree.walk(repo), List.of());
        assertThat(m.errors).containsExactly("k8s/huge.yaml: larger than 8 MiB; not read");
        assertThat(m.objects).isEmpty();
    }

    @Test
    void kustomizationsThatIncludeEachOtherEndTheWalk() throws IOException {
        write("a/kustomization.yaml", "resources: [../b, deploy.yaml]\n");
        write("b/kustomization.yaml", "resources: [../a]\nimages: [{ name: app, newTag: latest }]\n");
        write("a/deploy.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: app }
                spec: { template: { spec: { containers: [{ name: app, image: "app:1.0" }] } } }
                """);
        write("c/kustomization.yaml", "resources: [../a, ../../outside, https://github.com/x/y//base]\n");
        Manifests m = Manifests.read(RepoTree.walk(repo), List.of());
        assertThat(m.errors).isEmpty();
        assertThat(m.objects).extracting(Manifests.KubeObject::label).containsExactly("Deployment app");
        // c is the only root (a and b include each other); its build reaches a/deploy.yaml through a, not b.
        assertThat(m.kustomize.builds("a/deploy.yaml")).singleElement().satisfies(b -> {
            assertThat(b.root()).isEqualTo("c/kustomization.yaml");
            assertThat(b.images()).isEmpty();
        });
    }

    @Test
    void filesSelectPathsDirectoriesAndGlobs() throws IOException {
        write("deploy/a.yaml", "apiVersion: v1\nkind: Service\nmetadata: { name: a }\n");
        write("deploy/sub/b.yml", "apiVersion: v1\nkind: Service\nmetadata: { name: b }\n");
        write("other/c.yaml", "apiVersion: v1\nkind: Service\nmetadata: { name: c }\n");
        RepoTree tree = RepoTree.walk(repo);
        assertThat(Manifests.read(tree, List.of("deploy")).objects).extracting(Manifests.KubeObject::name).containsExactly("a", "b");
        assertThat(Manifests.read(tree, List.of("deploy/")).objects).extracting(Manifests.KubeObject::name).containsExactly("a", "b");
        assertThat(Manifests.read(tree, List.of("**/*.yml", "other/c.yaml")).objects)
                .extracting(Manifests.KubeObject::name).containsExactly("b", "c");
    }

    @Test
    void aFileNamedInFilesIsReadEvenWhenGitIgnoresIt() throws IOException {
        write(".gitignore", "rendered/\n");
        write("rendered/prod.out", "apiVersion: v1\nkind: Service\nmetadata: { name: rendered }\n");
        RepoTree tree = RepoTree.walk(repo);
        assertThat(Manifests.read(tree, List.of()).objects).isEmpty();
        assertThat(Manifests.read(tree, List.of("rendered/prod.out")).objects).extracting(Manifests.KubeObject::name)
                .containsExactly("rendered");
        assertThat(Manifests.read(tree, List.of("rendered/")).errors).containsExactly("files: nothing in the repository matches 'rendered/'");
    }

    @Test
    void parametersThatCannotWorkAreChecklistErrors() {
        assertThat(Checklists.messages("""
                - { id: a, check: k8s.probes, with: { files: [../infra/k8s, /etc/kubernetes] } }
                - { id: b, check: k8s.replicas, with: { min: 0 } }
                """)).containsExactly(
                "item 'a': files: '../infra/k8s' leaves the repository; paths are relative to its root",
                "item 'a': files: '/etc/kubernetes' leaves the repository; paths are relative to its root",
                "item 'b': min must be at least 1");
    }

    @Test
    void nestingTooDeepToParseIsAnErrorOnlyInAManifest() throws IOException {
        write("d.yaml", "apiVersion: v1\nkind: Service\nmetadata: { name: a }\n");
        write("data/deep.yaml", "# apiVersion kind\nfoo: " + "[".repeat(200_000) + "\n");
        RepoTree tree = RepoTree.walk(repo);
        Manifests set = Manifests.read(tree, List.of());
        assertThat(set.errors).isEmpty();
        assertThat(set.objects).extracting(Manifests.KubeObject::name).containsExactly("a");
        write("k8s/deep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata:\n  a: " + "[".repeat(200_000) + "\n");
        assertThat(Manifests.read(RepoTree.walk(repo), List.of()).errors).containsExactly("k8s/deep.yaml: nested too deeply to parse");
    }

    @Test
    void bracesAtTheEndOfAHugeFileCostOnePass() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            b.append("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c").append(i).append(" }\n---\n");
        }
        b.append("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: last }\ndata: { a: \"{{x}}\" }\n");
        write("many.yaml", b.toString());
        RepoTree tree = RepoTree.walk(repo);
        // Scanning for {{ from each document to the end of the file took minutes here.
        Manifests m = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Manifests.read(tree, List.of()));
        assertThat(m.objects).hasSize(40_001);
        assertThat(m.templated).isEmpty();
    }

    @Test
    void aFileBrokenBeforeItsFirstBracesIsBrokenNotTemplated() throws IOException {
        write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [oops\ndata:\n  a: \"{{ x }}\"\n");
        write("template.yaml", "{{- if .Values.on }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n");
        write("broken-later.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: { a: \"{{ x }}\" }\n---\napiVersion: v1\nkind: [oops\n");
        Manifests m = Manifests.read(RepoTree.walk(repo), List.of());
        assertThat(m.templated).containsExactly("template.yaml");
        assertThat(m.errors).hasSize(2).allSatisfy(e -> assertThat(e).startsWith("broken"));
    }

    private void write(String path, String text) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void writeLarge(String path, String head) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            byte[] line = "# padding padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
            for (long written = 0; written <= Manifests.MAX_BYTES; written += line.length) {
                out.write(line);
            }
        }
    }
}
