package dev.airworthy.checks.svc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Params;
import dev.airworthy.check.SharedResources;
import dev.airworthy.check.Status;
import dev.airworthy.checks.fixture.FixtureServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Redis password is never shown, even by a server that repeats it in its reply. */
class RedisPasswordTest {
    private static final String PASSWORD = "Rq55-hunter-Pw";

    @Test
    void aRejectedPasswordIsNotShown() throws Exception {
        try (FixtureServer server = FixtureServer.start("tcp:\n  cache: { mode: redis, password: another-one }\n")) {
            CheckResult r = new RedisCheck().run(context(Integer.parseInt(server.env().get("FIXTURE_PORT_CACHE"))));
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.message()).contains("-WRONGPASS");
            assertThat(texts(r.message(), r.evidence(), r.findings())).noneMatch(t -> t.contains(PASSWORD));
        }
    }

    @Test
    void aServerThatEchoesThePasswordDoesNotMakeTheCheckShowIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[256];
                    int n = in.read(buf);
                    String command = new String(buf, 0, Math.max(n, 0), StandardCharsets.UTF_8).replace("\r\n", " ");
                    OutputStream out = s.getOutputStream();
                    out.write(("-ERR invalid password, you sent: " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (Exception e) {
                    // The test ends the conversation.
                }
            });
            CheckResult r = new RedisCheck().run(context(server.getLocalPort()));
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.message()).contains("rejected the password: -ERR invalid password, you sent:").contains("****");
            assertThat(texts(r.message(), r.evidence(), r.findings())).noneMatch(t -> t.contains(PASSWORD));
        }
    }

    private static List<String> texts(String message, List<String> evidence, List<Finding> findings) {
        List<String> texts = new ArrayList<>(evidence);
        texts.add(message);
        findings.forEach(f -> texts.add(f.message()));
        return texts;
    }

    private static CheckContext context(int port) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        Map<String, Object> params = Map.of("host", "127.0.0.1", "port", (long) port, "password", PASSWORD, "tls", false);
        return new CheckContext("cache", new Params(params), null, Path.of(".").toAbsolutePath(), Path.of(".").toAbsolutePath(),
                deadline, Clock.systemUTC(), new SharedResources(), List.of());
    }
}
