package dev.airworthy.checks.repo;

import static dev.airworthy.checks.repo.RepoChecks.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Status;
import dev.airworthy.run.ItemResult;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lockfile cases that need an ignored file or a git index, which fixture folders cannot hold. */
class LockfilesCheckTest {
    @TempDir
    Path dir;

    @Test
    void anIgnoredLockfileIsNotInTheRepository() throws Exception {
        write(dir, ".gitignore", "yarn.lock\n");
        write(dir, "package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
        write(dir, "yarn.lock", "# yarn lockfile v1\n");
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(RepoChecks.rules(r)).containsExactly("repo.lockfiles.ignored");
        assertThat(r.message()).contains("package.json: its lockfile yarn.lock exists but is ignored by git");
    }

    @Test
    void aTrackedLockfileCountsEvenWhenARuleMatchesIt() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, "package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
            write(dir, "package-lock.json", "{\"packages\": {\"\": {}, \"node_modules/a\": {\"version\": \"1.0.0\"}}}");
            RepoChecks.commitAll(git);
            write(dir, ".gitignore", "package-lock.json\n");
        }
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(r.status()).as("%s %s", r.message(), r.evidence()).isEqualTo(Status.PASS);
        assertThat(r.evidence()).anyMatch(e -> e.contains("tracked, although a .gitignore rule matches it"));
    }

    @Test
    void goAndUvWorkspacesLockAtTheirRoot() throws Exception {
        write(dir, "go.work", "go 1.22\nuse (\n\t./api\n)\n");
        write(dir, "go.work.sum", "github.com/a/b v1.0.0 h1:x=\n");
        write(dir, "api/go.mod", "module x/api\nrequire github.com/a/b v1.0.0\n");
        write(dir, "py/pyproject.toml", "[project]\nname = \"root\"\ndependencies = []\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n");
        write(dir, "py/uv.lock", "version = 1\n");
        write(dir, "py/packages/lib/pyproject.toml", "[project]\nname = \"lib\"\ndependencies = [\"httpx>=0.27\"]\n");
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(r.status()).as("%s %s", r.message(), r.evidence()).isEqualTo(Status.PASS);
        assertThat(r.evidence()).contains("api/go.mod: member of the workspace of go.work, locked by go.work.sum",
                "py/packages/lib/pyproject.toml: member of the workspace of py/pyproject.toml, locked by py/uv.lock");
    }

    @Test
    void aCrateOutsideTheWorkspaceMembersNeedsItsOwnLock() throws Exception {
        write(dir, "Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/legacy\"]\n");
        write(dir, "Cargo.lock", "version = 3\n");
        write(dir, "crates/a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\nserde = \"1\"\n");
        write(dir, "crates/legacy/Cargo.toml", "[package]\nname = \"legacy\"\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n");
        write(dir, "tools/gen/Cargo.toml", "[package]\nname = \"gen\"\n[dev-dependencies]\ninsta = \"1\"\n");
        write(dir, "tools/nodeps/Cargo.toml", "[package]\nname = \"nodeps\"\n");
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(r.findings()).extracting(f -> f.file()).containsExactlyInAnyOrder("crates/legacy/Cargo.toml", "tools/gen/Cargo.toml");
    }

    @Test
    void inAGitWorkTreeTheLockfileMustBeTracked() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, "package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
            RepoChecks.commitAll(git);
            write(dir, "yarn.lock", "a@1.0.0:\n  version \"1.0.0\"\n");
        }
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(RepoChecks.rules(r)).containsExactly("repo.lockfiles.untracked");
        assertThat(r.message()).contains("package.json: its lockfile yarn.lock is not tracked by git");
    }

    @Test
    void lockfilesThatLockNothingAreFindings() throws Exception {
        write(dir, "web/package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
        write(dir, "web/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"web\"}}}");
        write(dir, "php/composer.json", "{\"require\": {\"monolog/monolog\": \"3.0.0\"}}");
        write(dir, "php/composer.lock", "{\"packages\": [], \"packages-dev\": []}");
        write(dir, "go/go.mod", "module x\nrequire github.com/a/b v1.0.0\n");
        write(dir, "go/go.sum", "\n  \n");
        write(dir, "js/package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
        write(dir, "js/yarn.lock", "# THIS IS AN AUTOGENERATED FILE.\n# yarn lockfile v1\n\n");
        write(dir, "ok/package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
        write(dir, "ok/package-lock.json", "{\"lockfileVersion\": 1, \"dependencies\": {\"a\": {\"version\": \"1.0.0\"}}}");
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(RepoChecks.rules(r)).containsExactlyInAnyOrder("repo.lockfiles.empty", "repo.lockfiles.empty",
                "repo.lockfiles.empty", "repo.lockfiles.empty");
        assertThat(RepoChecks.files(r)).containsExactlyInAnyOrder("web/package.json", "php/composer.json", "go/go.mod", "js/package.json");
    }

    @Test
    void aPnpmWorkspaceWithoutARootPackageJsonIsJudgedAtItsWorkspaceFile() throws Exception {
        write(dir, "pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n");
        write(dir, "packages/api/package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(RepoChecks.rules(r)).containsExactly("repo.lockfiles.missing");
        assertThat(RepoChecks.files(r)).containsExactly("pnpm-workspace.yaml");

        write(dir, "pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters:\n  packages/api: {}\n");
        assertThat(RepoChecks.run(dir, "repo.lockfiles", "").status()).isEqualTo(Status.PASS);
    }

    @Test
    void anUnreadableIndexIsAnError() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, "package.json", "{\"dependencies\": {\"a\": \"1.0.0\"}}");
            write(dir, "yarn.lock", "a@1.0.0:\n  version \"1.0.0\"\n");
            RepoChecks.commitAll(git);
        }
        java.nio.file.Files.write(dir.resolve(".git/index"), new byte[] {'D', 'I', 'R', 'C', 0, 0, 0, 9, 1, 2, 3});
        ItemResult r = RepoChecks.run(dir, "repo.lockfiles", "");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("git index unreadable: ");
    }
}
