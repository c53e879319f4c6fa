package dev.airworthy.checks.proxy;

import dev.airworthy.checks.proxy.NginxConfig.Directive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An http, server or location context with its parent, so a directive's effective value can be
 * looked up as nginx inherits it: the nearest level that sets it wins. Array-like directives
 * ({@code proxy_set_header}, {@code add_header}) follow nginx's stricter rule: a level that sets
 * any of them inherits none from above ({@link #nearestAll}).
 */
final class NginxScope {
    private final Directive block;
    private final List<Directive> directives;
    private final NginxScope parent;
    private Map<String, List<Directive>> byName;

    NginxScope(Directive block, List<Directive> directives, NginxScope parent) {
        this.block = block;
        this.directives = directives;
        this.parent = parent;
    }

    /** The {@code server} or {@code location} directive; null for an http context assembled from snippets. */
    Directive block() {
        return block;
    }

    List<Directive> directives() {
        return directives;
    }

    NginxScope parent() {
        return parent;
    }

    Optional<Directive> own(String name) {
        return ownAll(name).stream().findFirst();
    }

    List<Directive> ownAll(String name) {
        return byName().getOrDefault(name, List.of());
    }

    /**
     * This level's directives by name, built on first use: a server with many thousands of locations
     * is looked up once per location (inheritance), which must not read all its directives each time.
     */
    private Map<String, List<Directive>> byName() {
        if (byName == null) {
            Map<String, List<Directive>> index = new HashMap<>();
            for (Directive d : directives) {
                index.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d);
            }
            byName = index;
        }
        return byName;
    }

    /** The directive at the nearest level, this one first. */
    Optional<Directive> effective(String name) {
        for (NginxScope s = this; s != null; s = s.parent) {
            Optional<Directive> d = s.own(name);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** Every {@code name} directive of the nearest level that has any: what nginx applies for array directives. */
    List<Directive> nearestAll(String name) {
        for (NginxScope s = this; s != null; s = s.parent) {
            List<Directive> d = s.ownAll(name);
            if (!d.isEmpty()) {
                return d;
            }
        }
        return List.of();
    }

    /** Child blocks of a kind ({@code server}, {@code location}) as scopes. */
    List<NginxScope> children(String name) {
        return directives.stream().filter(d -> d.name().equals(name) && d.isBlock())
                .map(d -> new NginxScope(d, d.block(), this)).toList();
    }

    /** Every location in this context, nested ones included, outermost first. */
    List<NginxScope> allLocations() {
        List<NginxScope> out = new ArrayList<>();
        for (NginxScope l : children("location")) {
            out.add(l);
            out.addAll(l.allLocations());
        }
        return out;
    }

    /** This scope and every location in it. */
    List<NginxScope> withLocations() {
        List<NginxScope> out = new ArrayList<>();
        out.add(this);
        out.addAll(allLocations());
        return out;
    }
}
