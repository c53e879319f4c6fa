package dev.airworthy.cli;

import dev.airworthy.check.Durations;
import dev.airworthy.checklist.ChecklistEditor;
import dev.airworthy.checklist.Item;
import dev.airworthy.checklist.Manual;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attest", description = {"Record a sign-off of a manual item in the checklist's attestations.",
    "Example: airworthy attest security-signoff --role security --by alice@example.com --evidence https://tracker/SEC-142"},
        sortOptions = false, mixinStandardHelpOptions = true)
final class AttestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ITEM", description = "The manual item's id.")
    String itemId;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "The role signing, one the item asks for.")
    String role;

    @Option(names = "--by", required = true, paramLabel = "WHO", description = "Who signs: a name or an e-mail address.")
    String by;

    @Option(names = "--evidence", paramLabel = "URL", description = "Where the proof is: a ticket, a document, a recording.")
    String evidence;

    @Option(names = "--note", paramLabel = "TEXT", description = "A short note.")
    String note;

    @Option(names = "--valid-for", paramLabel = "DURATION", description = "How long it holds (default: the item's valid-for).")
    String validFor;

    @Option(names = {"-c", "--checklist"}, paramLabel = "FILE", description = "The checklist to record into (default: airworthy.yml).")
    Path checklist;

    private final Session session;

    AttestCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        SignoffFile file = new SignoffFile(session, checklist);
        Item item = file.item(itemId);
        Manual manual = item.manual().orElseThrow(() -> new UserError("item '" + itemId + "' is verified by "
                + item.check() + ", not signed off; to go live despite it, use airworthy waive"));
        if (!manual.roles().contains(role)) {
            throw new UserError("item '" + itemId + "' asks for " + String.join(", ", manual.roles()) + ", not '" + role + "'");
        }
        if (by.isBlank()) {
            throw new UserError("--by names who signs; it is empty");
        }
        Duration valid = manual.validFor();
        if (validFor != null) {
            try {
                valid = Durations.parse(validFor);
            } catch (IllegalArgumentException e) {
                throw new UserError("--valid-for: " + e.getMessage());
            }
        }
        LocalDate today = session.today();
        file.append("attestations", ChecklistEditor.fields(fields(today)));
        LocalDate until = today.plusDays(valid.toDays()).minusDays(valid.toDays() > 0 ? 1 : 0);
        session.out().println("Recorded in " + file.file() + ": " + itemId + " signed off by " + by + " (" + role + ") on "
                + today + ", valid " + Durations.format(valid) + " (through " + until + ").");
        session.out().println("Commit the change so the sign-off is reviewed with the code.");
        return ExitCode.GO.code();
    }

    private List<String> fields(LocalDate today) {
        return java.util.Arrays.asList("item", itemId, "role", role, "by", by, "at", today.toString(),
                "valid-for", validFor == null ? null : validFor, "evidence", evidence, "note", note);
    }
}
