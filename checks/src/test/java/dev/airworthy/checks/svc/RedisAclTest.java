package dev.airworthy.checks.svc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Params;
import dev.airworthy.check.SharedResources;
import dev.airworthy.check.Status;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis 6+ ACL users against a real redis-server of its own, on a free loopback port: user
 * {@code app} with a password, and the default user disabled but still without a password
 * ({@code user default off nopass}, what {@code ACL SETUSER default off} leaves on a server that
 * had no password). A one-argument AUTH then gets "called without any password configured", yet
 * the server does not accept anyone. Skipped when redis-server is not on the PATH.
 */
class RedisAclTest {
    private static final String PASSWORD = "Acl-7719-app-pw";
    private static Process redis;
    private static int port;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binary = onPath("redis-server");
        Assumptions.assumeTrue(binary.isPresent(), "redis-server is not on the PATH");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("airworthy-redis-acl");
        redis = new ProcessBuilder(binary.get().toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--user", "app", "on", ">" + PASSWORD, "~*", "+@all",
                "--user", "default", "off", "nopass")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answers()) {
            if (!redis.isAlive() || System.nanoTime() > end) {
                String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
                stop();
                Assumptions.abort("redis-server did not start on port " + port + ": " + log);
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            redis = null;
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aPasswordWithoutItsUserIsNotCalledAnOpenServer() throws Exception {
        CheckResult r = new RedisCheck().run(context(null, PASSWORD));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).extracting(f -> f.rule()).containsExactly("svc.redis.auth");
        assertThat(r.message()).contains("refused AUTH: -ERR AUTH <password> called without any password configured")
                .contains("PING without AUTH answered -NOAUTH")
                .doesNotContain("accepts anyone").doesNotContain(PASSWORD);
    }

    @Test
    void anAclUserLogsIn() throws Exception {
        CheckResult r = new RedisCheck().run(context("app", PASSWORD));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASS);
        assertThat(r.message()).contains("PING → PONG from 127.0.0.1:" + port).contains("authenticated as app");
        assertThat(r.evidence()).contains("> AUTH app ****", "< +OK").noneMatch(l -> l.contains(PASSWORD));
    }

    @Test
    void anAclUserWithTheWrongPasswordIsRejected() throws Exception {
        CheckResult r = new RedisCheck().run(context("app", "not-" + PASSWORD));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.FAIL);
        assertThat(r.message()).contains("rejected the password: -WRONGPASS");
    }

    private static CheckContext context(String username, String password) {
        Map<String, Object> params = new HashMap<>(Map.of("host", "127.0.0.1", "port", (long) port, "password", password,
                "tls", false));
        if (username != null) {
            params.put("username", username);
        }
        return new CheckContext("cache", new Params(params), null, Path.of(".").toAbsolutePath(), Path.of(".").toAbsolutePath(),
                Instant.now().plus(Duration.ofSeconds(5)), Clock.systemUTC(), new SharedResources(), List.of());
    }

    /** Whether the server answers an inline PING (with -NOAUTH, here). */
    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> onPath(String name) {
        List<Path> found = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                found.add(p);
            }
        }
        return found.stream().findFirst();
    }
}
