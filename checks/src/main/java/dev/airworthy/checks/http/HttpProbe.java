package dev.airworthy.checks.http;

import dev.airworthy.check.CheckContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client the checks of one run share (one connection pool). It never follows
 * redirects (checks judge them), never asks for compression, reads at most {@link #MAX_BODY}
 * bytes of a body, and gives up at the check's deadline.
 */
public final class HttpProbe implements AutoCloseable {
    public static final int MAX_BODY = 1 << 20;
    /** For checks that judge status and headers only: enough body for evidence, little memory. */
    public static final int HEADERS_ONLY = 16 << 10;
    public static final String USER_AGENT = "airworthy/0.1 (+https://github.com/airworthy-dev/airworthy)";

    private final HttpClient client;

    /** A probe trusting the JDK's certificate authorities and those in {@code caFiles}. */
    public HttpProbe(java.util.List<java.nio.file.Path> caFiles) {
        client = HttpClient.newBuilder()
                .sslContext(dev.airworthy.checks.tls.TrustMaterial.context(caFiles))
                .sslParameters(modern())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    private static javax.net.ssl.SSLParameters modern() {
        javax.net.ssl.SSLParameters p = new javax.net.ssl.SSLParameters();
        p.setProtocols(dev.airworthy.checks.tls.TlsProtocols.MODERN);
        return p;
    }

    /** The run's shared probe. */
    public static HttpProbe of(CheckContext ctx) {
        return ctx.shared(HttpProbe.class, () -> new HttpProbe(ctx.caFiles()));
    }

    /** {@code path} appended to the target URL; an absolute http(s) URL is taken as it is. */
    public static URI resolve(URI base, String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + (path.startsWith("/") ? path : "/" + path));
    }

    /** Headers the JDK client sets itself and refuses from callers. */
    static final java.util.Set<String> RESTRICTED = java.util.Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** What is wrong with request headers from a checklist (never quoting a value), for a check's {@code validate}. */
    public static java.util.List<String> headerProblems(Map<String, Object> headers) {
        return RawHttp.headerProblems(headers, RESTRICTED);
    }

    /** Why {@code path} cannot be requested, for a check's {@code validate}; empty when it can. */
    public static java.util.List<String> pathProblems(String name, String path) {
        try {
            URI u = resolve(URI.create("http://example.invalid"), path);
            if (u.getHost() == null) {
                return java.util.List.of(name + " '" + path + "' has no host");
            }
            return java.util.List.of();
        } catch (IllegalArgumentException e) {
            return java.util.List.of(name + " '" + path + "' is not a valid URL path: " + e.getMessage().replaceAll(" at index \\d+.*", ""));
        }
    }

    public Exchange get(CheckContext ctx, String path) throws IOException, InterruptedException {
        return get(ctx, path, MAX_BODY);
    }

    public Exchange get(CheckContext ctx, String path, int maxBody) throws IOException, InterruptedException {
        return send(ctx, "GET", resolve(ctx.requireUrl(), path), Map.of(), null, maxBody);
    }

    /** How many redirects {@link #follow} takes before it calls it a loop. */
    public static final int MAX_REDIRECTS = 5;

    /**
     * GETs {@code path} and follows redirects within the same origin (scheme, host, port), for
     * checks that judge the page a visitor lands on. Returns every response, the last one being
     * the page, or a redirect that leaves the origin.
     *
     * @throws IOException on a redirect loop (a URL seen before) or more than {@link #MAX_REDIRECTS} redirects
     */
    public java.util.List<Exchange> follow(CheckContext ctx, String path, int maxBody) throws IOException, InterruptedException {
        java.util.List<Exchange> hops = new java.util.ArrayList<>();
        URI uri = resolve(ctx.requireUrl(), path);
        java.util.Set<URI> seen = new java.util.HashSet<>();
        while (true) {
            Exchange x = send(ctx, "GET", uri, Map.of(), null, maxBody);
            hops.add(x);
            java.util.Optional<String> location = x.redirectLocation();
            if (location.isEmpty()) {
                return hops;
            }
            URI next;
            try {
                next = uri.resolve(location.get());
            } catch (IllegalArgumentException e) {
                return hops;
            }
            if (!sameOrigin(uri, next)) {
                return hops;
            }
            seen.add(uri);
            boolean cycle = seen.contains(next);
            if (cycle || hops.size() > MAX_REDIRECTS) {
                throw new IOException((cycle ? "redirect loop: " : "more than " + MAX_REDIRECTS + " redirects: ")
                        + hops.stream().map(h -> h.uri().getPath()).collect(java.util.stream.Collectors.joining(" → "))
                        + " → " + next.getPath());
            }
            uri = next;
        }
    }

    /** Same scheme, host (both case-insensitive) and port, the default port counted for http and https. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /**
     * Sends one request and reads the response by the check's deadline.
     *
     * @throws IOException with a one-line reason (refused, timed out, reset) when there is no response
     */
    public Exchange send(CheckContext ctx, String method, URI uri, Map<String, ?> headers, String body)
            throws IOException, InterruptedException {
        return send(ctx, method, uri, headers, body, MAX_BODY);
    }

    /**
     * The same, keeping at most {@code maxBody} bytes of the body ({@link #HEADERS_ONLY} for checks
     * that judge status and headers: a run of many checks then holds little memory).
     */
    public Exchange send(CheckContext ctx, String method, URI uri, Map<String, ?> headers, String body, int maxBody)
            throws IOException, InterruptedException {
        Duration left = ctx.remaining();
        if (left.isZero()) {
            throw new HttpTimeoutException("no time left before the deadline");
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .timeout(left)
                .header("User-Agent", USER_AGENT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((k, v) -> {
            try {
                rb.header(k, String.valueOf(v));
            } catch (IllegalArgumentException e) {
                // The JDK's message quotes the value, which may be a token: name the header only.
                throw new IllegalArgumentException("request header '" + k + "' cannot be sent: its name or value is not valid HTTP");
            }
        });
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<CappedBody>> f = client.sendAsync(rb.build(), CappedBody.handler(maxBody));
        try {
            HttpResponse<CappedBody> r = f.get(left.toMillis() + 1, TimeUnit.MILLISECONDS);
            double ms = (System.nanoTime() - start) / 1e6;
            return new Exchange(method, uri, r.statusCode(), r.headers(), r.body().bytes(), r.body().truncated(), ms);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException(method + " " + uri + ": no complete response within " + left.toMillis() + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw explain(method, uri, e.getCause());
        }
    }

    private static IOException explain(String method, URI uri, Throwable cause) {
        String where = method + " " + uri + ": ";
        if (cause instanceof HttpConnectTimeoutException) {
            return new IOException(where + "connection timed out", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new IOException(where + "timed out waiting for the response", cause);
        }
        if (cause instanceof ConnectException) {
            return new IOException(where + "connection refused", cause);
        }
        if (cause instanceof javax.net.ssl.SSLHandshakeException) {
            return new IOException(where + "TLS handshake failed: " + dev.airworthy.checks.tls.TrustMaterial.rootMessage(cause)
                    + " (if the certificate is from a private CA, pass it with --ca)", cause);
        }
        String m = cause.getMessage();
        return new IOException(where + (m == null ? cause.getClass().getSimpleName() : m), cause);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
