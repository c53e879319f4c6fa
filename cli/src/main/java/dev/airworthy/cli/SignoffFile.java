package dev.airworthy.cli;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistEditor;
import dev.airworthy.checklist.ChecklistException;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checklist.Item;
import dev.airworthy.checklist.Suggestions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The checklist file that {@code attest} and {@code waive} record into: in-repo sign-offs are
 * reviewed in pull requests like any other change. The edited text is loaded again before it is
 * written, so a recorded entry can never leave the checklist invalid.
 */
final class SignoffFile {
    private final Session session;
    private final Path file;
    private final ChecklistLoader loader;
    private final Checklist checklist;

    SignoffFile(Session session, Path given) throws ChecklistException {
        this.session = session;
        this.file = session.resolve(given == null ? CheckCommand.DEFAULT_CHECKLIST : given);
        if (!Files.exists(file)) {
            throw new UserError("no checklist at " + file + "; pass -c FILE");
        }
        this.loader = new ChecklistLoader(CheckRegistry.load(), session.env());
        this.checklist = loader.load(file);
    }

    Path file() {
        return file;
    }

    Item item(String id) {
        return checklist.item(id).orElseThrow(() -> new UserError("no item '" + id + "' in " + file
                + Suggestions.didYouMean(id, checklist.items().stream().map(Item::id).toList())));
    }

    void append(String list, Map<String, String> entry) throws IOException, ChecklistException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String edited;
        try {
            edited = ChecklistEditor.append(text, list, entry);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
        loader.load(file.toString(), edited, file.getParent());
        ReportWriter.writeFile(file, edited);
    }

    Session session() {
        return session;
    }
}
