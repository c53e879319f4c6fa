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
    void hiddenFailuresListingsSkipsAndNonTestTargetsDoNotCount() {
        for (String cmd : List.of(
                "npm test || true", "npm test || :", "pytest || echo 'tests failed'", "npm test; exit 0", "go test ./... ; true",
                "npm test &", "mvn verify | tee build.log", "(npm test) || true",
                "mvn verify -Dmaven.test.failure.ignore=true", "mvn -D skipTests verify", "mvn verify -Dmaven.test.skip.exec=true",
                "mvn verify -DskipTests=true", "mvn verify -D maven.test.skip=TRUE", "flake8 --exit-zero && pytest --exit-zero",
                "pytest --collect-only", "pytest --co -q", "cargo test --no-run", "jest --listTests", "dotnet test --list-tests",
                "./gradlew test --dry-run", "pytest -h", "pytest --help", "pytest --version", "tox -e lint", "tox -e lint,type",
                "nox -s lint", "python -m tox -e docs", "npx nyc report", "nyc report --reporter=lcov", "python -m coverage report",
                "coverage html", "if false; then npm test; fi", "false && npm test", "make test-deps", "make build-tests",
                "make -n test", "npm run test:lint", "yarn test:typecheck", "npm run test:format", "turbo run test:lint",
                "while false; do pytest; done")) {
            assertThat(TestCommands.find(cmd)).as(cmd).isEmpty();
        }
        for (String cmd : List.of(
                "npm test || exit 1", "npm test || { echo failed; exit 1; }", "set -o pipefail\nmvn verify | tee build.log",
                "npm test 2>&1", "mvn verify -DskipTests=false", "tox", "tox -e py311-django42", "tox -e lint,py312", "nox -s tests-3.12",
                "nyc mocha", "c8 --reporter=lcov npm test", "if false; then echo no; else npm test; fi", "false || npm test",
                "make test", "make test-unit", "npm run test:unit", "npm run test:ci", "npm run test:e2e", "poetry run python -m pytest",
                "uv run python -m pytest -x", "uv run --with pytest-cov python -m pytest", "php vendor/bin/phpunit", "deno test",
                "deno task test", "docker run -h ci golang:1.23 go test ./...")) {
            assertThat(TestCommands.find(cmd)).as(cmd).isPresent();
        }
    }

    @Test
    void deeplyNestedWrappersAreBounded() {
        String npx = "npx ".repeat(30_000) + "jest";
        assertThat(TestCommands.find(npx)).isEmpty();
        assertThat(TestCommands.find("npx npx jest")).isPresent();
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
