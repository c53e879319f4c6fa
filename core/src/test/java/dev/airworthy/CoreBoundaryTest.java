package dev.airworthy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core speaks no HTTP, SQL or HTML: checks, reports and the CLI depend on it, never the reverse. */
class CoreBoundaryTest {
    private static final List<String> FORBIDDEN = List.of("java.net.http", "com.sun.net.httpserver", "java.sql", "javax.sql",
            "com.fasterxml", "picocli", "javax.net.ssl", "dev.airworthy.checks", "dev.airworthy.report", "dev.airworthy.cli");

    @Test
    void coreImportsNothingThatSpeaksHttpSqlOrHtml() throws Exception {
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import ")) {
                        assertThat(FORBIDDEN).as("%s: %s", f, line).noneMatch(line::contains);
                    }
                }
            }
        }
    }
}
