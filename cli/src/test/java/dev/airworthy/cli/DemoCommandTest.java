package dev.airworthy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airworthy.report.ReportSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoRunsTheSampleChecklistAgainstTheSampleServiceAndRepository() throws Exception {
        Cli.Result r = Cli.run(dir, "demo");
        assertThat(r.exit()).as(r.err()).isZero();
        String json = Files.readString(dir.resolve("airworthy-demo-report.json"));
        assertThat(ReportSchema.validate(json)).isEmpty();
        JsonNode j = new ObjectMapper().readTree(json);
        assertThat(j.at("/gate/passed").asBoolean()).isFalse();
        assertThat(j.at("/gate/blocking").toString())
                .isEqualTo("[\"security-headers\",\"admin-login\",\"cors\",\"db-password\",\"security-signoff\"]");
        assertThat(j.at("/url").asText()).startsWith("https://127.0.0.1:");
        assertThat(j.at("/summary/pass").asInt()).isEqualTo(10);
        assertThat(j.at("/summary/fail").asInt()).isEqualTo(11);
        assertThat(j.at("/summary/warn").asInt()).isEqualTo(2);
        assertThat(j.at("/summary/attested").asInt()).isEqualTo(1);
        assertThat(j.at("/summary/waived").asInt()).isEqualTo(1);
        assertThat(j.at("/summary/pending").asInt()).isEqualTo(1);
        assertThat(r.out()).contains("NO-GO: 5 blocking items").contains("JSON report: " + dir.resolve("airworthy-demo-report.json"));
        try (var files = Files.list(dir)) {
            assertThat(files).as("the demo writes only its report in the working directory").hasSize(1);
        }
    }
}
