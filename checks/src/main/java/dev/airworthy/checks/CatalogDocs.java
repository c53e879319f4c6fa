package dev.airworthy.checks;

import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckDocs;
import dev.airworthy.check.CheckRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes {@code docs/checks/}: one page per registered check and the index. The build runs it
 * after the tests; {@code CatalogTest} fails while the committed pages differ from these.
 */
public final class CatalogDocs {
    public static final String INDEX = "README.md";

    private CatalogDocs() {
    }

    /** File name → content, for every page the catalog should have. */
    public static Map<String, String> pages(CheckRegistry registry) {
        Map<String, String> pages = new LinkedHashMap<>();
        for (CheckDescriptor d : registry.all()) {
            pages.put(CheckDocs.fileName(d), CheckDocs.page(d));
        }
        pages.put(INDEX, CheckDocs.index(registry.all()));
        return pages;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CatalogDocs DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Map<String, String> pages = pages(CheckRegistry.load());
        int changed = 0;
        for (var e : pages.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(e.getValue())) {
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                changed++;
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path orphan : s.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !pages.containsKey(p.getFileName().toString())).toList()) {
                Files.delete(orphan);
                changed++;
            }
        }
        System.out.println("docs/checks: " + pages.size() + " pages, " + changed + " written or removed");
    }
}
