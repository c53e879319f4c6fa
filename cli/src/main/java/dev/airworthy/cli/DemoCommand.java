package dev.airworthy.cli;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.demo.SampleRepository;
import dev.airworthy.demo.SampleService;
import dev.airworthy.report.ReportFormat;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo",
        description = {"Start a sample service on loopback (HTTP and HTTPS), unpack a sample repository, run its checklist against both,",
            "print the report and write airworthy-demo-report.json. Needs nothing else; exits 0 whatever the verdict."},
        mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
    static final String JSON_REPORT = "airworthy-demo-report.json";

    @Option(names = "--keep", description = "Keep the unpacked sample repository and print where it is.")
    boolean keep;

    @Option(names = {"-v", "--verbose"}, description = "Show evidence under items that did not pass.")
    boolean verbose;

    private final Session session;

    DemoCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        Path repo = Files.createTempDirectory("airworthy-demo-");
        try (SampleService service = SampleService.start()) {
            SampleRepository.unpack(repo);
            session.err().println("airworthy demo: sample service at " + service.url() + ", sample repository in " + repo);
            CheckRegistry registry = CheckRegistry.load();
            Checklist checklist = new ChecklistLoader(registry, demoEnv(service)).load(repo.resolve("airworthy.yml"));
            Path ca = Files.createTempFile("airworthy-demo-ca", ".pem");
            ca.toFile().deleteOnExit();
            try (var in = SampleService.class.getResourceAsStream(SampleService.CA)) {
                Files.copy(in, ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            RunOptions options = new RunOptions("demo", service.url(), repo, List.of(), null, null, null)
                    .withCaFiles(List.of(ca));
            RunResult result = CheckCommand.run(session, registry, checklist, options);
            Path json = session.resolve(Path.of(JSON_REPORT));
            ReportWriter.writeFile(json, ReportFormat.JSON.render(result, false, false));
            session.out().print(ReportFormat.TEXT.render(result, session.terminal().color(), verbose));
            session.out().println();
            session.out().println("JSON report: " + json);
            session.out().println("The sample's checklist is airworthy.yml in the sample repository"
                    + (keep ? " (" + repo.resolve("airworthy.yml") + ")" : "; run with --keep to look at it") + ".");
            session.out().println("Next: airworthy check --preset web --url https://your-staging-url, or write your own airworthy.yml.");
            return ExitCode.GO.code();
        } finally {
            if (!keep) {
                SampleRepository.delete(repo);
            }
        }
    }

    /**
     * Dates relative to today, so the sample's sign-off and waiver are always in date, and the
     * address of the service's plain HTTP listener.
     */
    private Map<String, String> demoEnv(SampleService service) {
        LocalDate today = session.today();
        Map<String, String> env = new HashMap<>(session.env());
        env.put("DEMO_SIGNED_ON", today.minusDays(3).toString());
        env.put("DEMO_WAIVER_UNTIL", today.plusDays(14).toString());
        env.put("DEMO_HTTP_URL", service.httpUrl() + "/");
        return env;
    }
}
