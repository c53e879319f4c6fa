package dev.airworthy.checks.http;

import dev.airworthy.check.CheckContext;
import dev.airworthy.checks.tls.TlsProtocols;
import dev.airworthy.checks.tls.TrustMaterial;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 on a raw socket, for the checks that must see what {@link HttpProbe} hides: a response
 * that arrives while the request body is still being sent ({@code http.body-limit}) and a
 * protocol upgrade ({@code http.websocket}). TLS trusts what the run trusts, verifies the host
 * name and offers only {@link TlsProtocols#MODERN}. Response heads are read up to {@link #MAX_HEAD}.
 */
final class RawHttp {
    static final int MAX_HEAD = 64 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/(\\d(?:\\.\\d)?) (\\d{3})(?: (.*))?");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final int MAX_INTERIM = 10;

    private RawHttp() {
    }

    /** An open connection: {@code socket} to talk on (TLS or not), {@code tcp} beneath it, closed to abort anything. */
    record Connection(Socket tcp, Socket socket) implements AutoCloseable {
        /** Closes the TCP socket itself: unblocks a reader or writer stuck on either socket, TLS or not. */
        void abort() {
            try {
                tcp.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    /** The response head: status line and header fields, in order. {@code complete} is false when it was cut off. */
    record Head(String statusLine, int status, List<Map.Entry<String, String>> fields, boolean complete, String cutOff) {
        Optional<String> header(String name) {
            return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
        }

        List<String> headerValues(String name) {
            return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        /** The status line and the named fields present, as evidence lines. */
        List<String> evidence(String... names) {
            List<String> lines = new ArrayList<>();
            lines.add("< " + statusLine + (complete ? "" : " (head cut off: " + cutOff + ")"));
            for (String n : names) {
                for (String v : headerValues(n)) {
                    lines.add("< " + Exchange.canonical(n) + ": " + v);
                }
            }
            return lines;
        }
    }

    /** The request target: the raw path and query, {@code /} when the path is empty. */
    static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The Host header: the host, and the port when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort();
        return uri.getHost() + (port == -1 || port == (tls ? 443 : 80) ? "" : ":" + port);
    }

    /**
     * Connects (TCP, then TLS for https) by the check's deadline; the socket's read timeout is the
     * time left.
     *
     * @throws IOException with a one-line reason when no connection could be made
     */
    static Connection open(CheckContext ctx, URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException(uri + ": not an http or https URL");
        }
        boolean tls = scheme.equals("https");
        String host = uri.getHost();
        if (host == null) {
            throw new IOException(uri + ": no host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        int timeout = millisLeft(ctx, "connecting to " + host + ":" + port);
        Socket tcp = new Socket();
        try {
            tcp.connect(new InetSocketAddress(bare, port), Math.min(timeout, 10_000));
            tcp.setTcpNoDelay(true);
            tcp.setSoTimeout(readTimeout(ctx));
            if (!tls) {
                return new Connection(tcp, tcp);
            }
            SSLSocket ssl = (SSLSocket) TrustMaterial.context(ctx.caFiles()).getSocketFactory()
                    .createSocket(tcp, bare, port, true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setProtocols(TlsProtocols.MODERN);
            params.setApplicationProtocols(new String[] {"http/1.1"});
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(readTimeout(ctx));
            ssl.startHandshake();
            ssl.setSoTimeout(readTimeout(ctx));
            return new Connection(tcp, ssl);
        } catch (IOException | RuntimeException e) {
            try {
                tcp.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw explain(uri, e);
        }
    }

    /**
     * A read timeout that ends a little before the check's deadline, so the check can still say
     * what it was waiting for before the runner gives up on it.
     */
    static int readTimeout(CheckContext ctx) {
        long ms = ctx.remaining().toMillis();
        long early = ms - Math.min(500, ms / 10);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, early));
    }

    private static int millisLeft(CheckContext ctx, String doing) throws HttpTimeoutException {
        long ms = ctx.remaining().toMillis();
        if (ms <= 0) {
            throw new HttpTimeoutException("no time left before the deadline for " + doing);
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static IOException explain(URI uri, Exception e) {
        String where = uri.getScheme() + "://" + hostHeader(uri) + ": ";
        if (e instanceof HttpTimeoutException t) {
            return t;
        }
        if (e instanceof SocketTimeoutException) {
            return new IOException(where + "connection timed out", e);
        }
        if (e instanceof ConnectException) {
            return new IOException(where + "connection refused", e);
        }
        if (e instanceof UnknownHostException) {
            return new IOException(where + "unknown host " + uri.getHost(), e);
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLException) {
            return new IOException(where + "TLS handshake failed: " + TrustMaterial.rootMessage(e)
                    + " (if the certificate is from a private CA, pass it with --ca)", e);
        }
        String m = e.getMessage();
        return new IOException(where + (m == null ? e.getClass().getSimpleName() : m), e);
    }

    /** Why a {@code headers} parameter cannot be sent: bad names, line breaks, headers the check sets itself. */
    static List<String> headerProblems(Map<String, Object> headers, Set<String> reserved) {
        List<String> problems = new ArrayList<>();
        for (var h : headers.entrySet()) {
            String name = h.getKey();
            if (!TOKEN.matcher(name).matches()) {
                problems.add("request header name '" + name + "' is not a valid HTTP header name");
            } else if (reserved.contains(name.toLowerCase(Locale.ROOT))) {
                problems.add("request header '" + name + "' is set by the check itself; remove it from headers");
            }
            if (h.getValue() == null) {
                problems.add("request header '" + name + "' has no value");
            } else if (String.valueOf(h.getValue()).matches("(?s).*[\\r\\n\\x00].*")) {
                problems.add("request header '" + name + "' has a line break in its value");
            }
        }
        return problems;
    }

    /** The header fields, one {@code Name: value\r\n} each. */
    static String fields(Map<String, Object> headers) {
        StringBuilder sb = new StringBuilder();
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        return sb.toString();
    }

    /**
     * Reads the head of the final response (interim 1xx responses other than 101 are skipped).
     * {@code onStatus} hears the status as soon as the final response's status line is in, before
     * its header fields. When the connection fails or the head outgrows {@link #MAX_HEAD} after the
     * status line arrived, the head is returned cut off ({@code complete} false) rather than lost.
     *
     * @throws EOFException when the peer closed the connection before any status line
     * @throws IOException when the connection failed or timed out before any status line, or the answer is not HTTP
     */
    static Head readHead(InputStream in, IntConsumer onStatus) throws IOException {
        byte[] buf = new byte[MAX_HEAD];
        int len = 0;
        int interim = 0;
        boolean announced = false;
        // Where the scan resumes after each read, so every byte is looked at once however the head
        // arrives (a peer trickling one byte per read would otherwise cost a rescan of the buffer each time).
        int lineEnd = -1;          // the status line's \n, once seen
        String statusLine = null;
        int status = -1;
        int lineStart = 0;         // start of the header line being scanned (after the status line)
        int scanned = 0;           // bytes already scanned
        while (true) {
            int headEnd = -1;
            if (lineEnd < 0) {
                lineEnd = indexOf(buf, len, scanned);
                scanned = lineEnd < 0 ? len : lineEnd + 1;
                if (lineEnd >= 0) {
                    statusLine = text(buf, 0, lineEnd).strip();
                    status = parseStatus(statusLine);
                    lineStart = lineEnd + 1;
                }
            }
            if (lineEnd >= 0) {
                for (; scanned < len; scanned++) {
                    if (buf[scanned] == '\n') {
                        int contentEnd = scanned > lineStart && buf[scanned - 1] == '\r' ? scanned - 1 : scanned;
                        if (contentEnd == lineStart) {
                            headEnd = scanned + 1;
                            break;
                        }
                        lineStart = scanned + 1;
                    }
                }
                if (headEnd >= 0) {
                    if (status >= 100 && status < 200 && status != 101 && interim < MAX_INTERIM) {
                        interim++;
                        System.arraycopy(buf, headEnd, buf, 0, len - headEnd);
                        len -= headEnd;
                        lineEnd = -1;
                        statusLine = null;
                        status = -1;
                        lineStart = 0;
                        scanned = 0;
                        continue;
                    }
                    if (!announced) {
                        onStatus.accept(status);
                    }
                    return new Head(statusLine, status, fields(buf, lineEnd + 1, headEnd), true, "");
                }
                if (!announced && (status < 100 || status >= 200 || status == 101)) {
                    announced = true;
                    onStatus.accept(status);
                }
            } else if (len >= 5 && !text(buf, 0, 5).equals("HTTP/")) {
                throw new IOException("the answer is not HTTP: '" + printable(text(buf, 0, Math.min(len, 60))) + "'");
            }
            if (len == buf.length) {
                if (announced) {
                    return new Head(statusLine, status, fields(buf, lineEnd + 1, len), false, "longer than 64 KiB");
                }
                throw new IOException("no HTTP response head in the first 64 KiB");
            }
            int n;
            try {
                n = in.read(buf, len, buf.length - len);
            } catch (IOException e) {
                if (announced) {
                    return new Head(statusLine, status, fields(buf, lineEnd + 1, len), false, describe(e));
                }
                throw e;
            }
            if (n < 0) {
                if (announced) {
                    return new Head(statusLine, status, fields(buf, lineEnd + 1, len), false, "connection closed");
                }
                throw new EOFException(len == 0 ? "closed the connection without answering"
                        : "closed the connection in the middle of the response head");
            }
            len += n;
        }
    }

    /** A short reason for a failed read: "connection reset", "timed out". */
    static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static int parseStatus(String line) throws IOException {
        Matcher m = STATUS_LINE.matcher(line);
        if (!m.matches()) {
            throw new IOException("the answer is not HTTP: '" + printable(line.length() > 60 ? line.substring(0, 60) : line) + "'");
        }
        return Integer.parseInt(m.group(2));
    }

    /** Index of the first {@code \n} at or after {@code from}, or -1. */
    private static int indexOf(byte[] buf, int len, int from) {
        for (int i = from; i < len; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The complete {@code Name: value} lines in {@code [from, to)}; a partial last line is dropped. */
    private static List<Map.Entry<String, String>> fields(byte[] buf, int from, int to) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (from <= 0) {
            return out;
        }
        int start = from;
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                String line = text(buf, start, i).strip();
                int colon = line.indexOf(':');
                if (colon > 0) {
                    out.add(Map.entry(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static String text(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
