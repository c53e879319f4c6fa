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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "http.metrics",
        title = "Prometheus metrics endpoint",
        category = Category.HTTP,
        severity = Severity.MEDIUM,
        summary = """
                Fetches the metrics endpoint with `Accept: text/plain;version=0.0.4` and parses the \
                Prometheus text exposition format line by line: `# HELP` and `# TYPE` lines (one of each per \
                metric, TYPE before the metric's samples), other comments, and samples \
                `name{label="value",...} value [timestamp]` with `\\\\`, `\\"` and `\\n` escapes in label \
                values and values as Go floats (`NaN`, `+Inf`, `-Inf`; no hex or `_`, as Prometheus reads \
                them). Histogram buckets need an `le` label and summary quantiles a `quantile` label. An \
                OpenMetrics body (its content type, or a final `# EOF`) is parsed as OpenMetrics (`# UNIT`, \
                exemplars, timestamps in seconds, nothing after `# EOF`). Fails on each malformed line (line \
                number and what is wrong; five at most, then a count), on each name in `metrics` the body \
                does not expose (a name matches a family declared by HELP or TYPE, or a sample of that name or \
                of that name followed by `_total`, `_count`, `_sum`, `_bucket` or `_created`; a longer name \
                such as `http_requests_in_flight` does not match `http_requests`), on a non-200 answer and on \
                an empty body. Warns when the endpoint answers 401/403 to a request without `headers`: many \
                teams protect `/metrics` on purpose, so the check says it could not read it rather than \
                fail (give the scraper's credentials in `headers` to check it; with `headers`, 401/403 \
                fails). Warns when the body declares families but has no samples, and when it is larger \
                than 1 MiB (only the first 1 MiB is parsed; a metric not found in it is then an error, \
                since the check cannot tell).""",
        rationale = """
                Dashboards and alerts are only as good as the metrics they scrape. A malformed line makes \
                Prometheus reject the whole scrape, so every series from the service goes stale at once and \
                alerts on it stop firing; a metric renamed or dropped in a release silently empties the \
                dashboards and SLO alerts built on it.""",
        remediation = """
                Expose metrics with a Prometheus client library rather than by hand (they escape and format \
                correctly), serve them at the path the scraper uses, and keep the names the dashboards and \
                alerts query. Check locally with `curl -s localhost:8080/metrics | promtool check metrics`. \
                If the endpoint is protected, give the check the scraper's credentials:

                ```yaml
                with: { metrics: [http_server_requests_seconds], headers: { Authorization: "Bearer ${METRICS_TOKEN}" } }
                ```""",
        example = """
                - id: metrics
                  title: Metrics parse and expose request counters
                  check: http.metrics
                  with: { path: /metrics, metrics: [http_requests, process_cpu_seconds] }""",
        references = {"https://prometheus.io/docs/instrumenting/exposition_formats/",
            "https://github.com/prometheus/docs/blob/main/content/docs/instrumenting/exposition_formats.md",
            "https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md"},
        params = {
            @Param(name = "path", defaultValue = "/metrics", description = "Path of the metrics endpoint, or an absolute URL."),
            @Param(name = "metrics", type = ParamType.STRING_LIST, defaultValue = "[]",
                    description = "Metric names that must be exposed, e.g. `[http_requests, process_cpu_seconds]`; "
                            + "a name also matches its `_total`, `_count`, `_sum`, `_bucket` and `_created` samples."),
            @Param(name = "headers", type = ParamType.MAP,
                    description = "Request headers for a protected endpoint, e.g. `{ Authorization: \"Bearer ${METRICS_TOKEN}\" }` "
                            + "(masked in every report).")
        })
public final class MetricsCheck implements Check {
    static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern DECIMAL = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    static final List<String> SUFFIXES = List.of("_total", "_count", "_sum", "_bucket", "_created");
    private static final int MAX_LINE_FINDINGS = 5;

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        Params p = ctx.params();
        String path = p.string("path");
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/plain;version=0.0.4");
        p.map("headers").forEach(headers::put);
        Exchange x = HttpProbe.of(ctx).send(ctx, "GET", HttpProbe.resolve(ctx.requireUrl(), path), headers, null);
        Outcome out = new Outcome();
        out.evidence(x.evidence("Content-Type", "WWW-Authenticate", "Location"));

        if (x.status() == 401 || x.status() == 403) {
            if (p.map("headers").isEmpty()) {
                out.warn("http.metrics.auth", path + " answered " + x.status() + ": it requires credentials, so the "
                        + "check could not read it; if that is on purpose, give the scraper's credentials in headers");
            } else {
                out.fail("http.metrics.auth", path + " answered " + x.status() + " to the configured headers: "
                        + "the credentials were refused");
            }
            return out.result("");
        }
        if (x.status() != 200) {
            out.fail("http.metrics.status", path + " answered " + x.status() + ", expected 200");
            return out.result("");
        }

        String type = x.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        Exposition e = Exposition.parse(x.bodyText(), type.contains("openmetrics"), x.truncated());
        out.metric("families", e.families().size());
        out.metric("samples", e.samples);
        out.evidence((e.openMetrics ? "OpenMetrics" : "Prometheus text") + ": " + count(e.families().size(), "family", "families")
                + ", " + count(e.samples, "sample", "samples") + (x.truncated() ? " in the first " + HttpProbe.MAX_BODY + " bytes" : ""));

        for (int i = 0; i < Math.min(MAX_LINE_FINDINGS, e.problems.size()); i++) {
            Exposition.Problem pr = e.problems.get(i);
            out.fail("http.metrics.malformed", pr.line() > 0 ? "line " + pr.line() + ": " + pr.what() : pr.what());
            if (pr.text() != null) {
                out.evidence("line " + pr.line() + ": " + clip(pr.text()));
            }
        }
        if (e.problems.size() > MAX_LINE_FINDINGS) {
            out.fail("http.metrics.malformed", "and " + (e.problems.size() - MAX_LINE_FINDINGS) + " more malformed lines");
        }
        if (x.truncated()) {
            out.warn("http.metrics.truncated", "the body is larger than " + HttpProbe.MAX_BODY
                    + " bytes (very many series?); only the first " + HttpProbe.MAX_BODY + " bytes were parsed");
        }
        if (e.samples == 0 && e.families().isEmpty() && e.problems.isEmpty() && !x.truncated()) {
            out.fail("http.metrics.empty", path + " answered 200 but exposes no metrics");
        } else if (e.samples == 0 && e.problems.isEmpty() && !x.truncated()) {
            out.warn("http.metrics.empty", path + " declares " + count(e.families().size(), "metric family", "metric families")
                    + " but exposes no samples");
        }

        List<String> missing = p.list("metrics").stream().filter(m -> !e.exposes(m)).toList();
        List<String> wanted = p.list("metrics");
        if (!wanted.isEmpty()) {
            out.evidence("required metrics found: " + wanted.stream().filter(e::exposes).toList()
                    + (missing.isEmpty() ? "" : ", not found: " + missing));
        }
        if (!missing.isEmpty() && x.truncated()) {
            // The rest of the body was not read: a missing name may be there.
            if (!e.problems.isEmpty()) {
                return out.result("");
            }
            return out.error("cannot tell whether " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " exposed: not in the first " + HttpProbe.MAX_BODY + " bytes, and the body is larger");
        }
        String among = e.problems.isEmpty() ? "" : " (among the lines that parse)";
        for (String m : missing) {
            out.fail("http.metrics.missing", "metric " + m + " is not exposed" + among + ": no family " + m
                    + " and no sample " + m + ", " + m + "_total, _count, _sum, _bucket or _created");
        }
        return out.result(path + " parses as " + (e.openMetrics ? "OpenMetrics" : "Prometheus text") + ": "
                + count(e.families().size(), "family", "families") + ", " + count(e.samples, "sample", "samples")
                + (wanted.isEmpty() ? "" : wanted.size() == 1 ? ", the required metric present"
                        : ", all " + wanted.size() + " required metrics present"));
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String clip(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(HttpProbe.pathProblems("path", p.string("path")));
        for (String m : p.list("metrics")) {
            if (!METRIC_NAME.matcher(m).matches()) {
                problems.add("metrics: '" + m + "' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
            }
        }
        problems.addAll(HttpProbe.headerProblems(p.map("headers")));
        return problems;
    }

    /** Whether {@code s} is a float as Prometheus reads one: Go's ParseFloat without hex or underscores. */
    static boolean goFloat(String s) {
        if (s.isEmpty() || s.indexOf('_') >= 0 || s.indexOf('p') >= 0 || s.indexOf('P') >= 0) {
            return false;
        }
        boolean signed = s.charAt(0) == '+' || s.charAt(0) == '-';
        String t = signed ? s.substring(1) : s;
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return true;
        }
        if (lower.equals("nan")) {
            return !signed;
        }
        if (!DECIMAL.matcher(t).matches()) {
            return false;
        }
        // Go reports an out-of-range value (1e400) as an error.
        return !Double.isInfinite(Double.parseDouble(t));
    }

    /** One parsed exposition: families, sample count, and what is wrong with it, line by line. */
    static final class Exposition {
        record Problem(int line, String what, String text) {
        }

        private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
        private static final Set<String> OM_TYPES = Set.of("counter", "gauge", "histogram", "gaugehistogram",
                "stateset", "info", "summary", "unknown");
        /** When only a final {@code # EOF} says OpenMetrics, the types of either format are taken. */
        private static final Set<String> ANY_TYPES = Set.of("counter", "gauge", "histogram", "gaugehistogram",
                "stateset", "info", "summary", "unknown", "untyped");

        final boolean openMetrics;
        /** OpenMetrics by its content type, so held to its type names. */
        final boolean openMetricsByType;
        final List<Problem> problems = new ArrayList<>();
        final Map<String, String> types = new HashMap<>();
        final Set<String> helps = new HashSet<>();
        final Set<String> declared = new HashSet<>();
        final Set<String> sampleNames = new HashSet<>();
        /** Families (declared, or a sample name of its own) that already have samples. */
        final Set<String> withSamples = new HashSet<>();
        long samples;

        private Exposition(boolean openMetrics, boolean openMetricsByType) {
            this.openMetrics = openMetrics;
            this.openMetricsByType = openMetricsByType;
        }

        static Exposition parse(String body, boolean openMetricsType, boolean truncated) {
            List<String> lines = new ArrayList<>(List.of(body.split("\n", -1)));
            if (!lines.isEmpty() && lines.getLast().isEmpty()) {
                lines.removeLast();
            } else if (truncated && !lines.isEmpty()) {
                lines.removeLast(); // cut mid-line by the body cap
            }
            boolean eofLast = false;
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    eofLast = lines.get(i).equals("# EOF");
                    break;
                }
            }
            Exposition e = new Exposition(openMetricsType || eofLast, openMetricsType);
            boolean eof = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int n = i + 1;
                if (eof) {
                    if (!line.isBlank()) {
                        e.problem(n, "text after # EOF", line);
                    }
                    continue;
                }
                if (line.endsWith("\r")) {
                    e.problem(n, "the line ends with a carriage return (CRLF); the format separates lines with \\n only", line);
                    continue;
                }
                String t = stripBlanks(line);
                if (t.isEmpty()) {
                    continue;
                }
                if (t.charAt(0) == '#') {
                    if (e.openMetrics && t.equals("# EOF")) {
                        eof = true;
                    } else {
                        e.comment(n, t, line);
                    }
                    continue;
                }
                e.sample(n, t, line);
            }
            if (e.openMetrics && !eof && !truncated) {
                e.problems.add(new Problem(0, "the OpenMetrics body does not end with # EOF", null));
            }
            return e;
        }

        private void problem(int n, String what, String line) {
            problems.add(new Problem(n, what, line));
        }

        /** Every family: declared by HELP or TYPE, or implied by a sample that belongs to no declared family. */
        Set<String> families() {
            Set<String> all = new HashSet<>(declared);
            for (String s : sampleNames) {
                if (familyOf(s) == null) {
                    all.add(s);
                }
            }
            return all;
        }

        /**
         * The declared family a sample name belongs to, or null: the family of that name, or one whose
         * TYPE gives it that suffix (a histogram's {@code _bucket}, a summary's {@code _sum}; in
         * OpenMetrics also a counter's {@code _total}, an info's {@code _info}).
         */
        private String familyOf(String sample) {
            if (declared.contains(sample)) {
                return sample;
            }
            for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info")) {
                if (sample.endsWith(suffix)) {
                    String stem = sample.substring(0, sample.length() - suffix.length());
                    String kind = types.get(stem);
                    if (kind != null && suffixesOf(kind).contains(suffix)) {
                        return stem;
                    }
                }
            }
            return null;
        }

        private List<String> suffixesOf(String kind) {
            return switch (kind) {
                case "histogram" -> openMetrics ? List.of("_bucket", "_count", "_sum", "_created") : List.of("_bucket", "_count", "_sum");
                case "gaugehistogram" -> List.of("_bucket", "_gcount", "_gsum");
                case "summary" -> openMetrics ? List.of("_count", "_sum", "_created") : List.of("_count", "_sum");
                case "counter" -> openMetrics ? List.of("_total", "_created") : List.of();
                case "info" -> List.of("_info");
                default -> List.of();
            };
        }

        boolean exposes(String name) {
            if (declared.contains(name) || sampleNames.contains(name)) {
                return true;
            }
            return SUFFIXES.stream().anyMatch(s -> sampleNames.contains(name + s));
        }

        private void comment(int n, String t, String line) {
            String rest = stripBlanks(t.substring(1));
            int sp = blankAt(rest);
            String keyword = sp < 0 ? rest : rest.substring(0, sp);
            boolean help = keyword.equals("HELP");
            boolean type = keyword.equals("TYPE");
            boolean unit = openMetrics && keyword.equals("UNIT");
            if (!help && !type && !unit) {
                return; // a plain comment
            }
            String args = sp < 0 ? "" : stripBlanks(rest.substring(sp));
            int nsp = blankAt(args);
            String name = nsp < 0 ? args : args.substring(0, nsp);
            String tail = nsp < 0 ? "" : args.substring(nsp + 1);
            if (name.isEmpty()) {
                problem(n, "# " + keyword + " without a metric name", line);
                return;
            }
            if (!METRIC_NAME.matcher(name).matches()) {
                problem(n, "# " + keyword + " names '" + name + "', which is not a valid metric name", line);
                return;
            }
            if (help) {
                if (!helps.add(name)) {
                    problem(n, "a second HELP line for " + name, line);
                    return;
                }
                // The format names \\ and \n; the reference parser (expfmt) also takes \" in HELP.
                String bad = badEscape(tail, true);
                if (bad != null) {
                    problem(n, "HELP text has " + bad + " (only \\\\, \\\" and \\n are escapes)", line);
                    return;
                }
                declared.add(name);
            } else if (type) {
                String kind = stripBlanks(tail);
                if (kind.isEmpty()) {
                    problem(n, "# TYPE " + name + " without a type", line);
                    return;
                }
                if (blankAt(kind) >= 0) {
                    problem(n, "unexpected text after the type in # TYPE " + name, line);
                    return;
                }
                Set<String> allowed = openMetricsByType ? OM_TYPES : openMetrics ? ANY_TYPES : TYPES;
                if (!allowed.contains(kind)) {
                    problem(n, "type '" + kind + "' is not one of " + String.join(", ", new java.util.TreeSet<>(allowed)), line);
                    return;
                }
                if (types.containsKey(name)) {
                    problem(n, "a second TYPE line for " + name, line);
                    return;
                }
                if (withSamples.contains(name)) {
                    problem(n, "TYPE line for " + name + " after its samples", line);
                    return;
                }
                types.put(name, kind);
                declared.add(name);
            }
        }

        private void sample(int n, String t, String line) {
            int i = 0;
            int len = t.length();
            while (i < len && nameChar(t.charAt(i), i == 0)) {
                i++;
            }
            if (i == 0) {
                problem(n, "expected a metric name, found '" + t.charAt(0) + "'", line);
                return;
            }
            String name = t.substring(0, i);
            if (i < len && t.charAt(i) != ' ' && t.charAt(i) != '\t' && t.charAt(i) != '{') {
                problem(n, "invalid character '" + t.charAt(i) + "' in metric name " + name, line);
                return;
            }
            i = skipBlanks(t, i);
            Map<String, String> labels = new HashMap<>();
            if (i < len && t.charAt(i) == '{') {
                int end = labels(t, i, labels, n, line);
                if (end < 0) {
                    return;
                }
                i = skipBlanks(t, end);
            }
            int vEnd = i;
            while (vEnd < len && t.charAt(vEnd) != ' ' && t.charAt(vEnd) != '\t') {
                vEnd++;
            }
            String value = t.substring(i, vEnd);
            if (value.isEmpty()) {
                problem(n, "sample " + name + " has no value", line);
                return;
            }
            if (!goFloat(value)) {
                problem(n, "value '" + clipToken(value) + "' of " + name + " is not a number", line);
                return;
            }
            i = skipBlanks(t, vEnd);
            if (i < len && !(openMetrics && t.charAt(i) == '#')) {
                int tEnd = i;
                while (tEnd < len && t.charAt(tEnd) != ' ' && t.charAt(tEnd) != '\t') {
                    tEnd++;
                }
                String ts = t.substring(i, tEnd);
                if (!timestamp(ts)) {
                    problem(n, "timestamp '" + clipToken(ts) + "' of " + name + " is not "
                            + (openMetrics ? "a number of seconds" : "an integer of milliseconds"), line);
                    return;
                }
                i = skipBlanks(t, tEnd);
            }
            if (i < len) {
                if (openMetrics && t.charAt(i) == '#') {
                    String exemplar = exemplar(t.substring(i), n, line);
                    if (exemplar != null) {
                        problem(n, exemplar, line);
                        return;
                    }
                } else {
                    problem(n, "unexpected text after the " + (openMetrics ? "value" : "timestamp") + " of " + name, line);
                    return;
                }
            }
            String family = familyOf(name);
            String kind = family == null ? null : types.get(family);
            if (kind != null && (kind.equals("histogram") || kind.equals("gaugehistogram")) && name.equals(family + "_bucket")) {
                String le = labels.get("le");
                if (le == null) {
                    problem(n, "histogram bucket " + name + " has no le label", line);
                    return;
                }
                if (!goFloat(le)) {
                    problem(n, "le=\"" + clipToken(le) + "\" of " + name + " is not a number", line);
                    return;
                }
            }
            if (kind != null && kind.equals("summary") && name.equals(family)) {
                String q = labels.get("quantile");
                if (q == null) {
                    problem(n, "summary quantile " + name + " has no quantile label", line);
                    return;
                }
                if (!goFloat(q)) {
                    problem(n, "quantile=\"" + clipToken(q) + "\" of " + name + " is not a number", line);
                    return;
                }
            }
            samples++;
            sampleNames.add(name);
            withSamples.add(family == null ? name : family);
        }

        /** Parses {@code {a="b",...}} at {@code start}; returns the index after '}', or -1 after recording a problem. */
        private int labels(String t, int start, Map<String, String> into, int n, String line) {
            int i = start + 1;
            int len = t.length();
            while (true) {
                i = skipBlanks(t, i);
                if (i >= len) {
                    problem(n, "labels are not closed with }", line);
                    return -1;
                }
                if (t.charAt(i) == '}') {
                    return i + 1;
                }
                int ns = i;
                while (i < len && labelChar(t.charAt(i), i == ns)) {
                    i++;
                }
                if (i == ns) {
                    problem(n, "expected a label name, found '" + t.charAt(i) + "'", line);
                    return -1;
                }
                String label = t.substring(ns, i);
                i = skipBlanks(t, i);
                if (i >= len || t.charAt(i) != '=') {
                    problem(n, "expected = after label " + label, line);
                    return -1;
                }
                i = skipBlanks(t, i + 1);
                if (i >= len || t.charAt(i) != '"') {
                    problem(n, "the value of label " + label + " is not in double quotes", line);
                    return -1;
                }
                i++;
                StringBuilder v = new StringBuilder();
                boolean closed = false;
                while (i < len) {
                    char c = t.charAt(i);
                    if (c == '\\') {
                        if (i + 1 >= len) {
                            break;
                        }
                        char e = t.charAt(i + 1);
                        if (e == '\\' || e == '"') {
                            v.append(e);
                        } else if (e == 'n') {
                            v.append('\n');
                        } else {
                            problem(n, "label " + label + " has the invalid escape \\" + e + " (only \\\\, \\\" and \\n are escapes)", line);
                            return -1;
                        }
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    v.append(c);
                    i++;
                }
                if (!closed) {
                    problem(n, "the value of label " + label + " is not closed with \"", line);
                    return -1;
                }
                if (into.put(label, v.toString()) != null) {
                    problem(n, "label " + label + " appears twice", line);
                    return -1;
                }
                i = skipBlanks(t, i);
                if (i < len && t.charAt(i) == ',') {
                    i++;
                } else if (i < len && t.charAt(i) == '}') {
                    return i + 1;
                } else {
                    problem(n, "expected , or } after the value of label " + label, line);
                    return -1;
                }
            }
        }

        /** Checks an OpenMetrics exemplar {@code # {labels} value [timestamp]}; returns what is wrong, or null. */
        private String exemplar(String s, int n, String line) {
            int i = skipBlanks(s, 1);
            if (i >= s.length() || s.charAt(i) != '{') {
                return "expected an exemplar ({labels} value) after #";
            }
            int before = problems.size();
            int end = labels(s, i, new HashMap<>(), n, line);
            if (end < 0) {
                String what = problems.remove(before).what();
                return "exemplar: " + what;
            }
            String[] rest = stripBlanks(s.substring(end)).split("[ \t]+");
            if (rest.length == 0 || rest[0].isEmpty() || !goFloat(rest[0])) {
                return "exemplar has no valid value";
            }
            if (rest.length > 2 || (rest.length == 2 && !goFloat(rest[1]))) {
                return "unexpected text after the exemplar";
            }
            return null;
        }

        private boolean timestamp(String ts) {
            if (openMetrics) {
                return goFloat(ts);
            }
            if (!INTEGER.matcher(ts).matches()) {
                return false;
            }
            try {
                Long.parseLong(ts);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** The first invalid escape in a HELP text, or null. */
        private static String badEscape(String s, boolean quotes) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '\\') {
                    if (i + 1 >= s.length()) {
                        return "a lone \\ at the end";
                    }
                    char e = s.charAt(i + 1);
                    if (e != '\\' && e != 'n' && !(quotes && e == '"')) {
                        return "the invalid escape \\" + e;
                    }
                    i++;
                }
            }
            return null;
        }

        private static boolean nameChar(char c, boolean first) {
            return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
        }

        private static boolean labelChar(char c, boolean first) {
            return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
        }

        private static int skipBlanks(String s, int i) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            return i;
        }

        private static String stripBlanks(String s) {
            int a = skipBlanks(s, 0);
            int b = s.length();
            while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
                b--;
            }
            return s.substring(a, b);
        }

        private static int blankAt(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                    return i;
                }
            }
            return -1;
        }

        private static String clipToken(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "…" : s;
        }
    }
}
