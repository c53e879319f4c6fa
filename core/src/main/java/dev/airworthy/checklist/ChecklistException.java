package dev.airworthy.checklist;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a checklist, each on its own line as {@code FILE:LINE:COL: message}. */
public final class ChecklistException extends Exception {
    private final List<Problem> problems;

    public ChecklistException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
