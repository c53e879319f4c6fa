package dev.airworthy.checks.repo;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.repo.CoverageReports.Report;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

@AutoService(Check.class)
@CheckInfo(
        id = "repo.coverage",
        title = "Test coverage",
        category = Category.REPOSITORY,
        severity = Severity.MEDIUM,
        summary = """
                Reads the line coverage of the last test run from its report and compares it with `min` \
                percent. Without `report`, looks where the tools write reports, including ignored build \
                directories, up to 8 levels deep (not under `src`, `docs`, `examples`, `samples`, \
                `fixtures`, `testdata` or `resources` directories: reports there are test data or \
                documentation): JaCoCo XML (`target/site/jacoco/jacoco.xml`, `build/reports/jacoco/**/*.xml`, \
                any `jacoco.xml`), Cobertura XML (`coverage.xml`, `cobertura.xml`, \
                `coverage/cobertura-coverage.xml`), lcov (`coverage/lcov.info`), coverage.py JSON \
                (`coverage.json`) and Istanbul's `coverage-summary.json`. Lines are counted, never taken \
                from a rate: lcov from each record's `DA` lines (its `LF`/`LH` only when it has none), a last \
                record without `end_of_record` is an error (the file is cut short); Cobertura from \
                `lines-covered`/`lines-valid`, else from its classes' `<line>` elements; a report that gives \
                only a rate (`line-rate`, `percent_covered`, `pct`) or measured no line is an error. The \
                total adds up one report per module (JaCoCo preferred, then Cobertura, coverage.py, lcov; \
                an aggregate report replaces the modules below it) and fails below `min` \
                (`repo.coverage.below-min`). `min` applies to each module too: every report found (one per \
                module and format, so a module's Python and JavaScript reports are both judged) below `min` \
                fails (`repo.coverage.module-below-min`). A report older than the newest source file of \
                its module warns (`repo.coverage.stale`); so does a report committed to git when a later \
                commit changed a source file of its module, or when that cannot be told \
                (`repo.coverage.committed`): it describes older code. XML is read with DTDs and external \
                entities disabled. `min` is a percentage (`80`, not `0.8`) and `report` must stay inside \
                the repository: checklist errors otherwise. An unreadable report or git index is an \
                error; skipped when there is no report.""",
        rationale = """
                Coverage does not prove tests are good, but low or falling coverage reliably shows code \
                that no test has ever run. A minimum in the go-live gate keeps it from eroding release \
                by release.""",
        remediation = """
                Write tests for the uncovered code (the report's HTML view shows which lines), or lower \
                `min` to the level the team commits to and raise it over time. Produce the report in the \
                build: Maven `jacoco-maven-plugin` with the `prepare-agent` and `report` goals (`mvn \
                verify`), Gradle `jacocoTestReport` with `xml.required = true`, `pytest --cov \
                --cov-report=xml` (or `coverage json`), `jest --coverage` or `vitest --coverage` (lcov), \
                `go test -coverprofile` with gocover-cobertura.""",
        example = """
                - id: coverage
                  title: Line coverage at least 80%
                  check: repo.coverage
                  with: { min: 80 }""",
        references = {"https://www.jacoco.org/jacoco/trunk/doc/report-mojo.html",
            "https://coverage.readthedocs.io/en/latest/commands/cmd_json.html",
            "https://github.com/linux-test-project/lcov/blob/master/man/geninfo.1",
            "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html"},
        params = {
            @Param(name = "min", type = ParamType.NUMBER, defaultValue = "70",
                    description = "Lowest acceptable line coverage, in percent (0 to 100)."),
            @Param(name = "report", description = """
                    A report to read instead of discovering them: a path or glob relative to the repository \
                    (`target/site/jacoco/jacoco.xml`, `**/jacoco.xml`); several matches are added up.""")
        })
public final class CoverageCheck implements Check {
    static final int MAX_DEPTH = 8;
    private static final int MAX_ENTRIES = 200_000;
    /** Checkouts and builds touch files within moments of each other; only an older report than this is stale. */
    private static final Duration STALE_SLACK = Duration.ofMinutes(2);
    /** Directories where reports are never written: sources, test data, other people's code. */
    private static final Set<String> NOT_SEARCHED = Set.of("src", "fixtures", "testdata", "test-data", "test-fixtures", "__fixtures__",
            "docs", "doc", "examples", "example", "samples", "sample", "resources");
    /** Directories that hold a module's build output; the module is the directory above. */
    private static final Set<String> OUTPUT_DIRS = Set.of("target", "build", "coverage", "htmlcov", "out", "reports");
    private static final Set<String> SOURCE_EXTENSIONS = Set.of("java", "kt", "kts", "scala", "groovy", "py", "js", "jsx", "ts", "tsx",
            "mjs", "cjs", "vue", "svelte", "go", "rb", "php", "cs", "rs", "c", "cc", "cpp", "h", "hpp", "swift", "dart", "ex", "exs");

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        RepoTree tree = RepoTree.of(ctx);
        // The tree's root is the real path: a repository named through a symbolic link is searched too.
        Path root = tree.root();
        double min = ctx.params().number("min");
        Outcome out = new Outcome();
        List<Path> candidates;
        List<Path> judged;
        String explicit = ctx.params().optionalString("report").orElse(null);
        if (explicit != null) {
            candidates = explicitReports(root, explicit, out);
            if (candidates.isEmpty()) {
                return out.error("coverage report " + explicit + " not found (run the tests with coverage first, or fix `report`)");
            }
            judged = candidates;
        } else {
            List<Path> found = discover(root, CoverageCheck::looksLikeReport, out);
            candidates = select(found, root, out);
            judged = perModuleAndFormat(found, candidates, root);
            if (candidates.isEmpty()) {
                throw new NotApplicable("no coverage report found (looked for target/site/jacoco/jacoco.xml, build/reports/jacoco/**/*.xml, "
                        + "coverage.xml, cobertura.xml, coverage/lcov.info, coverage.json): produce one in the build, e.g. jacoco-maven-plugin's "
                        + "report goal, pytest --cov --cov-report=xml or jest --coverage, or name it with `report`");
            }
        }
        Map<Path, Report> reports = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path p : judged) {
            String label = label(root, p);
            try {
                Report r = CoverageReports.read(p, label);
                reports.put(p, r);
                out.evidence(label + " (" + r.format().label + "): " + r.covered() + " of " + r.total() + " lines, " + pct(r.percent())
                        + (candidates.contains(p) ? "" : " (judged on its own, not added to the total)"));
                if (r.total() == 0) {
                    problems.add(label + ": the report measured no lines");
                }
            } catch (UnreadableFile e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return out.error(String.join("; ", problems));
        }
        List<Report> counted = candidates.stream().map(reports::get).toList();
        long covered = counted.stream().mapToLong(Report::covered).sum();
        long total = counted.stream().mapToLong(Report::total).sum();
        double percent = covered * 100.0 / total;
        String lines = " (" + covered + " of " + total + " lines" + (counted.size() > 1 ? " in " + counted.size() + " reports" : "") + ")";
        if (counted.size() > 1) {
            out.evidence("total: " + covered + " of " + total + " lines, " + pct(percent));
        }
        out.metric("line_coverage_pct", Math.round(percent * 100) / 100.0);
        String reportFile = counted.size() == 1 ? counted.getFirst().file() : null;
        if (percent < min) {
            out.finding(Finding.fail("repo.coverage.below-min", "line coverage " + pct(percent) + lines + " is below the minimum "
                    + pct(min)).at(reportFile, null));
        }
        if (reports.size() > 1) {
            // A module's low coverage is not excused by a well-covered rest of the repository.
            for (Report r : reports.values()) {
                boolean isTheTotal = counted.size() == 1 && counted.getFirst() == r;
                if (r.percent() < min && !isTheTotal) {
                    out.finding(Finding.fail("repo.coverage.module-below-min", r.file() + ": line coverage " + pct(r.percent()) + " ("
                            + r.covered() + " of " + r.total() + " lines) is below the minimum " + pct(min)).at(r.file(), null));
                }
            }
        }
        stale(root, judged, tree, out);
        try {
            committed(root, judged, tree, out);
        } catch (UnreadableFile e) {
            return out.error(e.getMessage());
        }
        return out.result("line coverage " + pct(percent) + lines + ", at least " + pct(min));
    }

    /**
     * Reports that git tracks: a committed report describes the code of its commit. Warns when a later
     * commit changed a source file of the report's module, or when that cannot be told.
     */
    private static void committed(Path root, List<Path> reports, RepoTree tree, Outcome out) throws UnreadableFile {
        Optional<Set<String>> tracked = tree.tracked();
        if (tracked.isEmpty()) {
            return;
        }
        for (Path report : reports) {
            String label = label(root, report);
            if (!tracked.get().contains(label)) {
                continue;
            }
            ReportHistory.Verdict v = ReportHistory.laterSourceChange(root, label, module(label), SOURCE_EXTENSIONS);
            if (v == null) {
                out.evidence(label + ": committed to git, and no later commit changed the sources of its module");
            } else if (v.unknown()) {
                out.finding(Finding.warn("repo.coverage.committed", label + " is committed to git, and whether the code changed since "
                        + "could not be told (history longer than " + ReportHistory.MAX_COMMITS + " commits or unreadable): a committed "
                        + "report says nothing about the current code").at(label, null));
            } else {
                out.finding(Finding.warn("repo.coverage.committed", label + " is committed to git and " + v.changedBy()
                        + " changed the sources of its module after it: the report describes older code; produce it in the build "
                        + "and stop committing it").at(label, null));
            }
        }
    }

    /** One report per module and format: a module with Python and JavaScript reports has both judged. */
    static List<Path> perModuleAndFormat(List<Path> found, List<Path> counted, Path root) {
        Map<String, Path> best = new LinkedHashMap<>();
        for (Path p : counted) {
            best.put(module(label(root, p)) + "\u0000" + rank(label(root, p)), p);
        }
        for (Path p : found) {
            String rel = label(root, p);
            String key = module(rel) + "\u0000" + rank(rel);
            Path current = best.get(key);
            if (current == null || !counted.contains(current) && label(root, p).length() < label(root, current).length()) {
                best.put(key, p);
            }
        }
        return new ArrayList<>(best.values());
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        if (p.has("min") && !(p.number("min") >= 0 && p.number("min") <= 100)) {
            problems.add("min is a percentage: 0 to 100");
        } else if (p.has("min") && p.number("min") > 0 && p.number("min") < 1) {
            problems.add("min is a percentage: " + Math.round(p.number("min") * 100) + ", not " + p.number("min"));
        }
        p.optionalString("report").ifPresent(r -> problems.addAll(RepoTree.pathsLeavingRoot("report", List.of(r))));
        if (p.optionalString("report").map(String::isBlank).orElse(false)) {
            problems.add("report is empty");
        }
        return problems;
    }

    /** A file name or place a coverage tool writes its report to. */
    static boolean looksLikeReport(String rel) {
        String r = rel.toLowerCase(Locale.ROOT);
        String n = r.substring(r.lastIndexOf('/') + 1);
        return n.equals("jacoco.xml") || n.equals("jacocotestreport.xml")
                || (n.endsWith(".xml") && (r.startsWith("build/reports/jacoco/") || r.contains("/build/reports/jacoco/")))
                || n.equals("coverage.xml") || n.equals("cobertura.xml") || n.equals("cobertura-coverage.xml")
                || n.equals("lcov.info") || n.equals("coverage.json") || n.equals("coverage-summary.json");
    }

    /**
     * Report files below {@code root}, not honouring .gitignore (reports live in ignored build
     * directories), bounded in depth and count; a search cut short says so in the evidence.
     */
    static List<Path> discover(Path root, Predicate<String> wanted, Outcome out) throws IOException {
        List<Path> found = new ArrayList<>();
        int[] entries = {0};
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = dir.getFileName().toString();
                boolean skip = RepoTree.SKIPPED_DIRS.contains(name) || NOT_SEARCHED.contains(name) || name.startsWith(".");
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (++entries[0] > MAX_ENTRIES) {
                    out.evidence("search for reports stopped after " + MAX_ENTRIES + " files; name the report with `report`");
                    return FileVisitResult.TERMINATE;
                }
                if (attrs.isRegularFile() && wanted.test(label(root, file))) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.comparing(Path::toString));
        return found;
    }

    private static List<Path> explicitReports(Path root, String report, Outcome out) throws IOException {
        boolean glob = report.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
        if (!glob) {
            Path p = root.resolve(report).normalize();
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? List.of(p) : List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + report);
        return discover(root, rel -> m.matches(Path.of(rel)), out);
    }

    /**
     * One report per module: the module is the directory above the first build-output directory
     * ({@code target}, {@code build}, {@code coverage}, ...) in the path. Within a module JaCoCo is
     * preferred, then Cobertura, coverage.py JSON, lcov, Istanbul, then the shortest path (the unit-test
     * report over {@code jacoco-it}). An aggregate report replaces the modules below it.
     */
    static List<Path> select(List<Path> found, Path root, Outcome out) {
        Map<String, Path> byModule = new LinkedHashMap<>();
        Comparator<Path> preference = Comparator.<Path>comparingInt(p -> aggregate(label(root, p)) ? 0 : 1)
                .thenComparingInt(p -> rank(label(root, p)))
                .thenComparingInt(p -> label(root, p).length())
                .thenComparing(p -> label(root, p));
        for (Path p : found) {
            String module = module(label(root, p));
            Path best = byModule.get(module);
            if (best == null || preference.compare(p, best) < 0) {
                byModule.put(module, p);
            }
        }
        List<Path> chosen = new ArrayList<>();
        for (Map.Entry<String, Path> e : byModule.entrySet()) {
            String module = e.getKey();
            boolean covered = byModule.entrySet().stream().anyMatch(o -> aggregate(label(root, o.getValue()))
                    && !o.getKey().equals(module) && (o.getKey().isEmpty() || module.startsWith(o.getKey() + "/")));
            if (covered) {
                out.evidence(label(root, e.getValue()) + ": not counted, an aggregate report covers its module");
            } else {
                chosen.add(e.getValue());
            }
        }
        for (Path p : found) {
            if (!chosen.contains(p) && !byModule.containsValue(p)) {
                out.evidence(label(root, p) + ": not counted, another report of the same module is");
            }
        }
        return chosen;
    }

    private static boolean aggregate(String rel) {
        String r = rel.toLowerCase(Locale.ROOT);
        return r.contains("aggregate") || r.contains("testcodecoveragereport");
    }

    private static int rank(String rel) {
        String n = rel.toLowerCase(Locale.ROOT);
        n = n.substring(n.lastIndexOf('/') + 1);
        if (n.endsWith(".xml") && (n.contains("jacoco") || rel.toLowerCase(Locale.ROOT).contains("/jacoco/"))) {
            return 0;
        }
        if (n.endsWith(".xml")) {
            return 1;
        }
        if (n.equals("coverage.json")) {
            return 2;
        }
        return n.endsWith(".info") ? 3 : 4;
    }

    /** The module a report belongs to: the path before its first build-output directory, else the report's directory. */
    static String module(String rel) {
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (OUTPUT_DIRS.contains(parts[i].toLowerCase(Locale.ROOT))) {
                return String.join("/", java.util.Arrays.copyOfRange(parts, 0, i));
            }
        }
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    /** Warns for a report older than the newest source file of its module: the code changed since the tests ran. */
    private static void stale(Path root, List<Path> reports, RepoTree tree, Outcome out) throws IOException {
        for (Path report : reports) {
            if (!report.startsWith(root)) {
                continue;
            }
            String label = label(root, report);
            String module = module(label);
            RepoFile newest = null;
            FileTime newestTime = null;
            for (RepoFile f : tree.files()) {
                String ext = f.name().substring(f.name().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                if (SOURCE_EXTENSIONS.contains(ext) && (module.isEmpty() || f.path().startsWith(module + "/"))) {
                    FileTime t = Files.getLastModifiedTime(f.absolute(), LinkOption.NOFOLLOW_LINKS);
                    if (newestTime == null || t.compareTo(newestTime) > 0) {
                        newest = f;
                        newestTime = t;
                    }
                }
            }
            FileTime reportTime = Files.getLastModifiedTime(report, LinkOption.NOFOLLOW_LINKS);
            if (newest != null && newestTime.toInstant().isAfter(reportTime.toInstant().plus(STALE_SLACK))) {
                out.finding(Finding.warn("repo.coverage.stale", label + " is older than " + newest.path()
                        + ", changed after the tests ran; run them again").at(label, null));
            }
        }
    }

    private static String label(Path root, Path p) {
        return p.startsWith(root) ? root.relativize(p).toString().replace('\\', '/') : p.toString();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v);
    }
}
