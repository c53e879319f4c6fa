package dev.airworthy.checks.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

@AutoService(Check.class)
@CheckInfo(
        id = "http.openapi",
        title = "OpenAPI document",
        category = Category.HTTP,
        severity = Severity.LOW,
        summary = """
                Fetches the service's OpenAPI (or Swagger 2.0) document, from `path` or else from the usual \
                locations in order (`/openapi.json`, `/openapi.yaml`, `/v3/api-docs`, `/swagger.json`, \
                `/swagger/v1/swagger.json`, `/api-docs`, `/docs/openapi.json`, `/api/openapi.json`; the first \
                200 whose body is a JSON or YAML mapping declaring `openapi` or `swagger` wins, an HTML page \
                or an unrelated JSON answer is skipped), and checks its structure. Passes for OpenAPI 3.x \
                (`openapi` a string `3.x.y`, `info` with string `title` and `version`, `paths` a non-empty \
                object whose keys start with `/`, every path item and operation an object) and for Swagger \
                2.0 (`swagger: "2.0"`, the same `info` and `paths`). Fails with the precise problem (paths is \
                empty, `openapi: 2.0` where Swagger 2 uses `swagger`, an unquoted YAML number as version), \
                when the document does not parse, or when no location has one (listing what was tried). \
                Warns when `info.version` or `info.title` is a number rather than a string, when an OpenAPI \
                3.1 (or later) document has no paths but webhooks or components (valid since 3.1, where a \
                document needs one of the three, but describing no operation to call), and when the document needs credentials (401/403): the \
                check could not read it. A document larger than 1 MiB is an error (it cannot be read whole). \
                This is a structural check, not a full schema validation: schemas, `$ref`s, parameters and \
                responses are not validated; use a validator such as Spectral or swagger-cli in CI for that.""",
        rationale = """
                A published, machine-readable API description is how client teams, API gateways, contract \
                tests and security scanners learn what the service exposes. One that is missing, unparseable \
                or empty breaks generated clients and hides endpoints from review.""",
        remediation = """
                Serve the document your framework generates (springdoc: `/v3/api-docs`; FastAPI: \
                `/openapi.json`; ASP.NET Swashbuckle: `/swagger/v1/swagger.json`) or a checked-in file, and \
                set `path` when it lives elsewhere. A minimal valid document:

                ```yaml
                openapi: "3.0.3"        # a string; unquoted 3.0 is a YAML number
                info: { title: Orders API, version: "1.4.0" }
                paths:
                  /orders:
                    get: { responses: { "200": { description: OK } } }
                ```

                Validate it fully in CI, for example with `npx @redocly/cli lint openapi.yaml`.""",
        example = """
                - id: openapi
                  title: OpenAPI document is published
                  check: http.openapi
                  with: { path: /v3/api-docs }""",
        references = {"https://spec.openapis.org/oas/v3.1.0",
            "https://spec.openapis.org/oas/v3.0.3",
            "https://swagger.io/specification/v2/",
            "https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/"},
        params = {
            @Param(name = "path", description = """
                    Path (or absolute URL) of the document. Without it the check tries /openapi.json, \
                    /openapi.yaml, /v3/api-docs, /swagger.json, /swagger/v1/swagger.json, /api-docs, \
                    /docs/openapi.json and /api/openapi.json in that order.""")
        })
public final class OpenApiCheck implements Check {
    static final List<String> LOCATIONS = List.of("/openapi.json", "/openapi.yaml", "/v3/api-docs", "/swagger.json",
            "/swagger/v1/swagger.json", "/api-docs", "/docs/openapi.json", "/api/openapi.json");
    private static final Set<String> METHODS_3 = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> METHODS_2 = Set.of("get", "put", "post", "delete", "options", "head", "patch");
    private static final Pattern OPENAPI_3 = Pattern.compile("3\\.\\d+\\.\\d+(-.+)?");
    /** OpenAPI 3.1 and later, where paths is optional. */
    private static final Pattern PATHS_OPTIONAL = Pattern.compile("3\\.([1-9]|\\d{2,})\\..*");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final int MAX_KEY_FINDINGS = 5;

    /** What one location gave. */
    private sealed interface Fetched {
    }

    /** A parsed mapping. */
    private record Doc(Exchange x, Map<?, ?> map) implements Fetched {
        boolean declares() {
            return map.containsKey("openapi") || map.containsKey("swagger");
        }
    }

    /**
     * A 200 whose body is not a mapping: {@code problem} in full, {@code brief} for the list of locations
     * tried; {@code looksLikeApi} when it mentions openapi or swagger and is not HTML.
     */
    private record Unparsed(Exchange x, String problem, String brief, boolean looksLikeApi) implements Fetched {
    }

    private record Other(Exchange x) implements Fetched {
    }

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        HttpProbe probe = HttpProbe.of(ctx);
        Outcome out = new Outcome();
        Optional<String> given = ctx.params().optionalString("path");
        List<String> paths = given.map(List::of).orElse(LOCATIONS);
        List<String> tried = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        Doc chosen = null;
        Unparsed broken = null;
        Exchange tooLarge = null;
        Exchange locked = null;
        for (String path : paths) {
            Exchange x = probe.send(ctx, "GET", HttpProbe.resolve(ctx.requireUrl(), path),
                    Map.of("Accept", "application/json, application/yaml;q=0.9, */*;q=0.5"), null);
            Fetched f = read(x);
            tried.add(x.summary() + describe(f));
            outcomes.add(path + " " + x.status() + brief(f));
            // With no path given, only a mapping that declares openapi or swagger counts: a catch-all
            // route answering {"error": ...} with 200 is not the document.
            if (f instanceof Doc d && (d.declares() || given.isPresent())) {
                chosen = d;
                break;
            }
            if (f instanceof Unparsed u && (u.looksLikeApi() || given.isPresent()) && broken == null) {
                broken = u;
            } else if (f instanceof Other o && o.x().status() == 200 && o.x().truncated() && tooLarge == null) {
                tooLarge = o.x();
            } else if (f instanceof Other o && (o.x().status() == 401 || o.x().status() == 403) && locked == null) {
                locked = o.x();
            }
        }
        out.evidence(tried);
        if (chosen == null && broken != null) {
            out.fail("http.openapi.parse", pathOf(broken.x()) + ": " + broken.problem());
            return out.result("");
        }
        if (chosen == null && tooLarge != null) {
            return out.error(pathOf(tooLarge) + " answered 200 with a body larger than " + HttpProbe.MAX_BODY
                    + " bytes; the check cannot read the whole document");
        }
        if (chosen == null && locked != null) {
            out.warn("http.openapi.auth", pathOf(locked) + " answered " + locked.status()
                    + ": the document requires credentials, so the check could not read it");
            return out.result("");
        }
        if (chosen == null) {
            out.fail("http.openapi.not-found", given.isPresent()
                    ? "no OpenAPI document at " + String.join(", ", outcomes)
                    : "no OpenAPI document at any usual location (tried " + String.join(", ", outcomes)
                            + "); set path if it is served elsewhere");
            return out.result("");
        }
        Summary s = judge(chosen.map(), out);
        out.metric("paths", s.paths());
        out.metric("operations", s.operations());
        out.evidence(pathOf(chosen.x()) + ": " + s.kind() + ", " + count(s.paths(), "path") + ", " + count(s.operations(), "operation"));
        return out.result(pathOf(chosen.x()) + " is a structurally valid " + s.kind() + " document with "
                + count(s.paths(), "path") + " and " + count(s.operations(), "operation"));
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String pathOf(Exchange x) {
        String p = x.uri().getRawPath();
        return p == null || p.isEmpty() ? x.uri().toString() : p;
    }

    private static String describe(Fetched f) {
        return switch (f) {
            case Doc d -> d.declares() ? "" : ": a JSON or YAML mapping without openapi or swagger";
            case Unparsed u -> ": " + u.problem();
            case Other o -> o.x().truncated() && o.x().status() == 200 ? ": larger than 1 MiB"
                    : o.x().header("Location").map(l -> " (to " + l + ")").orElse("");
        };
    }

    private static String brief(Fetched f) {
        return switch (f) {
            case Doc d -> d.declares() ? "" : " (JSON or YAML without openapi or swagger)";
            case Unparsed u -> " (" + u.brief() + ")";
            case Other o -> o.x().truncated() && o.x().status() == 200 ? " (larger than 1 MiB)"
                    : o.x().header("Location").map(l -> " (to " + l + ")").orElse("");
        };
    }

    /** The body as a mapping, when the answer is a 200 that parses as JSON or YAML. */
    private static Fetched read(Exchange x) {
        if (x.status() != 200 || x.truncated()) {
            return new Other(x);
        }
        String text = x.bodyText();
        String trimmed = text.stripLeading();
        String type = x.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("html") || trimmed.startsWith("<")) {
            return new Unparsed(x, "an HTML page, not a JSON or YAML document", "an HTML page", false);
        }
        if (trimmed.isEmpty()) {
            return new Unparsed(x, "an empty body", "empty", false);
        }
        boolean mentions = trimmed.regionMatches(true, 0, "openapi", 0, 7) || text.contains("\"openapi\"")
                || text.contains("\"swagger\"") || text.contains("openapi:") || text.contains("swagger:");
        Object parsed;
        if (trimmed.startsWith("{") || trimmed.startsWith("[") || (type.contains("json") && !type.contains("yaml"))) {
            try {
                parsed = JSON.readValue(x.body(), Object.class);
            } catch (java.io.IOException e) {
                return new Unparsed(x, "not valid JSON: " + firstLine(e.getMessage()), "not valid JSON", mentions);
            }
        } else {
            try {
                parsed = yaml().loadFromString(text);
            } catch (YamlEngineException e) {
                return new Unparsed(x, "not valid YAML: " + firstLine(e.getMessage()), "not valid YAML", mentions);
            } catch (StackOverflowError e) {
                return new Unparsed(x, "not valid YAML: nested too deeply", "not valid YAML", mentions);
            }
        }
        if (parsed instanceof Map<?, ?> m) {
            return new Doc(x, m);
        }
        return new Unparsed(x, "not a JSON object or YAML mapping, so not an OpenAPI document", "not a JSON object or YAML mapping", mentions);
    }

    /** Bounded: at most 50 aliases (no "billion laughs"), at most the probe's body cap of code points. */
    private static Load yaml() {
        return new Load(LoadSettings.builder().setLabel("openapi")
                .setMaxAliasesForCollections(50)
                .setCodePointLimit(HttpProbe.MAX_BODY + 1)
                .setAllowRecursiveKeys(false)
                .build());
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "unreadable";
        }
        String line = m.strip().lines().findFirst().orElse("unreadable").strip();
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    record Summary(String kind, int paths, int operations) {
    }

    /** Records every structural problem of the document in {@code out}; returns what it describes. */
    static Summary judge(Map<?, ?> doc, Outcome out) {
        Object openapi = doc.get("openapi");
        Object swagger = doc.get("swagger");
        String kind;
        boolean v2;
        if (openapi != null && swagger != null) {
            out.fail("http.openapi.version", "the document declares both openapi (" + show(openapi) + ") and swagger ("
                    + show(swagger) + "); keep one");
            v2 = false;
            kind = "OpenAPI";
        } else if (openapi != null) {
            v2 = false;
            kind = "OpenAPI " + (openapi instanceof String s ? s : show(openapi));
            if (!(openapi instanceof String s)) {
                out.fail("http.openapi.version", "openapi is the " + typeName(openapi) + " " + show(openapi)
                        + ", not a string; quote it, e.g. openapi: \"3.0.3\"");
            } else if (s.strip().equals("2.0") || s.startsWith("2.")) {
                out.fail("http.openapi.version", "openapi is " + s + " but the field is openapi; Swagger 2 uses swagger: \"2.0\"");
            } else if (s.matches("3\\.\\d+")) {
                out.fail("http.openapi.version", "openapi is \"" + s + "\", not a full version such as \"" + s + ".0\"");
            } else if (!OPENAPI_3.matcher(s).matches()) {
                out.fail("http.openapi.version", "openapi is \"" + s + "\", not an OpenAPI 3.x version (3.x.y)");
            }
        } else if (swagger != null) {
            v2 = true;
            kind = "Swagger 2.0";
            if (!(swagger instanceof String s)) {
                out.fail("http.openapi.version", "swagger is the " + typeName(swagger) + " " + show(swagger)
                        + ", not a string; quote it: swagger: \"2.0\"");
            } else if (s.startsWith("3.")) {
                out.fail("http.openapi.version", "swagger is " + s + " but the field is swagger; OpenAPI 3 uses openapi: \"" + s + "\"");
            } else if (!s.equals("2.0")) {
                out.fail("http.openapi.version", "swagger is \"" + s + "\"; Swagger 2 requires exactly swagger: \"2.0\"");
            }
        } else {
            out.fail("http.openapi.version", "the document has neither an openapi nor a swagger field, so it is not an OpenAPI document");
            v2 = false;
            kind = "unversioned";
        }

        Object info = doc.get("info");
        if (info == null) {
            out.fail("http.openapi.info", "info is missing (it needs title and version)");
        } else if (!(info instanceof Map<?, ?> im)) {
            out.fail("http.openapi.info", "info is a " + typeName(info) + ", not an object");
        } else {
            for (String field : List.of("title", "version")) {
                Object v = im.get(field);
                if (v == null) {
                    out.fail("http.openapi.info", "info." + field + " is missing");
                } else if (v instanceof Number || v instanceof Boolean) {
                    out.warn("http.openapi.info", "info." + field + " is the " + typeName(v) + " " + show(v)
                            + "; the specification requires a string (quote it)");
                } else if (!(v instanceof String)) {
                    out.fail("http.openapi.info", "info." + field + " is a " + typeName(v) + ", not a string");
                } else if (((String) v).isBlank()) {
                    out.fail("http.openapi.info", "info." + field + " is empty");
                }
            }
        }

        Object paths = doc.get("paths");
        int pathCount = 0;
        int operations = 0;
        // From OpenAPI 3.1 on, paths is optional: a document needs one of paths, components and webhooks.
        boolean pathsOptional = !v2 && openapi instanceof String s && PATHS_OPTIONAL.matcher(s).matches();
        boolean webhooksOnly = pathsOptional && doc.get("webhooks") instanceof Map<?, ?> w && !w.isEmpty();
        boolean componentsOnly = pathsOptional && doc.get("components") instanceof Map<?, ?> c && !c.isEmpty();
        if (paths == null) {
            if (webhooksOnly) {
                out.warn("http.openapi.paths", "paths is missing: the document describes only webhooks");
            } else if (componentsOnly) {
                out.warn("http.openapi.paths", "paths is missing: the document describes no operations, only components "
                        + "(valid from OpenAPI 3.1 on, but there is no endpoint to call)");
            } else {
                out.fail("http.openapi.paths", "paths is missing" + (pathsOptional
                        ? ", and components and webhooks are missing or empty: the document needs at least one of them" : ""));
            }
        } else if (!(paths instanceof Map<?, ?> pm)) {
            out.fail("http.openapi.paths", "paths is a " + typeName(paths) + ", not an object");
        } else {
            Set<String> methods = v2 ? METHODS_2 : METHODS_3;
            int badKeys = 0;
            for (Map.Entry<?, ?> e : pm.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.startsWith("x-")) {
                    continue; // a specification extension, not a path
                }
                if (!key.startsWith("/")) {
                    if (badKeys++ < MAX_KEY_FINDINGS) {
                        out.fail("http.openapi.paths", "paths key \"" + key + "\" does not start with /");
                    }
                    continue;
                }
                pathCount++;
                Object item = e.getValue();
                if (!(item instanceof Map<?, ?> im)) {
                    if (badKeys++ < MAX_KEY_FINDINGS) {
                        out.fail("http.openapi.paths", "path item " + key + " is " + (item == null ? "null" : "a " + typeName(item))
                                + ", not an object");
                    }
                    continue;
                }
                for (Map.Entry<?, ?> op : im.entrySet()) {
                    String method = String.valueOf(op.getKey());
                    if (!methods.contains(method)) {
                        continue;
                    }
                    if (op.getValue() instanceof Map) {
                        operations++;
                    } else if (badKeys++ < MAX_KEY_FINDINGS) {
                        out.fail("http.openapi.paths", "operation " + method + " " + key + " is "
                                + (op.getValue() == null ? "null" : "a " + typeName(op.getValue())) + ", not an object");
                    }
                }
            }
            if (badKeys > MAX_KEY_FINDINGS) {
                out.fail("http.openapi.paths", "and " + (badKeys - MAX_KEY_FINDINGS) + " more problems under paths");
            }
            if (pathCount == 0 && badKeys == 0) {
                if (webhooksOnly) {
                    out.warn("http.openapi.paths", "paths is empty: the document describes only webhooks");
                } else if (componentsOnly && pm.isEmpty()) {
                    out.warn("http.openapi.paths", "paths is empty: the document describes no operations, only components");
                } else {
                    out.fail("http.openapi.paths", pm.isEmpty() ? "paths is empty" : "paths has no path, only extensions (x-)");
                }
            }
        }
        return new Summary(kind, pathCount, operations);
    }

    private static String typeName(Object v) {
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Map) {
            return "object";
        }
        if (v instanceof List) {
            return "list";
        }
        return v instanceof String ? "string" : v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String show(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    @Override
    public List<String> validate(Params p) {
        return p.optionalString("path").map(path -> HttpProbe.pathProblems("path", path)).orElse(List.of());
    }
}
