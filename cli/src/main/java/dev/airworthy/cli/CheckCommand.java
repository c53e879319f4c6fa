package dev.airworthy.cli;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Durations;
import dev.airworthy.check.Severity;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistException;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checklist.Presets;
import dev.airworthy.checks.tls.TrustMaterial;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import dev.airworthy.run.Runner;
import dev.airworthy.run.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check",
        description = "Run a checklist against a target and a repository and report; the exit code is the gate.",
        footerHeading = "%nExamples:%n",
        footer = {"  airworthy check --preset web --url https://staging.example.com",
            "  airworthy check --preset repo --repo ../service",
            "  airworthy check -c airworthy.yml -t staging --report json=reports/latest.json"},
        sortOptions = false,
        mixinStandardHelpOptions = true)
final class CheckCommand implements Callable<Integer> {
    static final Path DEFAULT_CHECKLIST = Path.of("airworthy.yml");

    @Option(names = {"-c", "--checklist"}, paramLabel = "FILE", description = "The checklist (default: airworthy.yml).")
    Path checklist;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "The checklist target to run against (default: its only one).")
    String target;

    @Option(names = "--url", paramLabel = "URL", description = "Base URL of the live checks; overrides the target's.")
    String url;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository to check (default: the target's repo, else .).")
    Path repo;

    @Option(names = "--preset", paramLabel = "NAME", description = "Run a built-in checklist instead of a file: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--only", paramLabel = "ID|SECTION", split = ",", description = "Run only these items or sections (repeatable).")
    List<String> only;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "Report format on stdout or -o: text, json (default: text).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the --format report to FILE (the text report still goes to stdout).")
    Path output;

    @Option(names = "--report", paramLabel = "FORMAT=FILE", description = "Also write a report to FILE (repeatable), e.g. json=reports/latest.json.")
    List<String> reports;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", split = ",", description = "Severities that block go-live; overrides the checklist's gate.fail-on.")
    List<String> failOn;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Deadline for the whole run, e.g. 2m; items also have their own (default 30s).")
    String timeout;

    @Option(names = "--ca", paramLabel = "FILE", description = "Also trust this PEM certificate authority for every TLS connection (repeatable).")
    List<Path> ca;

    @Option(names = {"-v", "--verbose"}, description = "Show evidence under items that did not pass, and stack traces of errors.")
    boolean verbose;

    private final Session session;

    CheckCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        if (preset != null && checklist != null) {
            throw new UserError("--preset and -c/--checklist both name a checklist; give one");
        }
        ReportWriter writer = new ReportWriter(session, format, output, reports, verbose);
        CheckRegistry registry = CheckRegistry.load();
        Checklist c = load(new ChecklistLoader(registry, session.env()));
        RunResult result = run(session, registry, c, options());
        writer.write(result);
        return result.gate().passed() ? ExitCode.GO.code() : ExitCode.NO_GO.code();
    }

    private Checklist load(ChecklistLoader loader) throws ChecklistException {
        if (preset != null) {
            try {
                return Presets.load(preset, loader, session.cwd());
            } catch (IllegalArgumentException e) {
                throw new UserError("--preset: " + e.getMessage());
            }
        }
        Path file = session.resolve(checklist == null ? DEFAULT_CHECKLIST : checklist);
        if (checklist == null && !Files.exists(file)) {
            throw new UserError("no airworthy.yml here; pass -c FILE, or run a preset (--preset web --url URL, --preset repo)");
        }
        return loader.load(file);
    }

    private RunOptions options() {
        Path repoDir = null;
        if (repo != null) {
            repoDir = session.resolve(repo);
            if (!Files.isDirectory(repoDir)) {
                throw new UserError("--repo " + repo + ": not a directory");
            }
        }
        Duration runTimeout = null;
        if (timeout != null) {
            try {
                runTimeout = Durations.parse(timeout);
            } catch (IllegalArgumentException e) {
                throw new UserError("--timeout: " + e.getMessage());
            }
        }
        List<Path> caFiles = new java.util.ArrayList<>();
        for (Path p : ca == null ? List.<Path>of() : ca) {
            Path file = session.resolve(p);
            try {
                TrustMaterial.readPem(file);
            } catch (IllegalArgumentException e) {
                throw new UserError("--ca " + e.getMessage());
            }
            caFiles.add(file);
        }
        return new RunOptions(target, url == null ? null : parseUrl(url), repoDir, only, runTimeout, severities(failOn), null,
                session.cwd(), caFiles);
    }

    static RunResult run(Session session, CheckRegistry registry, Checklist c, RunOptions options) throws UsageException {
        Runner runner = new Runner(registry, session.clock());
        if (!session.terminal().progress()) {
            return runner.run(c, options, Progress.NONE);
        }
        try (TerminalProgress progress = new TerminalProgress(session.err())) {
            return runner.run(c, options, progress);
        }
    }

    static URI parseUrl(String text) {
        try {
            URI u = new URI(text);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new UserError("--url: expected an http:// or https:// URL with a host, got '" + text + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new UserError("--url: invalid URL '" + text + "': " + e.getReason());
        }
    }

    private static Set<Severity> severities(List<String> names) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        Set<Severity> out = EnumSet.noneOf(Severity.class);
        for (String n : names) {
            Severity s = Severity.parse(n.strip().toLowerCase(java.util.Locale.ROOT));
            if (s == null) {
                throw new UserError("--fail-on: unknown severity '" + n + "' (critical, high, medium, low, info)");
            }
            out.add(s);
        }
        return out;
    }

    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.available().iterator();
        }
    }
}
