package dev.airworthy.checks.yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A read-only view of a YAML node that remembers where it came from, so findings in compose files
 * and Kubernetes manifests can name a file and line. Merge keys ({@code <<: *defaults}), which
 * compose files use a lot, are applied by {@link #get} and {@link #entries}; explicit keys win.
 * A key written twice in one mapping counts with its last value, as kubectl (YAML to JSON) reads it.
 * Navigation is lazy, so an alias bomb costs nothing unless walked, and {@link #MAX_DEPTH} bounds
 * every walk through recursive aliases.
 */
public final class YamlNode {
    public static final int MAX_DEPTH = 64;
    private static final long MAX_BYTES = 8L * 1024 * 1024;
    /**
     * Aliases to collections a file may use. snakeyaml-engine's default (50) rejects real compose
     * files that reuse anchors a lot; navigation here is lazy and each walk visits a node once, so
     * an alias bomb costs only what is walked.
     */
    private static final int MAX_ALIASES = 10_000;

    private final String file;
    private final Node node;

    private YamlNode(String file, Node node) {
        this.file = file;
        this.node = node;
    }

    /**
     * Every document of a file ({@code ---}-separated), empty documents left out. {@code label} is how
     * findings name the file (its path relative to the repository).
     */
    public static List<YamlNode> parseAll(Path path, String label) throws IOException, YamlSyntaxError {
        if (Files.size(path) > MAX_BYTES) {
            throw new YamlSyntaxError(label + ": larger than " + (MAX_BYTES >> 20) + " MiB; not read");
        }
        String text = Files.readString(path, StandardCharsets.UTF_8);
        return parseAll(text, label);
    }

    public static List<YamlNode> parseAll(String text, String label) throws YamlSyntaxError {
        LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(true)
                .setCodePointLimit((int) MAX_BYTES).setMaxAliasesForCollections(MAX_ALIASES).build();
        List<YamlNode> docs = new ArrayList<>();
        try {
            for (Node n : new Compose(settings).composeAllFromString(text)) {
                YamlNode doc = n == null ? null : new YamlNode(label, n);
                // "---" followed by nothing composes to a null scalar: an empty document.
                if (doc != null && !(doc.isScalar() && doc.text() == null)) {
                    docs.add(doc);
                }
            }
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().orElse(e.getContextMark().orElse(null));
            String where = m == null ? label : label + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw new YamlSyntaxError(where + ": " + firstLine(e.getProblem() == null ? e.getMessage() : e.getProblem()));
        } catch (YamlEngineException e) {
            throw new YamlSyntaxError(label + ": " + firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            // The composer recurses per nesting level; thousands of levels are no real config file.
            throw new YamlSyntaxError(label + ": nested too deeply to parse");
        }
        return docs;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** The file this node was read from, as given to {@link #parseAll}. */
    public String file() {
        return file;
    }

    /** 1-based line where the node starts. */
    public int line() {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /**
     * Whether this is a plain (unquoted, not block) scalar: one YAML may read as a number or boolean.
     * A quoted {@code "3"} is a string whatever it holds.
     */
    public boolean isPlain() {
        return node instanceof ScalarNode s && s.isPlain();
    }

    /** A scalar's text, or null for collections. YAML {@code null} / {@code ~} / empty give null too. */
    public String text() {
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            boolean plain = s.isPlain();
            if (plain && (v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL"))) {
                return null;
            }
            return v;
        }
        return null;
    }

    /** The value of a key in a mapping, merge keys applied; empty when absent or when this is not a mapping. */
    public Optional<YamlNode> get(String key) {
        return Optional.ofNullable(lookup(key, 0, visitedSet()));
    }

    /**
     * 1-based line of a key in this mapping (not of its value, which for a block mapping starts on
     * the next line), merge keys applied; empty when absent.
     */
    public Optional<Integer> keyLine(String key) {
        return Optional.ofNullable(keyLine(node, key, 0, visitedSet()));
    }

    private static Integer keyLine(Node n, String key, int depth, Set<Node> visited) {
        if (!(n instanceof MappingNode m) || depth > MAX_DEPTH || !visited.add(n)) {
            return null;
        }
        Integer merged = null;
        Integer explicit = null;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                if (isMergeKey(k)) {
                    List<Node> sources = t.getValueNode() instanceof SequenceNode s ? s.getValue() : List.of(t.getValueNode());
                    for (Node source : sources) {
                        merged = merged != null ? merged : keyLine(source, key, depth + 1, visited);
                    }
                } else if (k.getValue().equals(key)) {
                    // The last of duplicate keys counts, as in get().
                    explicit = k.getStartMark().map(mark -> mark.getLine() + 1).orElse(null);
                }
            }
        }
        return explicit != null ? explicit : merged;
    }

    /** {@link #get} along a path of keys. */
    public Optional<YamlNode> at(String... keys) {
        YamlNode n = this;
        for (String k : keys) {
            n = n.lookup(k, 0, visitedSet());
            if (n == null) {
                return Optional.empty();
            }
        }
        return Optional.of(n);
    }

    /** The text of a scalar at a path of keys, if there is one. */
    public Optional<String> textAt(String... keys) {
        return at(keys).map(YamlNode::text);
    }

    /** A mapping's entries in file order, merge keys applied (explicit keys win); empty for other nodes. */
    public Map<String, YamlNode> entries() {
        Map<String, YamlNode> out = new LinkedHashMap<>();
        collect(node, out, (k, v) -> new YamlNode(file, v), 0, visitedSet());
        return out;
    }

    /**
     * The 1-based line of each key of a mapping, in file order, merge keys applied (explicit keys
     * win): {@link #keyLine} for every key in one pass.
     */
    public Map<String, Integer> keyLines() {
        Map<String, Integer> out = new LinkedHashMap<>();
        collect(node, out, (k, v) -> k.getStartMark().map(mark -> mark.getLine() + 1).orElse(1), 0, visitedSet());
        return out;
    }

    /** A sequence's items; empty for other nodes. */
    public List<YamlNode> items() {
        if (node instanceof SequenceNode s) {
            return s.getValue().stream().map(n -> new YamlNode(file, n)).toList();
        }
        return List.of();
    }

    /**
     * The nodes a merge walk has been through. Aliases let one anchor be merged many times over
     * (a fan-out of three on fifteen levels is 14 million visits); a second visit adds nothing,
     * since the first found the key or everything the node holds, so each node is walked once.
     */
    private static Set<Node> visitedSet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private YamlNode lookup(String key, int depth, Set<Node> visited) {
        if (!(node instanceof MappingNode m) || depth > MAX_DEPTH || !visited.add(node)) {
            return null;
        }
        Node explicit = null;
        List<Node> merges = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                if (isMergeKey(k)) {
                    merges.add(t.getValueNode());
                } else if (k.getValue().equals(key)) {
                    // A key written twice: the last value counts, as kubectl (YAML to JSON) and entries() read it.
                    explicit = t.getValueNode();
                }
            }
        }
        if (explicit != null) {
            return new YamlNode(file, explicit);
        }
        for (Node merge : merges) {
            YamlNode found = lookupInMerge(merge, key, depth + 1, visited);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private YamlNode lookupInMerge(Node value, String key, int depth, Set<Node> visited) {
        if (value instanceof SequenceNode s) {
            for (Node n : s.getValue()) {
                YamlNode found = new YamlNode(file, n).lookup(key, depth, visited);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return new YamlNode(file, value).lookup(key, depth, visited);
    }

    /** A mapping's keys and what {@code value} makes of each entry, merge keys applied (explicit keys win). */
    private static <T> void collect(Node n, Map<String, T> out, BiFunction<ScalarNode, Node, T> value, int depth, Set<Node> visited) {
        if (!(n instanceof MappingNode m) || depth > MAX_DEPTH || !visited.add(n)) {
            return;
        }
        List<Node> merges = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                if (isMergeKey(k)) {
                    if (t.getValueNode() instanceof SequenceNode s) {
                        merges.addAll(s.getValue());
                    } else {
                        merges.add(t.getValueNode());
                    }
                } else {
                    out.put(k.getValue(), value.apply(k, t.getValueNode()));
                }
            }
        }
        for (Node merge : merges) {
            Map<String, T> inherited = new LinkedHashMap<>();
            collect(merge, inherited, value, depth + 1, visited);
            inherited.forEach(out::putIfAbsent);
        }
    }

    /**
     * Whether a mapping anywhere below has a key that is itself a mapping or sequence. Configuration
     * never has one; a Go template's {@code {{ .Values.x }}} left unquoted parses as exactly that.
     * Each node is looked at once (aliases share nodes), without recursion.
     */
    public boolean hasCollectionKey() {
        Set<Node> visited = visitedSet();
        Deque<Node> todo = new ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!visited.add(n)) {
                continue;
            }
            if (n instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode)) {
                        return true;
                    }
                    todo.push(t.getValueNode());
                }
            } else if (n instanceof SequenceNode s) {
                s.getValue().forEach(todo::push);
            }
        }
        return false;
    }

    private static boolean isMergeKey(ScalarNode k) {
        return k.isPlain() && k.getValue().equals("<<");
    }

    @Override
    public String toString() {
        return file + ":" + line();
    }

    /** A file that is not valid YAML; the message names file, line and column. */
    public static final class YamlSyntaxError extends Exception {
        public YamlSyntaxError(String message) {
            super(message, null, false, false);
        }
    }
}
