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

    @Test
    void loginWordsAreWholeWordsAndHostLabelsWholeLabels() {
        for (String login : List.of("/login", "/users/sign_in", "/signin-oidc", "/Account/SignIn", "/accounts/login/?next=/x",
                "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", "https://sso.example.com/",
                "https://auth.example.com/", "https://signin.aws.amazon.com/", "https://contoso.b2clogin.com/",
                "https://mytenant.auth0.com/authorize?client_id=x", "https://mytenant.us.auth0.com/u/login", "/#/login",
                "https://accounts.google.com/ServiceLogin", "/saml/sso", "/log-in", "/sign-on",
                "https://login2.corp.example/", "https://sign-in.example.com/")) {
            assertThat(AuthRequiredCheck.looksLikeLogin(login)).as(login).isTrue();
        }
        for (String other : List.of("/docs/signing-keys", "/docs/signingKeys", "/signing", "https://auth0.com/docs/quickstarts",
                "https://sso2go.example/", "https://status.auth0.com/", "/authors/", "/lessons?from=login", "/admin/",
                "/loginsight/dashboards")) {
            assertThat(AuthRequiredCheck.looksLikeLogin(other)).as(other).isFalse();
        }
    }

    @Test
    void builtInSpringIndicatorsAreNotDependencies() {
        assertThat(ReadyCheck.builtIn("readinessState")).isTrue();
        assertThat(ReadyCheck.builtIn("LivenessState")).isTrue();
        assertThat(ReadyCheck.builtIn("PING")).isTrue();
        assertThat(ReadyCheck.builtIn("db")).isFalse();
        assertThat(ReadyCheck.builtIn("pingdom")).isFalse();
    }

    @Test
    void moreWordsMeanHealthyAndTheirNegationsStayUnhealthy() {
        for (String ok : List.of("ready", "Serving", "AVAILABLE", "passing", "online", "Healthy")) {
            assertThat(ReadyCheck.classify(ok)).as(ok).isEqualTo(ReadyCheck.Health.HEALTHY);
        }
        for (String bad : List.of("not ready", "NOT_SERVING", "unavailable", "offline", "failing", "unready")) {
            assertThat(ReadyCheck.classify(bad)).as(bad).isEqualTo(ReadyCheck.Health.UNHEALTHY);
        }
    }

    @Test
    void htmlIsRecognisedByContentTypeOrFirstCharacter() {
        assertThat(HealthCheck.htmlPage(exchange("Service is <b>down</b>", "Content-Type", "text/html; charset=utf-8"))).isTrue();
        // Flask, Express and PHP send text/html unless told otherwise: a plain "ok" is judged by its text, not its type.
        assertThat(HealthCheck.htmlPage(exchange("ok", "Content-Type", "text/html; charset=utf-8"))).isFalse();
        assertThat(HealthCheck.htmlPage(exchange("\uFEFF \n<!doctype html>"))).isTrue();
        assertThat(HealthCheck.htmlPage(exchange("<html>", "Content-Type", "text/plain"))).isTrue();
        assertThat(HealthCheck.htmlPage(exchange("{\"status\":\"<b>ok</b>\"}"))).isFalse();
        assertThat(HealthCheck.htmlPage(exchange("ok"))).isFalse();
        assertThat(HealthCheck.htmlPage(exchange(""))).isFalse();
        // A deliberate XML document is not an HTML page.
        assertThat(HealthCheck.htmlPage(exchange("<health><status>UP</status></health>", "Content-Type", "application/xml"))).isFalse();
        assertThat(HealthCheck.htmlPage(exchange("<html/>", "Content-Type", "application/xhtml+xml"))).isTrue();
    }

    /** Hands out one byte per read, as a peer trickling its answer would. */
    private static InputStream trickle(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void aHeadTrickledOneByteAtATimeIsScannedOnce() throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String fields = "X-Padding: abcdefghij\r\n".repeat((RawHttp.MAX_HEAD - 100) / 23);
        String complete = "HTTP/1.1 200 OK\r\n" + fields + "\r\n";
        String longStatusLine = "HTTP/1.1 101 " + "y".repeat(RawHttp.MAX_HEAD);
        // Warm up on short heads, so the measurement is of the algorithm, not of the interpreter.
        for (int i = 0; i < 200; i++) {
            RawHttp.readHead(trickle("HTTP/1.1 200 OK\r\n" + fields.substring(0, 2300) + "\r\n"), s -> { });
        }
        long cpu = threads.getCurrentThreadCpuTime();
        RawHttp.Head h = RawHttp.readHead(trickle(complete), s -> { });
        Throwable noHead = org.assertj.core.api.Assertions.catchThrowable(() -> RawHttp.readHead(trickle(longStatusLine), s -> { }));
        long ms = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
        assertThat(h.complete()).isTrue();
        assertThat(h.fields()).hasSize((RawHttp.MAX_HEAD - 100) / 23);
        assertThat(noHead).hasMessage("no HTTP response head in the first 64 KiB");
        // Rescanning the buffer after every read is about 4·10^9 byte comparisons for these two heads
        // (seconds); scanning each byte once is about 130 000 (well under 100 ms even on a busy machine).
        assertThat(ms).as("CPU milliseconds to read two 64 KiB heads one byte per read").isLessThan(400);
    }
}
