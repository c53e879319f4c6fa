package dev.airworthy.checks.docker;

import dev.airworthy.checks.docker.Dockerfile.Instruction;
import dev.airworthy.checks.docker.Dockerfile.Stage;
import dev.airworthy.checks.docker.DockerfileCheck.KeyValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The variables in effect at each instruction of a stage, as the builder expands them: the
 * stage's {@code ARG}s (a bare {@code ARG NAME} takes the default declared before the first
 * {@code FROM}; a build argument replaces the default of an {@code ARG} that is declared) and the
 * {@code ENV}s of the stage and of the earlier stages it builds on ({@code FROM build AS test}).
 * {@code ENV} wins over an {@code ARG} of the same name. Variables the base image sets are not
 * known, so what depends on them stays unresolved.
 */
final class BuildScope {
    /** How far up a chain of stages building on one another variables are followed. */
    private static final int MAX_CHAIN = 64;

    /**
     * A variable: its value (null when not known), where it is set ({@code ENV APP_USER=root
     * (line 4)}), and whether a build argument decides it, directly or through an {@code ENV} that copies one.
     */
    record Var(String value, String origin, boolean env, boolean fromArgument) {
    }

    private BuildScope() {
    }

    /** The {@code ARG} defaults declared before the first {@code FROM}, a build argument replacing a declared one's default. */
    static Map<String, Var> global(Dockerfile d, Map<String, String> buildArgs, String argumentsBy) {
        Map<String, Var> out = new HashMap<>();
        for (Instruction ins : d.instructions()) {
            if (ins.keyword().equals("FROM")) {
                break;
            }
            if (ins.keyword().equals("ARG")) {
                for (KeyValue kv : DockerfileCheck.pairs(ins)) {
                    out.put(kv.name(), argument(kv, ins, buildArgs, argumentsBy, kv.value(), out));
                }
            }
        }
        return out;
    }

    /** Calls {@code visit} with each instruction of {@code stage} and the variables in effect there. */
    static void walk(Dockerfile d, Stage stage, Map<String, String> buildArgs, String argumentsBy,
            BiConsumer<Instruction, Map<String, Var>> visit) {
        Map<String, Var> global = global(d, buildArgs, argumentsBy);
        List<Stage> chain = new ArrayList<>();
        for (Stage s = stage; s != null && chain.size() < MAX_CHAIN; s = d.parent(s).orElse(null)) {
            chain.addFirst(s);
        }
        Map<String, Var> env = new HashMap<>();
        for (Stage s : chain) {
            Map<String, Var> scope = new HashMap<>(env);
            for (Instruction ins : s.instructions()) {
                if (s == stage) {
                    visit.accept(ins, scope);
                }
                apply(ins, scope, env, global, buildArgs, argumentsBy);
            }
        }
    }

    private static void apply(Instruction ins, Map<String, Var> scope, Map<String, Var> env, Map<String, Var> global,
            Map<String, String> buildArgs, String argumentsBy) {
        boolean isEnv = ins.keyword().equals("ENV");
        if (!isEnv && !ins.keyword().equals("ARG")) {
            return;
        }
        for (KeyValue kv : DockerfileCheck.pairs(ins)) {
            Var current = scope.get(kv.name());
            if (isEnv) {
                Var v = expanded(kv, ins, scope);
                scope.put(kv.name(), v);
                env.put(kv.name(), v);
            } else if (current == null || !current.env()) {
                Var declared = global.get(kv.name());
                String fallback = kv.value() == null && declared != null ? declared.value() : kv.value();
                scope.put(kv.name(), argument(kv, ins, buildArgs, argumentsBy, fallback, scope));
            }
        }
    }

    /** An {@code ARG}: the build argument when one is given, else its default expanded. */
    private static Var argument(KeyValue kv, Instruction ins, Map<String, String> buildArgs, String argumentsBy, String fallback,
            Map<String, Var> scope) {
        if (buildArgs.containsKey(kv.name())) {
            return new Var(buildArgs.get(kv.name()), argumentsBy + " set " + kv.name() + "=" + buildArgs.get(kv.name()), false, true);
        }
        if (fallback == null) {
            return new Var(null, "ARG " + kv.name() + " (line " + ins.lineAt(kv.offset()) + ") has no default", false, true);
        }
        Interpolation.Resolved r = Interpolation.resolve(fallback, name -> valueOf(scope, name));
        return new Var(r.complete() ? r.text() : null, "ARG " + kv.name() + "=" + fallback + " (line " + ins.lineAt(kv.offset())
                + ") by default", false, true);
    }

    private static Var expanded(KeyValue kv, Instruction ins, Map<String, Var> scope) {
        String raw = kv.value() == null ? "" : kv.value();
        Interpolation.Resolved r = Interpolation.resolve(raw, name -> valueOf(scope, name));
        boolean fromArgument = r.unresolved().stream().anyMatch(scope::containsKey)
                || r.supplied().stream().anyMatch(n -> scope.get(n).fromArgument());
        return new Var(r.complete() ? r.text() : null, "ENV " + kv.name() + "=" + raw + " (line " + ins.lineAt(kv.offset()) + ")",
                true, fromArgument);
    }

    static String valueOf(Map<String, Var> scope, String name) {
        Var v = scope.get(name);
        return v == null ? null : v.value();
    }
}
