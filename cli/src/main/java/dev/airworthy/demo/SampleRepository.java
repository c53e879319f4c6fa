package dev.airworthy.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The sample shop's repository, shipped as resources and unpacked into a temporary directory. */
public final class SampleRepository {
    private static final String ROOT = "/dev/airworthy/demo/repo";

    private SampleRepository() {
    }

    /** Copies the sample repository into {@code dir}; works from the jar and from a class folder. */
    public static void unpack(Path dir) throws IOException {
        URI uri;
        try {
            uri = SampleRepository.class.getResource(ROOT).toURI();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("the sample repository is missing from this build", e);
        }
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                copy(fs.getPath(ROOT), dir);
            }
        } else {
            copy(Path.of(uri), dir);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            // Resources cannot be named .gitignore in every tool chain; "dot-" stands for the dot.
            Path target = to;
            for (Path part : from.relativize(f)) {
                String name = part.toString();
                target = target.resolve(name.startsWith("dot-") ? "." + name.substring(4) : name);
            }
            Files.createDirectories(target.getParent());
            Files.copy(f, target);
        }
    }

    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
