package dev.airworthy.checks.http;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

@AutoService(Check.class)
@CheckInfo(
        id = "http.compression",
        title = "Text responses are compressed",
        category = Category.HTTP,
        severity = Severity.LOW,
        summary = """
                Fetches a page with `Accept-Encoding: gzip, br`. When the response is 2xx, text-like \
                (`text/*`, JSON, JavaScript, XML, SVG, `application/*+json`, `application/*+xml`) and \
                its decoded body is `min-size` bytes or more (default 2048, Spring Boot's \
                `server.compression.min-response-size`), it must carry `Content-Encoding` gzip, br, zstd or \
                deflate, or the check fails. A gzip or deflate body must also decode (airworthy \
                decompresses at most 1 MiB, so a compression bomb costs nothing); one that does not \
                fails. Brotli and zstd cannot be decoded with the JDK: they are accepted on the header, \
                and the evidence says so. An encoding the request did not offer (zstd, deflate) warns: \
                clients that lack it cannot read the page. Bodies under `min-size`, non-text types, \
                responses without a Content-Type and redirects are skipped with the reason; a 4xx or 5xx \
                answer is an error. Metrics: `body_bytes` (decoded), `encoded_bytes` (on the wire) and \
                `ratio` (decoded / encoded).""",
        rationale = """
                HTML, JSON, CSS and JavaScript shrink three to ten times under gzip or Brotli. Without \
                compression every page load moves several times the bytes, which users on mobile \
                networks feel as latency and the operator pays for as egress.""",
        remediation = """
                Enable compression at the reverse proxy or CDN, for example in nginx:

                ```nginx
                gzip on;
                gzip_types text/css application/javascript application/json image/svg+xml;
                gzip_min_length 1024;
                gzip_vary on;
                ```

                Frameworks have middleware too (`compression` for Express, `GZipMiddleware` in Django \
                and Starlette, `server.compression.enabled=true` in Spring Boot). Do not compress \
                responses that mix secrets with attacker-controlled text (BREACH).""",
        example = """
                - id: compression
                  title: Home page is compressed
                  check: http.compression
                  with: { path: / }""",
        references = {"https://www.rfc-editor.org/rfc/rfc9110#name-content-encoding",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Compression",
            "https://www.rfc-editor.org/rfc/rfc1952",
            "https://www.rfc-editor.org/rfc/rfc7932"},
        params = {
            @Param(name = "path", defaultValue = "/", description = "Page to fetch."),
            @Param(name = "min-size", type = ParamType.INTEGER, defaultValue = "2048",
                    description = "Smallest body, in bytes (decoded), that must be compressed. 2048 is Spring Boot's default; "
                            + "nginx's `gzip_min_length` defaults to 20, and 1024 is common.")
        })
public final class CompressionCheck implements Check {
    /** The most airworthy ever decompresses of one body. */
    static final int MAX_DECODED = HttpProbe.MAX_BODY;
    private static final String ACCEPT = "gzip, br";
    private static final Set<String> OFFERED = Set.of("gzip", "x-gzip", "br");
    private static final Set<String> TEXT = Set.of("application/json", "application/javascript", "application/x-javascript",
            "application/ecmascript", "application/xml", "image/svg+xml");

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        long minSize = ctx.params().integer("min-size");
        Exchange x = HttpProbe.of(ctx).send(ctx, "GET", HttpProbe.resolve(ctx.requireUrl(), path),
                Map.of("Accept-Encoding", ACCEPT), null);
        Outcome out = new Outcome();
        out.evidence("> Accept-Encoding: " + ACCEPT);
        out.evidence(x.summary());
        for (String h : List.of("Content-Type", "Content-Encoding", "Content-Length", "Vary")) {
            x.headerValues(h).forEach(v -> out.evidence("< " + h + ": " + v));
        }
        if (x.status() >= 300 && x.status() < 400) {
            throw new NotApplicable(path + " answered " + x.status() + " (a redirect" + x.header("Location").map(l -> " to " + l).orElse("")
                    + "); set path to a page that answers 2xx");
        }
        if (x.status() >= 400) {
            return out.error(path + " answered " + x.status() + ": cannot judge the compression of an error; set path to a page that answers 2xx");
        }
        String type = x.header("Content-Type").map(CompressionCheck::mediaType).orElse("");
        if (type.isEmpty()) {
            throw new NotApplicable(path + " has no Content-Type, so airworthy cannot tell whether it is text");
        }
        if (!textLike(type)) {
            throw new NotApplicable(path + " is " + type + ", not a text type (images, archives and video are compressed already)");
        }
        if (x.body().length == 0) {
            throw new NotApplicable(path + " answered " + x.status() + " with an empty body: nothing to compress");
        }
        List<String> codings = x.headerValues("Content-Encoding").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(c -> c.strip().toLowerCase(Locale.ROOT))
                .filter(c -> !c.isEmpty() && !c.equals("identity"))
                .toList();
        String more = x.truncated() ? "more than " : "";
        out.metric("encoded_bytes", x.body().length);

        if (codings.isEmpty()) {
            if (x.body().length < minSize) {
                throw new NotApplicable(path + " body is " + x.body().length + " bytes, under min-size (" + minSize
                        + " bytes): too small to gain from compression");
            }
            out.metric("body_bytes", x.body().length);
            out.metric("ratio", 1.0);
            out.fail("http.compression.uncompressed", path + " sent " + more + x.body().length + " bytes of " + type
                    + " uncompressed although the request accepted " + ACCEPT);
            return out.result("");
        }
        for (String c : codings) {
            if (!OFFERED.contains(c) && (c.equals("zstd") || c.equals("deflate"))) {
                out.warn("http.compression.unrequested-encoding", path + " is encoded with " + c
                        + ", which the request did not accept (" + ACCEPT + "): clients without " + c + " cannot read it");
            }
        }
        List<String> unknown = codings.stream()
                .filter(c -> !Set.of("gzip", "x-gzip", "br", "zstd", "deflate").contains(c)).toList();
        if (!unknown.isEmpty()) {
            out.fail("http.compression.unknown-encoding", path + " declares Content-Encoding " + String.join(", ", unknown)
                    + ", which is not gzip, br, zstd or deflate");
            return out.result("");
        }
        if (codings.stream().anyMatch(c -> c.equals("br") || c.equals("zstd"))) {
            out.evidence("the JDK cannot decode " + String.join(", ", codings) + ": accepted on the Content-Encoding header, body not verified");
            return out.result(path + " is compressed (" + String.join(", ", codings) + ", " + more + x.body().length + " bytes on the wire)");
        }
        Decoded d;
        try {
            d = decode(x.body(), codings, x.truncated());
        } catch (IOException e) {
            out.fail("http.compression.undecodable", path + " declares Content-Encoding " + String.join(", ", codings)
                    + " but the body does not decode: " + e.getMessage());
            return out.result("");
        }
        if (!d.capped() && d.size() < minSize && !x.truncated()) {
            throw new NotApplicable(path + " body is " + d.size() + " bytes decoded, under min-size (" + minSize
                    + " bytes): too small to matter (it is " + String.join(", ", codings) + " encoded)");
        }
        out.metric("body_bytes", d.size());
        if (x.body().length > 0) {
            out.metric("ratio", Math.round(100.0 * d.size() / x.body().length) / 100.0);
        }
        String decoded = (d.capped() ? "more than " : more) + d.size() + " bytes";
        out.evidence("decoded " + decoded + " from " + more + x.body().length + " bytes of " + String.join(", ", codings)
                + (d.capped() ? " (decoding stops at 1 MiB)" : ""));
        return out.result(path + " is compressed (" + String.join(", ", codings) + ": " + decoded + " in "
                + more + x.body().length + " on the wire)");
    }

    record Decoded(int size, boolean capped) {
    }

    /**
     * Decodes gzip and deflate codings, applied in the order listed, reading at most
     * {@link #MAX_DECODED} bytes. A body cut short by the probe's cap decodes as far as it goes.
     *
     * @throws IOException when the body is not what its coding says
     */
    static Decoded decode(byte[] body, List<String> codings, boolean truncated) throws IOException {
        byte[] data = body;
        for (int i = codings.size() - 1; i >= 0; i--) {
            String c = codings.get(i);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            boolean capped = false;
            boolean cut = false;
            try (InputStream in = c.equals("deflate") ? inflater(data) : new GZIPInputStream(new ByteArrayInputStream(data))) {
                int n;
                while ((n = in.read(buf, 0, Math.min(buf.length, MAX_DECODED + 1 - out.size()))) > 0) {
                    out.write(buf, 0, n);
                    if (out.size() > MAX_DECODED) {
                        capped = true;
                        break;
                    }
                }
            } catch (EOFException e) {
                if (!truncated) {
                    throw new IOException("the " + c + " stream ends early", e);
                }
                // The probe cut the body at 1 MiB: what decoded so far is all there is to judge.
                cut = true;
            } catch (java.util.zip.ZipException e) {
                throw new IOException(e.getMessage() == null ? "not " + c + " data" : e.getMessage(), e);
            }
            data = capped ? Arrays.copyOf(out.toByteArray(), MAX_DECODED) : out.toByteArray();
            if (capped || cut) {
                return new Decoded(data.length, true);
            }
        }
        return new Decoded(data.length, false);
    }

    /** RFC 9110 deflate is zlib-wrapped; some servers send raw deflate, which browsers also accept. */
    private static InputStream inflater(byte[] data) {
        boolean zlib = data.length >= 2 && (data[0] & 0x0f) == 8 && ((data[0] & 0xff) << 8 | (data[1] & 0xff)) % 31 == 0;
        return new InflaterInputStream(new ByteArrayInputStream(data), new Inflater(!zlib)) {
            @Override
            public void close() throws IOException {
                super.close();
                inf.end();
            }
        };
    }

    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    static boolean textLike(String type) {
        return type.startsWith("text/") || TEXT.contains(type)
                || (type.startsWith("application/") && (type.endsWith("+json") || type.endsWith("+xml")));
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        if (p.integer("min-size") < 0) {
            problems.add("min-size must be 0 or more bytes");
        } else if (p.integer("min-size") > HttpProbe.MAX_BODY) {
            problems.add("min-size must be at most " + HttpProbe.MAX_BODY + " bytes (airworthy reads at most 1 MiB of a body)");
        }
        return problems;
    }
}
