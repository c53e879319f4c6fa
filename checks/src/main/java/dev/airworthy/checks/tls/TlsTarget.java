package dev.airworthy.checks.tls;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.NotApplicable;
import java.net.IDN;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The TLS endpoint a check talks to: the item's {@code url}, else the target URL, which must be
 * https. The host is kept in its ASCII form: an internationalised name is converted to punycode
 * (IDNA), as clients do before they resolve it or send it as SNI.
 */
public record TlsTarget(String host, int port) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\\.?");

    public static TlsTarget of(CheckContext ctx) {
        URI u = ctx.params().optionalString("url").map(URI::create).orElseGet(ctx::requireUrl);
        if (!"https".equals(u.getScheme())) {
            throw new NotApplicable("TLS checks need an https:// URL; " + u + " is plain HTTP (see http.https-redirect)");
        }
        return parse(u);
    }

    /**
     * The endpoint of an https URL.
     *
     * @throws IllegalArgumentException with a one-line message when the URL has no usable host
     */
    static TlsTarget parse(URI u) {
        if (u.getHost() != null) {
            return new TlsTarget(u.getHost(), u.getPort() < 0 ? 443 : u.getPort());
        }
        // java.net.URI leaves the host null when it is not plain ASCII (bücher.example) or has an
        // underscore: take it from the authority and convert it as clients do.
        String authority = u.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("'" + u + "' has no host");
        }
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        int port = 443;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.startsWith("[")) {
            String p = authority.substring(colon + 1);
            if (!p.matches("\\d{1,5}") || Integer.parseInt(p) > 65535) {
                throw new IllegalArgumentException("'" + u + "' has an invalid port '" + p + "'");
            }
            port = Integer.parseInt(p);
            authority = authority.substring(0, colon);
        }
        String host;
        try {
            host = IDN.toASCII(java.net.URLDecoder.decode(authority.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + u + "' has a host that is not a valid domain name (" + e.getMessage() + ")");
        }
        if (!DNS_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + u + "' has a host that is not a valid domain name: '" + authority + "'");
        }
        return new TlsTarget(host, port);
    }

    /** The host to send as SNI, without a trailing dot (RFC 6066 section 3); an IP address is not sent. */
    public String sni() {
        if (isIpLiteral(host)) {
            return null;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return name.isEmpty() ? null : name;
    }

    /** An IPv4 address in dotted-quad form, or an IPv6 address (bracketed or not). "1.2.3" is a name. */
    public static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.contains(":") || host.startsWith("[");
    }

    /** A problem with an https URL parameter, for a check's validate(). */
    public static List<String> urlProblems(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            return List.of("url '" + url + "' is not a URL");
        }
        if (!"https".equals(u.getScheme())) {
            return List.of("url '" + url + "' must be an https:// URL with a host");
        }
        try {
            parse(u);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of("url " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
