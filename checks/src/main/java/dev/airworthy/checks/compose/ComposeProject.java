package dev.airworthy.checks.compose;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.checks.docker.CheckedFiles;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import dev.airworthy.checks.yaml.YamlNode;
import dev.airworthy.checks.yaml.YamlNode.YamlSyntaxError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compose files a check judges, read once per run and shared by every compose check so they
 * all see the same services. Each file is judged on its own; an override file (one named
 * {@code *.override.*}, or one with a service that names no image, build or {@code extends}, so it
 * cannot run by itself) has its services merged with the same-named services of the base file in
 * its directory ({@code compose.yaml}, {@code docker-compose.yml}, ...), as
 * {@code docker compose -f base -f override} merges them. {@code extends} is followed too.
 */
public final class ComposeProject {
    /** {@code compose.yaml}, {@code docker-compose.yml}, and {@code docker-compose.<env>.yml} / {@code compose.<env>.yaml}. */
    private static final Pattern NAME = Pattern.compile("(docker-)?compose(?:\\.([a-z0-9_-]{1,64}))?\\.ya?ml");
    private static final List<String> BASE_NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");
    private static final int MAX_EXTENDS = 8;

    private final List<ComposeFile> files;
    private final List<String> notes;

    private ComposeProject(List<ComposeFile> files, List<String> notes) {
        this.files = List.copyOf(files);
        this.notes = List.copyOf(notes);
    }

    /**
     * The files the item's {@code files} parameter names, else those discovered. Skipped
     * ({@link NotApplicable}) when there is none or they define no service.
     */
    public static ComposeProject load(CheckContext ctx) throws IOException, YamlSyntaxError {
        List<String> notes = new ArrayList<>();
        List<RepoFile> chosen = ctx.params().list(CheckedFiles.PARAM).isEmpty()
                ? discovered(RepoTree.of(ctx), notes)
                : CheckedFiles.select(ctx, f -> false);
        return read(ctx, chosen, notes);
    }

    /** The discovered compose files, whatever the item's parameters say (for checks of other files). */
    public static ComposeProject discover(CheckContext ctx) throws IOException, YamlSyntaxError {
        List<String> notes = new ArrayList<>();
        return read(ctx, discovered(RepoTree.of(ctx), notes), notes);
    }

    private static ComposeProject read(CheckContext ctx, List<RepoFile> chosen, List<String> notes)
            throws IOException, YamlSyntaxError {
        if (chosen.isEmpty()) {
            throw new NotApplicable(notes.isEmpty() ? "no compose file in the repository"
                    : "no compose file in the repository but development ones (" + String.join("; ", notes) + ")");
        }
        return new Reader(ctx.repo(), ctx.shared(Cache.class, Cache::new), notes).read(chosen);
    }

    /** Reads files outside a run (tests). */
    static ComposeProject read(Path root, List<RepoFile> chosen) throws IOException, YamlSyntaxError {
        return new Reader(root.toAbsolutePath().normalize(), new Cache(), new ArrayList<>()).read(chosen);
    }

    public static boolean isComposeName(String fileName) {
        return NAME.matcher(fileName.toLowerCase(Locale.ROOT)).matches();
    }

    private static List<RepoFile> discovered(RepoTree tree, List<String> notes) {
        List<RepoFile> out = new ArrayList<>();
        for (RepoFile f : tree.filter(f -> isComposeName(f.name()))) {
            Matcher m = NAME.matcher(f.name().toLowerCase(Locale.ROOT));
            String why = CheckedFiles.developmentOnly(f, m.matches() ? m.group(2) : null);
            if (why == null) {
                out.add(f);
            } else {
                notes.add(f.path() + " not judged: " + why + " (name it in files to judge it)");
            }
        }
        return out;
    }

    public List<ComposeFile> files() {
        return files;
    }

    /** Every judged service, file by file. */
    public List<ComposeService> services() {
        return files.stream().flatMap(f -> f.services().stream()).toList();
    }

    /** What was judged and what was left out, for the item's evidence. */
    public List<String> evidence() {
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(f.summary()));
        out.addAll(notes);
        return out;
    }

    /** Parsed compose files of one run, by absolute path; a file that does not parse stays an error. */
    static final class Cache {
        private static final Object EMPTY = new Object();
        private final Map<Path, Object> parsed = new ConcurrentHashMap<>();

        /** The file's first document, or null when it is empty. */
        YamlNode root(Path abs, String label) throws IOException, YamlSyntaxError {
            Object o = parsed.get(abs);
            if (o == null) {
                try {
                    List<YamlNode> docs = YamlNode.parseAll(abs, label);
                    o = docs.isEmpty() ? EMPTY : docs.getFirst();
                } catch (YamlSyntaxError e) {
                    o = e;
                }
                parsed.put(abs, o);
            }
            if (o instanceof YamlSyntaxError e) {
                throw new YamlSyntaxError(e.getMessage());
            }
            return o == EMPTY ? null : (YamlNode) o;
        }
    }

    /** A service's mapping where it is written. */
    private record ServiceNode(String name, YamlNode node, int line) {
    }

    private static final class Reader {
        private final Path root;
        private final Cache cache;
        private final List<String> notes;

        Reader(Path root, Cache cache, List<String> notes) {
            this.root = root;
            this.cache = cache;
            this.notes = notes;
        }

        ComposeProject read(List<RepoFile> chosen) throws IOException, YamlSyntaxError {
            List<ComposeFile> files = new ArrayList<>();
            for (RepoFile f : chosen) {
                files.add(file(f.path()));
            }
            if (files.stream().allMatch(f -> f.services().isEmpty())) {
                throw new NotApplicable("the compose files define no service: "
                        + String.join(", ", files.stream().map(ComposeFile::path).toList()));
            }
            return new ComposeProject(files, notes);
        }

        private ComposeFile file(String path) throws IOException, YamlSyntaxError {
            Map<String, ServiceNode> own = services(path);
            String base = baseOf(path);
            Map<String, ServiceNode> inherited = base == null ? Map.of() : services(base);
            boolean override = base != null && (path.toLowerCase(Locale.ROOT).contains(".override.")
                    || own.values().stream().anyMatch(s -> !standsAlone(s.node())));
            List<ComposeService> services = new ArrayList<>();
            Map<String, ComposeService> universe = new LinkedHashMap<>();
            for (ServiceNode s : own.values()) {
                List<YamlNode> layers = expand(s.node(), 0, new HashSet<>());
                if (override && inherited.containsKey(s.name())) {
                    layers.addAll(expand(inherited.get(s.name()).node(), 0, new HashSet<>()));
                }
                ComposeService service = new ComposeService(s.name(), path, s.line(), layers);
                services.add(service);
                universe.put(s.name(), service);
            }
            if (override) {
                for (ServiceNode s : inherited.values()) {
                    universe.putIfAbsent(s.name(), new ComposeService(s.name(), base, s.line(), expand(s.node(), 0, new HashSet<>())));
                }
            }
            markOneShots(services, universe.values());
            if (own.isEmpty()) {
                notes.add(path + " defines no service");
            }
            return new ComposeFile(path, override ? base : null, services);
        }

        /** The services of a file: under {@code services:}, or at the top level in the legacy version 1 format. */
        private Map<String, ServiceNode> services(String path) throws IOException, YamlSyntaxError {
            YamlNode doc = cache.root(root.resolve(path), path);
            Map<String, ServiceNode> out = new LinkedHashMap<>();
            if (doc == null || !doc.isMap()) {
                return out;
            }
            YamlNode holder = doc.get("services").orElse(null);
            if (holder == null && isVersionOne(doc)) {
                holder = doc;
                notes.add(path + " is in the legacy version 1 format (services at the top level)");
            }
            if (holder == null) {
                return out;
            }
            for (Map.Entry<String, YamlNode> e : holder.entries().entrySet()) {
                String name = e.getKey();
                if (name.startsWith("x-") || (holder == doc && name.equals("version"))) {
                    continue; // extension fields hold anchors, not services
                }
                out.put(name, new ServiceNode(name, e.getValue(), holder.keyLine(name).orElse(e.getValue().line())));
            }
            return out;
        }

        private static boolean isVersionOne(YamlNode doc) {
            return doc.get("version").isEmpty() && doc.entries().values().stream()
                    .anyMatch(v -> v.isMap() && (v.get("image").isPresent() || v.get("build").isPresent()));
        }

        private static boolean standsAlone(YamlNode service) {
            return service.get("image").isPresent() || service.get("build").isPresent() || service.get("extends").isPresent();
        }

        /** The base file an override file extends: the plain compose file in its directory. */
        private String baseOf(String path) {
            String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            Matcher m = NAME.matcher(name);
            if (!m.matches() || m.group(2) == null) {
                return null;
            }
            List<String> order = new ArrayList<>(BASE_NAMES);
            if (m.group(1) != null) {
                order = List.of("docker-compose.yml", "docker-compose.yaml", "compose.yaml", "compose.yml");
            }
            String dir = ComposeService.directoryOf(path);
            for (String candidate : order) {
                String rel = dir.isEmpty() ? candidate : dir + "/" + candidate;
                if (CheckedFiles.regularFileInside(root, rel).isPresent()) {
                    return rel;
                }
            }
            return null;
        }

        /** The service's own mapping, then what its {@code extends} chain brings in. */
        private List<YamlNode> expand(YamlNode service, int depth, Set<String> seen) throws IOException, YamlSyntaxError {
            List<YamlNode> layers = new ArrayList<>();
            layers.add(service);
            Optional<YamlNode> ext = service.get("extends");
            if (ext.isEmpty() || depth >= MAX_EXTENDS) {
                return layers;
            }
            String name = ext.get().isScalar() ? ext.get().text() : ext.get().get("service").map(YamlNode::text).orElse(null);
            String file = service.file();
            Optional<String> other = ext.get().get("file").map(YamlNode::text);
            if (other.isPresent()) {
                Path p = Path.of(ComposeService.directoryOf(service.file())).resolve(other.get()).normalize();
                if (p.isAbsolute() || CheckedFiles.regularFileInside(root, p.toString()).isEmpty()) {
                    notes.add(ComposeService.where(ext.get()) + ": extends " + other.get() + ", which is not in the repository");
                    return layers;
                }
                file = p.toString().replace('\\', '/');
            }
            if (name == null || !seen.add(file + "#" + name)) {
                return layers;
            }
            ServiceNode parent = services(file).get(name);
            if (parent == null) {
                notes.add(ComposeService.where(ext.get()) + ": extends service " + name + ", which " + file + " does not define");
                return layers;
            }
            layers.addAll(expand(parent.node(), depth + 1, seen));
            return layers;
        }
    }

    /**
     * Marks the services that run once and exit, which restart policies and healthchecks do not
     * apply to: one another service waits for with {@code condition: service_completed_successfully},
     * a swarm job ({@code deploy.mode: replicated-job}), or one with {@code restart: "no"} that only
     * starts with a profile ({@code docker compose --profile tools run migrate}).
     */
    static void markOneShots(List<ComposeService> services, Collection<ComposeService> universe) {
        for (ComposeService s : services) {
            String reason = null;
            for (ComposeService other : universe) {
                for (YamlNode layer : other.layers()) {
                    Optional<String> condition = layer.textAt("depends_on", s.name(), "condition");
                    if (reason == null && condition.filter("service_completed_successfully"::equals).isPresent()) {
                        reason = other.name() + " waits for it to complete (" + ComposeService.where(layer.at("depends_on", s.name()).orElseThrow()) + ")";
                    }
                }
            }
            String mode = s.text("deploy", "mode").orElse("");
            if (reason == null && (mode.equals("replicated-job") || mode.equals("global-job"))) {
                reason = "deploy.mode " + mode;
            }
            if (reason == null && s.restartDisabled() && s.has("profiles")) {
                reason = "restart: \"no\" and started only with its profile";
            }
            s.oneShot(reason);
        }
    }
}
