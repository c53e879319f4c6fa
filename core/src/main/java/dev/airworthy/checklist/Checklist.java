package dev.airworthy.checklist;

import dev.airworthy.check.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, valid checklist. {@code source} names where it came from (a file path or
 * {@code preset:web}); {@code baseDir} is where relative paths resolve; {@code secrets} are the
 * values taken from the environment that every output must mask.
 */
public record Checklist(String source, Path baseDir, String project, Map<String, Target> targets,
        Set<Severity> failOn, List<Section> sections, List<Attestation> attestations, List<Waiver> waivers,
        Map<String, String> secrets) {

    public List<Item> items() {
        return sections.stream().flatMap(s -> s.items().stream()).toList();
    }

    public Optional<Item> item(String id) {
        return items().stream().filter(i -> i.id().equals(id)).findFirst();
    }
}
