package dev.airworthy.checks.repo;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * The parts of a Maven pom.xml that say which versions a build pulls: its coordinates, its parent,
 * its {@code <properties>}, and the {@code <version>} of every dependency, plugin, extension and
 * the parent, each with its line (a plugin's own {@code <dependencies>} included), and the
 * {@code <modules>} it aggregates (profiles' too). Plugin {@code <configuration>} blocks are free-form and skipped.
 */
record PomFile(String file, String groupId, String artifactId, String version, Ref parent, Map<String, String> properties,
        List<Ref> refs, List<String> modules) {
    private static final long MAX_BYTES = 16L * 1024 * 1024;
    private static final int MAX_DEPTH = 128;

    /** A versioned reference to another artifact; {@code kind} is dependency, plugin, extension or parent. */
    record Ref(String kind, String groupId, String artifactId, String version, int line) {
        String coordinates() {
            return (groupId == null ? "?" : groupId) + ":" + artifactId;
        }
    }

    /** This pom's groupId, inherited from the parent when it has none of its own. */
    String effectiveGroupId() {
        return groupId != null ? groupId : parent == null ? null : parent.groupId();
    }

    static PomFile read(Path file, String label) throws UnreadableFile {
        return SafeXml.parse(file, label, MAX_BYTES, xml -> parse(xml, label));
    }

    private static PomFile parse(XMLStreamReader xml, String label) throws javax.xml.stream.XMLStreamException, UnreadableFile {
        Deque<String> path = new ArrayDeque<>();
        Map<String, String> properties = new HashMap<>();
        List<Ref> refs = new ArrayList<>();
        String[] own = new String[3];
        Ref parent = null;
        // The artifact element being read (dependency, plugin, extension, parent) and its children.
        Map<String, String> current = null;
        int currentDepth = -1;
        // The plugin whose <dependencies> are being read, while one of them is current.
        Map<String, String> outer = null;
        int outerDepth = -1;
        List<String> modules = new ArrayList<>();
        int versionLine = 0;
        int skipDepth = -1;
        StringBuilder text = new StringBuilder();
        boolean rootSeen = false;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = xml.getLocalName();
                if (!rootSeen) {
                    rootSeen = true;
                    if (!name.equals("project")) {
                        throw SafeXml.problem(label, xml, "the root element is <" + name + ">, not <project>");
                    }
                }
                path.push(name);
                if (path.size() > MAX_DEPTH) {
                    throw SafeXml.problem(label, xml, "elements nested deeper than " + MAX_DEPTH);
                }
                text.setLength(0);
                if (skipDepth >= 0) {
                    continue;
                }
                if (name.equals("configuration")) {
                    skipDepth = path.size();
                } else if (current == null && (name.equals("dependency") || name.equals("plugin") || name.equals("extension")
                        || (name.equals("parent") && path.size() == 2))) {
                    current = new HashMap<>();
                    current.put("#kind", name);
                    currentDepth = path.size();
                } else if (current != null && outer == null && name.equals("dependency") && "plugin".equals(current.get("#kind"))
                        && path.size() == currentDepth + 2) {
                    outer = current;
                    outerDepth = currentDepth;
                    current = new HashMap<>();
                    current.put("#kind", "plugin dependency");
                    currentDepth = path.size();
                } else if (current != null && path.size() == currentDepth + 1 && name.equals("version")) {
                    versionLine = xml.getLocation().getLineNumber();
                }
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                if (text.length() < 4096) {
                    text.append(xml.getText(), 0, Math.min(xml.getTextLength(), 4096 - text.length()));
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                String name = path.pop();
                String value = text.toString().strip();
                text.setLength(0);
                if (skipDepth >= 0) {
                    if (path.size() + 1 == skipDepth) {
                        skipDepth = -1;
                    }
                    continue;
                }
                int depth = path.size() + 1;
                if (current != null && depth == currentDepth + 1) {
                    current.put(name, value);
                    if (name.equals("version")) {
                        current.put("#line", String.valueOf(versionLine));
                    }
                } else if (current != null && depth == currentDepth) {
                    String kind = current.get("#kind");
                    String group = current.get("groupId");
                    if (group == null && kind.equals("plugin")) {
                        group = "org.apache.maven.plugins";
                    }
                    Ref ref = new Ref(kind, group, current.get("artifactId"), current.get("version"),
                            Integer.parseInt(current.getOrDefault("#line", "0")));
                    if (kind.equals("parent")) {
                        parent = ref;
                    }
                    if (ref.version() != null && ref.artifactId() != null) {
                        refs.add(ref);
                    }
                    current = outer;
                    currentDepth = outerDepth;
                    outer = null;
                } else if (current == null && name.equals("module") && "modules".equals(path.peek())) {
                    modules.add(value);
                } else if (depth == 2 && path.size() == 1) {
                    switch (name) {
                        case "groupId" -> own[0] = value;
                        case "artifactId" -> own[1] = value;
                        case "version" -> own[2] = value;
                        default -> {
                        }
                    }
                } else if (depth == 3 && "properties".equals(path.peek()) && path.size() == 2) {
                    properties.put(name, value);
                }
            }
        }
        return new PomFile(label, own[0], own[1], own[2], parent, Map.copyOf(properties), List.copyOf(refs), List.copyOf(modules));
    }
}
