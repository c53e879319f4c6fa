package dev.airworthy.checks.tls;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate names a host, as browsers decide (RFC 6125, CA/Browser Forum): only the
 * subject alternative names count, not the common name; a wildcard stands for exactly one whole
 * left-most label; IP addresses match IP entries only.
 */
public final class HostnameMatcher {
    private HostnameMatcher() {
    }

    /** The DNS and IP names in the certificate, as {@code DNS:x} and {@code IP:y}. */
    public static List<String> names(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        out.add("DNS:" + san.get(1));
                    } else if (type == 7) {
                        out.add("IP:" + san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // Unreadable names match nothing.
        }
        return out;
    }

    public static boolean matches(String host, X509Certificate c) {
        boolean ip = TlsTarget.isIpLiteral(host);
        String h = ip ? host.replace("[", "").replace("]", "") : IDN.toASCII(host).toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String name : names(c)) {
            if (ip && name.startsWith("IP:") && sameIp(h, name.substring(3))) {
                return true;
            }
            if (!ip && name.startsWith("DNS:") && dnsMatches(h, name.substring(4).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    static boolean dnsMatches(String host, String pattern) {
        if (!pattern.startsWith("*.")) {
            return host.equals(pattern);
        }
        String suffix = pattern.substring(1); // ".example.com"
        int dot = host.indexOf('.');
        // "*.example.com" covers "a.example.com", not "example.com" nor "a.b.example.com";
        // a wildcard directly over a public suffix ("*.com") is never valid.
        return dot > 0 && host.substring(dot).equals(suffix) && suffix.indexOf('.', 1) > 0;
    }

    private static boolean sameIp(String a, String b) {
        // Both are literals (checked by the callers' types), so getByName resolves nothing.
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return a.equalsIgnoreCase(b);
        }
    }
}
