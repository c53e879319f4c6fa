package dev.airworthy.checks.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One request and its response, the body capped; {@code elapsedMs} runs from send to the last byte read. */
public record Exchange(String method, URI uri, int status, HttpHeaders headers, byte[] body, boolean truncated,
        double elapsedMs) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVIDENCE_BODY_CHARS = 200;
    /** How much of the body evidence looks at: 2,000 characters or more, whatever the encoding. */
    private static final int EVIDENCE_SCAN_BYTES = 8192;

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** Where a redirect (a 3xx other than 304) sends the client, when it says. */
    public Optional<String> redirectLocation() {
        if (status < 300 || status > 399 || status == 304) {
            return Optional.empty();
        }
        return header("Location").map(String::strip).filter(l -> !l.isEmpty());
    }

    public List<String> headerValues(String name) {
        return headers.allValues(name);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as JSON, when it is one complete JSON document: a body with anything but whitespace
     * after the first value ({@code {"status":"ok"}{"status":"down"}}) is not JSON.
     */
    public Optional<JsonNode> json() {
        if (truncated || body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.reader()
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body))
                    .filter(n -> !n.isMissingNode());
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** The request line with its outcome: {@code GET http://host/health → 200 (12 ms, 15 bytes)}. */
    public String summary() {
        return method + " " + uri + " → " + status + " (" + Math.round(elapsedMs) + " ms, "
                + (truncated ? "more than " : "") + body.length + " bytes)";
    }

    /** The summary, the named response headers present, and the start of the body on one line. */
    public List<String> evidence(String... headerNames) {
        List<String> lines = new ArrayList<>();
        lines.add(summary());
        for (String h : headerNames) {
            for (String v : headers.allValues(h)) {
                lines.add("< " + canonical(h) + ": " + v);
            }
        }
        if (body.length > 0) {
            lines.add("< body: " + bodyStart());
        }
        return lines;
    }

    /**
     * The first {@link #EVIDENCE_BODY_CHARS} characters of the body, whitespace collapsed, read
     * from its first {@link #EVIDENCE_SCAN_BYTES} bytes: showing 200 characters never decodes or
     * scans a 1 MiB body.
     */
    private String bodyStart() {
        String head = new String(body, 0, Math.min(body.length, EVIDENCE_SCAN_BYTES), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < head.length() && sb.length() <= EVIDENCE_BODY_CHARS; i++) {
            char c = head.charAt(i);
            if (Character.isWhitespace(c)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            sb.append(c);
        }
        String text = sb.toString();
        return text.length() > EVIDENCE_BODY_CHARS ? text.substring(0, EVIDENCE_BODY_CHARS) + "…" : text;
    }

    static String canonical(String header) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : header.toLowerCase(Locale.ROOT).toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return sb.toString();
    }
}
