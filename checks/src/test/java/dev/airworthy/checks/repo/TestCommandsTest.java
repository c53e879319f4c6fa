package dev.airworthy.checks.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestCommandsTest {

    @Test
    void commandsThatRunTests() {
        for (String cmd : List.of(
                "npm test", "npm t", "npm run test:unit", "npm --prefix web test", "npm cit", "yarn test", "yarn test:ci",
                "yarn workspaces foreach run test", "yarn jest --ci", "pnpm -r test", "pnpm --filter api run test", "pnpm exec vitest run",
                "bun test", "npx jest", "npx --yes vitest run", "npx playwright test", "npx cypress run",
                "pytest -q", "py.test", "python -m pytest tests/", "python3 -m unittest discover", "python manage.py test",
                "poetry run pytest", "uv run --frozen pytest -x", "pipenv run pytest", "pdm run test", "hatch test", "hatch run test:cov",
                "tox -e py312", "nox -s tests", "coverage run -m pytest",
                "mvn test", "./mvnw -B verify", "mvn -B -P ci clean install", "mvn package -DskipTests=false", "mvnw.cmd verify",
                "gradle test", "./gradlew check", "./gradlew build", "./gradlew :app:testDebugUnitTest", "gradlew.bat build",
                "go test ./...", "go test -race ./...", "gotestsum --format short", "cargo test --workspace", "cargo nextest run",
                "make test", "make -C backend check", "make -j 4 unit-tests", "just test", "task test",
                "rspec", "bundle exec rspec", "bundle exec rake", "bundle exec rails test", "bin/rails test", "rake spec",
                "vendor/bin/phpunit", "php artisan test", "composer test", "dotnet test --no-build", "ctest --output-on-failure",
                "bazel test //...", "sbt +test", "lein test", "mix test", "swift test", "flutter test", "deno test -A",
                "nx run-many -t test", "nx affected --target=lint,test", "turbo run test", "lerna run test",
                "docker compose run --rm app pytest", "docker run --rm -v $PWD:/src golang:1.23 go test ./...",
                "sh -c 'npm ci && npm test'", "bash ./scripts/run-tests.sh", "./ci/test.sh", "xvfb-run -a npm test",
                "CI=true npm test", "sudo -E make check", "timeout 20m ./mvnw verify", "if go test ./...; then echo ok; fi",
                "nix develop -c cargo test", "R CMD check .")) {
            assertThat(TestCommands.find(cmd)).as(cmd).isPresent();
        }
    }

    @Test
    void commandsThatDoNotRunTests() {
        for (String cmd : List.of(
                "npm ci", "npm install jest", "npm run build", "npm run lint", "npm run check", "yarn add -D vitest", "pnpm install",
                "pip install pytest tox", "pip3 install -r requirements-test.txt", "pipx install nox", "uv pip install pytest",
                "uv sync", "poetry install --with test", "python -m pip install pytest", "python setup.py sdist",
                "mvn -B package -DskipTests", "mvn install -Dmaven.test.skip=true", "mvn dependency:go-offline", "./mvnw -q compile",
                "./gradlew build -x test", "gradle assemble", "go build ./...", "go vet ./...", "go install gotest.tools/gotestsum@latest",
                "cargo build --release", "cargo install cargo-nextest", "make", "make build", "make latest", "make lint",
                "echo \"npm test\"", "printf 'pytest'", "command -v jest", "which pytest", "# npm test", "git commit -m 'make test pass'",
                "docker build -t app .", "docker compose up -d db", "apt-get install -y make", "bundle install", "bundle exec rubocop",
                "composer install", "dotnet build", "curl https://example.com/test", "cat test-results.xml", "test -f pom.xml",
                "[ -d tests ]", "cd tests", "./scripts/latest.sh")) {
            assertThat(TestCommands.find(cmd)).as(cmd).isEmpty();
        }
    }

    @Test
    void continuationLinesJoinAndTheLineOfTheMatchIsKept() {
        String script = "npm ci\n./mvnw -B \\\n  -Dstyle.skip \\\n  verify\nnpm run build\n";
        TestCommands.Match m = TestCommands.find(script).orElseThrow();
        assertThat(m.lineIndex()).isEqualTo(1);
        assertThat(m.command()).startsWith("./mvnw -B").endsWith("verify");
        assertThat(TestCommands.find("Write-Host hi\ndotnet `\n  test").orElseThrow().lineIndex()).isEqualTo(1);
    }

    @Test
    void hugeScriptsAreReadInBoundedTime() {
        String huge = "echo x && ".repeat(200_000) + "\n" + "'".repeat(100_000);
        long start = System.nanoTime();
        assertThat(TestCommands.find(huge)).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }
}
