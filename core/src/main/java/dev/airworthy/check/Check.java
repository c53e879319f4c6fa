package dev.airworthy.check;

import java.util.List;

/**
 * One catalog check. Implementations are stateless, carry {@link CheckInfo}, have a public
 * no-argument constructor and are registered as services (with {@code @AutoService(Check.class)}).
 * {@link #run} reads top to bottom and may block: the runner gives it a virtual thread and a
 * deadline, and interrupts it when the deadline passes.
 */
public interface Check {

    /**
     * Verifies the item against the target and repository. Throwing is allowed: the runner
     * turns an exception into {@code error} with its message, and {@link NotApplicable} into
     * {@code skipped}.
     */
    CheckResult run(CheckContext context) throws Exception;

    /**
     * Rules across parameters that their types cannot express (a status outside 100-599, a path
     * that leaves the repository). Each string becomes a checklist error at the item's {@code with}.
     */
    default List<String> validate(Params params) {
        return List.of();
    }
}
