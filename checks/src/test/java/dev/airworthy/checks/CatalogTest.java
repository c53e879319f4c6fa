package dev.airworthy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Severity;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checklist.Presets;
import dev.airworthy.checks.fixture.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalog validator, both ways (as OpenSSF Scorecard checks its probes): every check has a
 * current doc page, a passing and a failing fixture, and a loadable example; every doc page and
 * fixture folder belongs to a check; no two checks share an id.
 */
class CatalogTest {
    private static final Path DOCS = Path.of("../docs/checks");
    private static final CheckRegistry REGISTRY = CheckRegistry.load();
    private static final Set<Status> PASSING = Set.of(Status.PASS, Status.ATTESTED);
    private static final Set<Status> FAILING = Set.of(Status.FAIL, Status.PENDING, Status.EXPIRED);

    @Test
    void docPagesAreCurrentAndNoneIsOrphaned() throws IOException {
        Map<String, String> expected = CatalogDocs.pages(REGISTRY);
        for (var e : expected.entrySet()) {
            Path page = DOCS.resolve(e.getKey());
            assertThat(page).as("doc page for %s; regenerate with ./mvnw -q package -DskipTests", e.getKey()).exists();
            assertThat(Files.readString(page, StandardCharsets.UTF_8))
                    .as("%s is stale; regenerate with ./mvnw -q package -DskipTests", page)
                    .isEqualTo(e.getValue());
        }
        try (Stream<Path> s = Files.list(DOCS)) {
            Set<String> onDisk = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(onDisk).as("pages in docs/checks that belong to no check").isEqualTo(new TreeSet<>(expected.keySet()));
        }
    }

    @Test
    void everyCheckHasAPassingAndAFailingFixture() {
        List<Fixtures.Case> cases = Fixtures.all();
        for (CheckDescriptor d : REGISTRY.all()) {
            Set<Status> statuses = cases.stream().filter(c -> c.checkId().equals(d.id()))
                    .map(Fixtures.Case::expected).collect(Collectors.toSet());
            assertThat(statuses).as("passing fixture of %s under fixtures/%s/pass/", d.id(), d.id()).containsAnyElementsOf(PASSING);
            assertThat(statuses).as("failing fixture of %s under fixtures/%s/fail/", d.id(), d.id()).containsAnyElementsOf(FAILING);
        }
    }

    @Test
    void everyFixtureFolderBelongsToACheckAndNamesAStatus() {
        for (Path check : Fixtures.list(Fixtures.ROOT)) {
            assertThat(REGISTRY.find(check.getFileName().toString()))
                    .as("fixtures/%s belongs to no check", check.getFileName()).isPresent();
            for (Path status : Fixtures.list(check)) {
                assertThat(Status.parse(status.getFileName().toString()))
                        .as("%s is not a status folder (pass, fail, warn, error, skipped, ...)", status).isNotNull();
                assertThat(Fixtures.list(status)).as("%s holds no case folder", status).isNotEmpty();
                for (Path dir : Fixtures.list(status)) {
                    assertThat(dir.resolve("airworthy.yml")).as("case %s needs an airworthy.yml", dir).exists();
                }
            }
        }
    }

    @Test
    void everyCheckClassIsRegistered() throws Exception {
        Path classes = Path.of("target/classes");
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (Check.class.isAssignableFrom(type) && !type.isInterface()) {
                    CheckInfo info = type.getAnnotation(CheckInfo.class);
                    assertThat(info).as("%s implements Check without @CheckInfo", name).isNotNull();
                    assertThat(REGISTRY.find(info.id())).as("%s is not registered: add @AutoService(Check.class)", name).isPresent();
                }
            }
        }
    }

    @Test
    void everyExampleInTheDocsLoads() throws Exception {
        ChecklistLoader loader = new ChecklistLoader(REGISTRY, Map.of("API_TOKEN", "x"));
        for (CheckDescriptor d : REGISTRY.all()) {
            String yaml = "airworthy: 1\nsections:\n  - title: Example\n    items:\n"
                    + d.example().lines().map(l -> "      " + l).collect(Collectors.joining("\n")) + "\n";
            Checklist c = loader.load("example of " + d.id(), yaml, Path.of("."));
            assertThat(c.items()).extracting(i -> i.check()).as("example of %s", d.id()).containsOnly(d.id());
        }
    }

    @Test
    void everyPresetLoadsAndUsesOnlyDefaultsItCanRun() throws Exception {
        ChecklistLoader loader = new ChecklistLoader(REGISTRY, Map.of());
        assertThat(Presets.available()).contains("web", "repo", "all");
        for (String name : Presets.available()) {
            Checklist c = Presets.load(name, loader, Path.of("."));
            assertThat(c.items()).as("preset %s", name).isNotEmpty();
        }
        Set<String> all = Presets.load("all", loader, Path.of(".")).items().stream().map(i -> i.id()).collect(Collectors.toSet());
        assertThat(all).contains("health", "ready", "security-headers", "hsts", "cookies", "cors", "debug-off", "info-leak",
                "compression", "clock", "certificate", "protocols", "https-redirect", "readme");
        assertThat(Presets.available()).contains("web", "tls", "repo", "all");
    }

    @Test
    void idsAreUniqueAndWellFormed() {
        assertThat(REGISTRY.ids()).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*"));
        assertThatThrownBy(() -> CheckRegistry.of(List.of(First.class, Second.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("check id 'dup.id' is declared by both");
    }

    @CheckInfo(id = "dup.id", title = "t", category = Category.HTTP, severity = Severity.LOW, summary = "s",
            rationale = "r", remediation = "m", example = "- id: x\n  check: dup.id")
    public static final class First implements Check {
        @Override
        public CheckResult run(CheckContext context) {
            return CheckResult.of(Status.PASS, "");
        }
    }

    @CheckInfo(id = "dup.id", title = "t", category = Category.HTTP, severity = Severity.LOW, summary = "s",
            rationale = "r", remediation = "m", example = "- id: x\n  check: dup.id")
    public static final class Second implements Check {
        @Override
        public CheckResult run(CheckContext context) {
            return CheckResult.of(Status.PASS, "");
        }
    }
}
