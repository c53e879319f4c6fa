package dev.airworthy.checks.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.fixture.Checklists;
import org.junit.jupiter.api.Test;

/** Parameters of the env-file checks that cannot work are checklist errors when the file loads. */
class EnvValidationTest {

    @Test
    void rejectsWhatCannotBeJudged() {
        assertThat(Checklists.messages("""
                - { id: a, check: env.production, with: { file: "" } }
                - { id: b, check: env.secrets-strong, with: { min-length: 0 } }
                - { id: c, check: env.required, with: { vars: [] } }
                - { id: d, check: env.required, with: { vars: [OK, "not a name"], from: shell } }
                - { id: e, check: env.required, with: { vars: [A], from: process, file: .env } }
                """)).containsExactly(
                "item 'a': file is empty",
                "item 'b': min-length 0 is not between 1 and 1024",
                "item 'c': vars lists nothing",
                "item 'd': 'not a name' is not a variable name",
                "item 'd': from must be file or process, not 'shell'",
                "item 'e': file is read only with from: file; remove it or remove from: process");
    }

    @Test
    void loadsTheUsualForms() throws Exception {
        assertThat(Checklists.load("""
                - { id: a, check: env.production }
                - { id: b, check: env.secrets-strong, with: { file: /etc/app/env, min-length: 32 } }
                - { id: c, check: env.cors, with: { file: .env.prod } }
                - { id: d, check: env.required, with: { vars: DATABASE_URL, from: process } }
                """).items()).hasSize(4);
    }
}
