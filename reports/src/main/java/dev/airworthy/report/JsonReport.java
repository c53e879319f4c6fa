package dev.airworthy.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Status;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.RunResult;
import java.io.UncheckedIOException;

/** The machine-readable report, schema {@code airworthy.report/v1} (docs/report.schema.json). */
public final class JsonReport {
    public static final String SCHEMA = "airworthy.report/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(RunResult run) {
        try {
            return MAPPER.writeValueAsString(tree(run)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode tree(RunResult run) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("project", run.project());
        root.put("checklist", run.checklist());
        root.put("target", run.target());
        root.put("url", run.url() == null ? null : run.url().toString());
        root.put("repo", run.repo().toString());
        root.put("startedAt", run.startedAt().toString());
        root.put("durationMs", run.durationMs());
        ObjectNode gate = root.putObject("gate");
        gate.put("passed", run.gate().passed());
        run.gate().failOn().forEach(gate.putArray("failOn")::add);
        run.gate().blocking().forEach(gate.putArray("blocking")::add);
        root.put("score", run.score());
        ObjectNode summary = root.putObject("summary");
        summary.put("total", run.items().size());
        for (Status s : Status.values()) {
            summary.put(s.label(), run.summary().get(s));
        }
        ArrayNode items = root.putArray("items");
        for (ItemResult r : run.items()) {
            items.add(item(r));
        }
        return root;
    }

    private static ObjectNode item(ItemResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", r.item().id());
        o.put("title", r.item().title());
        o.put("section", r.item().section());
        o.put("severity", r.item().severity().label());
        o.put("check", r.item().check());
        o.put("status", r.status().label());
        o.put("message", r.message());
        o.put("durationMs", r.durationMs());
        if (!r.metrics().isEmpty()) {
            ObjectNode m = o.putObject("metrics");
            r.metrics().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .filter(e -> Double.isFinite(e.getValue()))
                    .forEach(e -> m.put(e.getKey(), Math.round(e.getValue() * 1000) / 1000.0));
        }
        r.evidence().forEach(o.putArray("evidence")::add);
        ArrayNode findings = o.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode fo = findings.addObject();
            fo.put("rule", f.rule());
            fo.put("level", f.level().label());
            if (f.file() != null) {
                fo.put("file", f.file());
            }
            if (f.line() != null) {
                fo.put("line", f.line());
            }
            fo.put("message", f.message());
        }
        return o;
    }
}
