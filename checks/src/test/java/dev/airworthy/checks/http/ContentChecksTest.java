package dev.airworthy.checks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The parsers and detectors of the content checks on inputs that fixtures cannot show cheaply:
 * each framework's trace format, prose that only looks like one, date forms, Cache-Control
 * spellings, HTML link markup, and compressed bodies.
 */
class ContentChecksTest {

    private static List<String> rules(String path, String body) {
        return rules(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> rules(String path, byte[] body) {
        Exchange x = new Exchange("GET", URI.create("http://h" + path), 200, HttpHeaders.of(Map.of(), (a, b) -> true),
                body, false, 1);
        return DebugOffCheck.inspect(path, x).stream().map(DebugOffCheck.Hit::rule).toList();
    }

    @Test
    void stackTracesOfEachFrameworkAreFound() {
        List<String> traces = List.of(
                "Traceback (most recent call last):\n  File \"/app/app.py\", line 12, in index\n    1/0\nZeroDivisionError: division by zero",
                "<h3>Traceback <em>(most recent call last)</em>:</h3><div>File <cite class=\"filename\">&quot;/app/x.py&quot;</cite>, line <em>5</em></div>",
                "java.lang.NullPointerException: boom\n\tat com.example.Foo.bar(Foo.java:12)\n\tat com.example.Main.main(Main.java:5)",
                "{\"status\":500,\"trace\":\"java.lang.IllegalStateException: boom\\n\\tat com.x.Y.<init>(Y.java:12)\\n\\tat java.base/java.lang.Thread.run(Thread.java:833)\"}",
                "kotlin.KotlinNullPointerException\n    at app//com.x.Svc.run(Svc.kt:7)",
                "Error: boom\n    at Object.<anonymous> (/app/index.js:10:5)\n    at Module._compile (node:internal/modules/cjs/loader:1256:14)",
                "<pre>Error: boom<br> &nbsp; &nbsp;at /app/routes/index.js:7:9<br> &nbsp; &nbsp;at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)</pre>",
                "panic: runtime error: index out of range\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:8 +0x1d",
                "app/controllers/home_controller.rb:5:in `index'\nactionpack (7.0.4) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'",
                "<br />\n<b>Fatal error</b>:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3\nStack trace:\n#0 {main}\n  thrown in <b>/var/www/html/index.php</b> on line <b>3</b><br />",
                "<b>Warning</b>:  include(x.php): Failed to open stream: No such file in <b>/var/www/html/index.php</b> on line <b>2</b><br />",
                "#0 /var/www/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php(180): handle()\n#1 /var/www/public/index.php(51): run()",
                "   at MyApp.Controllers.HomeController.Index() in C:\\src\\MyApp\\HomeController.cs:line 42\n   at System.Web.Mvc.ActionMethodDispatcher.Execute(ControllerBase controller, Object[] parameters)");
        for (String t : traces) {
            assertThat(rules("/airworthy-x", t)).as(t).containsExactly(DebugOffCheck.STACK_TRACE);
        }
    }

    @Test
    void proseThatMentionsTracesIsNotATrace() {
        List<String> prose = List.of(
                "<html><body><h1>Debugging tips</h1><p>A Python Traceback (most recent call last) tells you where it failed.</p>"
                        + "<p>Meet us at the office at 10:30. Look at Foo.bar(baz) in the docs.</p>"
                        + "<p>Set DEBUG = True only locally. The Werkzeug Debugger must never run in production; call phpinfo() to see settings.</p>"
                        + "<p>Server Error in '/' Application is the ASP.NET yellow screen.</p></body></html>",
                "<!doctype html><html><head><title>Shop</title><script src=\"/app.js\"></script></head><body><div id=\"root\"></div></body></html>");
        for (String p : prose) {
            for (String path : List.of("/airworthy-x", "/.env", "/.git/config", "/backup.sql", "/config.json", "/.svn/entries")) {
                assertThat(rules(path, p)).as(path + ": " + p).isEmpty();
            }
        }
    }

    @Test
    void debugPagesAreFound() {
        List<String> pages = List.of(
                "<html><head><title>ZeroDivisionError // Werkzeug Debugger</title></head></html>",
                "<p>You&#x27;re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>",
                "<html><head><title>Action Controller: Exception caught</title></head></html>",
                "<div class=\"Whoops container\"><div class=\"stack-container\"></div></div>",
                "<h1>Server Error in &#39;/&#39; Application.</h1><b> Exception Details: </b>System.NullReferenceException",
                "<html><head><title>H2 Console</title></head></html>",
                "<html><head><title>PHP 8.2.7 - phpinfo()</title></head></html>",
                "<html><body>/debug/pprof/<br><p>Types of profiles available:</p></body></html>",
                "<title>Apache Status</title><h1>Apache Server Status for localhost (via 127.0.0.1)</h1>",
                "Active connections: 1 \nserver accepts handled requests\n 10 10 10 \nReading: 0 Writing: 1 Waiting: 0 \n",
                "{\"cmdline\":[\"/app/server\"],\"memstats\":{\"Alloc\":123}}");
        for (String p : pages) {
            assertThat(rules("/debug", p)).as(p).containsExactly(DebugOffCheck.DEBUG_PAGE);
        }
        assertThat(rules("/", "<h1>Server Error in '/' Application.</h1><h2><i>Runtime Error</i></h2>"))
                .as("the remote-only ASP.NET error page shows no details").isEmpty();
    }

    @Test
    void sensitiveFilesAreJudgedByContent() {
        assertThat(rules("/.env", "APP_ENV=production\nDB_PASSWORD=hunter2\n# comment\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.env.production", "export SECRET_KEY=abc\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.env", "not found")).isEmpty();
        assertThat(rules("/.env", "Hello\nworld\nthis is\nan ordinary text page\nFOO=bar")).as("KEY=VALUE lines are a minority").isEmpty();
        assertThat(rules("/.env", "db_password=hunter2\napi_key=sk_live_x")).as("lower-case keys").containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.env", "spring.datasource.password=x\n_private=1\n")).as("dotted keys").containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.env", "Hello there\nthis page is not here\nsee the docs for a=b\nbye")).as("prose").isEmpty();
        assertThat(rules("/.env", "1=2\n-x=y\n")).as("keys start with a letter or _").isEmpty();
        assertThat(rules("/.git/config", "[core]\n\trepositoryformatversion = 0\n\tbare = false\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.git/HEAD", "ref: refs/heads/main\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.git/HEAD", "3f786850e387550fdab836ed7e6dc881de23001b\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/actuator/env", "{\"activeProfiles\":[\"prod\"],\"propertySources\":[]}")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/actuator/configprops", "{\"contexts\":{\"application\":{\"beans\":{}}}}")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/actuator/heapdump", "JAVA PROFILE 1.0.2\0\0\0\4")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.DS_Store", new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1', 0, 0, 16})).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.svn/entries", "12\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.svn/entries", "10\n\ndir\n42\nhttps://svn.example/repo\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/.svn/entries", "404")).isEmpty();
        assertThat(rules("/.aws/credentials", "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n"))
                .containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/backup.sql", "-- MySQL dump 10.13\nCREATE TABLE `users` (\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/wp-config.php.bak", "<?php\ndefine( 'DB_PASSWORD', 'x' );\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/config.json", "{\"db\":{\"host\":\"db\",\"password\":\"s3cret-value\"}}")).containsExactly(DebugOffCheck.SENSITIVE);
        assertThat(rules("/config.json", "{\"apiBaseUrl\":\"https://api.example\",\"sentryDsn\":\"https://k@sentry.io/1\",\"passwordMinLength\":8}"))
                .as("a public SPA config").isEmpty();
        assertThat(rules("/config.json", "{\"password\":\"${DB_PASSWORD}\",\"secret\":\"\"}")).as("placeholders").isEmpty();
    }

    private static Exchange cut(String path, String body) {
        return new Exchange("GET", URI.create("http://h" + path), 200, HttpHeaders.of(Map.of(), (a, b) -> true),
                body.getBytes(StandardCharsets.UTF_8), true, 1);
    }

    @Test
    void jsonCutShortIsJudgedByWhatWasReadOrNotJudged() {
        String env = "{\"activeProfiles\":[\"prod\"],\"propertySources\":[{\"name\":\"systemEnvironment\",\"properties\":{\"A\":{\"val";
        assertThat(DebugOffCheck.inspect("/actuator/env", cut("/actuator/env", env))).extracting(DebugOffCheck.Hit::rule)
                .containsExactly(DebugOffCheck.SENSITIVE);
        String props = "  {\"contexts\":{\"application\":{\"beans\":{\"spring.datasource-org.springframework.boot.autoconfigure.jdbc";
        assertThat(DebugOffCheck.inspect("/actuator/configprops", cut("/actuator/configprops", props))).extracting(DebugOffCheck.Hit::rule)
                .containsExactly(DebugOffCheck.SENSITIVE);
        String config = "{\"db\":{\"password\":\"s3cret-value\"},\"features\":[1,2,3,";
        assertThat(DebugOffCheck.inspect("/config.json", cut("/config.json", config))).extracting(DebugOffCheck.Hit::rule)
                .containsExactly(DebugOffCheck.SENSITIVE);

        String clean = "{\"features\":{\"a\":true,\"b\":{\"password\":\"s3cret-va";
        Exchange x = cut("/config.json", clean);
        List<DebugOffCheck.Hit> hits = DebugOffCheck.inspect("/config.json", x);
        assertThat(hits).as("a value cut in the middle is not a value").isEmpty();
        assertThat(DebugOffCheck.notJudged(x, hits)).get().asString().contains("more than 256 KiB of JSON, cut short");
        assertThat(DebugOffCheck.notJudged(cut("/", "<!doctype html><html><body>" + "<p>x</p>"), List.of()))
                .as("a long page is judged by its start").isEmpty();
        assertThat(DebugOffCheck.notJudged(cut("/x.json", "[1,2,3,"), List.of())).as("an array is never a config object").isEmpty();
        Exchange complete = new Exchange("GET", URI.create("http://h/config.json"), 200, HttpHeaders.of(Map.of(), (a, b) -> true),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), false, 1);
        assertThat(DebugOffCheck.notJudged(complete, List.of())).isEmpty();
        Exchange limited = new Exchange("GET", URI.create("http://h/.env"), 429, HttpHeaders.of(Map.of(), (a, b) -> true),
                "Too Many Requests".getBytes(StandardCharsets.UTF_8), false, 1);
        assertThat(DebugOffCheck.notJudged(limited, List.of())).get().asString().contains("answered 429");
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Runs {@code r} and requires it to take well under a second of CPU (CPU, not wall time: the
     * build machine is shared). The preemptive timeout only stops a runaway from holding up the build.
     */
    private static void quickly(String what, Runnable r) {
        long[] cpu = new long[1];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long start = THREADS.getCurrentThreadCpuTime();
            r.run();
            cpu[0] = THREADS.getCurrentThreadCpuTime() - start;
        }, what);
        assertThat(cpu[0] / 1_000_000).as("CPU ms for " + what).isLessThan(1000);
    }

    private static String printable(String body) {
        String head = body.length() > 24 ? body.substring(0, 24) : body;
        return head.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "… (" + body.length() + " chars)";
    }

    @Test
    void hostileBodiesAreInspectedQuickly() {
        int n = DebugOffCheck.BODY_KEPT;
        // Every detector runs on every path; a few only on some (dotenv, Subversion, SQL dump, JSON config).
        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        for (String body : List.of("\n".repeat(n), " \n".repeat(n / 2), "\r\n".repeat(n / 2), "\t\n \n\n".repeat(n / 5),
                "<".repeat(n), "<<<<>".repeat(n / 5), "a".repeat(n), "a.".repeat(n / 2), "a/".repeat(n / 2),
                "at ".repeat(n / 3), "at " + "a.".repeat(n / 2), "at System.A(".repeat(n / 12), "<br".repeat(n / 3),
                "<title>".repeat(n / 7), "&#".repeat(n / 2), "Active connections: 1 " + " \n".repeat(n / 2),
                "goroutine 1 [running]:".repeat(n / 22), "Warning: in ".repeat(n / 12), "#1 /a".repeat(n / 5),
                "Server Error in '".repeat(n / 17), "\\n".repeat(n / 2))) {
            cases.put(body, List.of("/.env"));
        }
        cases.put("10" + "\n".repeat(n), List.of("/.svn/entries"));
        cases.put("[core]" + "\n".repeat(n), List.of("/.git/config"));
        cases.put("aws_access_key_id" + " \n".repeat(n / 2), List.of("/.aws/credentials"));
        cases.put("CREATE TABLE ".repeat(n / 13), List.of("/backup.sql"));
        cases.put("{\"a\":".repeat(n / 5), List.of("/config.json"));
        cases.put("{\"a\":[" + "1,".repeat(n / 2), List.of("/config.json"));
        cases.put("{" + "\"password\":\"\",".repeat(n / 14), List.of("/config.json"));
        rules("/.env", "A=1\n".repeat(100)); // warm up
        for (var c : cases.entrySet()) {
            byte[] bytes = c.getKey().getBytes(StandardCharsets.UTF_8);
            for (String path : c.getValue()) {
                boolean truncated = c.getKey().startsWith("{");
                Exchange x = new Exchange("GET", URI.create("http://h" + path), 200, HttpHeaders.of(Map.of(), (a, b) -> true),
                        bytes, truncated, 1);
                quickly(path + ": " + printable(c.getKey()), () -> DebugOffCheck.inspect(path, x));
            }
        }
    }

    @Test
    void sensitiveExcerptsDoNotShowValues() {
        Exchange x = new Exchange("GET", URI.create("http://h/.env"), 200, HttpHeaders.of(Map.of(), (a, b) -> true),
                "DB_PASSWORD=hunter2-very-secret\nAPI_TOKEN=abcdef123456\n".getBytes(StandardCharsets.UTF_8), false, 1);
        assertThat(DebugOffCheck.inspect("/.env", x)).singleElement().satisfies(h -> {
            assertThat(h.excerpt()).isEqualTo("DB_PASSWORD=****, API_TOKEN=****").doesNotContain("hunter2");
            assertThat(h.excerpt().length()).isLessThanOrEqualTo(121);
        });
    }

    private static Optional<Finding> leak(String header, String value) {
        InfoLeakCheck.Rule rule = InfoLeakCheck.RULES.stream().filter(r -> r.header().equals(header)).findFirst().orElseThrow();
        return InfoLeakCheck.judge(rule, List.of(value));
    }

    @Test
    void versionsInHeaders() {
        assertThat(leak("Server", "nginx/1.22.1")).get().extracting(Finding::level).isEqualTo(Status.FAIL);
        assertThat(leak("Server", "Apache/2.4.57 (Debian)")).get().extracting(Finding::rule).isEqualTo("http.info-leak.server");
        assertThat(leak("Server", "Jetty(9.4.51.v20230217)")).isPresent();
        assertThat(leak("Server", "nginx")).isEmpty();
        assertThat(leak("Server", "ECS (dcb/7F83)")).isEmpty();
        assertThat(leak("X-Powered-By", "PHP/8.2.7")).get().extracting(Finding::level).isEqualTo(Status.FAIL);
        assertThat(leak("X-Powered-By", "Express")).get().extracting(Finding::level).isEqualTo(Status.WARN);
        assertThat(leak("X-AspNet-Version", "4.0.30319")).get().extracting(Finding::level).isEqualTo(Status.FAIL);
        assertThat(leak("X-Runtime", "0.012345")).get().extracting(Finding::level).isEqualTo(Status.WARN);
        assertThat(leak("X-Version", "3f7a9c1")).isEmpty();
        assertThat(leak("X-Version", "2.3.1")).get().extracting(Finding::level).isEqualTo(Status.FAIL);
        assertThat(leak("Via", "1.1 varnish (Varnish/6.0)")).get().extracting(Finding::level).isEqualTo(Status.FAIL);
        assertThat(leak("Via", "HTTP/1.1 proxy.example:3128 (squid/5.7)")).isPresent();
        assertThat(leak("Via", "1.1 vegur")).isEmpty();
        assertThat(leak("Via", "1.0 fred, 1.1 10.0.0.1:8080")).isEmpty();
        assertThat(leak("Via", "2 abcd.cloudfront.net (CloudFront)")).isEmpty();
        assertThat(leak("Via", "kong/2.8.1")).get().extracting(Finding::message).asString().contains("(kong/2.8.1)");
        assertThat(leak("Via", "1.1 vegur, kong/3.4")).get().extracting(Finding::message).asString().contains("(kong/3.4)");
        assertThat(leak("Via", "HTTP/1.1")).as("a protocol version alone").isEmpty();
        assertThat(leak("Via", "1.1")).isEmpty();
    }

    @Test
    void httpDatesInAllThreeForms() {
        Instant expected = Instant.parse("1994-11-06T08:49:37Z");
        assertThat(ClockSkewCheck.parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", 2026)).contains(expected);
        assertThat(ClockSkewCheck.parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", 2026)).contains(expected);
        assertThat(ClockSkewCheck.parseHttpDate("Sun Nov  6 08:49:37 1994", 2026)).contains(expected);
        assertThat(ClockSkewCheck.parseHttpDate("Sunday, 22-Nov-26 12:00:00 GMT", 2026)).contains(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(ClockSkewCheck.parseHttpDate("Friday, 01-Jan-77 00:00:00 GMT", 2026))
                .as("more than 50 years ahead is the past century").contains(Instant.parse("1977-01-01T00:00:00Z"));
        assertThat(ClockSkewCheck.parseHttpDate("Mon, 30 Feb 2026 10:00:00 GMT", 2026)).isEmpty();
        assertThat(ClockSkewCheck.parseHttpDate("2026-11-22T12:00:00Z", 2026)).isEmpty();
        assertThat(ClockSkewCheck.parseHttpDate("Sun, 22 Nov 2026 12:00:00 +0200", 2026)).isEmpty();
    }

    @Test
    void cacheControlVerdicts() {
        Optional<String> none = Optional.empty();
        assertThat(CacheStaticCheck.judge(List.of("public, max-age=31536000, immutable"), none, none, 2026).problem()).isNull();
        CacheStaticCheck.Verdict shared = CacheStaticCheck.judge(List.of("max-age=60, s-maxage=86400"), none, none, 2026);
        assertThat(shared.problem()).contains("only by shared caches");
        assertThat(shared.warnOnly()).isTrue();
        assertThat(shared.rule()).isEqualTo("http.cache-static.shared-only");
        assertThat(CacheStaticCheck.judge(List.of("public, s-maxage=31536000, max-age=0"), none, none, 2026).warnOnly()).isTrue();
        assertThat(CacheStaticCheck.judge(List.of("s-maxage=31536000"), none, none, 2026).problem()).contains("only by shared caches");
        assertThat(CacheStaticCheck.judge(List.of("max-age=31536000, s-maxage=60"), none, none, 2026).problem())
                .as("browsers read max-age").isNull();
        assertThat(CacheStaticCheck.judge(List.of("s-maxage=600"), none, none, 2026).problem()).contains("only 600 s");
        assertThat(CacheStaticCheck.judge(List.of("immutable"), none, none, 2026).problem()).contains("immutable without a lifetime does nothing");
        assertThat(CacheStaticCheck.judge(List.of("immutable"), none, none, 2026).warnOnly()).isFalse();
        assertThat(CacheStaticCheck.judge(List.of("immutable"), Optional.of("Mon, 22 Nov 2027 12:00:00 GMT"),
                Optional.of("Sun, 22 Nov 2026 12:00:00 GMT"), 2026).warnOnly()).as("immutable with Expires").isTrue();
        assertThat(CacheStaticCheck.judge(List.of("max-age=12345678901234567890123"), none, none, 2026).problem())
                .as("RFC 9111 1.2.2: a too large delta-seconds is 2^31").isNull();
        assertThat(CacheStaticCheck.judge(List.of("max-age=12345678901234567890123"), none, none, 2026).lifetime()).contains(2147483648L);
        CacheStaticCheck.Verdict qualified = CacheStaticCheck.judge(List.of("max-age=31536000, no-cache=\"Set-Cookie, X-Trace\""), none, none, 2026);
        assertThat(qualified.warnOnly()).isTrue();
        assertThat(qualified.problem()).contains("no-cache with field names");
        assertThat(CacheStaticCheck.judge(List.of("private=\"a, no-cache\", max-age=31536000"), none, none, 2026).problem())
                .as("a comma and a directive name inside quotes").isNull();
        assertThat(CacheStaticCheck.directives(List.of("a=\"x,\\\"y\", b, c=1")).keySet()).containsExactly("a", "b", "c");
        assertThat(CacheStaticCheck.judge(List.of("Max-Age=\"86400\""), none, none, 2026).problem()).isNull();
        assertThat(CacheStaticCheck.judge(List.of("max-age=31536000, no-store"), none, none, 2026).problem()).contains("no-store");
        assertThat(CacheStaticCheck.judge(List.of("no-cache, max-age=31536000"), none, none, 2026).problem()).contains("no-cache");
        assertThat(CacheStaticCheck.judge(List.of("max-age=3600"), none, none, 2026).problem()).contains("only 3600 s");
        assertThat(CacheStaticCheck.judge(List.of("immutable, max-age=60"), none, none, 2026).problem()).contains("only while");
        assertThat(CacheStaticCheck.judge(List.of("max-age=31536000", "max-age=60"), none, none, 2026).problem()).contains("only 60 s");
        assertThat(CacheStaticCheck.judge(List.of("max-age=forever"), none, none, 2026).problem()).contains("invalid");
        assertThat(CacheStaticCheck.judge(List.of("public"), none, none, 2026).problem()).contains("no max-age");
        assertThat(CacheStaticCheck.judge(List.of(), none, none, 2026).problem()).contains("no Cache-Control");
        CacheStaticCheck.Verdict expires = CacheStaticCheck.judge(List.of(),
                Optional.of("Mon, 22 Nov 2027 12:00:00 GMT"), Optional.of("Sun, 22 Nov 2026 12:00:00 GMT"), 2026);
        assertThat(expires.warnOnly()).isTrue();
    }

    @Test
    void assetLinksInHtml() {
        URI page = URI.create("http://127.0.0.1:8080/");
        String html = """
                <!doctype html><html><head>
                <link rel="stylesheet" href="/css/app.css?v=3">
                <link rel='shortcut icon' href='favicon.ico'>
                <link rel=apple-touch-icon href=/touch.png>
                <link rel="preload" href="/font.woff2" as="font">
                <link rel="stylesheet" href="https://cdn.example.com/lib.css">
                <script src="//cdn.example.com/lib.js"></script>
                <script type="module" src="/js/main.js#x"></script>
                <script>var s = '<img src="/not-an-asset.png">';</script>
                <!-- <script src="/commented.js"></script> -->
                </head><body>
                <img data-src="/lazy.png" src="/img/logo.png?a=1&amp;b=2" srcset="/img/logo@2x.png 2x">
                <img src="data:image/png;base64,AAAA">
                <img src="http://127.0.0.1:8080/img/abs.png">
                <img src="/img/logo.png?a=1&b=2">
                </body></html>""";
        CacheStaticCheck.Links links = CacheStaticCheck.links(html, page);
        assertThat(links.sameOrigin()).extracting(URI::toString).containsExactly(
                "http://127.0.0.1:8080/css/app.css?v=3",
                "http://127.0.0.1:8080/favicon.ico",
                "http://127.0.0.1:8080/touch.png",
                "http://127.0.0.1:8080/js/main.js",
                "http://127.0.0.1:8080/img/logo.png?a=1&b=2",
                "http://127.0.0.1:8080/img/abs.png");
        assertThat(links.otherOrigin()).isEqualTo(2);
        assertThat(CacheStaticCheck.links("<base href=\"/static/\"><script src=\"app.js\"></script>", page).sameOrigin())
                .extracting(URI::toString).containsExactly("http://127.0.0.1:8080/static/app.js");
    }

    @Test
    void fingerprintedAssetNames() {
        for (String fp : List.of("/assets/app.3f2a9c1b.js", "/assets/main-BkX7f3Qa.css", "/static/js/main.3f2a9c1b.chunk.js",
                "/static/app.3f2a9c1b4d5e.css", "/_next/static/chunks/pages/_app-3f2a9c1b4d5e6f7a.js", "/main-5TFZKEJR.js",
                "/assets/index-B-h2Xk_9.js", "/assets/index-BkXfQaZp.js", "/build/3f2a9c1b4d/app.js", "/css/app.css?id=3f2a9c1b4d5e6f7a",
                "/packs/js/application-7c1d3e5f9a0b2c4d6e8f.js", "/img/logo.12345678.png")) {
            assertThat(CacheStaticCheck.fingerprinted(URI.create("http://h" + fp))).as(fp).isTrue();
        }
        for (String plain : List.of("/favicon.ico", "/img/logo.png", "/assets/app.js", "/css/app.css?v=3", "/js/jquery-3.7.1.min.js",
                "/js/html5shiv.js", "/css/bootstrap-datepicker.min.css", "/js/angular-material.js", "/app-HomePage.js",
                "/assets/app.77ab01.css", "/fonts/OpenSans-Regular.css", "/img/background.png", "/img/deadbeef.png")) {
            assertThat(CacheStaticCheck.fingerprinted(URI.create("http://h" + plain))).as(plain).isFalse();
        }
    }

    @Test
    void hostileHtmlIsScannedForLinksQuickly() {
        int n = HttpProbe.MAX_BODY;
        URI page = URI.create("http://h/");
        List<String> pages = List.of("<script ".repeat(n / 8), "<style ".repeat(n / 7), "<img ".repeat(n / 5), "<link ".repeat(n / 6),
                "<img src=\"".repeat(n / 10), "<img src='".repeat(n / 10), "<img src=\"x\" ".repeat(n / 14), "<script>".repeat(n / 8),
                "<!--".repeat(n / 4), "<img a=\"" + "x".repeat(n), "<img " + "a ".repeat(n / 2), "<img " + "a=".repeat(n / 2),
                "<".repeat(n), "<base href=".repeat(n / 11), "<img src=\"/a.png\">".repeat(n / 19));
        CacheStaticCheck.links("<script src=\"/a.js\"></script>", page); // warm up
        for (String html : pages) {
            quickly(printable(html), () -> CacheStaticCheck.links(html, page));
        }
    }

    @Test
    void evidenceShowsTheStartOfABodyWithoutReadingAllOfIt() {
        byte[] body = ("  first\n\n  words " + "x ".repeat(HttpProbe.MAX_BODY / 2)).getBytes(StandardCharsets.UTF_8);
        Exchange x = new Exchange("GET", URI.create("http://h/"), 200, HttpHeaders.of(Map.of(), (a, b) -> true), body, true, 1);
        String line = x.evidence().get(1);
        assertThat(line).startsWith("< body: first words x x").endsWith("…");
        assertThat(line.length()).isLessThanOrEqualTo("< body: ".length() + 201);
        Exchange small = new Exchange("GET", URI.create("http://h/"), 200, HttpHeaders.of(Map.of(), (a, b) -> true),
                " ok\n".getBytes(StandardCharsets.UTF_8), false, 1);
        assertThat(small.evidence()).containsExactly(small.summary(), "< body: ok");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void decodingIsBoundedAndStrict() throws IOException {
        byte[] text = "hello world ".repeat(200).getBytes(StandardCharsets.UTF_8);
        assertThat(CompressionCheck.decode(gzip(text), List.of("gzip"), false)).isEqualTo(new CompressionCheck.Decoded(text.length, false));

        byte[] bomb = gzip(new byte[64 << 20]);
        assertThat(bomb.length).isLessThan(1 << 20);
        assertThat(CompressionCheck.decode(bomb, List.of("gzip"), false))
                .isEqualTo(new CompressionCheck.Decoded(CompressionCheck.MAX_DECODED, true));

        byte[] cut = Arrays.copyOf(gzip(text), 40);
        assertThatThrownBy(() -> CompressionCheck.decode(cut, List.of("gzip"), false)).hasMessageContaining("ends early");
        assertThat(CompressionCheck.decode(cut, List.of("gzip"), true).capped()).isTrue();
        assertThatThrownBy(() -> CompressionCheck.decode(text, List.of("gzip"), false)).isInstanceOf(IOException.class);

        for (boolean raw : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
                d.write(text);
            }
            assertThat(CompressionCheck.decode(out.toByteArray(), List.of("deflate"), false).size()).as("raw %s", raw).isEqualTo(text.length);
        }
        assertThat(CompressionCheck.textLike("application/vnd.api+json")).isTrue();
        assertThat(CompressionCheck.textLike("image/png")).isFalse();
    }

    @Test
    void parametersThatCannotWorkAreChecklistErrors() {
        String yaml = """
                airworthy: 1
                sections:
                  - title: S
                    items:
                      - { id: a, check: http.debug-off, with: { paths: [/ok, "/a b"] } }
                      - { id: b, check: http.info-leak, with: { path: "/x|y" } }
                      - { id: c, check: http.compression, with: { path: "/ok?q=%zz" } }
                      - { id: d, check: http.clock-skew, with: { max-skew: 0s } }
                      - { id: e, check: http.cache-static, with: { paths: ["/a b"] } }
                      - { id: f, check: http.compression, with: { min-size: -1 } }
                """;
        assertThat(Checklists.errorsOf(yaml)).containsExactly(
                "c.yml:5:41: item 'a': path '/a b' is not a valid URL path: Illegal character in path",
                "c.yml:6:41: item 'b': path '/x|y' is not a valid URL path: Illegal character in path",
                "c.yml:7:43: item 'c': path '/ok?q=%zz' is not a valid URL path: Malformed escape pair",
                "c.yml:8:42: item 'd': max-skew must be more than 0s",
                "c.yml:9:44: item 'e': path '/a b' is not a valid URL path: Illegal character in path",
                "c.yml:10:43: item 'f': min-size must be 0 or more bytes");
    }
}
