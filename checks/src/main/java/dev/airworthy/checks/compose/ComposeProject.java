package dev.airworthy.checks.compose;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.checks.docker.CheckedFiles;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import dev.airworthy.checks.yaml.YamlNode;
import dev.airworthy.checks.yaml.YamlNode.YamlSyntaxError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
 * all see the same services. Each file is read as compose reads it: all its YAML documents merged
 * in order (a later document overrides the keys of an earlier one), {@code ${...}} interpolated
 * with the project's {@code .env}, {@code extends} and {@code include:} followed. A variant file
 * ({@code docker-compose.prod.yml}) next to a base file ({@code docker-compose.yml}) that redefines
 * services of the base, or one named {@code *.override.*}, is an override: those services are
 * merged with the base's, as {@code docker compose -f base -f prod} merges them; a service only
 * the variant defines stands alone and takes nothing from the base.
 */
public final class ComposeProject {
    /** {@code compose.yaml}, {@code docker-compose.yml}, {@code docker-compose.prod.yml}, {@code docker-compose.prod.override.yml}. */
    private static final Pattern DOTTED = Pattern.compile("(?:docker-)?compose((?:\\.[a-z0-9_-]{1,64}){0,2})\\.ya?ml");
    /** {@code docker-compose-prod.yml}. */
    private static final Pattern DASHED = Pattern.compile("docker-compose-([a-z0-9_-]{1,64})\\.ya?ml");
    /** {@code prod.compose.yml}, {@code prod.docker-compose.yaml}. */
    private static final Pattern PREFIXED = Pattern.compile("([a-z0-9_-]{1,64})\\.(?:docker-)?compose\\.ya?ml");
    /** {@code docker-stack.yml}, {@code stack.yml}, {@code docker-stack.prod.yml}: swarm stack files. */
    private static final Pattern STACK = Pattern.compile("(?:docker-)?stack(?:\\.([a-z0-9_-]{1,64}))?\\.ya?ml");
    private static final List<String> BASE_NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");
    /** Directories of examples and tests: their compose files are not the service's deployment. */
    private static final Set<String> EXAMPLE_DIRS = Set.of("examples", "example", "test", "tests", "fixtures", "testdata");
    private static final int MAX_EXTENDS = 8;
    private static final int MAX_INCLUDES = 8;
    /** Files read to find compose files with other names, and how much of each. */
    private static final int MAX_LOOKALIKES = 200;
    private static final int MAX_LOOKALIKE_BYTES = 256 * 1024;
    private static final Pattern TOP_LEVEL_SERVICES = Pattern.compile("(?m)^services:");

    private final List<ComposeFile> files;
    private final List<String> notes;

    private ComposeProject(List<ComposeFile> files, List<String> notes) {
        this.files = List.copyOf(files);
        this.notes = List.copyOf(notes);
    }

    /** What a file name says: a compose or a stack file, and the environments it names ({@code prod}, {@code override}). */
    record ComposeName(boolean stack, List<String> variants) {
    }

    /**
     * The files the item's {@code files} parameter names, else those discovered. Skipped
     * ({@link NotApplicable}) when there is none or they define no service.
     */
    public static ComposeProject load(CheckContext ctx) throws IOException, YamlSyntaxError {
        List<String> notes = new ArrayList<>();
        Cache cache = ctx.shared(Cache.class, Cache::new);
        Map<String, String> lookalikes = new LinkedHashMap<>();
        List<RepoFile> chosen;
        if (ctx.params().list(CheckedFiles.PARAM).isEmpty()) {
            RepoTree tree = RepoTree.of(ctx);
            chosen = discovered(tree, notes);
            lookalikes = lookalikes(tree, chosen, cache);
        } else {
            chosen = CheckedFiles.select(ctx, f -> false);
        }
        return read(ctx.repo(), cache, chosen, notes, lookalikes);
    }

    /** The discovered compose files, whatever the item's parameters say (for checks of other files). */
    public static ComposeProject discover(CheckContext ctx) throws IOException, YamlSyntaxError {
        List<String> notes = new ArrayList<>();
        return read(ctx.repo(), ctx.shared(Cache.class, Cache::new), discovered(RepoTree.of(ctx), notes), notes, Map.of());
    }

    /** Reads the chosen files; {@code lookalikes} (path to note) are noted unless an {@code include:} brings them in. */
    private static ComposeProject read(Path repo, Cache cache, List<RepoFile> chosen, List<String> notes, Map<String, String> lookalikes)
            throws IOException, YamlSyntaxError {
        if (chosen.isEmpty()) {
            notes.addAll(lookalikes.values());
            throw new NotApplicable(notes.isEmpty() ? "no compose file in the repository"
                    : "no compose file in the repository to judge (" + String.join("; ", notes) + ")");
        }
        Reader reader = new Reader(repo, cache, notes);
        ComposeProject p = reader.read(chosen);
        List<String> all = new ArrayList<>(p.notes);
        lookalikes.forEach((path, note) -> {
            if (!reader.judged.containsKey(path)) {
                all.add(note);
            }
        });
        return new ComposeProject(p.files, all);
    }

    /** Discovers and reads the compose files under {@code root} outside a run (tests). */
    static ComposeProject discover(Path root) throws IOException, YamlSyntaxError {
        Path abs = root.toAbsolutePath().normalize();
        List<String> notes = new ArrayList<>();
        Cache cache = new Cache();
        RepoTree tree = RepoTree.walk(abs);
        List<RepoFile> chosen = discovered(tree, notes);
        return read(abs, cache, chosen, notes, lookalikes(tree, chosen, cache));
    }

    /** Reads files outside a run (tests). */
    static ComposeProject read(Path root, List<RepoFile> chosen) throws IOException, YamlSyntaxError {
        return new Reader(root.toAbsolutePath().normalize(), new Cache(), new ArrayList<>()).read(chosen);
    }

    public static boolean isComposeName(String fileName) {
        return nameOf(fileName).isPresent();
    }

    static Optional<ComposeName> nameOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        Matcher m = DOTTED.matcher(name);
        if (m.matches()) {
            List<String> variants = new ArrayList<>();
            for (String v : m.group(1).split("\\.")) {
                if (!v.isEmpty()) {
                    variants.add(v);
                }
            }
            return Optional.of(new ComposeName(false, variants));
        }
        for (Pattern p : List.of(DASHED, PREFIXED)) {
            m = p.matcher(name);
            if (m.matches()) {
                return Optional.of(new ComposeName(false, List.of(m.group(1))));
            }
        }
        m = STACK.matcher(name);
        if (m.matches()) {
            return Optional.of(new ComposeName(true, m.group(1) == null ? List.of() : List.of(m.group(1))));
        }
        return Optional.empty();
    }

    /**
     * Compose files by name, except development variants and those under directories of examples
     * and tests, which are noted.
     */
    private static List<RepoFile> discovered(RepoTree tree, List<String> notes) {
        List<RepoFile> out = new ArrayList<>();
        for (RepoFile f : tree.files()) {
            Optional<ComposeName> name = nameOf(f.name());
            if (name.isEmpty()) {
                continue;
            }
            String why = exampleDir(f);
            for (String variant : name.get().variants()) {
                why = why != null ? why : CheckedFiles.developmentOnly(f, variant);
            }
            why = why != null ? why : CheckedFiles.developmentOnly(f, null);
            if (why == null) {
                out.add(f);
            } else {
                notes.add(f.path() + " not judged: " + why + " (name it in files to judge it)");
            }
        }
        return out;
    }

    /** Why a file is under a directory of examples or tests ({@code examples/}, {@code testdata/}), or null. */
    static String exampleDir(RepoFile f) {
        for (String dir : f.dir().split("/")) {
            if (EXAMPLE_DIRS.contains(dir.toLowerCase(Locale.ROOT))) {
                return "under " + dir + "/, which holds examples or tests";
            }
        }
        return null;
    }

    /**
     * YAML files that are not named like compose files but read like one (a top-level
     * {@code services:} mapping whose services name an image or a build): noted, not judged, since
     * nothing says how they are deployed. Bounded in files and bytes read.
     */
    private static Map<String, String> lookalikes(RepoTree tree, List<RepoFile> chosen, Cache cache) {
        Set<String> known = new HashSet<>();
        chosen.forEach(f -> known.add(f.path()));
        Map<String, String> out = new LinkedHashMap<>();
        int read = 0;
        for (RepoFile f : tree.files()) {
            String lower = f.name().toLowerCase(Locale.ROOT);
            if (!(lower.endsWith(".yml") || lower.endsWith(".yaml")) || known.contains(f.path()) || nameOf(f.name()).isPresent()
                    || f.size() > MAX_LOOKALIKE_BYTES || exampleDir(f) != null || CheckedFiles.developmentOnly(f, null) != null) {
                continue;
            }
            if (read++ >= MAX_LOOKALIKES) {
                out.put("", "other YAML files not searched for compose files after " + MAX_LOOKALIKES);
                break;
            }
            if (readsLikeCompose(f, cache)) {
                out.put(f.path(), f.path() + " reads like a compose file (services with an image or a build) but is not named like one:"
                        + " not judged (name it in files to judge it)");
            }
        }
        return out;
    }

    private static boolean readsLikeCompose(RepoFile f, Cache cache) {
        try {
            if (!Files.isRegularFile(f.absolute())) {
                return false;
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(f.absolute())) {
                head = in.readNBytes(MAX_LOOKALIKE_BYTES);
            }
            if (!TOP_LEVEL_SERVICES.matcher(new String(head, StandardCharsets.UTF_8)).find()) {
                return false;
            }
            for (YamlNode doc : cache.docs(f.absolute(), f.path())) {
                Optional<YamlNode> services = doc.get("services").filter(YamlNode::isMap);
                if (services.isPresent() && services.get().entries().values().stream()
                        .anyMatch(s -> s.isMap() && (s.get("image").isPresent() || s.get("build").isPresent()))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | YamlSyntaxError e) {
            return false;
        }
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
        private final Map<Path, Object> parsed = new ConcurrentHashMap<>();

        /** The file's documents, empty ones left out. */
        List<YamlNode> docs(Path abs, String label) throws IOException, YamlSyntaxError {
            Object o = parsed.get(abs);
            if (o == null) {
                try {
                    o = YamlNode.parseAll(abs, label);
                } catch (YamlSyntaxError e) {
                    o = e;
                }
                parsed.put(abs, o);
            }
            if (o instanceof YamlSyntaxError e) {
                throw new YamlSyntaxError(e.getMessage());
            }
            @SuppressWarnings("unchecked")
            List<YamlNode> docs = (List<YamlNode>) o;
            return docs;
        }
    }

    /** A service as one or more files write it: its mappings (most specific first) and where it is first defined. */
    private record ServiceDef(String name, List<YamlNode> layers, int line) {
    }

    /**
     * One or more compose files read as one ({@code -f a -f b}, or the documents of one file):
     * {@code docs} in order, later ones overriding earlier ones.
     */
    private record View(List<YamlNode> docs, Map<String, ServiceDef> services, int servicesLine) {
        /** The documents most specific first, for lookups of top-level keys. */
        List<YamlNode> roots() {
            return docs.reversed();
        }
    }

    private static final class Reader {
        private final Path root;
        private final Cache cache;
        private final List<String> notes;
        private final Map<String, View> views = new HashMap<>();
        /** Files judged so far, as chosen files or included ones, and who included them. */
        private final Map<String, String> judged = new LinkedHashMap<>();

        Reader(Path root, Cache cache, List<String> notes) {
            this.root = root;
            this.cache = cache;
            this.notes = notes;
        }

        ComposeProject read(List<RepoFile> chosen) throws IOException, YamlSyntaxError {
            List<ComposeFile> files = new ArrayList<>();
            for (RepoFile f : chosen) {
                if (judged.containsKey(f.path())) {
                    notes.add(f.path() + " judged as included by " + judged.get(f.path()));
                    continue;
                }
                files.addAll(file(f.path()));
            }
            if (files.stream().allMatch(f -> f.services().isEmpty())) {
                throw new NotApplicable("the compose files define no service: "
                        + String.join(", ", files.stream().map(ComposeFile::path).toList())
                        + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
            }
            return new ComposeProject(files, notes);
        }

        /** A chosen file, then the files it includes. */
        private List<ComposeFile> file(String path) throws IOException, YamlSyntaxError {
            judged.put(path, path);
            View own = view(path);
            String base = baseOf(path);
            View inherited = base == null ? null : view(base);
            boolean override = inherited != null && (path.toLowerCase(Locale.ROOT).contains(".override.")
                    || own.services().keySet().stream().anyMatch(inherited.services()::containsKey));
            List<YamlNode> roots = new ArrayList<>(own.roots());
            if (override) {
                roots.addAll(inherited.roots());
            }
            boolean stack = nameOf(path.substring(path.lastIndexOf('/') + 1)).map(ComposeName::stack).orElse(false);
            ComposeScope scope = new ComposeScope(dotEnv(ComposeService.directoryOf(path)), roots, stack);
            List<ComposeService> services = new ArrayList<>();
            Map<String, ComposeService> universe = new LinkedHashMap<>();
            for (ServiceDef s : own.services().values()) {
                List<YamlNode> layers = expand(s.layers(), 0, new HashSet<>());
                if (override && inherited.services().containsKey(s.name())) {
                    layers.addAll(expand(inherited.services().get(s.name()).layers(), 0, new HashSet<>()));
                }
                ComposeService service = new ComposeService(s.name(), path, s.line(), layers, scope);
                services.add(service);
                universe.put(s.name(), service);
            }
            if (override) {
                for (ServiceDef s : inherited.services().values()) {
                    if (!universe.containsKey(s.name())) {
                        universe.put(s.name(), new ComposeService(s.name(), base, s.line(), expand(s.layers(), 0, new HashSet<>()), scope));
                    }
                }
            }
            if (own.services().isEmpty()) {
                notes.add(path + (stack ? " defines no service, so it is no stack file" : " defines no service"));
            }
            String envSummary = scope.summary(path);
            if (envSummary != null) {
                notes.add(envSummary);
            }
            List<ComposeFile> out = new ArrayList<>();
            out.add(new ComposeFile(path, override ? base : null, null, own.servicesLine(), services));
            includes(own, path, scope, 0, new HashSet<>(Set.of(path)), out);
            List<ComposeService> judgedHere = new ArrayList<>();
            for (ComposeFile f : out) {
                judgedHere.addAll(f.services());
                if (f != out.getFirst()) {
                    f.services().forEach(s -> universe.putIfAbsent(s.name(), s));
                }
            }
            markOneShots(judgedHere, universe.values());
            return out;
        }

        /**
         * The files {@code include:} brings in ({@code - path} or {@code - path: [a, b]} with
         * {@code env_file} and {@code project_directory}), each judged as a file of its own, read
         * with its own env file; bounded in depth, each file once, only inside the repository.
         */
        private void includes(View view, String includer, ComposeScope scope, int depth, Set<String> chain, List<ComposeFile> out)
                throws IOException, YamlSyntaxError {
            String dir = ComposeService.directoryOf(includer);
            for (YamlNode doc : view.docs()) {
                for (YamlNode item : doc.get("include").map(YamlNode::items).orElse(List.of())) {
                    List<String> paths = texts(item.isMap() ? item.get("path").orElse(null) : item);
                    if (paths.isEmpty()) {
                        continue;
                    }
                    List<String> files = new ArrayList<>();
                    for (String p : paths) {
                        String rel = inside(dir, scope.resolve(p).text());
                        if (rel == null || CheckedFiles.regularFileInside(root, rel).isEmpty()) {
                            notes.add(ComposeService.where(item) + ": includes " + p + ", which is no file in the repository");
                        } else {
                            files.add(rel);
                        }
                    }
                    if (files.size() != paths.size()) {
                        continue;
                    }
                    String main = files.getFirst();
                    if (chain.contains(main) || depth >= MAX_INCLUDES) {
                        notes.add(ComposeService.where(item) + ": include of " + main + " not followed ("
                                + (chain.contains(main) ? "a cycle" : "more than " + MAX_INCLUDES + " levels deep") + ")");
                        continue;
                    }
                    if (judged.containsKey(main)) {
                        continue;
                    }
                    files.forEach(f -> judged.putIfAbsent(f, includer));
                    View included = view(files);
                    String projectDir = item.isMap() ? item.get("project_directory").map(YamlNode::text).map(d -> inside(dir, d)).orElse(null) : null;
                    List<String> envFiles = new ArrayList<>();
                    for (String e : item.isMap() ? texts(item.get("env_file").orElse(null)) : List.<String>of()) {
                        String rel = inside(dir, e);
                        if (rel != null) {
                            envFiles.add(rel);
                        }
                    }
                    String envDir = projectDir != null ? projectDir : ComposeService.directoryOf(main);
                    ProjectEnv env = envFiles.isEmpty() ? dotEnv(envDir) : ProjectEnv.read(root, envFiles, notes);
                    ComposeScope inner = new ComposeScope(env, included.roots(), false);
                    List<ComposeService> services = new ArrayList<>();
                    for (ServiceDef s : included.services().values()) {
                        services.add(new ComposeService(s.name(), main, s.line(), expand(s.layers(), 0, new HashSet<>()), inner));
                    }
                    String envSummary = inner.summary(main);
                    if (envSummary != null) {
                        notes.add(envSummary);
                    }
                    out.add(new ComposeFile(main, null, includer, included.servicesLine(), services));
                    Set<String> deeper = new HashSet<>(chain);
                    deeper.add(main);
                    includes(included, main, inner, depth + 1, deeper, out);
                }
            }
        }

        private static List<String> texts(YamlNode node) {
            if (node == null) {
                return List.of();
            }
            if (node.isList()) {
                return node.items().stream().map(YamlNode::text).filter(t -> t != null && !t.isBlank()).toList();
            }
            return node.text() == null || node.text().isBlank() ? List.of() : List.of(node.text());
        }

        /**
         * {@code path} relative to {@code dir}, as a path relative to the repository root, or null when
         * it leaves the repository or names nothing in it.
         */
        private String inside(String dir, String path) {
            if (path == null || path.isBlank()) {
                return null;
            }
            Path p = Path.of(dir).resolve(path.strip()).normalize();
            if (p.isAbsolute() || p.startsWith("..")) {
                return null;
            }
            String rel = p.toString().replace('\\', '/');
            return CheckedFiles.regularFileInside(root, rel).isPresent() || Files.isDirectory(root.resolve(rel)) ? rel : null;
        }

        /** The project's {@code .env} in {@code dir}, if there is one. */
        private ProjectEnv dotEnv(String dir) {
            return ProjectEnv.read(root, List.of(dir.isEmpty() ? ".env" : dir + "/.env"), notes);
        }

        private View view(String path) throws IOException, YamlSyntaxError {
            View v = views.get(path);
            if (v == null) {
                v = view(List.of(path));
                views.put(path, v);
            }
            return v;
        }

        /** The files' documents, one after the other, and the services they define merged in order. */
        private View view(List<String> paths) throws IOException, YamlSyntaxError {
            List<YamlNode> docs = new ArrayList<>();
            for (String path : paths) {
                docs.addAll(cache.docs(root.resolve(path), path));
            }
            Map<String, ServiceDef> services = new LinkedHashMap<>();
            int servicesLine = 0;
            for (YamlNode doc : docs) {
                if (!doc.isMap()) {
                    continue;
                }
                YamlNode holder = doc.get("services").orElse(null);
                if (holder == null && isVersionOne(doc)) {
                    holder = doc;
                    notes.add(doc.file() + " is in the legacy version 1 format (services at the top level)");
                }
                if (holder == null) {
                    continue;
                }
                servicesLine = servicesLine > 0 ? servicesLine : holder == doc ? 1 : doc.keyLine("services").orElse(1);
                Map<String, Integer> lines = holder.keyLines();
                for (Map.Entry<String, YamlNode> e : holder.entries().entrySet()) {
                    String name = e.getKey();
                    if (name.startsWith("x-") || (holder == doc && name.equals("version"))) {
                        continue; // extension fields hold anchors, not services
                    }
                    ServiceDef def = services.computeIfAbsent(name,
                            n -> new ServiceDef(n, new ArrayList<>(), lines.getOrDefault(n, e.getValue().line())));
                    def.layers().addFirst(e.getValue());
                }
            }
            return new View(docs, services, Math.max(1, servicesLine));
        }

        private static boolean isVersionOne(YamlNode doc) {
            return doc.get("version").isEmpty() && doc.entries().values().stream()
                    .anyMatch(v -> v.isMap() && (v.get("image").isPresent() || v.get("build").isPresent()));
        }

        /** The base file a variant extends: the plain compose file in its directory. */
        private String baseOf(String path) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            Optional<ComposeName> n = nameOf(name);
            if (n.isEmpty() || n.get().stack() || n.get().variants().isEmpty()) {
                return null;
            }
            List<String> order = new ArrayList<>(BASE_NAMES);
            if (name.toLowerCase(Locale.ROOT).contains("docker-compose")) {
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

        /** The service's own mappings, then what its {@code extends} chain brings in. */
        private List<YamlNode> expand(List<YamlNode> service, int depth, Set<String> seen) throws IOException, YamlSyntaxError {
            List<YamlNode> layers = new ArrayList<>(service);
            Optional<YamlNode> ext = Optional.empty();
            for (YamlNode layer : service) {
                ext = ext.isPresent() ? ext : layer.get("extends");
            }
            if (ext.isEmpty() || depth >= MAX_EXTENDS) {
                return layers;
            }
            String name = ext.get().isScalar() ? ext.get().text() : ext.get().get("service").map(YamlNode::text).orElse(null);
            String file = ext.get().file();
            Optional<String> other = ext.get().get("file").map(YamlNode::text);
            if (other.isPresent()) {
                String rel = inside(ComposeService.directoryOf(ext.get().file()), other.get());
                if (rel == null || CheckedFiles.regularFileInside(root, rel).isEmpty()) {
                    notes.add(ComposeService.where(ext.get()) + ": extends " + other.get() + ", which is not in the repository");
                    return layers;
                }
                file = rel;
            }
            if (name == null || !seen.add(file + "#" + name)) {
                return layers;
            }
            ServiceDef parent = view(file).services().get(name);
            if (parent == null) {
                notes.add(ComposeService.where(ext.get()) + ": extends service " + name + ", which " + file + " does not define");
                return layers;
            }
            layers.addAll(expand(parent.layers(), depth + 1, seen));
            return layers;
        }
    }

    /**
     * Marks the services that run once and exit, which restart policies and healthchecks do not
     * apply to: one another service waits for with {@code condition: service_completed_successfully},
     * or a swarm job ({@code deploy.mode: replicated-job} or {@code global-job}). The dependencies
     * are indexed once, so this is linear in the number of services.
     */
    static void markOneShots(List<ComposeService> services, Collection<ComposeService> universe) {
        Map<String, String> awaited = new HashMap<>();
        for (ComposeService other : universe) {
            for (YamlNode layer : other.layers()) {
                Optional<YamlNode> deps = layer.get("depends_on").filter(YamlNode::isMap);
                if (deps.isEmpty()) {
                    continue;
                }
                for (Map.Entry<String, YamlNode> e : deps.get().entries().entrySet()) {
                    Optional<String> condition = e.getValue().get("condition").map(YamlNode::text);
                    if (condition.filter("service_completed_successfully"::equals).isPresent()) {
                        awaited.putIfAbsent(e.getKey(), other.name() + " waits for it to complete (" + ComposeService.where(e.getValue()) + ")");
                    }
                }
            }
        }
        for (ComposeService s : services) {
            String reason = awaited.get(s.name());
            String mode = s.text("deploy", "mode").orElse("");
            if (reason == null && (mode.equals("replicated-job") || mode.equals("global-job"))) {
                reason = "deploy.mode " + mode;
            }
            s.oneShot(reason);
        }
    }
}
