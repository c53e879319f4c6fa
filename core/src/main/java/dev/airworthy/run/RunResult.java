package dev.airworthy.run;

import dev.airworthy.check.Status;
import dev.airworthy.gate.GateVerdict;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A finished run: what every report is generated from. */
public record RunResult(String project, String checklist, String target, URI url, Path repo, Instant startedAt,
        long durationMs, GateVerdict gate, int score, Map<Status, Integer> summary, List<ItemResult> items) {

    /** Items in checklist order, grouped by section title in first-seen order. */
    public Map<String, List<ItemResult>> bySection() {
        var out = new java.util.LinkedHashMap<String, List<ItemResult>>();
        for (ItemResult r : items) {
            out.computeIfAbsent(r.item().section(), k -> new java.util.ArrayList<>()).add(r);
        }
        return out;
    }

    public boolean isBlocking(ItemResult r) {
        return gate.blocking().contains(r.item().id());
    }
}
