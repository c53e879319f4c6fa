package dev.airworthy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Finding;
import dev.airworthy.checks.fixture.Fixtures;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every fixture case through the real loader and runner. Each item must end with the status
 * its folder names, and the findings must be exactly those marked inline with
 * {@code expect-finding: <rule>}: in {@code airworthy.yml} or {@code server.yml} a marker names a
 * rule (or {@code <rule>@<file>:<line>} for a finding in a file that cannot hold comments, such as
 * JSON); in any other file it also pins the file and line the finding must point at. A line
 * {@code expect-message: <text>} in {@code airworthy.yml} requires some item's message to contain the text.
 */
class FixtureTest {
    private static final Pattern MARKER = Pattern.compile("expect-finding:\\s*([a-z0-9.-]+(?:@[^\\s:]+:\\d+)?)");
    private static final Pattern MESSAGE = Pattern.compile("expect-message:\\s*(.+?)\\s*$");
    private static final CheckRegistry REGISTRY = CheckRegistry.load();

    @TestFactory
    Stream<DynamicTest> everyFixtureCase() {
        return Fixtures.selected().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            RunResult result = Fixtures.run(c, REGISTRY);
            assertThat(result.items()).as("items in %s", c.dir()).isNotEmpty();
            for (ItemResult r : result.items()) {
                assertThat(r.item().check()).as("fixture folder %s holds items of another check", c.dir()).isEqualTo(c.checkId());
                assertThat(r.status()).as("%s: %s (evidence %s)", r.item().id(), r.message(), r.evidence()).isEqualTo(c.expected());
            }
            assertThat(actualFindings(result)).as("findings of %s", c.dir()).isEqualTo(expectedFindings(c.dir()));
            for (String line : Files.readAllLines(c.dir().resolve("airworthy.yml"))) {
                Matcher m = MESSAGE.matcher(line);
                if (m.find()) {
                    assertThat(result.items()).extracting(ItemResult::message).as("messages of %s", c.dir())
                            .anyMatch(msg -> msg.contains(m.group(1)));
                }
            }
        }));
    }

    private static TreeSet<String> actualFindings(RunResult result) {
        TreeSet<String> out = new TreeSet<>();
        for (ItemResult r : result.items()) {
            for (Finding f : r.findings()) {
                out.add(f.line() == null ? f.rule() : f.rule() + "@" + f.file() + ":" + f.line());
            }
        }
        return out;
    }

    static TreeSet<String> expectedFindings(Path dir) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = dir.relativize(f).toString();
            boolean spec = rel.equals("airworthy.yml") || rel.equals("server.yml");
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MARKER.matcher(lines.get(i));
                while (m.find()) {
                    out.add(spec || m.group(1).contains("@") ? m.group(1) : m.group(1) + "@" + rel + ":" + (i + 1));
                }
            }
        }
        return out;
    }
}
