package dev.airworthy.checks.compose;

import dev.airworthy.checks.docker.Interpolation;
import dev.airworthy.checks.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One service as a compose file defines it, with the keys it inherits already in view: its own
 * mapping first, then what {@code extends} brings in, then (for a service of an override file)
 * the same service of the base file. A key is looked up layer by layer, so a nested key
 * ({@code deploy.resources.limits.memory}, {@code healthcheck.disable}) comes from the most
 * specific layer that sets it, as compose merges mappings. Every node keeps its own file and line.
 */
public final class ComposeService {
    private final String name;
    private final String file;
    private final int line;
    private final List<YamlNode> layers;
    private final ComposeScope scope;
    private String oneShot;

    /**
     * A service key that compose cannot read (an {@code environment} entry that is a list, say): the
     * check cannot judge the service, so the item is an error naming file and line.
     */
    public static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** An {@code environment} (or {@code build.args}) entry; {@code value} is null when it is taken from the shell. */
    public record EnvVar(String name, String value, YamlNode node) {
    }

    /**
     * A mount of the service: where it is ({@code target}) and what backs it. {@code why} says why a
     * named volume is in memory ({@link Kind#TMPFS_VOLUME}).
     */
    public record Mount(Kind kind, String source, String target, YamlNode node, String why) {
        Mount(Kind kind, String source, String target, YamlNode node) {
            this(kind, source, target, node, null);
        }

        public enum Kind {
            NAMED("named volume"), BIND("bind mount"), ANONYMOUS("anonymous volume"), TMPFS("tmpfs"),
            TMPFS_VOLUME("named volume on tmpfs"), OTHER("mount");

            private final String label;

            Kind(String label) {
                this.label = label;
            }

            public String label() {
                return label;
            }
        }

        /** True when {@code path} is the target or lies under it; an empty target covers nothing. */
        public boolean covers(String path) {
            return !target.isEmpty() && (target.equals(path) || target.equals("/") || path.startsWith(target + "/"));
        }
    }

    /**
     * What {@code build:} builds: the Dockerfile's path relative to the repository root (null when
     * it is not in the repository: a remote context, a path outside, an unset variable; {@code why}
     * says which), the stage it targets, or the Dockerfile written inline.
     */
    public record Build(String dockerfile, String target, String inline, YamlNode node, String why) {
    }

    ComposeService(String name, String file, int line, List<YamlNode> layers, ComposeScope scope) {
        this.name = name;
        this.file = file;
        this.line = line;
        this.layers = List.copyOf(layers);
        this.scope = scope;
    }

    /** What the service's file is read with: its env file's variables and top-level definitions. */
    public ComposeScope scope() {
        return scope;
    }

    /** {@code raw} interpolated as compose interpolates the service's file. */
    public Interpolation.Resolved resolve(String raw) {
        return scope.resolve(raw);
    }

    public String name() {
        return name;
    }

    /** The compose file the service is judged in. */
    public String file() {
        return file;
    }

    /** The line of the service's name in {@link #file()}. */
    public int line() {
        return line;
    }

    /** Its mappings, most specific first. */
    public List<YamlNode> layers() {
        return layers;
    }

    /** Why it runs once and exits rather than serving (null for a long-running service). */
    public String oneShot() {
        return oneShot;
    }

    void oneShot(String reason) {
        this.oneShot = reason;
    }

    public Optional<YamlNode> at(String... keys) {
        for (YamlNode layer : layers) {
            Optional<YamlNode> found = layer.at(keys);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The text of a scalar key, blank and YAML null read as absent. */
    public Optional<String> text(String... keys) {
        return at(keys).map(YamlNode::text).map(String::strip).filter(s -> !s.isEmpty());
    }

    public boolean has(String key) {
        return at(key).isPresent();
    }

    /**
     * The boolean at {@code keys} when it is true as compose reads booleans: {@code true}, {@code yes},
     * {@code y} or {@code on} in any case, quoted or not, also once interpolated ({@code ${PRIV:-true}}).
     */
    public Optional<YamlNode> isTrue(String... keys) {
        return at(keys).filter(n -> n.text() != null && truthy(resolve(n.text().strip()).text()));
    }

    /** Compose's (YAML 1.1's) true: y, yes, true, on, in any case. */
    static boolean truthy(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "y", "yes", "true", "on" -> true;
            default -> false;
        };
    }

    /** The image the service runs ({@code image:} interpolated), when it names one that does not depend on the environment. */
    public Optional<String> image() {
        return text("image").map(this::resolve).filter(Interpolation.Resolved::complete).map(r -> r.text().strip())
                .filter(i -> !i.isEmpty());
    }

    /** The test of the service's own healthcheck, when it has one that is on. */
    public Optional<YamlNode> healthcheckTest() {
        if (isTrue("healthcheck", "disable").isPresent()) {
            return Optional.empty();
        }
        return at("healthcheck", "test").filter(t -> !isNone(t) && isCommand(t));
    }

    /**
     * A test compose can run: a command string, or a list of strings starting with {@code CMD} or
     * {@code CMD-SHELL} and naming a command.
     */
    private static boolean isCommand(YamlNode test) {
        if (test.isScalar()) {
            return test.text() != null && !test.text().isBlank();
        }
        List<YamlNode> items = test.items();
        if (items.size() < 2 || items.stream().anyMatch(i -> !i.isScalar() || i.text() == null)) {
            return false;
        }
        String kind = items.getFirst().text().strip().toUpperCase(Locale.ROOT);
        return kind.equals("CMD") || kind.equals("CMD-SHELL");
    }

    /** {@code test: ["NONE"]} or {@code test: NONE}: the healthcheck turned off. */
    static boolean isNone(YamlNode test) {
        String first = test.isList() ? test.items().stream().findFirst().map(YamlNode::text).orElse(null) : test.text();
        return first != null && first.strip().equalsIgnoreCase("NONE");
    }

    /** The environment after merging the layers (a more specific layer wins per variable). */
    public Map<String, EnvVar> environment() {
        return variables("environment");
    }

    /** The build arguments ({@code build.args}) after merging the layers. */
    public Map<String, EnvVar> buildArgs() {
        return variables("build", "args");
    }

    /**
     * The build arguments as the build receives them, interpolated; the value is null for one taken
     * from the environment ({@code - GIT_SHA}) or depending on a variable that has no value here.
     */
    public Map<String, String> resolvedBuildArgs() {
        Map<String, String> out = new LinkedHashMap<>();
        buildArgs().forEach((k, v) -> {
            Interpolation.Resolved r = v.value() == null ? null : resolve(v.value());
            out.put(k, r == null || !r.complete() ? null : r.text());
        });
        return out;
    }

    private Map<String, EnvVar> variables(String... keys) {
        Map<String, EnvVar> out = new LinkedHashMap<>();
        for (YamlNode layer : layers.reversed()) {
            Optional<YamlNode> env = layer.at(keys);
            if (env.isEmpty()) {
                continue;
            }
            if (env.get().isMap()) {
                env.get().entries().forEach((k, v) -> {
                    if (!v.isScalar()) {
                        throw new Malformed(where(v) + ": " + String.join(".", keys) + "." + k + " is not a single value");
                    }
                    out.put(k, new EnvVar(k, v.text(), v));
                });
            }
            for (YamlNode item : env.get().items()) {
                String entry = item.text();
                if (!item.isScalar()) {
                    throw new Malformed(where(item) + ": an entry of " + String.join(".", keys) + " is not a NAME=value string");
                }
                if (entry == null) {
                    continue;
                }
                int eq = entry.indexOf('=');
                String key = (eq < 0 ? entry : entry.substring(0, eq)).strip();
                out.put(key, new EnvVar(key, eq < 0 ? null : entry.substring(eq + 1), item));
            }
        }
        return out;
    }

    /**
     * The volumes and tmpfs mounts after merging the layers (a more specific layer wins per target).
     * A named volume whose top-level definition puts it on tmpfs ({@code driver_opts.type: tmpfs})
     * is {@link Mount.Kind#TMPFS_VOLUME}.
     */
    public List<Mount> mounts() {
        Map<String, Mount> byTarget = new LinkedHashMap<>();
        for (YamlNode layer : layers.reversed()) {
            for (YamlNode v : layer.get("volumes").map(YamlNode::items).orElse(List.of())) {
                Mount m = v.isMap() ? longVolume(v) : shortVolume(v);
                if (m != null && m.kind() == Mount.Kind.NAMED) {
                    String source = resolve(m.source()).text().strip();
                    String tmpfs = scope.tmpfsDefinition(source);
                    m = tmpfs == null ? m : new Mount(Mount.Kind.TMPFS_VOLUME, source, m.target(), m.node(), tmpfs);
                }
                if (m != null) {
                    byTarget.put(m.target(), m);
                }
            }
            Optional<YamlNode> tmpfs = layer.get("tmpfs");
            List<YamlNode> tmpfsItems = tmpfs.map(t -> t.isList() ? t.items() : List.of(t)).orElse(List.of());
            for (YamlNode t : tmpfsItems) {
                String text = t.text();
                if (text != null) {
                    int colon = text.indexOf(':');
                    String target = targetPath(colon < 0 ? text : text.substring(0, colon));
                    byTarget.put(target, new Mount(Mount.Kind.TMPFS, null, target, t));
                }
            }
        }
        return List.copyOf(byTarget.values());
    }

    private Mount longVolume(YamlNode v) {
        String target = v.get("target").map(YamlNode::text).orElse(null);
        if (target == null) {
            return null;
        }
        String type = v.get("type").map(YamlNode::text).orElse("volume").toLowerCase(Locale.ROOT);
        String source = v.get("source").map(YamlNode::text).filter(s -> !s.isBlank()).orElse(null);
        Mount.Kind kind = switch (type) {
            case "volume" -> source == null ? Mount.Kind.ANONYMOUS : Mount.Kind.NAMED;
            case "cluster" -> Mount.Kind.NAMED; // a swarm cluster (CSI) volume outlives its tasks
            case "bind" -> Mount.Kind.BIND;
            case "tmpfs" -> Mount.Kind.TMPFS;
            default -> Mount.Kind.OTHER;
        };
        return new Mount(kind, source, targetPath(target), v);
    }

    /** {@code [SOURCE:]TARGET[:MODE]}, where SOURCE may hold {@code ${VAR:-default}} with colons in it. */
    private Mount shortVolume(YamlNode v) {
        String text = v.text();
        if (text == null || text.isBlank()) {
            return null;
        }
        List<String> parts = splitColons(text.strip());
        // A Windows drive letter (C:\data:/data) is part of the source.
        if (parts.size() >= 3 && parts.get(0).length() == 1 && Character.isLetter(parts.get(0).charAt(0))
                && (parts.get(1).startsWith("\\") || parts.get(1).startsWith("/"))) {
            parts.set(1, parts.get(0) + ":" + parts.get(1));
            parts.remove(0);
        }
        if (parts.size() == 1) {
            return new Mount(Mount.Kind.ANONYMOUS, null, targetPath(parts.get(0)), v);
        }
        String source = parts.get(0);
        return new Mount(sourceKind(source), source, targetPath(parts.get(1)), v);
    }

    private Mount.Kind sourceKind(String source) {
        String s = source;
        if (Interpolation.hasReference(s)) {
            Interpolation.Resolved r = resolve(s);
            if (!r.complete()) {
                // A variable names either a host path or a volume: durable either way.
                return Mount.Kind.BIND;
            }
            s = r.text();
        }
        boolean path = s.startsWith("/") || s.startsWith(".") || s.startsWith("~") || s.startsWith("\\")
                || (s.length() > 1 && s.charAt(1) == ':');
        return path ? Mount.Kind.BIND : Mount.Kind.NAMED;
    }

    private static List<String> splitColons(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == ':' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    static String targetPath(String raw) {
        String t = raw.strip();
        while (t.length() > 1 && t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /**
     * What the service builds, if it has {@code build:}. Relative paths resolve against the
     * directory of the compose file that declares them, as compose resolves them.
     */
    public Optional<Build> build() {
        YamlNode first = null;
        String[] context = null;
        String dockerfile = null;
        String target = null;
        String inline = null;
        for (YamlNode layer : layers) {
            Optional<YamlNode> b = layer.get("build");
            if (b.isEmpty()) {
                continue;
            }
            YamlNode node = b.get();
            first = first == null ? node : first;
            String dir = directoryOf(node.file());
            if (node.isScalar()) {
                context = context == null && node.text() != null ? new String[] {node.text(), dir} : context;
                continue;
            }
            if (context == null) {
                context = node.get("context").map(YamlNode::text).map(c -> new String[] {c, dir}).orElse(null);
            }
            if (dockerfile == null && inline == null) {
                // The dockerfile is relative to the context, wherever either is declared.
                dockerfile = node.get("dockerfile").map(YamlNode::text).orElse(null);
                inline = node.get("dockerfile_inline").map(YamlNode::text).orElse(null);
            }
            target = target == null ? node.get("target").map(YamlNode::text).orElse(null) : target;
        }
        if (first == null) {
            return Optional.empty();
        }
        if (inline != null) {
            return Optional.of(new Build(null, target, inline, first, null));
        }
        String[] ctx = context == null ? new String[] {".", directoryOf(first.file())} : context;
        Interpolation.Resolved c = resolve(ctx[0]);
        if (!c.complete()) {
            return Optional.of(new Build(null, target, null, first, "its build context depends on " + c.unresolved().getFirst()));
        }
        String contextText = c.text().strip();
        if (contextText.contains("://") || contextText.startsWith("git@")) {
            return Optional.of(new Build(null, target, null, first, "it builds from the remote context " + contextText));
        }
        Path contextPath = Path.of(ctx[1]).resolve(contextText).normalize();
        Path dockerfilePath;
        if (dockerfile == null) {
            dockerfilePath = contextPath.resolve("Dockerfile");
        } else {
            Interpolation.Resolved d = resolve(dockerfile);
            if (!d.complete()) {
                return Optional.of(new Build(null, target, null, first, "its dockerfile depends on " + d.unresolved().getFirst()));
            }
            dockerfilePath = contextPath.resolve(d.text().strip());
        }
        dockerfilePath = dockerfilePath.normalize();
        if (dockerfilePath.isAbsolute() || dockerfilePath.startsWith("..")) {
            return Optional.of(new Build(null, target, null, first, "its Dockerfile " + dockerfilePath + " is outside the repository"));
        }
        return Optional.of(new Build(dockerfilePath.toString().replace('\\', '/'), target, null, first, null));
    }

    static String directoryOf(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    /** {@code file:line} of a node, for evidence. */
    public static String where(YamlNode node) {
        return node.file() + ":" + node.line();
    }

    @Override
    public String toString() {
        return file + ":" + line + " " + name;
    }
}
