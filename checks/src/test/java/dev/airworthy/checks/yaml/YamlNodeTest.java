package dev.airworthy.checks.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlNodeTest {
    @Test
    void mergeKeysApplyAndExplicitKeysWin() throws Exception {
        List<YamlNode> docs = YamlNode.parseAll("""
                x-defaults: &defaults
                  restart: unless-stopped
                  mem_limit: 512m
                services:
                  api:
                    <<: *defaults
                    mem_limit: 1g
                """, "compose.yaml");
        YamlNode api = docs.getFirst().at("services", "api").orElseThrow();
        assertThat(api.textAt("restart")).hasValue("unless-stopped");
        assertThat(api.textAt("mem_limit")).hasValue("1g");
        assertThat(api.entries().keySet()).containsExactly("mem_limit", "restart");
        assertThat(api.line()).isEqualTo(6);
        assertThat(api.get("restart").orElseThrow().line()).isEqualTo(2);
    }

    @Test
    void manyAliasesToOneAnchorParseAndStayCheapToWalk() throws Exception {
        StringBuilder yaml = new StringBuilder("x-defaults: &d { restart: always, logging: { driver: json-file } }\nservices:\n");
        for (int i = 0; i < 2_000; i++) {
            yaml.append("  s").append(i).append(": { <<: *d, image: app:1.0, labels: *d }\n");
        }
        YamlNode doc = YamlNode.parseAll(yaml.toString(), "compose.yaml").getFirst();
        YamlNode services = doc.get("services").orElseThrow();
        assertThat(services.entries()).hasSize(2_000);
        assertThat(services.keyLines()).containsEntry("s0", 3).containsEntry("s1999", 2_002);
        assertThat(services.at("s1999", "restart").orElseThrow().text()).isEqualTo("always");
        assertThat(doc.keyLines().keySet()).containsExactly("x-defaults", "services");
    }

    @Test
    void byteOrderMarkIsNotPartOfTheFirstKey() throws Exception {
        YamlNode doc = YamlNode.parseAll("\uFEFFservices:\r\n  api:\r\n    image: app:1.0\r\n", "compose.yaml").getFirst();
        assertThat(doc.textAt("services", "api", "image")).hasValue("app:1.0");
    }

    @Test
    void multiDocumentFilesKeepEveryNonEmptyDocument() throws Exception {
        List<YamlNode> docs = YamlNode.parseAll("---\nkind: A\n---\n---\nkind: B\n", "k.yaml");
        assertThat(docs).extracting(d -> d.textAt("kind").orElseThrow()).containsExactly("A", "B");
        assertThat(docs.get(1).line()).isEqualTo(5);
    }

    @Test
    void syntaxErrorsNameFileLineAndColumn() {
        assertThatThrownBy(() -> YamlNode.parseAll("services:\n  api:\n    image: [a\n", "compose.yaml"))
                .isInstanceOf(YamlNode.YamlSyntaxError.class)
                .hasMessageMatching("compose\\.yaml:\\d+:\\d+: .+");
    }

    @Test
    void recursiveMergeKeysDoNotLoop() throws Exception {
        YamlNode doc = YamlNode.parseAll("a: &a\n  <<: *a\n  k: v\n", "r.yaml").getFirst();
        assertThat(doc.at("a", "missing")).isEmpty();
        assertThat(doc.at("a").orElseThrow().entries()).containsKey("k");
    }

    @Test
    void nullsAreNullAndQuotedNullIsText() throws Exception {
        YamlNode doc = YamlNode.parseAll("a: ~\nb: 'null'\nc:\n", "n.yaml").getFirst();
        assertThat(doc.textAt("a")).isEmpty();
        assertThat(doc.textAt("b")).hasValue("null");
        assertThat(doc.textAt("c")).isEmpty();
    }

    @Test
    void nestingDeeperThanTheStackIsASyntaxErrorNamingTheFile() {
        assertThatThrownBy(() -> YamlNode.parseAll("a: " + "[".repeat(200_000), "deep.yaml"))
                .isInstanceOf(YamlNode.YamlSyntaxError.class)
                .hasMessageStartingWith("deep.yaml");
    }

    @Test
    void aKeyWrittenTwiceCountsWithItsLastValueEverywhere() throws Exception {
        YamlNode doc = YamlNode.parseAll("""
                base: &base
                  image: app:1.0
                c:
                  <<: *base
                  image: app:1.1
                  privileged: false
                  privileged: true
                  image: app:latest
                """, "d.yaml").getFirst();
        YamlNode c = doc.get("c").orElseThrow();
        assertThat(c.textAt("image")).hasValue("app:latest");
        assertThat(doc.textAt("c", "privileged")).hasValue("true");
        assertThat(c.entries()).extractingByKey("image").extracting(YamlNode::text).isEqualTo("app:latest");
        assertThat(c.keyLine("image")).hasValue(8);
        assertThat(c.keyLine("privileged")).hasValue(7);
    }

    @Test
    void onlyUnquotedScalarsArePlain() throws Exception {
        YamlNode doc = YamlNode.parseAll("a: 3\nb: \"3\"\nc: '3'\nd: |\n  3\ne: [3]\n", "p.yaml").getFirst();
        assertThat(doc.get("a").orElseThrow().isPlain()).isTrue();
        assertThat(List.of("b", "c", "d", "e")).allSatisfy(k -> assertThat(doc.get(k).orElseThrow().isPlain()).isFalse());
    }

    @Test
    void unquotedTemplateBracesParseAsCollectionKeysAndQuotedOnesDoNot() throws Exception {
        List<YamlNode> docs = YamlNode.parseAll("""
                spec:
                  replicas: {{ .Values.replicas }}
                ---
                spec:
                  env: [{ name: LOG, value: "{{.Time}}" }]
                  note: plain {{ text }}
                """, "t.yaml");
        assertThat(docs.get(0).hasCollectionKey()).isTrue();
        assertThat(docs.get(1).hasCollectionKey()).isFalse();
    }
}
