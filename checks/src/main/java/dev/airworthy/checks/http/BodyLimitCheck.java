package dev.airworthy.checks.http;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

@AutoService(Check.class)
@CheckInfo(
        id = "http.body-limit",
        title = "Request body size limit",
        category = Category.HTTP,
        severity = Severity.MEDIUM,
        summary = """
                Sends one request with a body of `bytes` bytes (10 MiB + 1 by default, declared with \
                Content-Length) to `path` and expects the service to refuse it with 413. The body is \
                streamed, and sending stops as soon as a response arrives, so a server that answers 413 \
                early and closes the connection counts as refusing, as does one that reads the whole body \
                first. 413 passes; a 2xx fails (the body \
                was accepted); a 5xx fails (the server fell over instead of refusing); another 4xx warns. \
                A 3xx, 401, 403, 404, 405 or 407 is an error: the request was turned away before its size \
                mattered, so the limit could not be seen. A connection closed or reset with no HTTP answer \
                is an error too: it cannot be told apart from a crash; so is no answer by the item's \
                deadline. Only Content-Length bodies are tested, not chunked ones.""",
        rationale = """
                Without a limit, one client can make the service read, buffer and parse bodies as large \
                as it likes: memory exhaustion, full disks from uploads and slow parsers are cheap \
                denial-of-service attacks. The limit belongs at the edge (the reverse proxy), where a \
                413 costs nothing, and in the framework behind it.""",
        remediation = """
                Set a limit at the reverse proxy and in the application, sized for the largest legitimate \
                request. nginx:

                ```nginx
                client_max_body_size 1m;     # answers 413 above it
                ```

                Express: `app.use(express.json({ limit: "1mb" }))`; Spring Boot: \
                `spring.servlet.multipart.max-request-size=1MB` and `server.tomcat.max-swallow-size`; \
                Django: `DATA_UPLOAD_MAX_MEMORY_SIZE`; ASP.NET Core: `MaxRequestBodySize`. If the check \
                reports 401 or 404, point it at a path that accepts the method, with credentials in \
                `headers`.""",
        example = """
                - id: body-limit
                  title: Uploads above 10 MiB are refused
                  check: http.body-limit
                  with: { path: /api/v1/uploads, headers: { Authorization: "Bearer ${API_TOKEN}" } }""",
        references = {"https://www.rfc-editor.org/rfc/rfc9110#name-413-content-too-large",
            "https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size",
            "https://cheatsheetseries.owasp.org/cheatsheets/Denial_of_Service_Cheat_Sheet.html"},
        params = {
            @Param(name = "path", required = true, description = "Path that accepts request bodies, appended to the target URL (or an absolute URL)."),
            @Param(name = "method", defaultValue = "POST", description = "HTTP method of the request."),
            @Param(name = "bytes", type = ParamType.INTEGER, defaultValue = "10485761",
                    description = "Size of the body, in bytes: one more than the largest body the service should accept."),
            @Param(name = "headers", type = ParamType.MAP,
                    description = "Request headers, e.g. `{ Authorization: \"Bearer ${API_TOKEN}\", Content-Type: application/json }` (masked in every report). The body is `application/octet-stream` unless a Content-Type is given.")
        })
public final class BodyLimitCheck implements Check {
    static final long MAX_BYTES = 10L << 30;
    private static final int CHUNK = 64 * 1024;
    private static final Duration AFTER_WRITE_FAILURE = Duration.ofSeconds(3);
    private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection", "expect");
    private static final Set<Integer> TURNED_AWAY = Set.of(401, 403, 404, 405, 407);

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String path = p.string("path");
        String method = p.string("method").toUpperCase(Locale.ROOT);
        long bytes = p.integer("bytes");
        Map<String, Object> headers = p.map("headers");
        URI uri = HttpProbe.resolve(ctx.requireUrl(), path);
        String size = size(bytes);
        Outcome out = new Outcome();
        out.evidence("> " + method + " " + uri + " with Content-Length: " + bytes + " (" + size + ")"
                + (headers.isEmpty() ? "" : ", headers " + String.join(", ", headers.keySet())));

        AtomicInteger statusSeen = new AtomicInteger(-1);
        long sent = 0;
        IOException writeFailure = null;
        RawHttp.Head head;
        long start = 0;
        try (RawHttp.Connection c = RawHttp.open(ctx, uri)) {
            OutputStream os = c.socket().getOutputStream();
            boolean typed = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
            String request = method + " " + RawHttp.target(uri) + " HTTP/1.1\r\n"
                    + "Host: " + RawHttp.hostHeader(uri) + "\r\n"
                    + "User-Agent: " + HttpProbe.USER_AGENT + "\r\n"
                    + (typed ? "" : "Content-Type: application/octet-stream\r\n")
                    + "Content-Length: " + bytes + "\r\n"
                    + "Connection: close\r\n"
                    + RawHttp.fields(headers)
                    + "\r\n";
            start = System.nanoTime();
            os.write(request.getBytes(StandardCharsets.ISO_8859_1));
            os.flush();

            // The reader owns the deadline (the socket's read timeout is the time left) and, once
            // it has a response or gives up, closes the connection: that also frees a writer blocked
            // on a server that stopped reading.
            CompletableFuture<RawHttp.Head> response = new CompletableFuture<>();
            var input = c.socket().getInputStream();
            Thread reader = Thread.ofVirtual().name("body-limit-reader").start(() -> {
                try {
                    response.complete(RawHttp.readHead(input, statusSeen::set));
                } catch (Throwable t) {
                    response.completeExceptionally(t);
                } finally {
                    c.abort();
                }
            });

            byte[] chunk = new byte[CHUNK];
            Arrays.fill(chunk, (byte) 'a');
            try {
                while (sent < bytes && statusSeen.get() < 0 && !response.isDone()) {
                    int n = (int) Math.min(chunk.length, bytes - sent);
                    os.write(chunk, 0, n);
                    sent += n;
                }
                os.flush();
            } catch (IOException e) {
                // A write that fails because the reader closed the socket after a response is no failure.
                if (statusSeen.get() < 0 && !response.isDone()) {
                    writeFailure = e;
                }
            }

            Duration wait = ctx.remaining();
            if (writeFailure != null && statusSeen.get() < 0 && wait.compareTo(AFTER_WRITE_FAILURE) > 0) {
                wait = AFTER_WRITE_FAILURE;
            }
            try {
                head = response.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                c.abort();
                reader.join(1000);
                return noResponse(out, writeFailure, null, sent, bytes);
            } catch (ExecutionException e) {
                return noResponse(out, writeFailure, e.getCause(), sent, bytes);
            }
        }
        double ms = (System.nanoTime() - start) / 1e6;
        out.metric("bytes_sent", sent);
        String when = sent == 0 ? "before any of it was sent"
                : sent < bytes ? "after " + size(sent) + " of it had been sent" : "after the whole body was sent";
        out.evidence(head.evidence("Content-Type", "Connection", "Location", "WWW-Authenticate", "Allow"));
        out.evidence("sent " + sent + " of " + bytes + " body bytes; response " + Math.round(ms) + " ms after the request headers"
                + (writeFailure == null ? "" : "; sending stopped: " + RawHttp.describe(writeFailure)));

        int status = head.status();
        String answered = method + " " + path + " answered " + status;
        if (status == 413) {
            return out.result("refused a " + size + " body with 413 " + when);
        }
        if (status >= 200 && status < 300) {
            out.fail("http.body-limit.accepted", "accepted a " + size + " body: " + answered + " " + when + ", not 413");
        } else if (status >= 500 && status < 600) {
            out.fail("http.body-limit.server-error", answered + " to a " + size + " body: the server fell over instead of refusing it with 413");
        } else if (TURNED_AWAY.contains(status) || (status >= 300 && status < 400)) {
            return out.error(answered + head.header("Location").map(l -> " (redirect to " + l + ")").orElse("")
                    + " before the body limit could be seen; give the check credentials with headers, or a path that accepts " + method);
        } else if (status >= 400 && status < 500) {
            out.warn("http.body-limit.status", answered + " to a " + size + " body " + when + ": a refusal, but not 413 Content Too Large");
        } else {
            return out.error(answered + ", which is not a final answer to the body; cannot tell whether it is limited");
        }
        return out.result("");
    }

    /**
     * No HTTP answer at all: closed, reset or silent ({@code readFailure} null: the wait ran out).
     * Refusing and crashing look the same from here.
     */
    private static CheckResult noResponse(Outcome out, IOException writeFailure, Throwable readFailure, long sent, long bytes)
            throws IOException {
        out.metric("bytes_sent", sent);
        String progress = "after " + sent + " of " + bytes + " body bytes";
        if (readFailure == null && writeFailure != null) {
            return out.error("sending failed " + progress + " (" + RawHttp.describe(writeFailure)
                    + ") and no HTTP response came: the server may have refused the body or crashed; cannot tell which");
        }
        if (readFailure == null || readFailure instanceof SocketTimeoutException) {
            return out.error("no response " + progress + " before the item's deadline");
        }
        if (!(readFailure instanceof IOException read)) {
            throw new IOException("reading the response failed: " + readFailure, readFailure);
        }
        if (read.getMessage() != null && read.getMessage().startsWith("the answer is not HTTP")) {
            return out.error(read.getMessage());
        }
        // Whether the reader sees end of stream or a reset depends on which socket call meets the
        // reset first; both mean the connection ended without an answer.
        String how = read instanceof EOFException
                ? (writeFailure != null ? RawHttp.describe(writeFailure) : "closed by the server")
                : RawHttp.describe(read);
        return out.error("the connection ended " + progress + " with no HTTP response (" + how
                + "): the server may have refused the body or crashed; cannot tell which");
    }

    /** {@code 10.0 MiB}, {@code 512.0 KiB}, {@code 900 bytes}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        if (!p.string("method").matches("[A-Za-z]+")) {
            problems.add("method '" + p.string("method") + "' is not an HTTP method");
        }
        long bytes = p.integer("bytes");
        if (bytes < 1 || bytes > MAX_BYTES) {
            problems.add("bytes must be between 1 and " + MAX_BYTES + " (10 GiB), got " + bytes);
        }
        problems.addAll(RawHttp.headerProblems(p.map("headers"), RESERVED));
        return problems;
    }
}
