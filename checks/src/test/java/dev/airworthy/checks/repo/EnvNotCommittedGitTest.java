package dev.airworthy.checks.repo;

import static dev.airworthy.checks.repo.RepoChecks.commitAll;
import static dev.airworthy.checks.repo.RepoChecks.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Finding;
import dev.airworthy.check.Status;
import dev.airworthy.run.ItemResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * repo.env-not-committed against real git repositories: tracked, ignored and untracked env files,
 * ignore rules above {@code --repo} and in {@code .git/info/exclude}, and a directory that is not a
 * work tree at all. Fixture folders cannot express these: their files are all tracked by airworthy's
 * own repository, and an ignored file is never committed.
 */
class EnvNotCommittedGitTest {
    @TempDir
    Path dir;

    private static List<String> findings(ItemResult r) {
        return r.findings().stream().map(f -> f.rule().substring("repo.env-not-committed.".length()) + " " + f.file()).toList();
    }

    @Test
    void trackedUntrackedAndIgnoredAreToldApart() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, ".gitignore", ".env.production\nsecrets/\n");
            write(dir, ".env", "A=1\n");
            write(dir, ".env.example", "A=\n");
            commitAll(git);
            write(dir, ".env.local", "A=2\n");            // untracked, not ignored
            write(dir, ".env.production", "A=3\n");       // ignored by name
            write(dir, "secrets/.env", "A=4\n");          // ignored with its directory
            write(dir, "api/.env.development", "A=5\n");  // staged: in the index though never committed
            git.add().addFilepattern("api/.env.development").call();
        }
        ItemResult r = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(findings(r)).containsExactlyInAnyOrder("tracked .env", "tracked api/.env.development", "not-ignored .env.local");
        assertThat(r.findings()).extracting(Finding::line).containsOnlyNulls();
    }

    @Test
    void aFileDeletedFromTheWorkTreeButStillInTheIndexIsTracked() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, ".env.staging", "A=1\n");
            commitAll(git);
        }
        Files.delete(dir.resolve(".env.staging"));
        ItemResult r = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(findings(r)).containsExactly("tracked .env.staging");
    }

    @Test
    void ignoredOnlyNoFinding() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, ".gitignore", ".env\n.env.*\n!.env.example\n");
            write(dir, ".env.example", "A=\n");
            commitAll(git);
            write(dir, ".env", "A=1\n");
            write(dir, ".env.local", "A=1\n");
        }
        ItemResult r = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(r.status()).as("%s %s", r.message(), r.evidence()).isEqualTo(Status.PASS);
        assertThat(r.message()).isEqualTo("no env file committed or exposed");
    }

    @Test
    void repoThatIsASubdirectoryUsesTheWholeWorkTreesRules() throws Exception {
        Path api = dir.resolve("services/api");
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            // Rules that RepoTree does not see (they sit above --repo) but git applies.
            write(dir, ".gitignore", ".env\n");
            write(dir, ".git/info/exclude", ".env.local\n");
            write(dir, ".env.production", "ROOT=1\n");              // tracked, but outside --repo
            write(api, ".env.staging", "A=1\n");                    // tracked inside --repo
            commitAll(git);
            write(api, ".env", "A=2\n");                            // ignored by the root .gitignore
            write(api, ".env.local", "A=3\n");                      // ignored by info/exclude
            write(api, "config/.env.test", "A=4\n");                // exposed
        }
        ItemResult r = RepoChecks.run(api, "repo.env-not-committed", "");
        assertThat(findings(r)).as("%s", r.evidence())
                .containsExactlyInAnyOrder("tracked .env.staging", "not-ignored config/.env.test");
        assertThat(r.evidence()).contains(".env: present, ignored by git", ".env.local: present, ignored by git");
    }

    @Test
    void repoInsideAnIgnoredDirectoryIsIgnoredWhole() throws Exception {
        Path deploy = dir.resolve("deploy");
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, ".gitignore", "deploy/\n");
            commitAll(git);
            write(deploy, ".env", "A=1\n");
        }
        ItemResult r = RepoChecks.run(deploy, "repo.env-not-committed", "");
        assertThat(r.status()).as("%s %s", r.message(), r.evidence()).isEqualTo(Status.PASS);
    }

    @Test
    void cleanRepositoryPassesWithWhatItRead() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, "README.md", "x\n");
            commitAll(git);
        }
        ItemResult r = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.evidence()).anyMatch(e -> e.startsWith("git index read: 1 tracked files"));
    }

    @Test
    void outsideAWorkTreeOnlyPresenceIsJudgedAndTheEvidenceSaysSo() throws Exception {
        write(dir, ".gitignore", ".env.local\n");
        write(dir, ".env", "A=1\n");
        write(dir, ".env.local", "A=1\n");
        ItemResult r = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(findings(r)).containsExactly("not-ignored .env");
        assertThat(r.evidence()).anyMatch(e -> e.startsWith("not a git work tree: tracking could not be checked"));

        Files.delete(dir.resolve(".env"));
        ItemResult clean = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(clean.status()).isEqualTo(Status.PASS);
        assertThat(clean.message()).contains("not a git work tree: tracking not checked");
    }

    @Test
    void aTrackedEnvFileInAVendoredDirectoryIsStillTheRepositorys() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, "vendor/acme/.env", "A=1\n");
            write(dir, "node_modules/x/.env.production", "A=1\n");
            commitAll(git);
        }
        ItemResult r = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(findings(r)).containsExactlyInAnyOrder("tracked vendor/acme/.env", "tracked node_modules/x/.env.production");
    }

    @Test
    void anUnreadableIndexIsAnErrorNotANonRepository() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            write(dir, "README.md", "x\n");
            commitAll(git);
        }
        write(dir, ".env.local", "A=1\n");
        Files.write(dir.resolve(".git/index"), new byte[] {'D', 'I', 'R', 'C', 0, 0, 0, 9, 1, 2, 3});
        ItemResult r = RepoChecks.run(dir, "repo.env-not-committed", "");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("git index unreadable: ");
        assertThat(findings(r)).containsExactly("not-ignored .env.local");
    }

    @Test
    void envFileNames() {
        for (String real : List.of(".env", ".ENV", ".env.local", ".env.production", ".env.staging.local", ".env.test",
                "production.env", "docker.env", "app_prod.env", ".env-prod", ".env_prod", ".env-cmdrc.json", "prod.env.local",
                "secrets.env.json", "env.production", "env.local", ".envrc", ".envrc.local", "app.env.sh", ".env.", ".env.production.")) {
            assertThat(EnvNotCommittedCheck.isEnvFileName(real)).as(real).isTrue();
        }
        for (String template : List.of(".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults",
                ".env.local.example", ".env.production.sample", ".env.tmpl", ".env.vault", "example.env", "sample.env",
                "env.example", "env.ts", "env.d.ts", "vite-env.d.ts", "environment.ts", ".environment", "dotenv",
                "venv", "prod.env.example", ".env-template", ".env_sample", "app.env.ts", "config.env.js", "env.md",
                "README.env.md", "environments", "env")) {
            assertThat(EnvNotCommittedCheck.isEnvFileName(template)).as(template).isFalse();
        }
    }
}
