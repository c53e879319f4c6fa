package dev.airworthy.checklist;

import dev.airworthy.check.ManualCheck;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.time.Duration;
import java.util.Optional;

/**
 * One checklist item. A {@code manual:} item is an item of the {@code manual} check, so the runner
 * treats every item alike and only the gate knows about sign-offs.
 */
public record Item(String id, String title, String section, Severity severity, String check, Params params,
        Duration timeout, String description, Position position) {

    public boolean isManual() {
        return ManualCheck.ID.equals(check);
    }

    public Optional<Manual> manual() {
        if (!isManual()) {
            return Optional.empty();
        }
        return Optional.of(new Manual(params.list("roles"), params.duration("valid-for")));
    }
}
