package dev.airworthy.checks.k8s;

import dev.airworthy.check.CheckContext;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Kubernetes objects written in the repository's YAML files: every document with an
 * {@code apiVersion} and a {@code kind}, multi-document files and {@code kind: List} items
 * included. Read once per run and shared by the {@code k8s.*} checks.
 *
 * <p>What cannot be judged as written is set aside with a note, never parsed as broken YAML: files
 * in a Helm chart's {@code templates/}, files that do not parse because of {@code {{ }}} template
 * syntax (a {@code {{} in the document the parser stops in, before where it stops), documents whose unquoted
 * {@code {{ .Values.x }}} parses as a mapping key, and kustomize patches (partial objects). A
 * document that parses is judged: {@code {{ }}} inside a string value is data. A file that does not
 * parse is an error only when it looks like a manifest; other YAML (CI definitions, compose files,
 * a document nested deeper than the parser can go) is none of these checks' business.
 */
final class Manifests {
    static final long MAX_BYTES = 8L * 1024 * 1024;
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final Pattern API_VERSION_LINE = Pattern.compile("(?m)^[ \\t-]{0,40}apiVersion[ \\t]{0,10}:");
    private static final Pattern KIND_LINE = Pattern.compile("(?m)^[ \\t-]{0,40}kind[ \\t]{0,10}:");
    /** The line of a YamlSyntaxError message {@code file:line:col: problem}, after the file. */
    private static final Pattern ERROR_LINE = Pattern.compile(":([0-9]{1,9}):[0-9]{1,9}:");

    /** One object: a document, or an item of a {@code kind: List} document. */
    record KubeObject(String file, YamlNode node, String apiVersion, String kind, String name, String namespace) {
        int line() {
            return node.line();
        }

        String label() {
            return kind + " " + name;
        }
    }

    final List<KubeObject> objects = new ArrayList<>();
    /** Files read that hold at least one object. */
    final List<String> files = new ArrayList<>();
    /** Files in a Helm chart's {@code templates/}, set aside. */
    final List<String> chartTemplates = new ArrayList<>();
    /** Other files with {@code {{ }}}-templated manifests, set aside in whole or in part. */
    final List<String> templated = new ArrayList<>();
    /** Kustomize patch files, set aside: they are fragments of objects written elsewhere. */
    final List<String> patches = new ArrayList<>();
    /** Manifests that could not be read, each {@code file:line:col: problem}. */
    final List<String> errors = new ArrayList<>();
    final Kustomize kustomize;

    private Manifests(Kustomize kustomize) {
        this.kustomize = kustomize;
    }

    /** The run's manifests, restricted to {@code files} (paths, directories or globs) when that is not empty. */
    static Manifests of(CheckContext ctx, List<String> files) {
        RepoTree tree = RepoTree.of(ctx);
        return ctx.shared(Cache.class, Cache::new).byKey
                .computeIfAbsent(tree.root() + "\u0000" + String.join("\u0000", files), k -> read(tree, files));
    }

    static Manifests read(RepoTree tree, List<String> only) {
        Manifests m = new Manifests(Kustomize.read(tree));
        m.errors.addAll(m.kustomize.errors());
        List<RepoFile> candidates = only.isEmpty()
                ? tree.filter(Manifests::isYaml)
                : selected(tree, only, m.errors);
        Set<String> chartDirs = tree.named("Chart.yaml").stream().map(RepoFile::dir).collect(Collectors.toSet());
        for (RepoFile f : candidates) {
            if (m.kustomize.isKustomization(f.path())) {
                continue;
            }
            if (inChartTemplates(f, chartDirs)) {
                m.chartTemplates.add(f.path());
            } else if (m.kustomize.isPatch(f.path())) {
                m.patches.add(f.path());
            } else {
                m.readFile(f);
            }
        }
        return m;
    }

    private static List<RepoFile> selected(RepoTree tree, List<String> only, List<String> errors) {
        List<RepoFile> out = new ArrayList<>();
        for (String entry : only) {
            List<RepoFile> matched = matching(tree, entry);
            if (matched.isEmpty()) {
                errors.add("files: nothing in the repository matches '" + entry + "'");
            }
            matched.stream().filter(f -> !out.contains(f)).forEach(out::add);
        }
        return out;
    }

    /**
     * A file (found even when git ignores it, as rendered output often is, whatever its extension), a
     * directory (the YAML files below it that git does not ignore) or a glob, relative to the repository root.
     */
    static List<RepoFile> matching(RepoTree tree, String entry) {
        if (isGlob(entry)) {
            return tree.glob(entry);
        }
        Optional<RepoFile> file = tree.explicit(entry);
        if (file.isPresent()) {
            return List.of(file.get());
        }
        String dir = Path.of(entry).normalize().toString().replace('\\', '/') + "/";
        return tree.filter(f -> (dir.equals("/") || f.path().startsWith(dir)) && isYaml(f));
    }

    private static boolean isYaml(RepoFile f) {
        return f.name().endsWith(".yaml") || f.name().endsWith(".yml");
    }

    static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** A chart's {@code templates/} directory: Go templates until {@code helm template} renders them. */
    private static boolean inChartTemplates(RepoFile f, Set<String> chartDirs) {
        for (String chart : chartDirs) {
            String prefix = chart.isEmpty() ? "templates/" : chart + "/templates/";
            if (f.path().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private void readFile(RepoFile f) {
        String text;
        try {
            if (f.size() > MAX_BYTES) {
                if (looksLikeManifest(head(f.absolute()))) {
                    errors.add(f.path() + ": larger than " + (MAX_BYTES >> 20) + " MiB; not read");
                }
                return;
            }
            text = new String(Files.readAllBytes(f.absolute()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            errors.add(f.path() + ": cannot be read: " + e.getMessage());
            return;
        }
        if (!text.contains("apiVersion") || !text.contains("kind")) {
            return;
        }
        boolean braces = text.contains("{{");
        List<YamlNode> docs;
        try {
            docs = YamlNode.parseAll(text, f.path());
        } catch (YamlSyntaxError e) {
            if (!looksLikeManifest(text)) {
                return;
            }
            if (braces && templateBefore(text, e.getMessage(), f.path())) {
                templated.add(f.path());
            } else {
                errors.add(e.getMessage());
            }
            return;
        }
        int before = objects.size();
        boolean setAside = false;
        boolean[] withBraces = braces ? documentsWithBraces(text, docs) : new boolean[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
            YamlNode doc = docs.get(i);
            // {{ }} in a value that parses is data (a log format, an alert text) and the document is judged;
            // {{ .Values.x }} left unquoted parses as a mapping used as a key: a template, not an object.
            if (withBraces[i] && isObject(doc) && doc.hasCollectionKey()) {
                setAside = true;
                continue;
            }
            collect(doc, f.path(), true);
        }
        if (setAside) {
            templated.add(f.path());
        }
        if (objects.size() > before) {
            files.add(f.path());
        }
    }

    private void collect(YamlNode doc, String file, boolean top) {
        if (!isObject(doc)) {
            return;
        }
        String kind = doc.textAt("kind").orElseThrow();
        if (top && kind.endsWith("List") && doc.get("items").map(YamlNode::isList).orElse(false)) {
            for (YamlNode item : doc.get("items").orElseThrow().items()) {
                collect(item, file, false);
            }
            return;
        }
        String name = doc.textAt("metadata", "name")
                .or(() -> doc.textAt("metadata", "generateName").map(g -> g + "*")).orElse("(unnamed)");
        objects.add(new KubeObject(file, doc, doc.textAt("apiVersion").orElseThrow(), kind, name,
                doc.textAt("metadata", "namespace").orElse(null)));
    }

    static boolean isObject(YamlNode doc) {
        return doc.isMap() && doc.textAt("apiVersion").isPresent() && doc.textAt("kind").isPresent();
    }

    static boolean looksLikeManifest(String text) {
        return API_VERSION_LINE.matcher(text).find() && KIND_LINE.matcher(text).find();
    }

    private static String head(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.UTF_8);
        }
    }

    /**
     * Which documents hold {@code {{}: their lines run from their first node (the file's start for the
     * first) to the next document's first node. One pass over the text and the documents.
     */
    private static boolean[] documentsWithBraces(String text, List<YamlNode> docs) {
        boolean[] out = new boolean[docs.size()];
        int line = 1;
        int doc = 0;
        for (int i = 0; i < text.length() && doc < docs.size(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                while (doc + 1 < docs.size() && docs.get(doc + 1).line() <= line) {
                    doc++;
                }
                out[doc] = true;
            }
        }
        return out;
    }

    /**
     * Whether a syntax error may come from a template: a {@code {{} is written in the document the parser
     * gave up in, on or before the line it stopped at (or the error names no line). A broken file whose
     * {@code {{} are elsewhere (a later document, a string in an earlier one) is broken YAML, not a template.
     */
    static boolean templateBefore(String text, String error, String file) {
        Matcher m = ERROR_LINE.matcher(error);
        if (!error.startsWith(file + ":") || !m.region(file.length(), error.length()).lookingAt()) {
            return true;
        }
        long errorLine = Long.parseLong(m.group(1));
        long line = 1;
        boolean braces = false;
        for (int i = 0; i < text.length() && line <= errorLine; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                // A document marker starts a new document: braces before it are not this one's.
                if (text.startsWith("---", i + 1) && line <= errorLine) {
                    braces = false;
                }
            } else if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                braces = true;
            }
        }
        return braces;
    }

    /** One reading per repository root and file selection per run. */
    static final class Cache {
        private final Map<String, Manifests> byKey = new ConcurrentHashMap<>();
    }
}
