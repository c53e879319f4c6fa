package dev.airworthy.cli;

import dev.airworthy.checklist.ChecklistEditor;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "waive", description = {"Record a waiver: go live despite an item, with a reason, until a date.",
    "Example: airworthy waive load-test --reason \"traffic capped at 5%\" --until 2026-12-15 --by cto@example.com"},
        sortOptions = false, mixinStandardHelpOptions = true)
final class WaiveCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ITEM", description = "The item's id.")
    String itemId;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why it is acceptable for now.")
    String reason;

    @Option(names = "--until", required = true, paramLabel = "DATE", description = "The last day the waiver holds (YYYY-MM-DD, UTC).")
    String until;

    @Option(names = "--by", required = true, paramLabel = "WHO", description = "Who accepts the risk.")
    String by;

    @Option(names = {"-c", "--checklist"}, paramLabel = "FILE", description = "The checklist to record into (default: airworthy.yml).")
    Path checklist;

    private final Session session;

    WaiveCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        SignoffFile file = new SignoffFile(session, checklist);
        file.item(itemId);
        LocalDate last;
        try {
            last = LocalDate.parse(until);
        } catch (DateTimeParseException e) {
            throw new UserError("--until: expected a date such as 2026-12-31, got '" + until + "'");
        }
        LocalDate today = session.today();
        if (last.isBefore(today)) {
            throw new UserError("--until " + until + " is in the past; a waiver must hold at least through today (" + today + ")");
        }
        if (reason.isBlank() || by.isBlank()) {
            throw new UserError("a waiver needs a reason and who accepts it");
        }
        file.append("waivers", ChecklistEditor.fields(Arrays.asList("item", itemId, "reason", reason, "until", until, "by", by)));
        session.out().println("Recorded in " + file.file() + ": " + itemId + " waived by " + by + " through " + until + " (" + reason + ").");
        session.out().println("Commit the change so the waiver is reviewed with the code.");
        return ExitCode.GO.code();
    }
}
