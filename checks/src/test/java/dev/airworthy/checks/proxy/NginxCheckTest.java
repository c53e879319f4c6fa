package dev.airworthy.checks.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.fixture.Checklists;
import org.junit.jupiter.api.Test;

class NginxCheckTest {
    @Test
    void listenAddressesGiveTheirPort() {
        assertThat(NginxCheck.port("80")).isEqualTo("80");
        assertThat(NginxCheck.port("*:8080")).isEqualTo("8080");
        assertThat(NginxCheck.port("[::]:80")).isEqualTo("80");
        assertThat(NginxCheck.port("[::1]")).isEqualTo("80");
        assertThat(NginxCheck.port("127.0.0.1")).isEqualTo("80");
        assertThat(NginxCheck.port("localhost:443")).isEqualTo("443");
        assertThat(NginxCheck.port("unix:/run/nginx.sock")).isEmpty();
    }

    @Test
    void webSocketPathsAreWholeWordsNotSubstrings() {
        assertThat(NginxCheck.looksLikeWebSocket("/ws/")).isTrue();
        assertThat(NginxCheck.looksLikeWebSocket("/socket.io/")).isTrue();
        assertThat(NginxCheck.looksLikeWebSocket("~ ^/api/v1/websocket$")).isTrue();
        assertThat(NginxCheck.looksLikeWebSocket("/notificationHub")).isTrue();
        assertThat(NginxCheck.looksLikeWebSocket("/cable")).isTrue();
        assertThat(NginxCheck.looksLikeWebSocket("/news/")).isFalse();
        assertThat(NginxCheck.looksLikeWebSocket("/downloads")).isFalse();
        assertThat(NginxCheck.looksLikeWebSocket("/github/")).isFalse();
    }

    @Test
    void filesOutsideTheRepositoryAreChecklistErrors() {
        assertThat(Checklists.messages("- { id: a, check: proxy.nginx, with: { file: [/etc/nginx/nginx.conf, conf/../../x.conf] } }"))
                .containsExactly(
                        "item 'a': file: '/etc/nginx/nginx.conf' leaves the repository; paths are relative to its root",
                        "item 'a': file: 'conf/../../x.conf' leaves the repository; paths are relative to its root");
    }
}
