package dev.airworthy.checks.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of http.health, http.ready, http.auth-required and the shared HTTP helpers that fixtures cannot pin. */
class EndpointChecksTest {

    private static Exchange exchange(String body, String... headers) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return new Exchange("GET", URI.create("http://127.0.0.1/health"), 200, HttpHeaders.of(map, (a, b) -> true),
                body.getBytes(StandardCharsets.UTF_8), false, 1);
    }

    @Test
    void jsonWithTrailingTokensIsNotJson() {
        assertThat(exchange("{\"status\":\"ok\"}{\"status\":\"down\"}").json()).isEmpty();
        assertThat(exchange("{\"status\":\"ok\"} trailing").json()).isEmpty();
        assertThat(exchange("[1] [2]").json()).isEmpty();
        assertThat(exchange("{\"status\":\"ok\"}\n").json()).isPresent();
        assertThat(exchange(" \"ok\" ").json()).isPresent();
    }
}
