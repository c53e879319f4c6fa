package dev.airworthy.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Collects a check's evidence, findings and metrics as it goes, then derives the status once:
 * any fail finding fails the item, else any warn finding warns, else it passes. Checks never
 * decide "pass" themselves, so a forgotten branch cannot print a pass.
 */
public final class Outcome {
    private final List<String> evidence = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Double> metrics = new LinkedHashMap<>();

    public Outcome evidence(String line) {
        evidence.add(line);
        return this;
    }

    public Outcome evidence(List<String> lines) {
        evidence.addAll(lines);
        return this;
    }

    public Outcome finding(Finding finding) {
        findings.add(finding);
        return this;
    }

    public Outcome fail(String rule, String message) {
        return finding(Finding.fail(rule, message));
    }

    public Outcome warn(String rule, String message) {
        return finding(Finding.warn(rule, message));
    }

    /** A measured number, named in snake_case with its unit as a suffix: {@code p95_ms}, {@code days_left}. */
    public Outcome metric(String name, double value) {
        metrics.put(name, value);
        return this;
    }

    public boolean hasFindings() {
        return !findings.isEmpty();
    }

    /**
     * The result. {@code passMessage} is used only when nothing was found; otherwise the message
     * is the findings' messages, failures first.
     */
    public CheckResult result(String passMessage) {
        Status status = Status.PASS;
        if (findings.stream().anyMatch(f -> f.level() == Status.FAIL)) {
            status = Status.FAIL;
        } else if (!findings.isEmpty()) {
            status = Status.WARN;
        }
        String message = status == Status.PASS ? passMessage : findings.stream()
                .sorted((a, b) -> Integer.compare(a.level().ordinal(), b.level().ordinal()))
                .map(Finding::message)
                .collect(Collectors.joining("; "));
        return new CheckResult(status, message, evidence, findings, metrics);
    }

    /** An error result that keeps what was gathered so far as evidence. */
    public CheckResult error(String message) {
        return new CheckResult(Status.ERROR, message, evidence, findings, metrics);
    }

    public CheckResult skipped(String reason) {
        return new CheckResult(Status.SKIPPED, reason, evidence, List.of(), metrics);
    }
}
