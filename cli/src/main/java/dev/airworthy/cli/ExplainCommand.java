package dev.airworthy.cli;

import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckDocs;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.checklist.Suggestions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "explain", description = "Show one check's documentation: what, why, how to fix, parameters.",
        mixinStandardHelpOptions = true)
final class ExplainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "A catalog id, e.g. http.health.")
    String id;

    private final Session session;

    ExplainCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        CheckRegistry registry = CheckRegistry.load();
        CheckDescriptor d = registry.find(id).orElseThrow(() -> new UserError("unknown check '" + id + "'"
                + Suggestions.didYouMean(id, registry.ids()) + "; `airworthy checks` lists them"));
        session.out().print(CheckDocs.page(d).lines().skip(1).reduce("", (a, b) -> a + b + "\n"));
        return ExitCode.GO.code();
    }
}
