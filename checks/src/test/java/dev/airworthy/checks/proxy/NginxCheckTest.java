package dev.airworthy.checks.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.fixture.Checklists;
import java.util.List;
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

    @Test
    void aRewriteRedirectsEverythingOnlyWhenItsRegexMatchesEveryPath() {
        assertThat(List.of("^", "^/", "/", ".*", "^.*$", "^(.*)$", "^/(.*)$", "^/?(.*)$", "^(.+)$", "^/.*", "(?:.*)"))
                .allSatisfy(r -> assertThat(NginxCheck.matchesEveryPath(r)).as(r).isTrue());
        assertThat(List.of("^/$", "^/(.+)$", "/.+", "^$", "/$", "^/api/(.*)$", "^/(.*)\\$"))
                .allSatisfy(r -> assertThat(NginxCheck.matchesEveryPath(r)).as(r).isFalse());
    }

    @Test
    void onlyConditionsThatHoldForPlainHttpCount() throws NginxConfig.SyntaxError {
        String conditions = """
                if ($scheme = http) {}
                if ($scheme != "https") {}
                if ($http_x_forwarded_proto != 'https') {}
                if ($http_x_forwarded_proto = http) {}
                if ($https = "") {}
                if ($https != on) {}
                if ($server_port = 80) {}
                if ($http_x_forwarded_proto !~* ^https$) {}
                if ($scheme = https) {}
                if ($scheme != http) {}
                if ($https = on) {}
                if ($http_x_forwarded_proto ~ http) {}
                if ($host = example.com) {}
                if ($scheme ~ "[") {}
                """;
        List<Boolean> plain = NginxConfig.parse(conditions, "n.conf").stream().map(NginxCheck::onPlainHttp).toList();
        assertThat(plain).containsExactly(true, true, true, true, true, true, true, true, false, false, false, false, false, false);
    }
}
