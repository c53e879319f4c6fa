package dev.airworthy.check;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Objects shared by the checks of one run, keyed by type; AutoCloseable ones are closed with the run. */
public final class SharedResources implements AutoCloseable {
    private final ConcurrentHashMap<Class<?>, Object> byType = new ConcurrentHashMap<>();

    public <T> T get(Class<T> type, Supplier<T> factory) {
        return type.cast(byType.computeIfAbsent(type, t -> factory.get()));
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        for (Object o : byType.values()) {
            if (o instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        byType.clear();
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing shared resources failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
