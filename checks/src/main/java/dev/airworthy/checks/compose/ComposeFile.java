package dev.airworthy.checks.compose;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One compose file and its services as they run. {@code base} names the file it overrides (its
 * services are merged with that file's services of the same name), or is null for a file that
 * stands on its own; {@code includedBy} names the file whose {@code include:} brought it in, or is
 * null for a file judged by itself. {@code servicesLine} is the line of its {@code services:} key (1
 * when there is none), where findings about the file as a whole point.
 */
public record ComposeFile(String path, String base, String includedBy, int servicesLine, List<ComposeService> services) {
    private static final int LISTED = 20;

    public ComposeFile {
        services = List.copyOf(services);
    }

    /** One evidence line: the file, what it extends, and its services. */
    public String summary() {
        StringBuilder s = new StringBuilder(path);
        if (base != null) {
            s.append(" (override of ").append(base).append(')');
        }
        if (includedBy != null) {
            s.append(" (included by ").append(includedBy).append(')');
        }
        s.append(": ").append(services.size()).append(services.size() == 1 ? " service" : " services");
        if (!services.isEmpty()) {
            s.append(": ").append(services.stream().limit(LISTED).map(ComposeService::name).collect(Collectors.joining(", ")));
            if (services.size() > LISTED) {
                s.append(", ...");
            }
        }
        return s.toString();
    }
}
