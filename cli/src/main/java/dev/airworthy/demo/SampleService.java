package dev.airworthy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The sample shop that {@code airworthy demo} checks: real HTTP and HTTPS servers on loopback,
 * hardened in some places and not in others, so the report shows passes and failures side by
 * side. Its certificate (bundled, valid for 127.0.0.1 and localhost until 2036) comes from a demo
 * CA that the demo trusts as if it were passed with {@code --ca}.
 *
 * <p>Good: plain HTTP redirects permanently to HTTPS, TLS 1.2/1.3 only, a healthy fast /health, a
 * versioned /api/version, no debug pages. Not so good: HSTS without includeSubDomains, a CSP that
 * allows inline scripts, no Referrer-Policy, a slow order list, an admin console without a login,
 * CORS that reflects any origin, a session cookie scripts can read, and a Server header with its
 * version.
 */
public final class SampleService implements AutoCloseable {
    public static final String VERSION = "1.4.2";
    static final String KEYSTORE = "/dev/airworthy/demo/tls/service.p12";
    public static final String CA = "/dev/airworthy/demo/tls/demo-ca.pem";
    private static final char[] PASSWORD = "airworthy-demo".toCharArray();

    private final HttpServer http;
    private final HttpsServer https;

    private SampleService(HttpServer http, HttpsServer https) {
        this.http = http;
        this.https = https;
    }

    public static SampleService start() throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        https.setHttpsConfigurator(new HttpsConfigurator(tls()));
        https.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        https.createContext("/", SampleService::route);
        https.start();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        int httpsPort = https.getAddress().getPort();
        http.createContext("/", x -> redirect(x, httpsPort));
        http.start();
        return new SampleService(http, https);
    }

    /** The HTTPS listener: the demo's target. */
    public URI url() {
        return URI.create("https://127.0.0.1:" + https.getAddress().getPort());
    }

    /** The plain HTTP listener, which only redirects to HTTPS. */
    public URI httpUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    private static SSLContext tls() throws IOException {
        try (InputStream in = SampleService.class.getResourceAsStream(KEYSTORE)) {
            if (in == null) {
                throw new IOException("the demo certificate is missing from this build");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the demo certificate: " + e.getMessage(), e);
        }
    }

    private static void redirect(HttpExchange x, int httpsPort) throws IOException {
        try (x) {
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("Location", "https://127.0.0.1:" + httpsPort + x.getRequestURI());
            x.sendResponseHeaders(301, -1);
        }
    }

    private static void route(HttpExchange x) throws IOException {
        try (x) {
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("Server", "SampleShop/" + VERSION);
            x.getResponseHeaders().add("Strict-Transport-Security", "max-age=31536000");
            String origin = x.getRequestHeaders().getFirst("Origin");
            if (origin != null) {
                // The classic mistake: whatever origin asks is allowed, with credentials.
                x.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
                x.getResponseHeaders().add("Access-Control-Allow-Credentials", "true");
                x.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
            }
            if (x.getRequestMethod().equals("OPTIONS")) {
                x.sendResponseHeaders(204, -1);
                return;
            }
            switch (x.getRequestURI().getPath()) {
                case "/health" -> send(x, 200, "application/json", "{\"status\":\"ok\",\"version\":\"" + VERSION + "\"}");
                case "/api/version" -> send(x, 200, "application/json", "{\"version\":\"" + VERSION + "\",\"commit\":\"3f2c1ab\"}");
                case "/api/orders" -> {
                    pause(350);
                    send(x, 200, "application/json", "[{\"id\":1,\"total\":\"19.90\"},{\"id\":2,\"total\":\"5.00\"}]");
                }
                case "/admin" -> {
                    storefrontHeaders(x);
                    send(x, 200, "text/html; charset=utf-8", "<!doctype html><title>Admin</title><h1>Admin console</h1>");
                }
                case "/" -> {
                    storefrontHeaders(x);
                    x.getResponseHeaders().add("Set-Cookie", "session=demo-" + Long.toHexString(System.nanoTime())
                            + "; Path=/; Secure; SameSite=Lax");
                    send(x, 200, "text/html; charset=utf-8", """
                            <!doctype html><html><head><title>Sample Shop</title></head>
                            <body><h1>Sample Shop</h1><script>window.shop = {cart: []};</script></body></html>
                            """);
                }
                default -> send(x, 404, "application/json", "{\"error\":\"not found\"}");
            }
        }
    }

    private static void storefrontHeaders(HttpExchange x) {
        x.getResponseHeaders().add("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'");
        x.getResponseHeaders().add("X-Frame-Options", "DENY");
        x.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = x.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        http.stop(0);
        https.stop(0);
    }
}
