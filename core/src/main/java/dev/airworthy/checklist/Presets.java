package dev.airworthy.checklist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Built-in checklists of catalog checks with default parameters, shipped as YAML resources
 * under {@code dev/airworthy/presets/} by the module that holds the checks. {@code all} is not a
 * file: it is every other preset, merged.
 */
public final class Presets {
    /** The preset names of the user-facing contract, in the order {@code all} merges them. */
    public static final List<String> NAMES = List.of("web", "tls", "repo", "container");
    public static final String ALL = "all";

    private Presets() {
    }

    /** The names whose resource is on the class path, then {@code all}. */
    public static List<String> available() {
        List<String> out = new ArrayList<>();
        for (String n : NAMES) {
            if (text(n).isPresent()) {
                out.add(n);
            }
        }
        out.add(ALL);
        return out;
    }

    /** The preset's YAML text, if it ships. */
    public static Optional<String> text(String name) {
        try (InputStream in = Presets.class.getClassLoader().getResourceAsStream("dev/airworthy/presets/" + name + ".yml")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a preset; relative paths resolve against {@code baseDir}.
     *
     * @throws IllegalArgumentException when no such preset ships
     */
    public static Checklist load(String name, ChecklistLoader loader, Path baseDir) throws ChecklistException {
        if (ALL.equals(name)) {
            return merge(loader, baseDir);
        }
        String text = text(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown preset '" + name + "'; available: " + String.join(", ", available())));
        return loader.load("preset:" + name, text, baseDir);
    }

    private static Checklist merge(ChecklistLoader loader, Path baseDir) throws ChecklistException {
        List<Section> sections = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        Checklist first = null;
        for (String n : available()) {
            if (ALL.equals(n)) {
                continue;
            }
            Checklist c = load(n, loader, baseDir);
            first = first == null ? c : first;
            for (Section s : c.sections()) {
                List<Item> fresh = s.items().stream().filter(i -> ids.add(i.id())).toList();
                if (!fresh.isEmpty()) {
                    sections.add(new Section(s.title(), fresh));
                }
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("no preset ships with this build");
        }
        return new Checklist("preset:all", baseDir, first.project(), first.targets(), first.failOn(), sections,
                List.of(), List.of(), first.secrets());
    }
}
