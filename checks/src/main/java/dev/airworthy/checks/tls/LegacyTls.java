package dev.airworthy.checks.tls;

import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JDK refuses SSLv3, TLS 1.0 and TLS 1.1 outright ({@code jdk.tls.disabledAlgorithms}), so a
 * probe that never offers them cannot see a server that still accepts them. airworthy lifts those
 * three names from the property before TLS starts in the process, and then offers them only in
 * {@code tls.protocols}: every other connection is pinned to {@link #MODERN}.
 */
public final class LegacyTls {
    public static final String[] MODERN = {"TLSv1.3", "TLSv1.2"};
    static final Set<String> LEGACY = Set.of("SSLv3", "TLSv1", "TLSv1.1");
    private static final String PROPERTY = "jdk.tls.disabledAlgorithms";
    private static boolean done;

    private LegacyTls() {
    }

    /** Idempotent; effective only when called before the first TLS handshake of the process. */
    public static synchronized void allowProbing() {
        if (done) {
            return;
        }
        String current = Security.getProperty(PROPERTY);
        if (current != null) {
            List<String> kept = Arrays.stream(current.split(","))
                    .map(String::strip)
                    .filter(s -> !LEGACY.contains(s))
                    .toList();
            Security.setProperty(PROPERTY, kept.stream().collect(Collectors.joining(", ")));
        }
        done = true;
    }
}
