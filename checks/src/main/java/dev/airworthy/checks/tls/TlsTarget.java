package dev.airworthy.checks.tls;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.NotApplicable;
import java.net.URI;
import java.util.List;

/** The TLS endpoint a check talks to: the item's {@code url}, else the target URL, which must be https. */
public record TlsTarget(String host, int port) {

    public static TlsTarget of(CheckContext ctx) {
        URI u = ctx.params().optionalString("url").map(URI::create).orElseGet(ctx::requireUrl);
        if (!"https".equals(u.getScheme())) {
            throw new NotApplicable("TLS checks need an https:// URL; " + u + " is plain HTTP (see http.https-redirect)");
        }
        return new TlsTarget(u.getHost(), u.getPort() < 0 ? 443 : u.getPort());
    }

    /** The host to send as SNI; an IP address is not sent (RFC 6066 section 3). */
    public String sni() {
        return isIpLiteral(host) ? null : host;
    }

    public static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":") || host.startsWith("[");
    }

    /** A problem with an https URL parameter, for a check's validate(). */
    public static List<String> urlProblems(String url) {
        try {
            URI u = URI.create(url);
            if (!"https".equals(u.getScheme()) || u.getHost() == null) {
                return List.of("url '" + url + "' must be an https:// URL with a host");
            }
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of("url '" + url + "' is not a URL");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
