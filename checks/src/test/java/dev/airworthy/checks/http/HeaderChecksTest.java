package dev.airworthy.checks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.Finding;
import dev.airworthy.checklist.ChecklistLoader;
import dev.airworthy.checks.fixture.FixtureServer;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import dev.airworthy.run.RunOptions;
import dev.airworthy.run.RunResult;
import dev.airworthy.run.Runner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parsing rules of the CORS, cookie, HSTS, HTTPS-redirect and security-header checks that fixtures exercise only in part. */
class HeaderChecksTest {

    @Test
    void parametersThatCannotWorkAreChecklistErrors() {
        String yaml = """
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - { id: a, check: http.cors, with: { allowed: ["*", "null", https://app.example.com/path, app.example.com] } }
                      - { id: b, check: http.hsts, with: { min-max-age: -1 } }
                      - { id: c, check: http.https-redirect, with: { from: "https://example.com/" } }
                      - { id: d, check: http.cookies, with: { path: "/a b" } }
                """;
        List<String> errors = Checklists.errorsOf(yaml);
        assertThat(errors).hasSize(7).allMatch(e -> e.startsWith("c.yml:"));
        assertThat(String.join("\n", errors))
                .contains("allowed origin '*' is not an origin")
                .contains("allowed origin 'null' is not an origin")
                .contains("allowed origin 'https://app.example.com/path' is not an origin")
                .contains("allowed origin 'app.example.com' is not an origin")
                .contains("min-max-age must not be negative")
                .contains("from 'https://example.com/' must be an absolute http:// URL")
                .contains("path '/a b' is not a valid URL path");
    }

    @Test
    void corsNormalizesOriginsAsBrowsersSendThem() {
        assertThat(CorsCheck.normalize("HTTPS://App.Example.COM:443")).contains("https://app.example.com");
        assertThat(CorsCheck.normalize("http://localhost:3000")).contains("http://localhost:3000");
        assertThat(CorsCheck.normalize("https://app.example.com/")).isEmpty();
        assertThat(CorsCheck.lookalikes("https://app.example.com:8443")).extracting(CorsCheck.Origin::value).containsExactly(
                "https://app.example.com.airworthy-probe.invalid:8443", "https://evilapp.example.com:8443", "https://appxexample.com:8443");
        assertThat(CorsCheck.lookalikes("http://127.0.0.1:3000")).extracting(CorsCheck.Origin::value).containsExactly(
                "http://127.0.0.1.airworthy-probe.invalid:3000", "http://evil127.0.0.1:3000");
    }

    @Test
    void sessionLikeCookieNames() {
        for (String name : List.of("session", "sessionid", "connect.sid", "PHPSESSID", "JSESSIONID", "ASP.NET_SessionId",
                "laravel_session", "_gh_sess", "auth_token", "authToken", "access_token", "jwt", "remember_me",
                "__Host-session", "__Secure-next-auth.session-token", "HSID", "SID", "rack.session",
                ".AspNetCore.Cookies", ".AspNetCore.CookiesC1", ".AspNetCore.Identity.Application", "KEYCLOAK_IDENTITY",
                "KEYCLOAK_IDENTITY_LEGACY", "wordpress_logged_in_5c0e1a9b8d7f", "wordpress_sec_5c0e1a9b8d7f")) {
            assertThat(CookiesCheck.sessionLike(name)).as(name).isTrue();
        }
        for (String name : List.of("csrftoken", "XSRF-TOKEN", "_csrf", "__Host-csrf-token", "theme", "sidebar", "lang",
                "consent", "inside", "_ga", "AWSALB", "BIGipServerpool_web", ".AspNetCore.Antiforgery.x1", "wordpress_test_cookie")) {
            assertThat(CookiesCheck.sessionLike(name)).as(name).isFalse();
        }
    }

    @Test
    void cookieAttributesAreCaseInsensitiveAndTheLastWins() {
        CookiesCheck.Cookie c = CookiesCheck.parse("id=a=b; SameSite=None; secure; samesite=Lax; Path=/x; PATH=/");
        assertThat(c.name()).isEqualTo("id");
        assertThat(c.attribute("samesite")).contains("Lax");
        assertThat(c.attribute("path")).contains("/");
        assertThat(c.has("secure")).isTrue();
        assertThat(CookiesCheck.parse("justavalue").name()).isEmpty();

        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        assertThat(CookiesCheck.deletes(CookiesCheck.parse("a=; Max-Age=0"), now)).isTrue();
        assertThat(CookiesCheck.deletes(CookiesCheck.parse("a=; Max-Age=-1"), now)).isTrue();
        assertThat(CookiesCheck.deletes(CookiesCheck.parse("a=; Expires=Thu, 01-Jan-1970 00:00:01 GMT"), now)).isTrue();
        // Max-Age wins over Expires; an unreadable date deletes nothing.
        assertThat(CookiesCheck.deletes(CookiesCheck.parse("a=b; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), now)).isFalse();
        assertThat(CookiesCheck.deletes(CookiesCheck.parse("a=b; Expires=yesterday"), now)).isFalse();
        assertThat(CookiesCheck.deletes(CookiesCheck.parse("a=b; Max-Age=soon"), now)).isFalse();
    }

    @Test
    void hstsFollowsTheGrammarOfRfc6797() throws Exception {
        assertThat(HstsCheck.parse("max-age=\"31536000\"; includeSubDomains;").directives())
                .containsEntry("max-age", "31536000").containsKey("includesubdomains");
        assertThat(HstsCheck.parse(" Max-Age = 10 ;; PRELOAD ; unknown=\"a;b\"").directives())
                .containsEntry("max-age", "10").containsKey("preload").containsEntry("unknown", "a;b");
        for (String bad : List.of("max-age=1, max-age=2", "max-age=1 includeSubDomains", "max-age=1; max-age=1",
                "max-age=\"1", "max-age=; includeSubDomains", "max-age=1; includeSubDomains=yes")) {
            assertThatThrownBy(() -> HstsCheck.parse(bad)).as(bad).isInstanceOf(HstsCheck.Unparsable.class);
        }
    }

    @Test
    void httpsRedirectHostRules() {
        assertThat(HttpsRedirectCheck.sameSite("example.com", "www.example.com")).isTrue();
        assertThat(HttpsRedirectCheck.sameSite("WWW.example.com", "example.com.")).isTrue();
        assertThat(HttpsRedirectCheck.sameSite("example.com", "login.example.com")).isFalse();
        assertThat(HttpsRedirectCheck.sameSite("example.com", "example.com.evil.test")).isFalse();
        assertThat(HttpsRedirectCheck.sameSite("example.com", null)).isFalse();
        assertThat(HttpsRedirectCheck.defaultFrom(URI.create("https://example.com:8443/app"))).isEqualTo(URI.create("http://example.com/"));
        assertThat(HttpsRedirectCheck.defaultFrom(URI.create("http://example.com:8080/app"))).isEqualTo(URI.create("http://example.com:8080/app"));
        assertThat(HttpsRedirectCheck.defaultFrom(URI.create("https://[::1]:8443/"))).isEqualTo(URI.create("http://[::1]/"));
    }

    @Test
    void corsPrefixTrickOnASubdomainOnlyReachesSiblings() {
        assertThat(CorsCheck.lookalikes("https://app.example.com")).extracting(CorsCheck.Origin::kind).containsExactly(
                CorsCheck.Kind.LOOKALIKE, CorsCheck.Kind.SUBDOMAIN, CorsCheck.Kind.LOOKALIKE);
        // evilexample.com, evilmyapp.herokuapp.com, evilshop.co.uk: anyone can have these.
        for (String host : List.of("example.com", "myapp.herokuapp.com", "shop.co.uk", "shop.com.au", "127.0.0.1", "localhost")) {
            assertThat(CorsCheck.siblingOnly(host)).as(host).isFalse();
        }
        for (String host : List.of("app.example.com", "app.shop.co.uk", "a.b.example.org", "www.example.io")) {
            assertThat(CorsCheck.siblingOnly(host)).as(host).isTrue();
        }
    }

    @Test
    void corsParametersThatCannotWork() {
        String yaml = """
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - { id: a, check: http.cors, with: { preflight-method: "GET /x" } }
                      - { id: b, check: http.cors, with: { preflight-method: TRACE } }
                      - { id: c, check: http.cors, with: { headers: { Origin: "https://x.example", Access-Control-Request-Method: PUT } } }
                      - { id: d, check: http.cors, with: { preflight-method: patch, headers: { Authorization: "Bearer x" } } }
                """;
        List<String> errors = Checklists.errorsOf(yaml);
        assertThat(errors).hasSize(4);
        assertThat(String.join("\n", errors))
                .contains("preflight-method 'GET /x' is not a method a page can send")
                .contains("preflight-method 'TRACE' is not a method a page can send")
                .contains("request header 'Origin' is set by the probes themselves")
                .contains("request header 'Access-Control-Request-Method' is set by the probes themselves");
    }

    @Test
    void locationsAreReadAsBrowsersReadThem() throws Exception {
        URI u = HttpsRedirectCheck.lenient("https://b\u00fccher.example/a b|c{d}?q=x y#f#g");
        assertThat(u.getHost()).isEqualTo("xn--bcher-kva.example");
        assertThat(u.getRawPath()).isEqualTo("/a%20b%7Cc%7Bd%7D");
        assertThat(u.getRawQuery()).isEqualTo("q=x%20y");
        assertThat(u.getRawFragment()).isEqualTo("f%23g");
        // UTF-8 bytes that arrived as ISO-8859-1 characters, a stray %, a tab, backslashes.
        assertThat(HttpsRedirectCheck.lenient("https://example.com/caf\u00c3\u00a9/100%").getRawPath()).isEqualTo("/caf%C3%A9/100%25");
        assertThat(HttpsRedirectCheck.lenient("https://exa\tmple.com/").getHost()).isEqualTo("example.com");
        assertThat(HttpsRedirectCheck.lenient("https://example.com/\uD83D\uDE00 x").getRawPath()).isEqualTo("/%F0%9F%98%80%20x");
        URI back = HttpsRedirectCheck.lenient("https:\\\\example.com\\x?a=\\");
        assertThat(back.getHost()).isEqualTo("example.com");
        assertThat(back.getPath()).isEqualTo("/x");
        assertThat(back.getRawQuery()).isEqualTo("a=%5C");
        assertThat(HttpsRedirectCheck.lenient("https://user:p|w@example.com:8443/x").getPort()).isEqualTo(8443);
        assertThat(URI.create("http://example.com/").resolve(HttpsRedirectCheck.lenient("//example.com/a|b")))
                .hasToString("http://example.com/a%7Cb");
        assertThatThrownBy(() -> HttpsRedirectCheck.lenient("https://exa mple.com/")).isInstanceOf(java.net.URISyntaxException.class);
    }

    @Test
    void cspHeaderLinesHoldCommaSeparatedPolicies() {
        List<Map<String, List<String>>> p = SecurityHeadersCheck.policies(
                List.of("script-src 'self' 'unsafe-inline', object-src 'none'", "default-src 'self'; ,"));
        assertThat(p).hasSize(3);
        assertThat(p.get(0)).containsEntry("script-src", List.of("'self'", "'unsafe-inline'"));
        assertThat(p.get(1)).containsOnlyKeys("object-src");
        assertThat(p.get(2)).containsOnlyKeys("default-src");
    }

    @Test
    void cookieValuesNeverReachTheReport() throws Exception {
        // Cookies whose values the central masker cannot find: no name, a name with a space, a value
        // parsed as the name (base64 padding), and a stray name=value in the attributes.
        List<String> secrets = List.of("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYW5hIn0.c2lnbmF0dXJlLXZhbHVl", "s3cr3tV4lu3x",
                "c2VjcmV0dG9rZW4", "hunter2hunter2");
        String server = """
                routes:
                  /:
                    headers:
                      Set-Cookie:
                        - "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYW5hIn0.c2lnbmF0dXJlLXZhbHVl; Path=/"
                        - "my token=s3cr3tV4lu3x; Path=/; SameSite=Lax"
                        - "c2VjcmV0dG9rZW4=; Path=/; SameSite=Lax"
                        - "id=1; Path=/; SameSite=Lax; extra=hunter2hunter2"
                    body: hello
                """;
        String yaml = """
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - { id: cookies, check: http.cookies }
                """;
        CheckRegistry registry = CheckRegistry.load();
        try (FixtureServer s = FixtureServer.start(server)) {
            RunResult run = new Runner(registry, Clock.systemUTC()).run(
                    new ChecklistLoader(registry, Map.of()).load("c.yml", yaml, Path.of(".")),
                    RunOptions.defaults().withUrl(s.url()), Progress.NONE);
            ItemResult r = run.items().getFirst();
            List<String> printed = new java.util.ArrayList<>();
            printed.add(r.message());
            printed.addAll(r.evidence());
            r.findings().stream().map(Finding::message).forEach(printed::add);
            assertThat(r.evidence()).as("the cookies are shown, without their values").anyMatch(l -> l.contains("Set-Cookie"));
            for (String secret : secrets) {
                assertThat(printed).as("no line shows %s", secret).noneMatch(l -> l.contains(secret));
            }
        }
    }
}
