package dev.airworthy.checks.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a JSON manifest (package.json, composer.json) that dependency checks judge, each
 * entry with the line of its key: top-level objects of name to version, and top-level string lists.
 */
record ManifestJson(String file, Map<String, List<Entry>> objects, Map<String, List<String>> lists) {
    private static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    /** One {@code "name": "spec"} pair; {@code value} is null when the value is not a string. */
    record Entry(String key, String value, int line) {
    }

    List<Entry> entries(String field) {
        return objects.getOrDefault(field, List.of());
    }

    /**
     * Reads {@code objectFields} (top-level objects) and {@code listFields} (top-level string
     * arrays, or objects holding one under {@code packages}, as Yarn 1 writes {@code workspaces}).
     */
    static ManifestJson read(Path file, String label, Set<String> objectFields, Set<String> listFields) throws UnreadableFile {
        return read(file, label, objectFields, listFields, Set.of());
    }

    /**
     * Also reads {@code nestedFields}, objects whose string leaves are versions at any depth (npm
     * {@code overrides}, Yarn {@code resolutions}, or one level down such as {@code pnpm.overrides}),
     * as entries keyed by their path joined with {@code " > "}.
     */
    static ManifestJson read(Path file, String label, Set<String> objectFields, Set<String> listFields, Set<String> nestedFields)
            throws UnreadableFile {
        String text = FileText.read(file, label, MAX_BYTES);
        Map<String, List<Entry>> objects = new LinkedHashMap<>();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw at(label, p.currentTokenLocation(), "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (nestedFields.contains(field) && value == JsonToken.START_OBJECT) {
                    List<Entry> leaves = new ArrayList<>();
                    leaves(p, "", leaves, 0, label);
                    objects.put(field, leaves);
                } else if (value == JsonToken.START_OBJECT && nestedFields.stream().anyMatch(n -> n.startsWith(field + "."))) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String sub = field + "." + p.currentName();
                        if (p.nextToken() == JsonToken.START_OBJECT && nestedFields.contains(sub)) {
                            List<Entry> leaves = new ArrayList<>();
                            leaves(p, "", leaves, 0, label);
                            objects.put(sub, leaves);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (objectFields.contains(field) && value == JsonToken.START_OBJECT) {
                    objects.put(field, entries(p));
                } else if (listFields.contains(field) && value == JsonToken.START_ARRAY) {
                    lists.put(field, strings(p));
                } else if (listFields.contains(field) && value == JsonToken.START_OBJECT) {
                    lists.put(field, packagesOf(p));
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw at(label, p.currentTokenLocation(), "unexpected content after the top-level object");
            }
        } catch (JsonProcessingException e) {
            throw at(label, e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new UnreadableFile(label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return new ManifestJson(label, objects, lists);
    }

    private static List<Entry> entries(JsonParser p) throws IOException {
        List<Entry> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            JsonToken v = p.nextToken();
            out.add(new Entry(key, v == JsonToken.VALUE_STRING ? p.getText() : null, line));
            p.skipChildren();
        }
        return out;
    }

    private static final int MAX_NESTING = 32;

    /** The string (or other scalar) leaves of the object the parser is in, keyed by their path. */
    private static void leaves(JsonParser p, String prefix, List<Entry> out, int depth, String label) throws IOException, UnreadableFile {
        if (depth > MAX_NESTING) {
            throw at(label, p.currentTokenLocation(), "objects nested deeper than " + MAX_NESTING);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix.isEmpty() ? p.currentName() : prefix + " > " + p.currentName();
            int line = p.currentTokenLocation().getLineNr();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                leaves(p, key, out, depth + 1, label);
            } else {
                out.add(new Entry(key, v == JsonToken.VALUE_STRING ? p.getText() : null, line));
                p.skipChildren();
            }
        }
    }

    private static List<String> strings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            }
            p.skipChildren();
        }
        return out;
    }

    private static List<String> packagesOf(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() == JsonToken.START_ARRAY && key.equals("packages")) {
                out.addAll(strings(p));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    static UnreadableFile at(String label, JsonLocation loc, String problem) {
        String msg = problem == null ? "not valid JSON" : problem.lines().findFirst().orElse("not valid JSON").strip();
        if (loc == null || loc.getLineNr() < 1) {
            return new UnreadableFile(label + ": " + msg);
        }
        return UnreadableFile.at(label, loc.getLineNr(), Math.max(1, loc.getColumnNr()), msg);
    }
}
