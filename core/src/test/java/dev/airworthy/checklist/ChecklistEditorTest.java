package dev.airworthy.checklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecklistEditorTest {
    private static final Map<String, String> ENTRY = new LinkedHashMap<>();

    static {
        ENTRY.put("item", "signoff");
        ENTRY.put("by", "alice \"the auditor\" costs $5 ${X}");
    }

    private static final String ENTRY_TEXT = """
              - item: "signoff"
                by: "alice \\"the auditor\\" costs $$5 $${X}"
            """;

    @Test
    void addsTheListWhenItIsAbsent() {
        assertThat(ChecklistEditor.append("airworthy: 1\nsections: []", "attestations", ENTRY))
                .isEqualTo("airworthy: 1\nsections: []\nattestations:\n" + ENTRY_TEXT);
    }

    @Test
    void replacesAnEmptyFlowListKeepingItsComment() {
        String text = "airworthy: 1\nattestations: []   # sign-offs go here\nwaivers: []\n";
        assertThat(ChecklistEditor.append(text, "attestations", ENTRY))
                .isEqualTo("airworthy: 1\nattestations:   # sign-offs go here\n" + ENTRY_TEXT + "waivers: []\n");
    }

    @Test
    void fillsAnEmptyKey() {
        String text = "attestations:\nwaivers: []\n";
        assertThat(ChecklistEditor.append(text, "attestations", ENTRY)).isEqualTo("attestations:\n" + ENTRY_TEXT + "waivers: []\n");
    }

    @Test
    void appendsAfterTheLastEntryOfABlockListAtItsIndentation() {
        String text = """
                attestations:
                    - item: a
                      by: bob   # old
                # trailing comment
                waivers: []
                """;
        assertThat(ChecklistEditor.append(text, "attestations", ENTRY)).isEqualTo("""
                attestations:
                    - item: a
                      by: bob   # old
                    - item: "signoff"
                      by: "alice \\"the auditor\\" costs $$5 $${X}"
                # trailing comment
                waivers: []
                """);
    }

    @Test
    void refusesAFlowListWithEntries() {
        assertThatThrownBy(() -> ChecklistEditor.append("waivers: [ {item: a} ]\n", "waivers", ENTRY))
                .hasMessageContaining("flow list");
    }
}
