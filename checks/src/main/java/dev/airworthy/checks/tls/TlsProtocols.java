package dev.airworthy.checks.tls;

/** The protocols airworthy's own TLS connections use; older ones are only ever probed, by {@link ClientHelloProbe}. */
public final class TlsProtocols {
    public static final String[] MODERN = {"TLSv1.3", "TLSv1.2"};

    private TlsProtocols() {
    }
}
