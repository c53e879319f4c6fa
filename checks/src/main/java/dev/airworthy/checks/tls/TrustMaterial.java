package dev.airworthy.checks.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a run trusts: the JDK's certificate authorities plus the PEM files given with {@code --ca}.
 * A chain is accepted when either accepts it, and hostname verification stays on.
 */
public final class TrustMaterial {
    /**
     * Trust managers already built, by list of CA files (with each file's size and modification
     * time, so an edited file is read again): loading the JDK's cacerts and parsing PEM files on
     * every connection would make each check pay for it again.
     */
    private static final Map<List<Object>, Material> CACHE = new HashMap<>();
    private static final int CACHE_LIMIT = 16;

    private record Material(X509ExtendedTrustManager trustManager, Set<TrustAnchor> anchors) {
    }

    private TrustMaterial() {
    }

    /**
     * The innermost reason of a failure. For TLS it is the one that matters (a certificate path
     * problem, a hostname mismatch), which the JDK wraps in several layers of handshake exceptions.
     */
    public static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage();
        return m == null || m.isBlank() ? r.getClass().getSimpleName() : m;
    }

    /** An SSL context trusting the JDK's authorities and those in {@code caFiles}. */
    public static SSLContext context(List<Path> caFiles) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager(caFiles)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public static X509ExtendedTrustManager trustManager(List<Path> caFiles) throws GeneralSecurityException {
        return material(caFiles).trustManager();
    }

    /** The certificates trusted as roots: the JDK's and those in {@code caFiles}, as trust anchors. */
    public static Set<TrustAnchor> anchors(List<Path> caFiles) throws GeneralSecurityException {
        return material(caFiles).anchors();
    }

    private static Material material(List<Path> caFiles) throws GeneralSecurityException {
        List<Object> key = new ArrayList<>();
        for (Path file : caFiles) {
            key.add(file.toAbsolutePath().normalize());
            try {
                key.add(Files.size(file));
                key.add(Files.getLastModifiedTime(file));
            } catch (IOException e) {
                key.add("unreadable"); // readPem says why
            }
        }
        synchronized (CACHE) {
            Material m = CACHE.get(key);
            if (m == null) {
                X509ExtendedTrustManager tm = build(caFiles);
                Set<TrustAnchor> anchors = new HashSet<>();
                for (X509Certificate c : tm.getAcceptedIssuers()) {
                    anchors.add(new TrustAnchor(c, null));
                }
                m = new Material(tm, Set.copyOf(anchors));
                if (CACHE.size() >= CACHE_LIMIT) {
                    CACHE.clear();
                }
                CACHE.put(key, m);
            }
            return m;
        }
    }

    private static X509ExtendedTrustManager build(List<Path> caFiles) throws GeneralSecurityException {
        X509ExtendedTrustManager jdk = fromKeyStore(null);
        if (caFiles.isEmpty()) {
            return jdk;
        }
        KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            extra.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = 0;
        for (Path file : caFiles) {
            for (X509Certificate c : readPem(file)) {
                extra.setCertificateEntry("ca-" + n++, c);
            }
        }
        return new Either(jdk, fromKeyStore(extra));
    }

    /**
     * Every certificate in a PEM (or DER) file.
     *
     * @throws IllegalArgumentException with a message fit for the command line
     */
    public static List<X509Certificate> readPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(file + ": no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)");
            }
            List<X509Certificate> out = new ArrayList<>();
            certs.forEach(c -> out.add((X509Certificate) c));
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private static X509ExtendedTrustManager fromKeyStore(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** Accepts what either trust manager accepts; reports the JDK's reason when neither does. */
    private static final class Either extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager first;
        private final X509ExtendedTrustManager second;

        Either(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
            this.first = first;
            this.second = second;
        }

        private interface Check {
            void apply(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.apply(first);
            } catch (CertificateException e) {
                try {
                    check.apply(second);
                } catch (CertificateException e2) {
                    e.addSuppressed(e2);
                    throw e;
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkClientTrusted(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }
}
