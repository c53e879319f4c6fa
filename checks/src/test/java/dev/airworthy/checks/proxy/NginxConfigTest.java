package dev.airworthy.checks.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.checks.proxy.NginxConfig.Directive;
import dev.airworthy.checks.proxy.NginxConfig.Loaded;
import dev.airworthy.checks.proxy.NginxConfig.SyntaxError;
import dev.airworthy.checks.repo.RepoTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxConfigTest {
    @TempDir
    Path repo;

    @Test
    void tokensFollowNginxRules() throws SyntaxError {
        List<Directive> top = NginxConfig.parse("""
                # a comment { with a brace
                log_format main '$remote_addr "$request" { not a block }';
                set $path "a\\"b\\\\c";
                return 200 foo#bar; # trailing comment
                location ~* \\.(css|js)$ {
                    rewrite ^/${name}/(.*)$ /$1 break;
                }
                """, "n.conf");
        assertThat(top).extracting(Directive::name).containsExactly("log_format", "set", "return", "location");
        assertThat(top.get(0).args()).containsExactly("main", "$remote_addr \"$request\" { not a block }");
        assertThat(top.get(1).args()).containsExactly("$path", "a\"b\\c");
        assertThat(top.get(2).args()).containsExactly("200", "foo#bar");
        Directive location = top.get(3);
        assertThat(location.args()).containsExactly("~*", "\\.(css|js)$");
        assertThat(location.line()).isEqualTo(5);
        assertThat(location.block().getFirst().args()).containsExactly("^/${name}/(.*)$", "/$1", "break");
        assertThat(location.block().getFirst().line()).isEqualTo(6);
        assertThat(location.block().getFirst().col()).isEqualTo(5);
    }

    @Test
    void luaBlocksAreSkippedNotParsed() throws SyntaxError {
        List<Directive> top = NginxConfig.parse("""
                content_by_lua_block {
                    local t = { a = "}", b = '{' } -- a comment with } and '
                    ngx.say(t.a)
                }
                server_tokens off;
                """, "n.conf");
        assertThat(top).extracting(Directive::name).containsExactly("content_by_lua_block", "server_tokens");
        assertThat(top.get(1).line()).isEqualTo(5);
    }

    @Test
    void syntaxErrorsNameFileLineAndColumn() {
        assertThatThrownBy(() -> NginxConfig.parse("http {\n  server {\n  }\n", "a.conf"))
                .hasMessage("a.conf:1:1: \"http\" block is never closed: unexpected end of file, expecting \"}\"");
        assertThatThrownBy(() -> NginxConfig.parse("events {}\n}\n", "a.conf"))
                .hasMessage("a.conf:2:1: unexpected \"}\": no block is open");
        assertThatThrownBy(() -> NginxConfig.parse("a b;\n;", "a.conf")).hasMessage("a.conf:2:1: unexpected \";\"");
        assertThatThrownBy(() -> NginxConfig.parse("{ }", "a.conf")).hasMessage("a.conf:1:1: unexpected \"{\"");
        assertThatThrownBy(() -> NginxConfig.parse("return 200 \"unterminated;\n", "a.conf"))
                .hasMessage("a.conf:1:12: unterminated double-quoted string");
        assertThatThrownBy(() -> NginxConfig.parse("listen 80", "a.conf"))
                .hasMessageStartingWith("a.conf:1:10: unexpected end of file, expecting \";\" or \"}\"");
    }

    @Test
    void deepNestingAndHugeDirectiveCountsStop() {
        assertThatThrownBy(() -> NginxConfig.parse("a {".repeat(100) + "}".repeat(100), "a.conf"))
                .hasMessageContaining("blocks nested deeper than 64");
        assertThatThrownBy(() -> NginxConfig.parse("a;".repeat(NginxConfig.MAX_DIRECTIVES + 1), "a.conf"))
                .hasMessageContaining("more than 200000 directives");
    }

    @Test
    void includesResolveInsideTheRepositoryWithLinesOfTheirOwnFiles() throws Exception {
        write("nginx/nginx.conf", """
                http {
                    include /etc/nginx/conf.d/*.conf;
                    include mime.types;
                    include ../../../etc/passwd;
                    include /etc/ssl/options.conf;
                }
                """);
        write("nginx/conf.d/b.conf", "server_tokens off;\n");
        write("nginx/conf.d/a.conf", "\n\nserver {\n    include snippets/proxy.conf;\n}\n");
        write("nginx/snippets/proxy.conf", "proxy_http_version 1.1;\n");
        Loaded loaded = load("nginx/nginx.conf");
        List<Directive> http = loaded.directives().getFirst().block();
        assertThat(http).extracting(Directive::name).containsExactly("server", "server_tokens");
        Directive server = http.getFirst();
        assertThat(server.where()).isEqualTo("nginx/conf.d/a.conf:3");
        assertThat(server.block().getFirst().where()).isEqualTo("nginx/snippets/proxy.conf:1");
        assertThat(loaded.files()).containsExactly("nginx/nginx.conf", "nginx/conf.d/a.conf", "nginx/snippets/proxy.conf",
                "nginx/conf.d/b.conf");
        assertThat(loaded.notes()).containsExactly(
                "include mime.types (nginx/nginx.conf:3): shipped with nginx, not in the repository",
                "include ../../../etc/passwd (nginx/nginx.conf:4): not found in the repository; what it sets is not judged",
                "include /etc/ssl/options.conf (nginx/nginx.conf:5): not found in the repository; what it sets is not judged");
    }

    @Test
    void aSnippetReadAloneIncludesFromTheDirectoryAboveConfD() throws Exception {
        write("nginx/conf.d/site.conf", "server { include snippets/ws.conf; }\n");
        write("nginx/snippets/ws.conf", "proxy_http_version 1.1;\n");
        assertThat(load("nginx/conf.d/site.conf").files()).containsExactly("nginx/conf.d/site.conf", "nginx/snippets/ws.conf");
    }

    @Test
    void includeCyclesAndDepthAreErrors() throws Exception {
        write("a.conf", "include b.conf;\n");
        write("b.conf", "\ninclude a.conf;\n");
        assertThatThrownBy(() -> load("a.conf")).hasMessage("b.conf:2:1: include cycle: a.conf -> b.conf -> a.conf");
        write("self.conf", "include *.conf;\n");
        assertThatThrownBy(() -> load("self.conf")).hasMessageContaining("include cycle");
        for (int i = 0; i < 20; i++) {
            write("d" + i + ".conf", "include d" + (i + 1) + ".conf;\n");
        }
        write("d20.conf", "server_tokens off;\n");
        assertThatThrownBy(() -> load("d0.conf")).hasMessageContaining("includes nested deeper than 16");
    }

    @Test
    void aFileIncludedOverAndOverStopsAtTheCaps() throws Exception {
        write("main.conf", "include part.conf;\n".repeat(300));
        write("part.conf", "server_tokens off;\n");
        assertThatThrownBy(() -> load("main.conf")).hasMessageContaining("exceed 256 files");
        Files.write(repo.resolve("big.conf"), new byte[(int) NginxConfig.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> load("big.conf")).hasMessageContaining("big.conf: larger than 1024 KiB");
    }

    @Test
    void blockDirectivesWithoutABlockAreSyntaxErrorsButMapEntriesAreData() throws SyntaxError {
        assertThatThrownBy(() -> NginxConfig.parse("location / {\n  if ($a); root /x;\n}\n", "n.conf"))
                .hasMessage("n.conf:2:3: directive \"if\" has no opening \"{\"");
        assertThat(NginxConfig.parse("map $uri $x { location 1; if 2; }", "n.conf").getFirst().block()).hasSize(2);
    }

    @Test
    void symbolicLinksToFilesInTheRepositoryAreFollowedOthersNoted(@TempDir Path elsewhere) throws Exception {
        write("nginx.conf", "http { include /etc/nginx/sites-enabled/*; }\n");
        write("sites-available/site", "server { listen 80; }\n");
        Files.createDirectories(repo.resolve("sites-enabled"));
        Files.createSymbolicLink(repo.resolve("sites-enabled/site"), Path.of("../sites-available/site"));
        Path outside = Files.writeString(elsewhere.resolve("outside.conf"), "server { listen 81; }\n");
        Files.createSymbolicLink(repo.resolve("sites-enabled/outside"), outside);
        Files.createSymbolicLink(repo.resolve("sites-enabled/dangling"), Path.of("../nothing"));
        List<String> files = RepoTree.walk(repo).files().stream().map(RepoTree.RepoFile::path).toList();
        assertThat(files).containsExactly("nginx.conf", "sites-available/site");
        Loaded l = NginxConfig.load(repo, files, "nginx.conf");
        assertThat(l.files()).containsExactly("nginx.conf", "sites-enabled/site");
        assertThat(l.directives().getFirst().block()).extracting(Directive::name).containsExactly("server");
        assertThat(l.notes()).contains(
                "include /etc/nginx/sites-enabled/* (nginx.conf:1): sites-enabled/site is a symbolic link to sites-available/site, followed",
                "include /etc/nginx/sites-enabled/* (nginx.conf:1): sites-enabled/outside is a symbolic link that does not lead to a "
                        + "file in the repository; not followed",
                "include /etc/nginx/sites-enabled/* (nginx.conf:1): sites-enabled/dangling is a symbolic link that does not lead to "
                        + "a file in the repository; not followed");
        assertThat(l.missing()).isEmpty();
    }

    private Loaded load(String main) throws SyntaxError, IOException {
        List<String> files;
        try (Stream<Path> s = Files.walk(repo)) {
            files = s.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        return NginxConfig.load(repo, files, main);
    }

    private void write(String path, String text) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
