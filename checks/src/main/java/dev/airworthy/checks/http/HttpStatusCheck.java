package dev.airworthy.checks.http;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@AutoService(Check.class)
@CheckInfo(
        id = "http.status",
        title = "HTTP smoke test",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Sends one request to the target and compares the response with what the item expects: \
                the status code, text in the body, values in a JSON body (by JSON pointer), response \
                headers, and an optional latency budget. Redirects are not followed: a 301 is a 301.""",
        rationale = """
                Smoke tests are the first lines of every go-live checklist ("`/api/v1/modules` returns \
                200 with a list", "`/version` shows the release"). Run on every deploy, they catch a \
                broken route, a wrong build or a missing migration before users do.""",
        remediation = """
                Read the evidence: the request, the status and the start of the body. A 404 usually means \
                a route or a base path changed; a 5xx, that the service or one of its dependencies is \
                failing (check its logs); a JSON mismatch, that the wrong build or configuration is deployed.""",
        example = """
                - id: modules-list
                  title: Module list responds
                  check: http.status
                  with: { path: /api/v1/modules/, status: 200, json: { /0/id: 1 }, max-latency-ms: 500 }""",
        references = {"https://developer.mozilla.org/en-US/docs/Web/HTTP/Status",
            "https://datatracker.ietf.org/doc/html/rfc6901"},
        params = {
            @Param(name = "method", defaultValue = "GET", description = "HTTP method."),
            @Param(name = "path", defaultValue = "/", description = "Path appended to the target URL, or an absolute URL."),
            @Param(name = "status", type = ParamType.INTEGER, defaultValue = "200", description = "Expected status code."),
            @Param(name = "body-contains", description = "Text the body must contain."),
            @Param(name = "json", type = ParamType.MAP,
                    description = "JSON pointer → expected value, e.g. `{ /status: ok, /items/0/id: 1 }`."),
            @Param(name = "header", type = ParamType.MAP,
                    description = "Response header name → expected value (exact, case-sensitive value)."),
            @Param(name = "max-latency-ms", type = ParamType.INTEGER, description = "Fails when the response takes longer."),
            @Param(name = "headers", type = ParamType.MAP,
                    description = "Request headers, e.g. `{ Authorization: \"Bearer ${API_TOKEN}\" }` (masked in every report)."),
            @Param(name = "body", description = "Request body, sent as is.")
        })
public final class HttpStatusCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String method = p.string("method").toUpperCase(Locale.ROOT);
        Exchange x = HttpProbe.of(ctx).send(ctx, method, HttpProbe.resolve(ctx.requireUrl(), p.string("path")),
                p.map("headers"), p.optionalString("body").orElse(null));
        Outcome out = new Outcome();
        out.evidence(x.evidence(p.map("header").keySet().toArray(String[]::new)));
        out.metric("latency_ms", x.elapsedMs());

        long expected = p.integer("status");
        if (x.status() != expected) {
            out.fail("http.status.status", method + " " + p.string("path") + " returned " + x.status() + ", expected " + expected);
        }
        p.optionalString("body-contains").ifPresent(text -> {
            if (!x.bodyText().contains(text)) {
                out.fail("http.status.body", "body does not contain '" + text + "'"
                        + (x.truncated() ? " in its first " + HttpProbe.MAX_BODY + " bytes" : ""));
            }
        });
        if (!p.map("json").isEmpty()) {
            Optional<JsonNode> json = x.json();
            if (json.isEmpty()) {
                out.fail("http.status.json", "body is not JSON" + (x.truncated() ? " (or larger than 1 MiB)" : ""));
            } else {
                for (var e : p.map("json").entrySet()) {
                    jsonMismatch(json.get(), e.getKey(), e.getValue()).ifPresent(m -> out.fail("http.status.json", m));
                }
            }
        }
        for (var e : p.map("header").entrySet()) {
            String want = String.valueOf(e.getValue());
            List<String> got = x.headerValues(e.getKey());
            if (got.isEmpty()) {
                out.fail("http.status.header", "response has no " + e.getKey() + " header, expected '" + want + "'");
            } else if (!got.contains(want)) {
                out.fail("http.status.header", e.getKey() + " is '" + String.join(", ", got) + "', expected '" + want + "'");
            }
        }
        p.optionalInteger("max-latency-ms").ifPresent(max -> {
            if (x.elapsedMs() > max) {
                out.fail("http.status.latency", "took " + Math.round(x.elapsedMs()) + " ms, budget " + max + " ms");
            }
        });
        return out.result(method + " " + p.string("path") + " → " + x.status() + " in " + Math.round(x.elapsedMs()) + " ms, as expected");
    }

    /** Compares by JSON type: a YAML number matches a JSON number of the same value, text matches text. */
    static Optional<String> jsonMismatch(JsonNode root, String pointer, Object want) {
        JsonNode node = root.at(pointer);
        if (node.isMissingNode()) {
            return Optional.of("JSON has nothing at " + pointer + ", expected " + show(want));
        }
        boolean equal;
        if (want == null) {
            equal = node.isNull();
        } else if (want instanceof Number n) {
            equal = node.isNumber() && node.decimalValue().compareTo(new java.math.BigDecimal(n.toString())) == 0;
        } else if (want instanceof Boolean b) {
            equal = node.isBoolean() && node.booleanValue() == b;
        } else {
            equal = node.isTextual() && node.textValue().equals(want.toString());
        }
        return equal ? Optional.empty()
                : Optional.of("JSON " + pointer + " is " + node + ", expected " + show(want));
    }

    private static String show(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        long status = p.integer("status");
        if (status < 100 || status > 599) {
            problems.add("status " + status + " is not an HTTP status (100-599)");
        }
        for (String pointer : p.map("json").keySet()) {
            if (!pointer.isEmpty() && !pointer.startsWith("/")) {
                problems.add("JSON pointer '" + pointer + "' must start with '/' (RFC 6901), e.g. /status");
            }
        }
        if (!p.string("method").matches("[A-Za-z]+")) {
            problems.add("method '" + p.string("method") + "' is not an HTTP method");
        }
        problems.addAll(HttpProbe.headerProblems(p.map("headers")));
        return problems;
    }
}
