package dev.airworthy.checks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.checks.fixture.Checklists;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of http.rate-limit, http.body-limit and http.websocket that fixtures cannot reach easily. */
class RawHttpChecksTest {

    private static List<String> errors(String items) {
        return Checklists.messages(items);
    }

    @Test
    void parametersThatCannotWorkAreChecklistErrors() {
        assertThat(errors("""
                - { id: a, check: http.rate-limit, with: { requests: 0, window: 0s, exempt: ["/h|x"] } }
                - { id: b, check: http.rate-limit, with: { requests: 10001 } }
                - { id: c, check: http.body-limit, with: { path: /u, bytes: 0, method: "PO ST", headers: { Content-Length: 5, "X-A": "a\\r\\nb" } } }
                - { id: d, check: http.websocket, with: { path: "/ws x", headers: { Upgrade: h2c, "Bad Name": x } } }
                """)).containsExactly(
                "item 'a': requests must be between 1 and 10000, got 0",
                "item 'a': window must be longer than zero",
                "item 'a': exempt path '/h|x' is not a valid URL path: Illegal character in path",
                "item 'b': requests must be between 1 and 10000, got 10001",
                "item 'c': method 'PO ST' is not an HTTP method",
                "item 'c': bytes must be between 1 and 10737418240 (10 GiB), got 0",
                "item 'c': request header 'Content-Length' is set by the check itself; remove it from headers",
                "item 'c': request header 'X-A' has a line break in its value",
                "item 'd': path '/ws x' is not a valid URL path: Illegal character in path",
                "item 'd': request header 'Upgrade' is set by the check itself; remove it from headers",
                "item 'd': request header name 'Bad Name' is not a valid HTTP header name");
    }

    @Test
    void bodyLimitNeedsAPathAndWebSocketAcceptsWsUrls() {
        assertThat(errors("- { id: a, check: http.body-limit }")).singleElement().asString().contains("path");
        assertThat(WebSocketCheck.wsToHttp("wss://example.com/ws?x=1")).isEqualTo("https://example.com/ws?x=1");
        assertThat(WebSocketCheck.wsToHttp("ws://example.com/ws")).isEqualTo("http://example.com/ws");
        assertThat(WebSocketCheck.wsToHttp("/ws")).isEqualTo("/ws");
    }

    @Test
    void acceptValueIsTheOneFromRfc6455() {
        assertThat(WebSocketCheck.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(RateLimitCheck.validRetryAfter("120")).isTrue();
        assertThat(RateLimitCheck.validRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isTrue();
        assertThat(RateLimitCheck.validRetryAfter("-1")).isFalse();
        assertThat(RateLimitCheck.validRetryAfter("1.5")).isFalse();
        assertThat(RateLimitCheck.validRetryAfter("soon")).isFalse();
    }

    @Test
    void sizesReadLikeUnits() {
        assertThat(BodyLimitCheck.size(10485761)).isEqualTo("10.0 MiB");
        assertThat(BodyLimitCheck.size(1000)).isEqualTo("1000 bytes");
        assertThat(BodyLimitCheck.size(100000)).isEqualTo("97.7 KiB");
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void headSkipsInterimResponsesAndAnnouncesTheFinalStatusOnce() throws IOException {
        List<Integer> heard = new ArrayList<>();
        RawHttp.Head h = RawHttp.readHead(in("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\nbody"), heard::add);
        assertThat(h.status()).isEqualTo(413);
        assertThat(h.complete()).isTrue();
        assertThat(h.header("connection")).contains("close");
        assertThat(heard).containsExactly(413);
    }

    @Test
    void aStatusLineBeforeTheConnectionEndsIsKeptAsACutOffHead() throws IOException {
        RawHttp.Head h = RawHttp.readHead(in("HTTP/1.1 413 Payload Too Large\r\nServer: nginx\r\nConn"), s -> { });
        assertThat(h.status()).isEqualTo(413);
        assertThat(h.complete()).isFalse();
        assertThat(h.fields()).containsExactly(Map.entry("Server", "nginx"));
    }

    @Test
    void noStatusLineIsAnEndOfStreamOrNotHttp() {
        assertThatThrownBy(() -> RawHttp.readHead(in(""), s -> { })).isInstanceOf(EOFException.class)
                .hasMessage("closed the connection without answering");
        assertThatThrownBy(() -> RawHttp.readHead(in("SSH-2.0-OpenSSH_9.6\r\n"), s -> { }))
                .hasMessage("the answer is not HTTP: 'SSH-2.0-OpenSSH_9.6'");
        assertThatThrownBy(() -> RawHttp.readHead(in("HTTP/1.1 2xx OK\r\n\r\n"), s -> { }))
                .hasMessageStartingWith("the answer is not HTTP");
        assertThatThrownBy(() -> RawHttp.readHead(in("y".repeat(70_000)), s -> { }))
                .hasMessageStartingWith("the answer is not HTTP: 'yyyyy");
    }

    @Test
    void aHeadLongerThan64KiBAfterItsStatusLineIsCutOff() throws IOException {
        RawHttp.Head h = RawHttp.readHead(in("HTTP/1.1 101 Switching Protocols\r\nX: " + "y".repeat(70_000)), s -> { });
        assertThat(h.status()).isEqualTo(101);
        assertThat(h.complete()).isFalse();
        assertThat(h.cutOff()).isEqualTo("longer than 64 KiB");
    }
}
