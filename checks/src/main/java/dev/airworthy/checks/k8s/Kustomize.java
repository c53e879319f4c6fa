package dev.airworthy.checks.k8s;

import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import dev.airworthy.checks.yaml.YamlNode;
import dev.airworthy.checks.yaml.YamlNode.YamlSyntaxError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The repository's kustomizations, as far as they change what the k8s checks judge: which files are
 * patches (fragments, not objects), how each build that includes a manifest overrides its images
 * ({@code images:}, applied base first, then each overlay in turn, each entry matching the name
 * the image has by then, as kustomize does) and replica counts ({@code replicas:}, the outermost
 * winning), and which patches it applies. Patches are not applied: the checks judge what the base
 * says and warn that a patch may change it; point a check at {@code kustomize build} output to
 * judge the patched result.
 */
final class Kustomize {
    static final Set<String> FILE_NAMES = Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final int MAX_DEPTH = 32;
    /** Characters that make a patch target's kind or name a regular expression (kustomize allows one). */
    private static final String REGEX_CHARS = "*+?[](){}|^$\\";

    /** An {@code images:} entry: the image {@code name} it matches and what it sets. */
    record ImageOverride(String name, String newName, String newTag, String digest, String file, int line) {
    }

    /**
     * A {@code replicas:} entry: the workload {@code name} it matches and the count as written; {@code level}
     * is its kustomization's place in a build's order ({@link Build}).
     */
    record ReplicaOverride(String name, YamlNode count, String file, int line, int level) {
        ReplicaOverride at(int level) {
            return new ReplicaOverride(name, count, file, line, level);
        }
    }

    /**
     * A patch a kustomization lists ({@code patches}, {@code patchesStrategicMerge}, {@code patchesJson6902}),
     * where it is listed, and the kind and name of the object it targets; null when unknown (a selector,
     * a patch file that cannot be read): then it may target anything.
     */
    record Patch(String file, int line, String source, String kind, String name, int level) {
        Patch at(int level) {
            return new Patch(file, line, source, kind, name, level);
        }

        /** Whether the patch may change an object; {@code renamed}: the build adds a name prefix or suffix. */
        boolean mayChange(String objectKind, String objectName, boolean renamed) {
            boolean kindMatches = kind == null || kind.equals(objectKind) || isRegex(kind);
            boolean nameMatches = name == null || name.equals(objectName) || isRegex(name) || (renamed && name.contains(objectName));
            return kindMatches && nameMatches;
        }

        String where() {
            return file + ":" + line;
        }
    }

    /**
     * What one kustomize build (from a root kustomization, one no other includes) does to a file: the
     * image overrides in the order kustomize applies them, the replica overrides (the outermost
     * winning), and the patches along the way. Levels number the kustomizations in the order they are
     * applied, innermost first; within one, patches come before {@code images} and {@code replicas}.
     */
    record Build(String root, List<ImageOverride> images, Map<String, ReplicaOverride> replicas, List<Patch> patches, boolean renames) {
        /** The patches that may change an object of this build. */
        List<Patch> patching(String kind, String name) {
            return patches.stream().filter(p -> p.mayChange(kind, name, renames)).toList();
        }
    }

    private record Kustomization(String path, List<String> resourceFiles, List<String> children, List<String> components,
            List<ImageOverride> images, Map<String, ReplicaOverride> replicas, List<Patch> patches, boolean renames) {
    }

    private final Map<String, Kustomization> byPath = new LinkedHashMap<>();
    private final Set<String> patchFiles = new HashSet<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> roots = new ArrayList<>();
    private final Map<String, List<Build>> builds = new ConcurrentHashMap<>();

    static Kustomize read(RepoTree tree) {
        Kustomize k = new Kustomize();
        Map<String, RepoFile> files = new HashMap<>();
        tree.files().forEach(f -> files.put(f.path(), f));
        for (RepoFile f : tree.filter(f -> FILE_NAMES.contains(f.name()))) {
            k.readOne(f, files);
        }
        Set<String> included = new HashSet<>();
        k.byPath.values().forEach(z -> included.addAll(z.children()));
        k.byPath.keySet().stream().filter(p -> !included.contains(p)).forEach(k.roots::add);
        return k;
    }

    boolean isKustomization(String path) {
        return byPath.containsKey(path);
    }

    boolean isPatch(String path) {
        return patchFiles.contains(path);
    }

    List<String> errors() {
        return errors;
    }

    /** One entry per root kustomization whose build includes {@code file}; empty when none does. */
    List<Build> builds(String file) {
        // Every k8s check asks for every judged object: walk the kustomizations once per file.
        return builds.computeIfAbsent(file, this::walkBuilds);
    }

    private List<Build> walkBuilds(String file) {
        List<Build> out = new ArrayList<>();
        for (String root : roots) {
            List<Kustomization> chain = new ArrayList<>();
            if (find(byPath.get(root), file, chain, new HashSet<>())) {
                // Innermost first, each kustomization's components before it: the order kustomize applies them.
                List<Kustomization> applied = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                chain.forEach(z -> seen.add(z.path()));
                for (Kustomization z : chain.reversed()) {
                    withComponents(z, applied, seen, 0);
                }
                List<ImageOverride> images = new ArrayList<>();
                Map<String, ReplicaOverride> replicas = new LinkedHashMap<>();
                List<Patch> patches = new ArrayList<>();
                boolean renames = false;
                for (int level = 0; level < applied.size(); level++) {
                    Kustomization z = applied.get(level);
                    images.addAll(z.images());
                    for (ReplicaOverride r : z.replicas().values()) {
                        replicas.put(r.name(), r.at(level));
                    }
                    for (Patch p : z.patches()) {
                        patches.add(p.at(level));
                    }
                    renames |= z.renames();
                }
                out.add(new Build(root, images, replicas, patches, renames));
            }
        }
        return out;
    }

    /** {@code z}'s components (not already on the chain), then {@code z}. */
    private void withComponents(Kustomization z, List<Kustomization> applied, Set<String> seen, int depth) {
        if (depth < MAX_DEPTH) {
            for (String c : z.components()) {
                Kustomization component = byPath.get(c);
                if (component != null && seen.add(c)) {
                    withComponents(component, applied, seen, depth + 1);
                }
            }
        }
        applied.add(z);
    }

    /** Depth-first from {@code z} to the kustomization listing {@code file}, outermost first in {@code chain}. */
    private boolean find(Kustomization z, String file, List<Kustomization> chain, Set<String> seen) {
        if (z == null || chain.size() >= MAX_DEPTH || !seen.add(z.path())) {
            return false;
        }
        chain.add(z);
        if (z.resourceFiles().contains(file)) {
            return true;
        }
        for (String child : z.children()) {
            if (find(byPath.get(child), file, chain, seen)) {
                return true;
            }
        }
        chain.removeLast();
        return false;
    }

    private void readOne(RepoFile f, Map<String, RepoFile> repoFiles) {
        Optional<List<YamlNode>> parsed = parse(f, errors);
        if (parsed.isEmpty() || parsed.get().isEmpty() || !parsed.get().getFirst().isMap()) {
            return;
        }
        YamlNode k = parsed.get().getFirst();
        String dir = f.dir();
        List<String> files = new ArrayList<>();
        List<String> children = new ArrayList<>();
        List<String> components = new ArrayList<>();
        for (String key : List.of("resources", "bases", "components")) {
            for (YamlNode entry : k.get(key).map(YamlNode::items).orElse(List.of())) {
                resolve(dir, entry.text()).ifPresent(p -> {
                    if (repoFiles.containsKey(p)) {
                        files.add(p);
                    } else {
                        FILE_NAMES.stream().map(n -> p + "/" + n).filter(repoFiles::containsKey).findFirst().ifPresent(child -> {
                            children.add(child);
                            if (key.equals("components")) {
                                components.add(child);
                            }
                        });
                    }
                });
            }
        }
        List<Patch> patches = new ArrayList<>();
        for (String key : List.of("patchesStrategicMerge", "patches", "patchesJson6902")) {
            for (YamlNode entry : k.get(key).map(YamlNode::items).orElse(List.of())) {
                patches.addAll(patch(f.path(), dir, key, entry, repoFiles));
            }
        }
        List<ImageOverride> images = new ArrayList<>();
        for (YamlNode e : k.get("images").map(YamlNode::items).orElse(List.of())) {
            e.textAt("name").ifPresent(name -> images.add(new ImageOverride(name,
                    e.textAt("newName").orElse(null), e.textAt("newTag").orElse(null), e.textAt("digest").orElse(null),
                    f.path(), e.line())));
        }
        Map<String, ReplicaOverride> replicas = new LinkedHashMap<>();
        for (YamlNode e : k.get("replicas").map(YamlNode::items).orElse(List.of())) {
            e.textAt("name").ifPresent(name -> e.get("count").ifPresent(count ->
                    replicas.put(name, new ReplicaOverride(name, count, f.path(), count.line(), 0))));
        }
        boolean renames = k.get("namePrefix").isPresent() || k.get("nameSuffix").isPresent();
        byPath.put(f.path(), new Kustomization(f.path(), files, children, components, images, replicas, patches, renames));
    }

    /** The patches one entry stands for: one per object a strategic-merge patch names, or one for its target. */
    private List<Patch> patch(String file, String dir, String key, YamlNode entry, Map<String, RepoFile> repoFiles) {
        String text = entry.isScalar() ? entry.text() : entry.textAt("path").orElse(null);
        String inline = entry.isScalar() ? null : entry.textAt("patch").orElse(null);
        if (text != null && text.contains("\n")) {
            // patchesStrategicMerge also takes a patch written inline.
            inline = text;
            text = null;
        }
        Optional<String> path = resolve(dir, text);
        path.ifPresent(patchFiles::add);
        String source = path.map(p -> "patch " + p).orElse(inline != null ? "inline patch" : "patch " + text);
        Optional<YamlNode> target = entry.isMap() ? entry.get("target").filter(YamlNode::isMap) : Optional.empty();
        if (target.isPresent()) {
            // A selector (labelSelector, annotationSelector) without a name may pick any object of the kind.
            return List.of(new Patch(file, entry.line(), source, target.get().textAt("kind").orElse(null),
                    target.get().textAt("name").orElse(null), 0));
        }
        List<YamlNode> docs = List.of();
        if (inline != null) {
            docs = parseQuietly(inline, file);
        } else if (path.isPresent() && repoFiles.containsKey(path.get())) {
            docs = parse(repoFiles.get(path.get()), new ArrayList<>()).orElse(List.of());
        }
        List<Patch> out = new ArrayList<>();
        for (YamlNode doc : docs) {
            Optional<String> kind = doc.textAt("kind");
            Optional<String> name = doc.textAt("metadata", "name");
            if (doc.isMap() && kind.isPresent() && name.isPresent()) {
                out.add(new Patch(file, entry.line(), source, kind.get(), name.get(), 0));
            }
        }
        if (out.isEmpty() || out.size() < docs.size()) {
            // A JSON 6902 patch without a target, or one that cannot be read: what it changes is unknown.
            out.add(new Patch(file, entry.line(), source, null, null, 0));
        }
        return out;
    }

    private static List<YamlNode> parseQuietly(String text, String label) {
        try {
            return YamlNode.parseAll(text, label);
        } catch (YamlSyntaxError e) {
            return List.of();
        }
    }

    /** A kustomization or patch file's documents; empty with a problem added to {@code problems} when it cannot be read. */
    private static Optional<List<YamlNode>> parse(RepoFile f, List<String> problems) {
        try {
            if (f.size() > Manifests.MAX_BYTES) {
                problems.add(f.path() + ": larger than " + (Manifests.MAX_BYTES >> 20) + " MiB; not read");
                return Optional.empty();
            }
            return Optional.of(YamlNode.parseAll(f.absolute(), f.path()));
        } catch (YamlSyntaxError e) {
            problems.add(e.getMessage());
        } catch (IOException e) {
            problems.add(f.path() + ": cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean isRegex(String s) {
        return s.chars().anyMatch(c -> REGEX_CHARS.indexOf(c) >= 0);
    }

    /** A local path relative to the kustomization's directory, when it stays inside the repository. */
    private static Optional<String> resolve(String dir, String entry) {
        if (entry == null || entry.isBlank() || entry.contains("://") || entry.startsWith("github.com/")) {
            return Optional.empty();
        }
        Path p = (dir.isEmpty() ? Path.of(entry) : Path.of(dir, entry)).normalize();
        String s = p.toString().replace('\\', '/');
        if (p.isAbsolute() || s.startsWith("..")) {
            return Optional.empty();
        }
        return Optional.of(s);
    }
}
