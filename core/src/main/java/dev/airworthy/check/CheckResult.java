package dev.airworthy.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What one run of a check concluded; the runner adds timing, sign-offs and masking. */
public record CheckResult(Status status, String message, List<String> evidence, List<Finding> findings,
        Map<String, Double> metrics) {

    public CheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        evidence = List.copyOf(evidence);
        findings = List.copyOf(findings);
        metrics = Map.copyOf(metrics);
    }

    public static CheckResult of(Status status, String message) {
        return new CheckResult(status, message, List.of(), List.of(), Map.of());
    }

    public CheckResult withMessage(String newMessage) {
        return new CheckResult(status, newMessage, evidence, findings, metrics);
    }
}
