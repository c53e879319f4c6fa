package dev.airworthy.gate;

import dev.airworthy.check.Severity;
import dev.airworthy.check.Status;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The go-live rule: an item blocks when it is {@code fail}, {@code error}, {@code pending} or
 * {@code expired} and its severity is in {@code fail-on}. Warnings and skips never block, but a
 * run in which every item was skipped verified nothing, and nothing is not enough to go live on.
 */
public final class Gate {
    private Gate() {
    }

    /** A scored item, as the gate and the score see it. */
    public record Entry(String id, Severity severity, Status status) {
    }

    public static GateVerdict decide(Collection<Entry> items, Set<Severity> failOn) {
        List<String> blocking = items.stream()
                .filter(e -> e.status().blocksGate() && failOn.contains(e.severity()))
                .map(Entry::id)
                .toList();
        List<String> failOnLabels = failOn.stream().sorted().map(Severity::label).toList();
        boolean nothingVerified = items.stream().allMatch(e -> e.status() == Status.SKIPPED);
        return new GateVerdict(blocking.isEmpty() && !nothingVerified, failOnLabels, blocking);
    }

    /**
     * 0-100: the severity-weighted share of items that hold (pass, attested, waived; a warning
     * counts half). Skipped items are left out; so are info items, whose weight is 0. With nothing
     * to score, the score is 0: nothing was shown to be ready.
     */
    public static int score(Collection<Entry> items) {
        double earned = 0;
        double possible = 0;
        for (Entry e : items) {
            if (e.status() == Status.SKIPPED) {
                continue;
            }
            double w = e.severity().weight();
            possible += w;
            if (e.status().holds()) {
                earned += w;
            } else if (e.status() == Status.WARN) {
                earned += w / 2;
            }
        }
        return possible == 0 ? 0 : (int) Math.round(100 * earned / possible);
    }

    /** Items per status, every status present (zero when none). */
    public static Map<Status, Integer> summary(Collection<Entry> items) {
        var counts = new java.util.EnumMap<Status, Integer>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        items.forEach(e -> counts.merge(e.status(), 1, Integer::sum));
        return counts;
    }
}
