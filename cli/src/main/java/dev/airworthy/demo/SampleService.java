package dev.airworthy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The sample shop that {@code airworthy demo} checks: a real HTTP server on loopback, hardened
 * in some places and not in others, so the report shows passes and failures side by side.
 * Healthy, versioned and mostly well-headered, but its CSP allows inline scripts, it sends no
 * Referrer-Policy, its order list is slow, and its admin console needs no login.
 */
public final class SampleService implements AutoCloseable {
    public static final String VERSION = "1.4.2";
    private final HttpServer server;

    private SampleService(HttpServer server) {
        this.server = server;
    }

    public static SampleService start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", SampleService::route);
        server.start();
        return new SampleService(server);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void route(HttpExchange x) throws IOException {
        try (x) {
            x.getRequestBody().readAllBytes();
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
        server.stop(0);
    }
}
