package dev.airworthy.checks.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Merge keys as compose files use them: precedence, key lines, and anchors merged many times over. */
class YamlNodeMergeTest {

    private static YamlNode parse(String yaml) throws Exception {
        return YamlNode.parseAll(yaml, "c.yml").getFirst();
    }

    @Test
    void explicitKeysWinThenMergesInOrder() throws Exception {
        YamlNode api = parse("""
                x-a: &a {restart: always, image: a:1, only-a: 1}
                x-b: &b {restart: "no", image: b:1, only-b: 2, <<: *a}
                services:
                  api:
                    <<: [*b, *a]
                    image: api:1
                """).at("services", "api").orElseThrow();
        assertThat(api.textAt("image")).contains("api:1");
        assertThat(api.textAt("restart")).contains("no");
        assertThat(api.textAt("only-a")).contains("1");
        assertThat(api.entries()).containsOnlyKeys("image", "restart", "only-b", "only-a");
        assertThat(api.entries().get("restart").text()).isEqualTo("no");
    }

    @Test
    void keyLineNamesTheKeyNotItsValue() throws Exception {
        YamlNode services = parse("""
                x-base: &base
                  restart: always
                services:
                  api:
                    image: api:1
                  flow: {image: flow:1}
                  merged:
                    <<: *base
                """).get("services").orElseThrow();
        assertThat(services.keyLine("api")).contains(4);
        assertThat(services.get("api").orElseThrow().line()).isEqualTo(5);
        assertThat(services.keyLine("flow")).contains(6);
        assertThat(services.get("merged").orElseThrow().keyLine("restart")).contains(2);
        assertThat(services.keyLine("absent")).isEmpty();
    }

    @Test
    void anAnchorMergedManyTimesOverIsWalkedOnce() throws Exception {
        StringBuilder y = new StringBuilder("x-l0: &l0 {a: 1}\n");
        for (int i = 1; i <= 15; i++) {
            String prev = "*l" + (i - 1);
            y.append("x-l").append(i).append(": &l").append(i).append(" {<<: [").append(prev).append(", ").append(prev)
                    .append(", ").append(prev).append("]}\n");
        }
        y.append("services:\n  api: {<<: [*l15, *l15]}\n");
        YamlNode api = parse(y.toString()).at("services", "api").orElseThrow();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertThat(api.get("restart")).isEmpty();
            assertThat(api.entries()).containsOnlyKeys("a");
            assertThat(api.keyLine("missing")).isEmpty();
        });
    }
}
