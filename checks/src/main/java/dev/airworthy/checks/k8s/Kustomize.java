package dev.airworthy.checks.k8s;

import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import dev.airworthy.checks.yaml.YamlNode;
import dev.airworthy.checks.yaml.YamlNode.YamlSyntaxError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The repository's kustomizations, as far as they change what the k8s checks judge: which files are
 * patches (fragments, not objects), and how each build that includes a manifest overrides its
 * images ({@code images:}) and replica counts ({@code replicas:}). Patches are not applied; a check
 * that needs the fully built result should be pointed at {@code kustomize build} output.
 */
final class Kustomize {
    static final Set<String> FILE_NAMES = Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final int MAX_DEPTH = 32;

    /** An {@code images:} entry: the image {@code name} it matches and what it sets. */
    record ImageOverride(String name, String newName, String newTag, String digest, String file, int line) {
    }

    /** A {@code replicas:} entry: the workload {@code name} it matches and the count as written. */
    record ReplicaOverride(String name, YamlNode count, String file, int line) {
    }

    /**
     * What one kustomize build (from a root kustomization, one no other includes) does to a file:
     * the overrides along the way, the outermost winning as it is applied last.
     */
    record Build(String root, Map<String, ImageOverride> images, Map<String, ReplicaOverride> replicas) {
    }

    private record Kustomization(String path, List<String> resourceFiles, List<String> children,
            Map<String, ImageOverride> images, Map<String, ReplicaOverride> replicas) {
    }

    private final Map<String, Kustomization> byPath = new LinkedHashMap<>();
    private final Set<String> patches = new HashSet<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> roots = new ArrayList<>();

    static Kustomize read(RepoTree tree) {
        Kustomize k = new Kustomize();
        Set<String> paths = new HashSet<>();
        tree.files().forEach(f -> paths.add(f.path()));
        for (RepoFile f : tree.filter(f -> FILE_NAMES.contains(f.name()))) {
            k.readOne(f, paths);
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
        return patches.contains(path);
    }

    List<String> errors() {
        return errors;
    }

    /** One entry per root kustomization whose build includes {@code file}; empty when none does. */
    List<Build> builds(String file) {
        List<Build> out = new ArrayList<>();
        for (String root : roots) {
            List<Kustomization> chain = new ArrayList<>();
            if (find(byPath.get(root), file, chain, new HashSet<>())) {
                Map<String, ImageOverride> images = new LinkedHashMap<>();
                Map<String, ReplicaOverride> replicas = new LinkedHashMap<>();
                for (Kustomization z : chain) {
                    z.images().forEach(images::putIfAbsent);
                    z.replicas().forEach(replicas::putIfAbsent);
                }
                out.add(new Build(root, images, replicas));
            }
        }
        return out;
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

    private void readOne(RepoFile f, Set<String> repoFiles) {
        List<YamlNode> docs;
        try {
            if (f.size() > Manifests.MAX_BYTES) {
                errors.add(f.path() + ": larger than " + (Manifests.MAX_BYTES >> 20) + " MiB; not read");
                return;
            }
            docs = YamlNode.parseAll(f.absolute(), f.path());
        } catch (YamlSyntaxError e) {
            errors.add(e.getMessage());
            return;
        } catch (IOException e) {
            errors.add(f.path() + ": cannot be read: " + e.getMessage());
            return;
        }
        if (docs.isEmpty() || !docs.getFirst().isMap()) {
            return;
        }
        YamlNode k = docs.getFirst();
        String dir = f.dir();
        List<String> files = new ArrayList<>();
        List<String> children = new ArrayList<>();
        for (String key : List.of("resources", "bases", "components")) {
            for (YamlNode entry : k.get(key).map(YamlNode::items).orElse(List.of())) {
                resolve(dir, entry.text()).ifPresent(p -> {
                    if (repoFiles.contains(p)) {
                        files.add(p);
                    } else {
                        FILE_NAMES.stream().map(n -> p + "/" + n).filter(repoFiles::contains).findFirst().ifPresent(children::add);
                    }
                });
            }
        }
        for (YamlNode entry : k.get("patchesStrategicMerge").map(YamlNode::items).orElse(List.of())) {
            resolve(dir, entry.text()).ifPresent(patches::add);
        }
        for (String key : List.of("patches", "patchesJson6902")) {
            for (YamlNode entry : k.get(key).map(YamlNode::items).orElse(List.of())) {
                String path = entry.isScalar() ? entry.text() : entry.textAt("path").orElse(null);
                resolve(dir, path).ifPresent(patches::add);
            }
        }
        Map<String, ImageOverride> images = new LinkedHashMap<>();
        for (YamlNode e : k.get("images").map(YamlNode::items).orElse(List.of())) {
            e.textAt("name").ifPresent(name -> images.putIfAbsent(name, new ImageOverride(name,
                    e.textAt("newName").orElse(null), e.textAt("newTag").orElse(null), e.textAt("digest").orElse(null),
                    f.path(), e.line())));
        }
        Map<String, ReplicaOverride> replicas = new LinkedHashMap<>();
        for (YamlNode e : k.get("replicas").map(YamlNode::items).orElse(List.of())) {
            e.textAt("name").ifPresent(name -> e.get("count").ifPresent(count ->
                    replicas.putIfAbsent(name, new ReplicaOverride(name, count, f.path(), count.line()))));
        }
        byPath.put(f.path(), new Kustomization(f.path(), files, children, images, replicas));
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
