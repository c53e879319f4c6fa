package dev.airworthy.checks.repo;

import static dev.airworthy.checks.repo.RepoChecks.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.check.Status;
import dev.airworthy.checks.repo.NpmSpec.Pin;
import dev.airworthy.run.ItemResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How version specs of npm, pip, Maven and TOML manifests are read. */
class DependencySpecsTest {
    @TempDir
    Path dir;

    @Test
    void npmSpecs() {
        Map<String, Pin> cases = new java.util.LinkedHashMap<>();
        for (String s : List.of("1.2.3", "=1.2.3", "v1.2.3", "1.0.0-beta.2", "1.0.0+build.5", "npm:lodash@4.17.21",
                "github:acme/x#0123456789abcdef0123456789abcdef01234567", "acme/x#0123456789abcdef0123456789abcdef01234567",
                "git+ssh://git@github.com/acme/x.git#0123456789abcdef0123456789abcdef01234567")) {
            cases.put(s, Pin.EXACT);
        }
        for (String s : List.of("workspace:*", "workspace:^", "file:../lib", "link:../lib", "./local", "../sibling", "catalog:")) {
            cases.put(s, Pin.LOCAL);
        }
        for (String s : List.of("^1.2.3", "~1.2", ">=1.0.0", ">1 <3", "1.x", "1.2.X", "1", "1.2", "1.2.3 - 2.0.0", "1 || 2", "<=4", "1.*")) {
            cases.put(s, Pin.RANGE);
        }
        for (String s : List.of("*", "", " ", "x", "X", "x.x.x", "latest", "next", "beta", "npm:lodash", "acme/x", "github:acme/x",
                "git+https://github.com/acme/x.git", "git://github.com/acme/x.git#v1.0.0", "https://example.com/x-1.0.0.tgz",
                "https://github.com/acme/x/tarball/0123456789abcdef0123456789abcdef01234567", "gitlab:acme/x#main")) {
            cases.put(s, Pin.UNPINNED);
        }
        cases.forEach((spec, pin) -> assertThat(NpmSpec.judge(spec).pin()).as("'%s'", spec).isEqualTo(pin));
        assertThat(NpmSpec.judge(null).pin()).isEqualTo(Pin.UNPINNED);
    }

    @Test
    void pipRequirements() throws Exception {
        String text = """
                # comment
                --index-url https://pypi.org/simple
                --extra-index-url=https://example.com/simple
                -r base.txt
                --requirement dev.txt
                -c constraints.txt
                --only-binary :all:
                a==1.0
                b===2.0-custom
                C_d.e[x,y]==3.0 ; python_version < "3.13"
                f (==4.0)
                g==1.0, !=1.1
                h==5.0 \\
                    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000 \\
                    --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111
                i @ https://example.com/i-1.0.tar.gz#sha256=2222222222222222222222222222222222222222222222222222222222222222
                j @ https://example.com/j-1.0.tar.gz --hash=sha256:3333333333333333333333333333333333333333333333333333333333333333
                -e .
                -e ./libs/k
                ./wheels/l-1.0-py3-none-any.whl
                file:///opt/m
                git+https://github.com/acme/n.git@0123456789abcdef0123456789abcdef01234567#egg=n
                -e git+ssh://git@github.com/acme/o.git@0123456789abcdef0123456789abcdef01234567#egg=o
                p~=1.4
                q!=2
                r
                s==1.*
                t @ git+https://github.com/acme/t.git@v1.0
                https://example.com/u.zip
                """;
        List<PythonRequirements.Requirement> reqs = PythonRequirements.judge(text, "requirements.txt");
        assertThat(reqs.stream().filter(r -> r.unpinned() == null).map(r -> r.text().substring(0, 1)))
                .containsExactly("a", "b", "C", "f", "g", "h", "i", "j", "-", "-", ".", "f", "g", "-");
        assertThat(reqs.stream().filter(r -> r.unpinned() != null).map(PythonRequirements.Requirement::line))
                .containsExactly(24, 25, 26, 27, 28, 29);
    }

    @Test
    void unreadableRequirementLinesAreErrorsWithTheirLine() {
        assertThatThrownBy(() -> PythonRequirements.judge("a==1\nflask" + "=".repeat(3_000_000) + "\n", "r.txt"))
                .hasMessageStartingWith("r.txt:2:1: a requirement line longer than");
        assertThatThrownBy(() -> PythonRequirements.judge("flask=====1\n", "r.txt")).hasMessageStartingWith("r.txt:1:1: cannot read");
        assertThatThrownBy(() -> PythonRequirements.judge("flask >= 1 < 2\n", "r.txt")).hasMessageStartingWith("r.txt:1:1:");
        assertThatThrownBy(() -> PythonRequirements.judge("é==1\n", "r.txt")).hasMessageStartingWith("r.txt:1:1:");
    }

    @Test
    void mavenVersions() {
        assertThat(DepsPinnedCheck.mavenUnpinned("1.2.3")).isNull();
        assertThat(DepsPinnedCheck.mavenUnpinned("33.3.1-jre")).isNull();
        assertThat(DepsPinnedCheck.mavenUnpinned("[1.2.3]")).isNull();
        assertThat(DepsPinnedCheck.mavenUnpinned("1.0-SNAPSHOT")).contains("SNAPSHOT");
        assertThat(DepsPinnedCheck.mavenUnpinned("1.0-snapshot")).contains("SNAPSHOT");
        assertThat(DepsPinnedCheck.mavenUnpinned("[1.0,2.0)")).contains("range");
        assertThat(DepsPinnedCheck.mavenUnpinned("(,1.0]")).contains("range");
        assertThat(DepsPinnedCheck.mavenUnpinned("[1.0,)")).contains("range");
        assertThat(DepsPinnedCheck.mavenUnpinned("RELEASE")).contains("meta-version");
    }

    @Test
    void mavenPropertiesResolveThroughInRepoParents() throws Exception {
        write(dir, "pom.xml", """
                <project><groupId>g</groupId><artifactId>root</artifactId><version>1</version>
                  <properties><lib.version>2.0-SNAPSHOT</lib.version></properties></project>
                """);
        write(dir, "mid/pom.xml", """
                <project><parent><groupId>g</groupId><artifactId>root</artifactId><version>1</version></parent>
                  <artifactId>mid</artifactId><properties><alias>${lib.version}</alias></properties></project>
                """);
        write(dir, "mid/leaf/pom.xml", """
                <project><parent><groupId>g</groupId><artifactId>mid</artifactId><version>1</version></parent>
                  <artifactId>leaf</artifactId>
                  <dependencies><dependency><groupId>x</groupId><artifactId>lib</artifactId>
                  <version>${alias}</version></dependency></dependencies></project>
                """);
        ItemResult r = RepoChecks.run(dir, "repo.deps-pinned", "");
        assertThat(RepoChecks.rules(r)).containsExactly("repo.deps-pinned.maven@mid/leaf/pom.xml:4");
        assertThat(r.message()).contains("x:lib ${alias} = 2.0-SNAPSHOT is a SNAPSHOT");
    }

    @Test
    void hostileManifestsAreErrors() throws Exception {
        write(dir, "package.json", "[".repeat(500_000));
        ItemResult r = RepoChecks.run(dir, "repo.deps-pinned", "");
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).startsWith("package.json:1:");
    }

    @Test
    void pyprojectDependencies() {
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[project]\nname = \"x\"\ndependencies = []\n"))).isFalse();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[project]\ndependencies = [ # none yet\n]\n"))).isFalse();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[project]\ndependencies = [\n  \"a>=1\",  # why\n]\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("project.dependencies = ['a']\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[project.optional-dependencies]\ndev = [\"pytest\"]\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[dependency-groups]\ntest = [\"pytest\"]\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[tool.poetry.dependencies]\npython = \"^3.12\"\n"))).isFalse();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[tool.poetry.dependencies.requests]\nversion = \"2\"\n"))).isTrue();
        // Poetry inline tables: the dependencies themselves, or one dependency's settings.
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse(
                "[tool.poetry]\nname = \"x\"\ndependencies = { python = \"^3.11\", requests = { version = \"^2\", optional = true } }\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[tool.poetry]\ndependencies = { python = \"^3.11\" }\n"))).isFalse();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse("[tool.poetry.group.dev]\ndependencies = {pytest = \"^8\"}\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse(
                "tool = { poetry = { dependencies = { \"flask\" = \"3.0.0\" } } }\n"))).isTrue();
        assertThat(LockfilesCheck.pyprojectDeclares(TomlLines.parse(
                "[tool.x]\ntext = '''\n[project]\ndependencies = [\"a\"]\n'''\n"))).isFalse();
    }

    @Test
    void tomlArraysAcrossLinesAreOnePassEvenWhenUnclosed() {
        String open = "[project]\ndependencies = [\n" + "  \"a\",\n".repeat(200_000);
        long start = System.nanoTime();
        TomlLines toml = TomlLines.parse(open);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
        assertThat(TomlLines.strings(toml.value("project.dependencies"))).hasSize(200_000);
    }

    @Test
    void goModules() {
        assertThat(LockfilesCheck.goRequires("module x\n\ngo 1.22\n")).isFalse();
        assertThat(LockfilesCheck.goRequires("module x\nrequire (\n)\n")).isFalse();
        assertThat(LockfilesCheck.goRequires("module x\nrequire github.com/a/b v1.0.0 // indirect\n")).isTrue();
        assertThat(LockfilesCheck.goRequires("module x\nrequire (\n\tgithub.com/a/b v1.0.0\n)\n")).isTrue();
        assertThat(LockfilesCheck.goRequires("module x\n// require github.com/a/b v1\nrequirement x\n")).isFalse();
        assertThat(LockfilesCheck.goUses("go 1.22\nuse (\n\t./api\n\t./worker // the worker\n)\nuse ./cli\n"))
                .containsExactly("./api", "./worker", "./cli");
    }
}
