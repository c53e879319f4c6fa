package dev.airworthy.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The catalog: every {@link Check} on the class path, found through {@link ServiceLoader}. */
public final class CheckRegistry {
    private final Map<String, CheckDescriptor> byId;

    private CheckRegistry(Map<String, CheckDescriptor> byId) {
        this.byId = byId;
    }

    /** Every check registered as a service on the class path. */
    public static CheckRegistry load() {
        List<Class<? extends Check>> types = new ArrayList<>();
        ServiceLoader.load(Check.class, CheckRegistry.class.getClassLoader()).stream()
                .forEach(p -> types.add(p.type()));
        return of(types);
    }

    /**
     * A registry of the given classes.
     *
     * @throws IllegalStateException when two classes declare the same id, or metadata is invalid
     */
    public static CheckRegistry of(Collection<Class<? extends Check>> types) {
        Map<String, CheckDescriptor> byId = new LinkedHashMap<>();
        Map<String, Class<?>> owner = new LinkedHashMap<>();
        types.stream().sorted(Comparator.comparing(Class::getName)).forEach(type -> {
            CheckDescriptor d = CheckDescriptor.of(type);
            Class<?> previous = owner.putIfAbsent(d.id(), type);
            if (previous != null && previous != type) {
                throw new IllegalStateException("check id '" + d.id() + "' is declared by both "
                        + previous.getName() + " and " + type.getName());
            }
            byId.put(d.id(), d);
        });
        List<CheckDescriptor> sorted = new ArrayList<>(byId.values());
        sorted.sort(Comparator.comparing(CheckDescriptor::category).thenComparing(CheckDescriptor::id));
        Map<String, CheckDescriptor> ordered = new LinkedHashMap<>();
        sorted.forEach(d -> ordered.put(d.id(), d));
        return new CheckRegistry(ordered);
    }

    public Optional<CheckDescriptor> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** All checks, by category then id. */
    public List<CheckDescriptor> all() {
        return List.copyOf(byId.values());
    }

    public Collection<String> ids() {
        return byId.keySet();
    }
}
