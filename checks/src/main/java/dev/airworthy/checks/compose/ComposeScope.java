package dev.airworthy.checks.compose;

import dev.airworthy.checks.docker.Interpolation;
import dev.airworthy.checks.secrets.SecretValues;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the services of one compose file are read with: the variables of its project's env file
 * for {@code ${...}} interpolation, the file's top-level definitions (its documents, and for an
 * override file its base's too), and whether it is a swarm stack file.
 */
public final class ComposeScope {
    private final ProjectEnv env;
    private final List<YamlNode> roots;
    private final boolean stack;

    ComposeScope(ProjectEnv env, List<YamlNode> roots, boolean stack) {
        this.env = env;
        this.roots = List.copyOf(roots);
        this.stack = stack;
    }

    static ComposeScope empty() {
        return new ComposeScope(ProjectEnv.none(), List.of(), false);
    }

    /**
     * Interpolates {@code raw} as compose does with the env file's values; a variable it lacks takes
     * its default, and one it sets from the environment ({@code TAG=${CI_TAG}}) stays unresolved.
     */
    public Interpolation.Resolved resolve(String raw) {
        List<String> unknown = new ArrayList<>();
        Interpolation.Resolved r = Interpolation.resolve(raw, n -> {
            String v = env.get(n);
            if (ProjectEnv.UNKNOWN.equals(v)) {
                unknown.add(n);
                return null;
            }
            return v;
        });
        if (unknown.isEmpty()) {
            return r;
        }
        List<String> unresolved = new ArrayList<>(r.unresolved());
        unknown.stream().filter(n -> !unresolved.contains(n)).forEach(unresolved::add);
        return new Interpolation.Resolved(r.text(), List.copyOf(unresolved), r.usedDefault(), r.supplied());
    }

    /**
     * For evidence and messages: {@code " (TAG=1.4.2 from .env)"} when the env file supplied values
     * to {@code r}, else the empty string. A secret-named variable is named without its value.
     */
    public String provenance(Interpolation.Resolved r) {
        if (r.supplied().isEmpty()) {
            return "";
        }
        String values = r.supplied().stream().map(n -> SecretValues.isSecretName(n) ? n : n + "=" + env.get(n))
                .collect(Collectors.joining(", "));
        return " (" + values + " from " + String.join(", ", env.files()) + ")";
    }

    /** True for a stack file ({@code docker-stack.yml}), deployed by swarm with swarm's defaults. */
    public boolean stack() {
        return stack;
    }

    /** The top-level definition of a named volume, from the most specific document that has one. */
    Optional<YamlNode> volume(String name) {
        for (YamlNode root : roots) {
            Optional<YamlNode> v = root.at("volumes", name);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** Why a named volume's definition keeps it in memory ({@code driver_opts.type: tmpfs}), or null. */
    String tmpfsDefinition(String name) {
        Optional<YamlNode> opts = volume(name).flatMap(v -> v.get("driver_opts"));
        if (opts.isEmpty()) {
            return null;
        }
        for (String key : List.of("type", "device", "o")) {
            String value = opts.get().get(key).map(YamlNode::text).map(t -> resolve(t).text().toLowerCase(Locale.ROOT)).orElse("");
            if (key.equals("o") ? value.contains("tmpfs") : value.strip().equals("tmpfs")) {
                return "its definition at " + ComposeService.where(opts.get()) + " has driver_opts " + key + " " + value.strip();
            }
        }
        return null;
    }

    /** One evidence line when the file is interpolated with an env file, else null. */
    String summary(String file) {
        return env.files().isEmpty() ? null
                : file + ": interpolated with " + String.join(", ", env.files()) + " (" + env.size()
                        + (env.size() == 1 ? " variable)" : " variables)");
    }
}
