package dev.airworthy.run;

import dev.airworthy.check.Finding;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Item;
import java.util.List;
import java.util.Map;

/**
 * One item's final outcome, masked and ready to report. {@code trace} is the stack trace behind an
 * {@code error}, masked like everything else, kept for {@code --verbose} and never serialised.
 */
public record ItemResult(Item item, Status status, String message, long durationMs, Map<String, Double> metrics,
        List<String> evidence, List<Finding> findings, String trace) {
}
