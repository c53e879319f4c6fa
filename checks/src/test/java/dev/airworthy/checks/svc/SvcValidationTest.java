package dev.airworthy.checks.svc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.checks.fixture.Checklists;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameters of the dependency checks that cannot work are checklist errors when the file loads. */
class SvcValidationTest {

    private static List<String> errors(String items) {
        return Checklists.messages(items);
    }

    private static void loads(String items) throws Exception {
        assertThat(Checklists.load(items).items()).isNotEmpty();
    }

    @Test
    void tcpNeedsAHostAndAPort() {
        assertThat(errors("""
                - { id: a, check: svc.tcp, with: { host: "", port: 0 } }
                - { id: b, check: svc.tcp, with: { host: "db:5432", port: 65536 } }
                - { id: c, check: svc.tcp, with: { host: "tcp://db", port: 5432 } }
                - { id: d, check: svc.tcp, with: { host: "my db", port: 5432 } }
                """)).containsExactly(
                "item 'a': host is empty",
                "item 'a': port 0 is not a TCP port (1-65535)",
                "item 'b': host 'db:5432' includes a port; give the port in 'port'",
                "item 'b': port 65536 is not a TCP port (1-65535)",
                "item 'c': host 'tcp://db' is a URL; give only the host name or IP address",
                "item 'd': host 'my db' contains spaces");
    }

    @Test
    void ipv6LiteralsAreHosts() throws Exception {
        loads("""
                - { id: a, check: svc.tcp, with: { host: "::1", port: 5432 } }
                - { id: b, check: svc.redis, with: { host: "[fe80::1%eth0]" } }
                """);
    }

    @Test
    void redisRejectsAnEmptyPassword() {
        assertThat(errors("""
                - { id: a, check: svc.redis, with: { host: cache, port: 70000, password: "" } }
                """)).containsExactly(
                "item 'a': port 70000 is not a TCP port (1-65535)",
                "item 'a': password is empty; omit it when the server needs none");
    }

    @Test
    void aRedisUsernameNeedsAPassword() throws Exception {
        assertThat(errors("""
                - { id: a, check: svc.redis, with: { host: cache, username: app } }
                - { id: b, check: svc.redis, with: { host: cache, username: "", password: x } }
                """)).containsExactly(
                "item 'a': username needs a password (the check sends AUTH username password)",
                "item 'b': username is empty; omit it to log in as the default user");
        loads("""
                - { id: a, check: svc.redis, with: { host: cache, username: app, password: x } }
                """);
    }

    @Test
    void postgresTakesOnlyPostgresUrls() {
        assertThat(errors("""
                - { id: a, check: svc.postgres, with: { url: "mysql://db/app" } }
                - { id: b, check: svc.postgres, with: { url: "jdbc:postgresql:app" } }
                - { id: c, check: svc.postgres, with: { url: "postgres:///app" } }
                - { id: d, check: svc.postgres, with: { url: "postgres://db:99999/app" } }
                """)).containsExactly(
                "item 'a': url must be jdbc:postgresql://host:port/database?user=...&password=... "
                        + "or postgres://user:password@host:port/database",
                "item 'b': url must name the host: jdbc:postgresql://host:port/database",
                "item 'c': url has no host (Unix-domain sockets are not supported; give a host name or IP address)",
                "item 'd': url has a port that is not a number from 1 to 65535 "
                        + "(percent-encode special characters in the password: @ as %40, / as %2F, : as %3A)");
    }
}
