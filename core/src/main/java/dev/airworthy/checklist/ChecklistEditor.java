package dev.airworthy.checklist;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Adds an entry to a top-level list of a checklist ({@code attestations}, {@code waivers}) by
 * editing the text, so every other byte of the file (comments, order, quoting) stays as the team
 * wrote it and the change reads as a small diff in review.
 */
public final class ChecklistEditor {
    private ChecklistEditor() {
    }

    /**
     * @param fields the entry's keys and values, in order; values are written as YAML double-quoted
     *               strings with {@code $} doubled, so they are never interpolated
     * @throws IllegalArgumentException when the list is written in flow style ({@code [ {...} ]})
     */
    public static String append(String text, String listKey, Map<String, String> fields) {
        Node root = new Compose(LoadSettings.builder().setAllowDuplicateKeys(true).build()).composeString(text)
                .orElseThrow(() -> new IllegalArgumentException("the checklist is empty"));
        if (!(root instanceof MappingNode top)) {
            throw new IllegalArgumentException("the checklist is not a mapping");
        }
        Optional<NodeTuple> tuple = top.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(listKey))
                .findFirst();
        String base = text.endsWith("\n") || text.isEmpty() ? text : text + "\n";
        if (tuple.isEmpty()) {
            return base + listKey + ":\n" + entry(fields, "  ");
        }
        Node value = tuple.get().getValueNode();
        if (value instanceof SequenceNode seq && seq.getFlowStyle() == FlowStyle.BLOCK && !seq.getValue().isEmpty()) {
            int indent = seq.getStartMark().orElseThrow().getColumn();
            int at = lineEnd(text, lastLeaf(seq).getEndMark().orElseThrow().getIndex());
            String before = text.substring(0, at);
            return before + (before.endsWith("\n") ? "" : "\n") + entry(fields, " ".repeat(indent)) + text.substring(at);
        }
        boolean empty = (value instanceof SequenceNode s && s.getValue().isEmpty())
                || (value instanceof ScalarNode sc && sc.getValue().isEmpty());
        if (!empty) {
            throw new IllegalArgumentException("'" + listKey + "' is written as a flow list; rewrite it as a block list "
                    + "(one '- ' entry per line) to add entries from the command line");
        }
        // The entries go on the lines after the key; "attestations: []  # none yet" keeps its comment.
        Node key = tuple.get().getKeyNode();
        int keyIndex = key.getStartMark().orElseThrow().getIndex();
        int lineStart = text.lastIndexOf('\n', keyIndex - 1) + 1;
        int lineStop = lineEnd(text, keyIndex);
        String line = text.substring(lineStart, lineStop).stripTrailing();
        if (value instanceof SequenceNode) {
            int valueStart = value.getStartMark().orElseThrow().getIndex();
            int valueEnd = value.getEndMark().orElseThrow().getIndex();
            if (valueEnd > lineStop) {
                throw new IllegalArgumentException("'" + listKey + "' is an empty flow list spread over lines; write it as '"
                        + listKey + ": []' or a block list");
            }
            line = (text.substring(lineStart, valueStart).stripTrailing() + text.substring(valueEnd, lineStop)).stripTrailing();
        }
        return text.substring(0, lineStart) + line + "\n" + entry(fields, "  ") + text.substring(lineStop);
    }

    /** The last scalar or flow collection of a block node: its end mark is exact, a block node's is not. */
    private static Node lastLeaf(Node node) {
        if (node instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK && !s.getValue().isEmpty()) {
            return lastLeaf(s.getValue().getLast());
        }
        if (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK && !m.getValue().isEmpty()) {
            return lastLeaf(m.getValue().getLast().getValueNode());
        }
        return node;
    }

    private static int lineEnd(String text, int from) {
        int i = text.indexOf('\n', Math.max(0, from));
        return i < 0 ? text.length() : i + 1;
    }

    private static String entry(Map<String, String> fields, String indent) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (var e : fields.entrySet()) {
            sb.append(indent).append(first ? "- " : "  ").append(e.getKey()).append(": ").append(quote(e.getValue())).append('\n');
            first = false;
        }
        return sb.toString();
    }

    static String quote(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '$' -> sb.append("$$");
                default -> sb.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    /** Lists of fields in the order they are written. */
    public static Map<String, String> fields(List<String> keysAndValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
            if (keysAndValues.get(i + 1) != null) {
                m.put(keysAndValues.get(i), keysAndValues.get(i + 1));
            }
        }
        return m;
    }
}
