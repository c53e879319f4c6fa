package dev.airworthy.checks.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS handshake that accepts any certificate, so the checks can look at what the server
 * presents (an expired or self-signed chain included) and judge it themselves. Nothing is sent
 * over the connection after the handshake.
 */
public final class TlsHandshake {
    public record Session(String protocol, String cipherSuite, List<X509Certificate> chain, double handshakeMs) {
    }

    private TlsHandshake() {
    }

    /** A TLS server completes a handshake in well under this; a port that never answers gets no more. */
    static final Duration HANDSHAKE_BUDGET = Duration.ofSeconds(10);

    public static Session open(TlsTarget target, String[] protocols, Duration timeout) throws IOException {
        Duration budget = timeout.compareTo(HANDSHAKE_BUDGET) < 0 ? timeout : HANDSHAKE_BUDGET;
        long deadline = System.nanoTime() + budget.toNanos();
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new AcceptAll()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        long start = System.nanoTime();
        try (Socket plain = new Socket()) {
            try {
                plain.connect(new InetSocketAddress(target.host(), target.port()), millisLeft(deadline));
            } catch (java.net.ConnectException e) {
                throw new IOException("cannot connect to " + target + ": connection refused", e);
            }
            plain.setSoTimeout(millisLeft(deadline));
            // The socket timeout bounds each read, not the handshake: a server trickling its bytes
            // could stretch it without end. A watchdog closes the socket at the deadline.
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    plain.close();
                } catch (InterruptedException | IOException e) {
                    // finished in time, or already closed
                }
            });
            try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, target.host(), target.port(), true)) {
                SSLParameters p = ssl.getSSLParameters();
                p.setProtocols(protocols);
                if (target.sni() != null) {
                    p.setServerNames(List.of(new SNIHostName(target.sni())));
                }
                ssl.setSSLParameters(p);
                try {
                    ssl.startHandshake();
                } catch (IOException e) {
                    if (e instanceof java.net.SocketTimeoutException || deadline - System.nanoTime() <= 0) {
                        throw new java.net.SocketTimeoutException("no TLS handshake from " + target + " within "
                                + seconds(budget) + ": is it a TLS port?");
                    }
                    // A plain-text server may answer the ClientHello (an HTTP 400, a banner) or stay
                    // silent, depending on its bytes: the same finding either way.
                    if (e instanceof javax.net.ssl.SSLException
                            && String.valueOf(e.getMessage()).contains("Unsupported or unrecognized SSL message")) {
                        throw new IOException("no TLS from " + target + ": it answered with something that is not TLS; is it a TLS port?", e);
                    }
                    throw e;
                }
                SSLSession s = ssl.getSession();
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : s.getPeerCertificates()) {
                    chain.add((X509Certificate) c);
                }
                return new Session(s.getProtocol(), s.getCipherSuite(), chain, (System.nanoTime() - start) / 1e6);
            } finally {
                watchdog.interrupt();
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Milliseconds to {@code deadline} ({@link System#nanoTime()}) for a socket timeout; none left is a timeout. */
    static int millisLeft(long deadline) throws java.net.SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new java.net.SocketTimeoutException("no time left before the deadline");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** Accepts every chain: the caller validates it afterwards, with reasons. */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
