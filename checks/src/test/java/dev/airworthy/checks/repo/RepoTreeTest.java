package dev.airworthy.checks.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoTreeTest {
    @TempDir
    Path dir;

    private void write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private java.util.List<String> paths(RepoTree t) {
        return t.files().stream().map(RepoTree.RepoFile::path).toList();
    }

    @Test
    void honoursNestedGitignoresWithNegationAndDirectoryRules() throws Exception {
        write(".gitignore", "*.log\nbuild/\n!keep.log\n");
        write("app/.gitignore", "secret.txt\n/local-only\n");
        write("a.log", "x");
        write("keep.log", "x");
        write("build/out.txt", "x");
        write("app/secret.txt", "x");
        write("app/local-only/x.txt", "x");
        write("app/src/local-only", "a file whose name matches an anchored rule elsewhere");
        write("app/src/Main.java", "class Main {}");
        assertThat(paths(RepoTree.walk(dir))).containsExactly(
                ".gitignore", "app/.gitignore", "app/src/Main.java", "app/src/local-only", "keep.log");
    }

    @Test
    void skipsVendoredAndVersionControlDirectories() throws Exception {
        write("node_modules/left-pad/index.js", "x");
        write("vendor/github.com/x/y.go", "x");
        write(".venv/lib/site.py", "x");
        write(".git/config", "[core]");
        write("src/vendor.js", "a file named like a vendored dir is still ours");
        assertThat(paths(RepoTree.walk(dir))).containsExactly("src/vendor.js");
    }

    @Test
    void excludeFileOfTheRepositoryApplies() throws Exception {
        write(".git/info/exclude", "scratch/\n");
        write("scratch/notes.md", "x");
        write("README.md", "x");
        assertThat(paths(RepoTree.walk(dir))).containsExactly("README.md");
    }

    @Test
    void globsMatchAtTheRootAndBelow() throws Exception {
        write("Dockerfile", "FROM x:1");
        write("svc/api/Dockerfile", "FROM x:1");
        write("docs/Dockerfile.md", "x");
        RepoTree t = RepoTree.walk(dir);
        assertThat(t.glob("**/Dockerfile")).extracting(RepoTree.RepoFile::path).containsExactly("Dockerfile", "svc/api/Dockerfile");
        assertThat(t.named("dockerfile")).hasSize(2);
    }

    @Test
    void doubleStarSegmentsAnywhereMatchZeroOrMoreDirectories() throws Exception {
        write("k8s/a.yaml", "x");
        write("k8s/apps/b.yaml", "x");
        write("k8s/apps/deep/c.yaml", "x");
        write("k8s/apps/deep/base/d.yaml", "x");
        write("other/e.yaml", "x");
        RepoTree t = RepoTree.walk(dir);
        assertThat(t.glob("k8s/**/*.yaml")).extracting(RepoTree.RepoFile::path)
                .containsExactly("k8s/a.yaml", "k8s/apps/b.yaml", "k8s/apps/deep/base/d.yaml", "k8s/apps/deep/c.yaml");
        assertThat(t.glob("**/apps/**/base/*.yaml")).extracting(RepoTree.RepoFile::path).containsExactly("k8s/apps/deep/base/d.yaml");
        assertThat(t.glob("k8s/**/deep/**/*.yaml")).extracting(RepoTree.RepoFile::path)
                .containsExactly("k8s/apps/deep/base/d.yaml", "k8s/apps/deep/c.yaml");
        // A "**" that is part of a name is not a directory segment.
        assertThat(RepoTree.globVariants("a**/b")).containsExactly("a**/b");
    }

    @Test
    void trackedFilesComeFromTheGitIndexRelativeToASubdirectoryRoot() throws Exception {
        write("service/.env", "A=1");
        write("service/app.py", "x");
        write("other/.env", "B=2");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("service/.env").addFilepattern("other/.env").call();
        }
        RepoTree t = RepoTree.walk(dir.resolve("service"));
        assertThat(t.tracked()).hasValueSatisfying(s -> assertThat(s).containsExactly(".env"));
        assertThat(RepoTree.walk(dir).tracked()).hasValueSatisfying(s -> assertThat(s).containsExactlyInAnyOrder("service/.env", "other/.env"));
    }

    @Test
    void aDirectoryOutsideAnyWorkTreeHasNoTrackedSet() throws Exception {
        write("README.md", "x");
        // @TempDir lives under /tmp, which is not inside a git work tree.
        assertThat(RepoTree.walk(dir).tracked()).isEmpty();
    }

    @Test
    void symbolicLinksAreNotFollowed() throws Exception {
        write("real/a.txt", "x");
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("file-link.txt"), dir.resolve("real/a.txt"));
        assertThat(paths(RepoTree.walk(dir))).containsExactly("real/a.txt");
    }

    @Test
    void aSymbolicLinkNamedAsTheRootIsFollowed() throws Exception {
        write("real/app/.env", "A=1");
        write("real/app/src/Main.java", "class Main {}");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, dir.resolve("real/app"));
        RepoTree t = RepoTree.walk(link);
        assertThat(paths(t)).containsExactly(".env", "src/Main.java");
        assertThat(t.root()).isEqualTo(dir.resolve("real/app").toRealPath());
    }

    @Test
    void anIndexNeitherJGitNorGitCanReadIsAnErrorNotAbsence() throws Exception {
        write("README.md", "x");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("README.md").call();
        }
        Files.write(dir.resolve(".git/index"), new byte[] {'D', 'I', 'R', 'C', 0, 0, 0, 9, 1, 2, 3});
        RepoTree t = RepoTree.walk(dir);
        assertThatThrownBy(t::tracked).isInstanceOf(UnreadableFile.class).hasMessageStartingWith("git index unreadable: ");
    }

    @Test
    void splitAndSparseIndexesAreReadThroughGit() throws Exception {
        assumeTrue(gitInstalled(), "the git binary is needed to write a split or sparse index");
        write(".env", "A=1");
        write("app/.env", "B=2");
        write("other/f", "x");
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "--no-gpg-sign", "-m", "c");
        git("update-index", "--split-index");
        assertThat(RepoTree.walk(dir).tracked()).hasValueSatisfying(s -> assertThat(s).contains(".env", "app/.env", "other/f"));

        git("update-index", "--no-split-index");
        git("sparse-checkout", "set", "--cone", "--sparse-index", "app");
        assertThat(RepoTree.walk(dir).tracked()).hasValueSatisfying(s -> assertThat(s).contains(".env", "app/.env", "other/f"));
    }

    static boolean gitInstalled() {
        try {
            return new ProcessBuilder("git", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private void git(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("git", "-C", dir.toString()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", cmd, out).isZero();
    }
}
