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
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@AutoService(Check.class)
@CheckInfo(
        id = "http.ready",
        title = "Readiness endpoint",
        category = Category.HTTP,
        severity = Severity.HIGH,
        summary = """
                Requests the readiness endpoint once, without credentials, and reads the dependency checks \
                its JSON body reports. It understands Spring Boot actuator (`components`, nested, and the \
                older `details`), the IETF health-check draft (`checks` of arrays), MicroProfile Health \
                (`checks` as a list of `{name, status}`), ASP.NET Core's UIResponseWriter (`entries`) and \
                generic maps (`checks`, `dependencies`, `details` holding `"db": "ok"`, booleans or \
                `{status: ...}`). Passes when it answers 200 (another 2xx is read the same way) and reports \
                at least one dependency, every one of them healthy (ok, up, pass, passing, healthy, green, \
                true, ready, serving, available or online, in any case) and no unhealthy overall `status`. \
                Spring Boot's built-in `readinessState`, `livenessState` and `ping` indicators are judged \
                but do not count as dependencies: a body reporting only them warns. Fails on an unhealthy \
                dependency (naming it and its status; for nested components the innermost one), on an \
                unhealthy overall status, on 503 (listing the unhealthy dependencies in its body), on \
                401/403, on any other non-2xx answer, and on an HTML page (Content-Type html with markup, \
                or a body starting with `<` not declared XML), the answer of a single-page app's fallback \
                route rather than a readiness endpoint. Warns when the body reports no dependency checks \
                (a plain `ok`, `{"status":"ok"}`), is not JSON (two JSON documents in one body are not \
                JSON), or a dependency reports `warn` (the IETF draft's "healthy, with concerns") or a \
                status the check does not recognise (such as `connected`). A body larger than 1 MiB is an \
                error: the check cannot read it all.""",
        rationale = """
                Readiness decides whether a replica gets traffic: Kubernetes readiness probes, load balancer \
                health checks and rolling deploys all wait on it. One that says ready without looking at the \
                database, cache or queue the service needs sends users to a replica that cannot serve them, \
                and lets a broken deploy roll out. One behind a login cannot be probed at all.""",
        remediation = """
                Serve readiness without authentication and make it check what the service cannot work \
                without, reporting each dependency by name; answer 503 when one is down. In Spring Boot:

                ```properties
                management.endpoint.health.probes.enabled=true
                management.endpoint.health.group.readiness.include=readinessState,db,redis
                management.endpoint.health.group.readiness.show-components=always
                ```

                Elsewhere return, for example, `{"status":"ok","checks":{"db":"ok","redis":"ok"}}` with 200, \
                and 503 with the failing check marked. Keep liveness (`/health`) shallow: a database outage \
                should take replicas out of rotation, not restart them.""",
        example = """
                - id: ready
                  title: Readiness reports its dependencies up
                  check: http.ready
                  with: { path: /actuator/health/readiness }""",
        references = {"https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
            "https://datatracker.ietf.org/doc/html/draft-inadarei-api-health-check",
            "https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.kubernetes-probes",
            "https://github.com/eclipse/microprofile-health"},
        params = {
            @Param(name = "path", defaultValue = "/ready", description = "Path of the readiness endpoint, or an absolute URL.")
        })
public final class ReadyCheck implements Check {
    static final Set<String> HEALTHY = Set.of("ok", "up", "pass", "passing", "healthy", "green", "true", "ready", "serving",
            "available", "online");
    /**
     * Spring Boot's built-in indicators: the application's own availability states and {@code ping},
     * which is always up. They are judged, but they are not dependencies.
     */
    private static final Set<String> BUILT_IN = Set.of("readinessstate", "livenessstate", "ping");
    private static final String HEALTHY_LIST = "ok, up, pass, passing, healthy, green, true, ready, serving, available, online";
    private static final Set<String> WARN_WORDS = Set.of("warn", "warning");
    private static final Set<String> UNHEALTHY_WORDS = Set.of("down", "fail", "failed", "failing", "failure", "error",
            "errored", "unhealthy", "red", "false", "out_of_service", "out-of-service", "out of service", "unknown",
            "degraded", "critical", "unavailable", "unreachable", "ko", "nok", "not ok", "not_ok", "not-ok", "timeout",
            "timed out", "offline", "dead", "disconnected", "stopped", "bad", "broken", "yellow", "no", "not ready",
            "not_ready", "unready", "starting", "initializing", "not_serving");
    private static final List<String> UNHEALTHY_FRAGMENTS = List.of("error", "fail", "refused", "timeout", "timed out",
            "unavailable", "unreachable", "exception", "denied", "unhealthy", "down");
    /** Keys that hold dependency checks in the shapes the check knows. */
    private static final List<String> CONTAINERS = List.of("components", "checks", "dependencies", "entries");
    private static final List<String> NAME_FIELDS = List.of("name", "componentName", "componentId", "component", "id", "service");
    private static final int MAX_DEPENDENCY_FINDINGS = 10;
    private static final int MAX_EVIDENCE_DEPENDENCIES = 40;

    enum Health { HEALTHY, WARN, UNHEALTHY, UNKNOWN }

    /**
     * One reported check: a leaf has no children; a group without its own status has a null status.
     * {@code builtIn} when the check is one of Spring Boot's own indicators, not a dependency.
     */
    record Dep(String name, String status, Health health, List<Dep> children, boolean builtIn) {
        Dep(String name, String status, Health health, List<Dep> children) {
            this(name, status, health, children, ReadyCheck.builtIn(name));
        }

        boolean leaf() {
            return children.isEmpty();
        }
    }

    /** Whether a check's own name is one of Spring Boot's built-in indicators (readinessState, livenessState, ping). */
    static boolean builtIn(String name) {
        return BUILT_IN.contains(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        String path = ctx.params().string("path");
        Exchange x = HttpProbe.of(ctx).send(ctx, "GET", HttpProbe.resolve(ctx.requireUrl(), path),
                Map.of("Accept", "application/json, */*;q=0.5"), null);
        Outcome out = new Outcome();
        out.evidence(x.evidence("Content-Type", "Location", "WWW-Authenticate"));
        if (x.truncated()) {
            return out.error(path + " answered " + x.status() + " with a body larger than " + HttpProbe.MAX_BODY
                    + " bytes; the check cannot read its dependency checks");
        }
        Optional<JsonNode> json = x.json();
        List<Dep> deps = json.map(ReadyCheck::dependencies).orElse(List.of());
        List<Dep> leaves = new ArrayList<>();
        deps.forEach(d -> leaves(d, "", leaves));
        List<Dep> counted = leaves.stream().filter(d -> !d.builtIn()).toList();
        if (!leaves.isEmpty()) {
            out.evidence(dependencyLine(leaves));
        }

        int status = x.status();
        if (status == 401 || status == 403) {
            out.fail("http.ready.auth", path + " answered " + status
                    + ": it requires credentials, which readiness probes do not have");
            return out.result("");
        }
        if (status < 200 || status > 299) {
            List<Problem> bad = new ArrayList<>();
            deps.forEach(d -> problemsOf(d, "", bad));
            String listed = bad.isEmpty() ? (json.isPresent() ? "; its body names no unhealthy dependency" : "")
                    : "; not healthy: " + bad.stream().map(b -> b.name() + " (" + (b.status() == null ? "no status" : b.status()) + ")")
                            .collect(Collectors.joining(", "));
            if (status == 503) {
                out.fail("http.ready.unavailable", path + " answered 503 (not ready)" + listed);
            } else {
                String where = status >= 300 && status < 400 ? x.header("Location").map(l -> " (to " + l + ")").orElse("") : "";
                out.fail("http.ready.status", path + " answered " + status + where + ", expected 200" + listed);
            }
            return out.result("");
        }

        out.metric("dependencies", counted.size());
        if (json.isEmpty() && HealthCheck.htmlPage(x)) {
            out.fail("http.ready.not-json", path + " answered " + status
                    + " with an HTML page, not a health response (a single-page app's fallback route?)");
            return out.result("");
        }
        if (json.isEmpty() || json.get().isValueNode()) {
            String text = json.map(JsonNode::asText).orElse(x.bodyText()).strip();
            // Only a short, one-line body is read as a verdict: a page that mentions "error" somewhere is not one.
            Health h = text.isEmpty() || text.length() > 64 || text.contains("\n") ? Health.UNKNOWN : classify(text);
            if (h == Health.UNHEALTHY) {
                out.fail("http.ready.overall", path + " answers " + status + " but its body says \"" + clip(text) + "\"");
            } else if (text.isEmpty() || h == Health.HEALTHY) {
                out.warn("http.ready.no-dependencies", path + (text.isEmpty() ? " answers " + status + " with an empty body"
                        : " answers " + status + " with a plain \"" + clip(text) + "\"")
                        + " but reports no dependency checks, so it cannot show the service's dependencies are up");
            } else if (json.isPresent()) {
                out.warn("http.ready.no-dependencies", path + " answers " + status + " with the JSON value \"" + clip(text)
                        + "\" but reports no dependency checks, so it cannot show the service's dependencies are up");
            } else {
                out.warn("http.ready.not-json", path + " answers " + status
                        + " but its body is not JSON, so it cannot show the service's dependencies are up");
            }
            return out.result("");
        }

        List<Problem> problems = new ArrayList<>();
        deps.forEach(d -> problemsOf(d, "", problems));
        overall(json.get(), path, status, problems, out);
        int shown = 0;
        for (Problem p : problems) {
            if (shown++ == MAX_DEPENDENCY_FINDINGS) {
                break;
            }
            switch (p.health()) {
                case UNHEALTHY -> out.fail("http.ready.dependency", "dependency " + p.name() + " is " + p.status());
                case WARN -> out.warn("http.ready.dependency", "dependency " + p.name() + " reports " + p.status()
                        + ": healthy, with concerns");
                default -> out.warn("http.ready.dependency", p.status() == null
                        ? "dependency " + p.name() + " reports no status"
                        : "dependency " + p.name() + " reports \"" + clip(p.status()) + "\", which is not a status the check "
                                + "recognises as healthy (" + HEALTHY_LIST + ")");
            }
        }
        if (problems.size() > MAX_DEPENDENCY_FINDINGS) {
            List<Problem> rest = problems.subList(MAX_DEPENDENCY_FINDINGS, problems.size());
            String more = "and " + rest.size() + " more dependencies not healthy: "
                    + rest.stream().map(Problem::name).limit(20).collect(Collectors.joining(", "));
            if (rest.stream().anyMatch(p -> p.health() == Health.UNHEALTHY)) {
                out.fail("http.ready.dependency", more);
            } else {
                out.warn("http.ready.dependency", more);
            }
        }
        if (counted.isEmpty() && !out.hasFindings()) {
            String builtIns = leaves.stream().map(Dep::name).collect(Collectors.joining(", "));
            out.warn("http.ready.no-dependencies", path + " answers " + status + " but reports no dependency checks"
                    + (leaves.isEmpty() ? "" : ", only built-in indicators that say nothing about them (" + builtIns + ")")
                    + ", so it cannot show the service's dependencies are up");
        }
        return out.result(path + " ready: " + counted.size() + (counted.size() == 1 ? " dependency" : " dependencies")
                + " healthy (" + counted.stream().limit(8).map(Dep::name).collect(Collectors.joining(", "))
                + (counted.size() > 8 ? ", …" : "") + ")");
    }

    /** The overall verdict of the body: {@code status}, or a boolean {@code healthy}/{@code ok}/{@code up}/{@code ready}. */
    private static void overall(JsonNode root, String path, int code, List<Problem> problems, Outcome out) {
        if (!root.isObject()) {
            return;
        }
        String field = null;
        for (String f : List.of("status", "healthy", "ok", "up", "ready")) {
            JsonNode n = root.get(f);
            if (n != null && (n.isBoolean() || (f.equals("status") && n.isTextual()))) {
                field = f;
                break;
            }
        }
        if (field == null) {
            return;
        }
        JsonNode status = root.get(field);
        String text = status.asText();
        Health h = status.isBoolean() ? (status.booleanValue() ? Health.HEALTHY : Health.UNHEALTHY) : classify(text);
        // A dependency that explains the overall verdict says more than the verdict itself.
        if (problems.stream().anyMatch(p -> rank(p.health()) >= rank(h))) {
            return;
        }
        String shown = status.isBoolean() ? field + ": " + text : text;
        switch (h) {
            case UNHEALTHY -> out.fail("http.ready.overall", path + " answers " + code + " but reports status " + shown);
            case WARN -> out.warn("http.ready.overall", path + " reports status " + shown + ": healthy, with concerns");
            case UNKNOWN -> out.warn("http.ready.overall", path + " reports status \"" + clip(text)
                    + "\", which is not a status the check recognises as healthy");
            default -> {
            }
        }
    }

    /** Every dependency check the body reports, in the shapes the check knows. */
    static List<Dep> dependencies(JsonNode root) {
        List<Dep> deps = new ArrayList<>();
        if (root.isArray()) {
            // A bare list of {name, status}: MicroProfile's checks without the envelope.
            container(root, "checks", deps, 0);
            return deps;
        }
        if (!root.isObject()) {
            return deps;
        }
        for (String key : CONTAINERS) {
            JsonNode c = root.get(key);
            if (c != null) {
                container(c, key, deps, 0);
            }
        }
        JsonNode details = root.get("details");
        if (details != null && details.isObject() && anyStatusLike(details)) {
            // Spring Boot 2.0/2.1 and generic maps: details holds the components. Only when something in it
            // looks like a status, so {"details":{"version":"1.2"}} is not read as a failing dependency.
            container(details, "details", deps, 0);
        }
        // Spring Boot 1.x: components as top-level fields, each {status: ...}.
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!CONTAINERS.contains(e.getKey()) && !e.getKey().equals("details") && e.getValue().isObject()
                    && hasStatus(e.getValue())) {
                deps.add(entry(e.getKey(), e.getValue(), 1));
            }
        }
        return deps;
    }

    private static void container(JsonNode c, String key, List<Dep> into, int depth) {
        if (c.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                into.add(entry(e.getKey(), e.getValue(), depth + 1));
            }
        } else if (c.isArray()) {
            int i = 0;
            for (JsonNode el : c) {
                into.add(entry(nameOf(el).orElse(key + "[" + i + "]"), el, depth + 1));
                i++;
            }
        }
    }

    private static Dep entry(String name, JsonNode v, int depth) {
        if (depth > 32) {
            return new Dep(name, null, Health.UNKNOWN, List.of());
        }
        if (v.isTextual()) {
            return new Dep(name, v.textValue(), classify(v.textValue()), List.of());
        }
        if (v.isBoolean()) {
            return new Dep(name, String.valueOf(v.booleanValue()), v.booleanValue() ? Health.HEALTHY : Health.UNHEALTHY, List.of());
        }
        if (v.isArray()) {
            // The IETF draft: "db:connections": [ {componentId, status, ...}, ... ], one per instance.
            if (v.size() == 1) {
                return entry(name, v.get(0), depth + 1);
            }
            List<Dep> children = new ArrayList<>();
            int i = 0;
            for (JsonNode el : v) {
                String id = el.isObject() && el.hasNonNull("componentId") ? el.get("componentId").asText() : String.valueOf(i);
                children.add(entry(id, el, depth + 1));
                i++;
            }
            return children.isEmpty() ? new Dep(name, null, Health.UNKNOWN, List.of()) : new Dep(name, null, null, children);
        }
        if (v.isObject()) {
            List<Dep> children = new ArrayList<>();
            for (String key : CONTAINERS) {
                JsonNode c = v.get(key);
                if (c != null) {
                    container(c, key, children, depth);
                }
            }
            JsonNode details = v.get("details");
            if (details != null && details.isObject() && details.size() > 0 && allStatusObjects(details)) {
                // Spring Boot 2.0/2.1 composites nest components under details; other details are data.
                container(details, "details", children, depth);
            }
            Optional<JsonNode> status = statusOf(v);
            if (status.isPresent()) {
                String text = status.get().asText();
                Health h = status.get().isBoolean() ? (status.get().booleanValue() ? Health.HEALTHY : Health.UNHEALTHY) : classify(text);
                return new Dep(name, text, h, children);
            }
            if (!children.isEmpty()) {
                return new Dep(name, null, null, children);
            }
            if (v.size() > 0 && allStatusLike(v)) {
                // A group: {"databases": {"main": "ok", "replica": "down"}}.
                container(v, name, children, depth);
                return new Dep(name, null, null, children);
            }
            return new Dep(name, null, Health.UNKNOWN, List.of());
        }
        return new Dep(name, v.isNull() ? null : v.asText(), Health.UNKNOWN, List.of());
    }

    private static Optional<String> nameOf(JsonNode el) {
        if (!el.isObject()) {
            return Optional.empty();
        }
        for (String f : NAME_FIELDS) {
            JsonNode n = el.get(f);
            if (n != null && n.isValueNode() && !n.isNull() && !n.asText().isBlank()) {
                return Optional.of(n.asText());
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> statusOf(JsonNode v) {
        JsonNode s = v.get("status");
        if (s != null && (s.isTextual() || s.isBoolean())) {
            return Optional.of(s);
        }
        for (String flag : List.of("healthy", "ok", "up", "ready")) {
            JsonNode b = v.get(flag);
            if (b != null && b.isBoolean()) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private static boolean hasStatus(JsonNode v) {
        return v.isObject() && statusOf(v).isPresent();
    }

    /** A value that is recognisably a status: a known word, a boolean, or an object with a status. */
    private static boolean statusLike(JsonNode v) {
        if (v.isTextual()) {
            return classify(v.textValue()) != Health.UNKNOWN;
        }
        return v.isBoolean() || hasStatus(v);
    }

    private static boolean anyStatusLike(JsonNode obj) {
        for (JsonNode v : obj) {
            if (statusLike(v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allStatusLike(JsonNode obj) {
        for (JsonNode v : obj) {
            if (!statusLike(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allStatusObjects(JsonNode obj) {
        for (JsonNode v : obj) {
            if (!hasStatus(v)) {
                return false;
            }
        }
        return true;
    }

    static Health classify(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT).replaceAll("[.!]$", "");
        if (HEALTHY.contains(s)) {
            return Health.HEALTHY;
        }
        if (WARN_WORDS.contains(s)) {
            return Health.WARN;
        }
        if (UNHEALTHY_WORDS.contains(s) || UNHEALTHY_FRAGMENTS.stream().anyMatch(s::contains)) {
            return Health.UNHEALTHY;
        }
        return Health.UNKNOWN;
    }

    private static void leaves(Dep d, String prefix, List<Dep> into) {
        String name = prefix + d.name();
        if (d.leaf()) {
            into.add(new Dep(name, d.status(), d.health(), List.of(), d.builtIn()));
        } else {
            d.children().forEach(c -> leaves(c, name + "/", into));
        }
    }

    /** A dependency to report: not healthy, and not explained by a worse dependency nested in it. */
    record Problem(Health health, String name, String status) {
    }

    private static int rank(Health h) {
        return h == null ? 0 : switch (h) {
            case HEALTHY -> 0;
            case WARN -> 1;
            case UNKNOWN -> 2;
            case UNHEALTHY -> 3;
        };
    }

    /**
     * Each leaf that is not healthy; and a composite that says it is worse than everything nested in
     * it (its own check failed, or a child has no status), so a DOWN composite is never reported as
     * a mere warning about one of its children.
     */
    private static void problemsOf(Dep d, String prefix, List<Problem> into) {
        String name = prefix + d.name();
        List<Problem> nested = new ArrayList<>();
        d.children().forEach(c -> problemsOf(c, name + "/", nested));
        int worst = nested.stream().mapToInt(p -> rank(p.health())).max().orElse(0);
        if (rank(d.health()) > worst) {
            into.add(new Problem(d.health(), name, d.status()));
        }
        into.addAll(nested);
    }

    private static String dependencyLine(List<Dep> leaves) {
        String list = leaves.stream().limit(MAX_EVIDENCE_DEPENDENCIES)
                .map(d -> d.name() + "=" + (d.status() == null ? "(no status)" : d.status()))
                .collect(Collectors.joining(", "));
        return "dependencies (" + leaves.size() + "): " + list
                + (leaves.size() > MAX_EVIDENCE_DEPENDENCIES ? ", … " + (leaves.size() - MAX_EVIDENCE_DEPENDENCIES) + " more" : "");
    }

    private static String clip(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 80) + "…" : one;
    }

    @Override
    public List<String> validate(Params p) {
        return HttpProbe.pathProblems("path", p.string("path"));
    }
}
