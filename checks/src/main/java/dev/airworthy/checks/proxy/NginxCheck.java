package dev.airworthy.checks.proxy;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.proxy.NginxConfig.Directive;
import dev.airworthy.checks.proxy.NginxConfig.Loaded;
import dev.airworthy.checks.repo.RepoTree;
import dev.airworthy.checks.repo.RepoTree.RepoFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

@AutoService(Check.class)
@CheckInfo(
        id = "proxy.nginx",
        title = "nginx reverse proxy hardening",
        category = Category.CONFIGURATION,
        severity = Severity.HIGH,
        summary = """
                Reads the repository's nginx configuration as nginx does (blocks, quoted strings, \
                `include` with globs, directives inherited http → server → location, `proxy_set_header` \
                inherited only by levels that set none) and judges every HTTP `server` block. Findings \
                point at the directive, or, when a directive is missing, at the `http` block (at the \
                `server` block when the repository holds no http block):

                - `proxy.nginx.no-tls`: no server listens with TLS (`listen ... ssl` or `quic`).
                - `proxy.nginx.no-https-redirect`: a server on plain port 80 (or without `listen`) does \
                not send every request to `https://` with `return 301` (or 302, 303, 307, 308) or a \
                `rewrite` whose regex matches every path (`^`, `^/`, `.*`, `^(.*)$`, `^/(.*)$`; not \
                `^/$` or `^/(.+)$`): at server level, in an `if` whose condition holds for plain HTTP \
                (`$scheme = http`, `$scheme != https`, the same on `$http_x_forwarded_proto`, `$https \
                != on`, `$server_port = 80`), or in every location including a `location /`. A \
                `rewrite ... last` or `break` (or a `break`) written before the server's `return` \
                lets the requests it takes be served. ACME challenge locations and locations that only \
                `return` a status or deny every request are exempt; a server that only returns a \
                status (a `return 444` catch-all) serves nothing, and one listening on loopback only is \
                not reachable from outside. A server-level `deny all` serves nothing only where no \
                location sets its own `allow`/`deny` (nginx does not inherit those into a level that \
                sets any) and `satisfy any` does not let authenticated requests through.
                - `proxy.nginx.plain-listener` (warns): a server that serves content (`proxy_pass`, \
                `root`, ...) listens on plain HTTP on a port other than 80, reachable from outside, \
                while other servers use TLS.
                - `proxy.nginx.no-body-limit`: `client_max_body_size 0` (unlimited) fails where it \
                applies (the value in effect in each server and location: an http-level 0 every server \
                overrides is fine); no `client_max_body_size` for a server warns (nginx's default of \
                1m applies, but nobody chose it).
                - `proxy.nginx.server-tokens`: `server_tokens` is not `off` (any case) for every server \
                and location.
                - `proxy.nginx.no-rate-limit`: there is no `limit_req_zone`, a server that serves \
                content (loopback-only servers aside) applies no `limit_req` anywhere, a `limit_req` \
                names a zone nothing defines, or `limit_req_dry_run on` applies (over-limit requests \
                are only counted).
                - `proxy.nginx.include-not-found` (warns): an `include` names a file that is neither in \
                the repository nor shipped with nginx (`mime.types`, `fastcgi_params`, ...), so the \
                verdict may miss what it sets.
                - `proxy.nginx.websocket-headers`: a proxied location that looks like WebSocket (a path \
                word such as ws, socket, websocket, cable or hub, or an Upgrade or Connection header set) \
                lacks `proxy_http_version 1.1`, `proxy_set_header Upgrade $http_upgrade` or \
                `proxy_set_header Connection` with an upgrade value. Fails where the location sets (or \
                lost) upgrade headers or sets `proxy_http_version 1.0`; warns where only the path \
                suggests WebSocket, or only `proxy_http_version` is missing (1.1 is the default from \
                nginx 1.29.7 on).

                Without `file`, every `nginx.conf` in the repository is read, with files in `conf.d/`, \
                `http.d/`, `sites-enabled/` and directories named for nginx, and `*.conf.template` files, \
                that look like nginx configuration and are not included by another; such snippets in one \
                directory are judged together, as the http context they are included into. An include \
                is looked up in the repository (an absolute `/etc/nginx/...` path below the main file's \
                directory, or next to it when the repository keeps it flat); a symbolic link it names \
                (`sites-enabled/site -> ../sites-available/site`) is followed when it leads to a file \
                in the repository, with a note either way. A configuration nginx would refuse \
                (unbalanced braces, an include cycle, an `if` or `location` without a block) is an \
                error with its file, line and column. When no server block is left to judge, the item \
                is skipped with the notes that say why (an include that matched nothing).""",
        rationale = """
                The reverse proxy is what the internet talks to. Without TLS and a redirect, logins \
                and cookies cross networks in clear text. An unlimited body size lets one client fill \
                the disk or memory of the proxy and the application behind it; without rate limits, \
                one script can take the service down or brute-force its logins. `server_tokens on` \
                tells every scanner which nginx version to look up CVEs for. A WebSocket location \
                without the upgrade headers works on a developer's machine and fails behind the proxy.""",
        remediation = """
                ```nginx
                http {
                    server_tokens off;
                    client_max_body_size 10m;
                    limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;

                    server {
                        listen 80;
                        server_name example.com;
                        location /.well-known/acme-challenge/ { root /var/www/certbot; }
                        location / { return 301 https://$host$request_uri; }
                    }
                    server {
                        listen 443 ssl;
                        server_name example.com;
                        limit_req zone=api burst=20 nodelay;
                        location /ws/ {
                            proxy_pass http://app;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection "upgrade";
                        }
                    }
                }
                ```

                When TLS ends at a load balancer in front of nginx, redirect on \
                `$http_x_forwarded_proto` and waive `proxy.nginx.no-tls` with that reason. Point \
                `file` at the edge proxy's configuration when the repository also holds nginx \
                configurations of internal services (a static file server behind the edge).""",
        example = """
                - id: nginx
                  title: nginx is hardened
                  check: proxy.nginx
                  with: { file: deploy/nginx/nginx.conf }""",
        references = {"https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size",
            "https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens",
            "https://nginx.org/en/docs/http/ngx_http_limit_req_module.html",
            "https://nginx.org/en/docs/http/websocket.html",
            "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
            "https://ssl-config.mozilla.org/"},
        params = {
            @Param(name = "file", type = ParamType.STRING_LIST, description = "The main nginx configuration file, or a "
                    + "list of them (paths or globs relative to the repository root). Default: discovered as described above.")
        })
public final class NginxCheck implements Check {
    private static final Set<String> REDIRECT_CODES = Set.of("301", "302", "303", "307", "308");
    private static final Set<String> CONTENT_DIRECTIVES = Set.of("proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass",
            "memcached_pass", "root", "alias");
    private static final Set<String> WEBSOCKET_WORDS = Set.of("ws", "wss", "socket", "sockets", "websocket", "websockets",
            "cable", "hub", "hubs", "signalr", "sockjs");

    /** What a server does with the requests it gets. */
    private enum Disposition {
        /** Every request is redirected to https. */
        REDIRECTS,
        /** Plain-HTTP requests are redirected (an if on $scheme); the rest is served. */
        REDIRECTS_PLAIN,
        /** Every request gets a bare status (return 444, deny all): nothing to protect. */
        SERVES_NOTHING,
        SERVES
    }

    /** One nginx instance: a main file with its http context, or snippets of one directory judged together. */
    private record Instance(String label, Directive http, NginxScope httpScope, List<String> files, List<Directive> missing) {
        List<NginxScope> servers() {
            return httpScope.children("server");
        }

        /** Where a missing directive is reported: the http block when the repository has one, else the server. */
        Directive missingAt(NginxScope server) {
            return http != null ? http : server.block();
        }
    }

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        RepoTree tree = RepoTree.of(ctx);
        Outcome out = new Outcome();
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> explicit = ctx.params().list("file");
        List<RepoFile> roots = explicit.isEmpty() ? discover(tree) : selected(tree, explicit, errors);
        if (roots.isEmpty() && errors.isEmpty()) {
            throw new NotApplicable("no nginx configuration in the repository (nginx.conf, conf.d/*.conf, sites-enabled/*)");
        }
        List<String> repoFiles = tree.files().stream().map(RepoFile::path).toList();
        Map<String, Loaded> loaded = new LinkedHashMap<>();
        // Main files first: the snippets they include are then read in context. One error is enough to report.
        List<RepoFile> ordered = new ArrayList<>(roots.stream().filter(f -> f.name().equals("nginx.conf")).toList());
        roots.stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
        for (RepoFile root : ordered) {
            if (isTemplated(root)) {
                notes.add(root.path() + ": templated with {{ }} or {% %}, not judged: render it first");
                continue;
            }
            try {
                loaded.put(root.path(), NginxConfig.load(tree.root(), repoFiles, root.path()));
            } catch (NginxConfig.SyntaxError e) {
                errors.add(e.getMessage());
                break;
            }
        }
        if (!errors.isEmpty()) {
            // A configuration nginx would refuse is not judged in part: its snippets would be judged out of context.
            notes.forEach(out::evidence);
            return out.error(String.join("; ", errors));
        }
        List<Instance> instances = instances(loaded, notes);
        Set<String> read = new LinkedHashSet<>();
        instances.forEach(i -> read.addAll(i.files()));
        if (!read.isEmpty()) {
            out.evidence("read " + String.join(", ", read));
        }
        int servers = 0;
        Set<String> seen = new HashSet<>();
        for (Instance instance : instances) {
            for (NginxScope server : instance.servers()) {
                out.evidence(describe(server));
                servers++;
            }
            judge(instance, out, seen);
        }
        new LinkedHashSet<>(notes).forEach(out::evidence);
        if (servers == 0) {
            // The notes say why: an include that matched nothing, a link not followed, a template not rendered.
            List<String> parts = new ArrayList<>();
            parts.add(loaded.isEmpty() ? "no nginx configuration judged as written"
                    : "no HTTP server block in the nginx configuration (" + String.join(", ", loaded.keySet()) + ")");
            parts.addAll(new LinkedHashSet<>(notes));
            throw new NotApplicable(String.join("; ", parts));
        }
        return out.result(servers + " server" + (servers == 1 ? "" : "s") + ": TLS, redirect to HTTPS, body limit, "
                + "server_tokens off, rate limiting and WebSocket headers in place");
    }

    private static void judge(Instance instance, Outcome out, Set<String> seen) {
        List<NginxScope> servers = instance.servers();
        if (servers.isEmpty()) {
            return;
        }
        for (Directive include : instance.missing()) {
            add(out, seen, Finding.warn("proxy.nginx.include-not-found", "include " + include.arg(0)
                    + " is not in the repository: what it sets is not judged"), include);
        }
        if (servers.stream().noneMatch(NginxCheck::isTls)) {
            add(out, seen, Finding.fail("proxy.nginx.no-tls", "no server in " + instance.label()
                    + " listens with TLS (listen 443 ssl)"), instance.missingAt(servers.getFirst()));
        }
        List<Directive> zones = instance.httpScope().ownAll("limit_req_zone");
        if (zones.isEmpty()) {
            add(out, seen, Finding.fail("proxy.nginx.no-rate-limit", "no limit_req_zone in " + instance.label()
                    + ": nothing is rate limited"), instance.missingAt(servers.getFirst()));
        }
        Set<String> zoneNames = new HashSet<>();
        zones.forEach(z -> zoneName(z).ifPresent(zoneNames::add));
        boolean anyTls = servers.stream().anyMatch(NginxCheck::isTls);
        for (NginxScope server : servers) {
            String name = serverName(server);
            Disposition disposition = disposition(server);
            boolean local = loopbackOnly(server);
            if (listensPlain80(server) && !local && disposition == Disposition.SERVES) {
                add(out, seen, Finding.fail("proxy.nginx.no-https-redirect", "server " + name + " answers plain HTTP on port 80 "
                        + "without redirecting to https" + unredirected(server)), server.block());
            }
            if (anyTls && disposition == Disposition.SERVES && servesContent(server)) {
                plainListeners(server, name, out, seen);
            }
            bodyLimit(instance, server, name, out, seen);
            serverTokens(instance, server, name, out, seen);
            if (!zones.isEmpty() && !local && (disposition == Disposition.SERVES || disposition == Disposition.REDIRECTS_PLAIN)) {
                rateLimit(server, name, zoneNames, out, seen);
            }
            for (NginxScope location : server.allLocations()) {
                websocket(location, name, out, seen);
            }
        }
    }

    /** Judged by what applies where requests land: the server's own value and each location's, inherited as nginx does. */
    private static void bodyLimit(Instance instance, NginxScope server, String name, Outcome out, Set<String> seen) {
        List<Directive> effective = effectiveAll(server, "client_max_body_size");
        for (Directive d : effective) {
            if (d.arg(0).matches("0+[kKmMgG]?")) {
                add(out, seen, Finding.fail("proxy.nginx.no-body-limit", "client_max_body_size 0 lifts the request body limit "
                        + "(server " + name + ")"), d);
            }
        }
        if (effective.isEmpty()) {
            add(out, seen, Finding.warn("proxy.nginx.no-body-limit", "client_max_body_size is not set for server " + name
                    + ": nginx's default of 1m applies; set the limit the application expects"), instance.missingAt(server));
        }
    }

    private static void serverTokens(Instance instance, NginxScope server, String name, Outcome out, Set<String> seen) {
        for (Directive d : effectiveAll(server, "server_tokens")) {
            // nginx reads on/off flags without regard to case.
            if (!d.arg(0).equalsIgnoreCase("off")) {
                add(out, seen, Finding.fail("proxy.nginx.server-tokens", "server_tokens " + d.arg(0)
                        + " reveals the nginx version"), d);
            }
        }
        if (server.effective("server_tokens").isEmpty()) {
            add(out, seen, Finding.fail("proxy.nginx.server-tokens", "server_tokens is not off for server " + name
                    + ": nginx shows its version in the Server header and error pages"), instance.missingAt(server));
        }
    }

    /** The directive that applies in the server and in each of its locations (the nearest level's), each once. */
    private static List<Directive> effectiveAll(NginxScope server, String name) {
        return server.withLocations().stream().map(s -> s.effective(name)).flatMap(Optional::stream).distinct().toList();
    }

    /**
     * Plain-HTTP listeners on ports other than 80 (those are judged for the redirect) of a server that
     * serves content while other servers use TLS: traffic there is not encrypted. Loopback addresses
     * are not reachable from outside.
     */
    private static void plainListeners(NginxScope server, String name, Outcome out, Set<String> seen) {
        if (server.own("ssl").map(d -> d.arg(0).equalsIgnoreCase("on")).orElse(false)) {
            // The old "ssl on" makes every listen of the server TLS.
            return;
        }
        for (Directive listen : server.ownAll("listen")) {
            String address = listen.arg(0);
            if (!listen.args().contains("ssl") && !listen.args().contains("quic") && !port(address).equals("80") && !isLoopback(address)) {
                add(out, seen, Finding.warn("proxy.nginx.plain-listener", "server " + name + " serves content on plain HTTP ("
                        + "listen " + address + ") while other servers use TLS: traffic to it is not encrypted"), listen);
            }
        }
    }

    /** Whether the server or one of its locations hands requests to content: a proxy, a FastCGI/uWSGI/gRPC backend, files. */
    private static boolean servesContent(NginxScope server) {
        return server.withLocations().stream().anyMatch(s -> CONTENT_DIRECTIVES.stream().anyMatch(d -> s.own(d).isPresent()))
                || server.effective("root").isPresent();
    }

    private static void rateLimit(NginxScope server, String name, Set<String> zoneNames, Outcome out, Set<String> seen) {
        List<Directive> applied = new ArrayList<>();
        for (NginxScope s = server.parent(); s != null; s = s.parent()) {
            applied.addAll(s.ownAll("limit_req"));
        }
        server.withLocations().forEach(s -> applied.addAll(s.ownAll("limit_req")));
        boolean any = false;
        for (Directive d : applied) {
            Optional<String> zone = d.args().stream().filter(a -> a.startsWith("zone=")).map(a -> a.substring(5)).findFirst();
            if (zone.isPresent() && zoneNames.contains(zone.get())) {
                any = true;
            } else {
                add(out, seen, Finding.fail("proxy.nginx.no-rate-limit", "limit_req names zone " + zone.orElse("(none)")
                        + ", which no limit_req_zone defines (nginx refuses to start)"), d);
            }
        }
        if (!any && applied.isEmpty()) {
            add(out, seen, Finding.fail("proxy.nginx.no-rate-limit", "server " + name + " applies no limit_req"), server.block());
        }
        for (Directive dryRun : effectiveAll(server, "limit_req_dry_run")) {
            if (dryRun.arg(0).equalsIgnoreCase("on")) {
                add(out, seen, Finding.fail("proxy.nginx.no-rate-limit", "limit_req_dry_run on: requests over the rate limit "
                        + "are only counted, not rejected (server " + name + ")"), dryRun);
            }
        }
    }

    private static void websocket(NginxScope location, String server, Outcome out, Set<String> seen) {
        boolean proxied = location.own("proxy_pass").isPresent()
                || location.ownAll("if").stream().anyMatch(i -> i.block().stream().anyMatch(d -> d.name().equals("proxy_pass")));
        if (!proxied) {
            return;
        }
        Map<String, Directive> headers = new LinkedHashMap<>();
        for (Directive d : location.nearestAll("proxy_set_header")) {
            headers.putIfAbsent(d.arg(0).toLowerCase(Locale.ROOT), d);
        }
        Directive upgrade = headers.get("upgrade");
        Directive connection = headers.get("connection");
        boolean upgradeConnection = connection != null && (connection.arg(1).toLowerCase(Locale.ROOT).contains("upgrade")
                || connection.arg(1).startsWith("$"));
        boolean intent = upgrade != null || upgradeConnection;
        String path = location.block().args().isEmpty() ? "" : location.block().args().getLast();
        if (!intent && !looksLikeWebSocket(path)) {
            return;
        }
        // A WebSocket-looking location that lost the Upgrade header an outer level sets was meant to upgrade.
        boolean lost = !intent && outerSets(location, "upgrade");
        List<String> problems = new ArrayList<>();
        boolean hard = false;
        Optional<Directive> version = location.effective("proxy_http_version");
        if (version.isPresent() && !version.get().arg(0).equals("1.1")) {
            problems.add("proxy_http_version " + version.get().arg(0) + " (line " + version.get().line() + ") cannot upgrade");
            hard = true;
        }
        if (upgrade == null) {
            problems.add("no proxy_set_header Upgrade $http_upgrade" + replacedHeaders(location, "upgrade"));
            hard = true;
        }
        if (!upgradeConnection) {
            problems.add(connection == null ? "no proxy_set_header Connection \"upgrade\"" + replacedHeaders(location, "connection")
                    : "Connection is set to \"" + connection.arg(1) + "\" (line " + connection.line() + "), not upgrade");
            hard = true;
        }
        if (version.isEmpty()) {
            problems.add("no proxy_http_version 1.1 (nginx before 1.29.7 proxies with HTTP/1.0, which cannot upgrade)");
        }
        if (problems.isEmpty()) {
            return;
        }
        boolean fail = hard && (intent || lost || version.map(v -> !v.arg(0).equals("1.1")).orElse(false));
        String what = "location " + path + " of server " + server + (intent || lost ? " proxies WebSocket upgrades" : " looks like WebSocket")
                + " but has " + String.join("; ", problems);
        add(out, seen, fail ? Finding.fail("proxy.nginx.websocket-headers", what)
                : Finding.warn("proxy.nginx.websocket-headers", what), location.block());
    }

    private static boolean outerSets(NginxScope location, String header) {
        for (NginxScope s = location.parent(); s != null; s = s.parent()) {
            if (s.ownAll("proxy_set_header").stream().anyMatch(d -> d.arg(0).equalsIgnoreCase(header))) {
                return true;
            }
        }
        return false;
    }

    /** When this location sets its own proxy_set_header, the headers of outer levels do not apply: say so. */
    private static String replacedHeaders(NginxScope location, String header) {
        if (location.ownAll("proxy_set_header").isEmpty()) {
            return "";
        }
        for (NginxScope s = location.parent(); s != null; s = s.parent()) {
            for (Directive d : s.ownAll("proxy_set_header")) {
                if (d.arg(0).equalsIgnoreCase(header)) {
                    return " (the one at line " + d.line() + " is not inherited: this location sets proxy_set_header itself)";
                }
            }
        }
        return "";
    }

    static boolean looksLikeWebSocket(String path) {
        for (String word : path.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (WEBSOCKET_WORDS.contains(word) || word.endsWith("socket") || (word.endsWith("hub") && !word.equals("github"))) {
                return true;
            }
        }
        return false;
    }

    private static Disposition disposition(NginxScope server) {
        Disposition own = rewritePhase(server);
        if (own != Disposition.SERVES) {
            return own;
        }
        List<NginxScope> locations = server.allLocations().stream()
                .filter(l -> !l.block().arg(0).startsWith("@") && !isAcme(l)).toList();
        // Requests no location matches are served at server level, under the server's access rules.
        if (locations.stream().noneMatch(NginxCheck::isCatchAll) && !deniesAll(server)) {
            return Disposition.SERVES;
        }
        boolean conditional = false;
        boolean redirects = false;
        for (NginxScope l : locations) {
            Disposition d = locationDisposition(l);
            if (d == Disposition.SERVES) {
                return Disposition.SERVES;
            }
            conditional |= d == Disposition.REDIRECTS_PLAIN;
            redirects |= d != Disposition.SERVES_NOTHING;
        }
        return conditional ? Disposition.REDIRECTS_PLAIN : redirects ? Disposition.REDIRECTS : Disposition.SERVES_NOTHING;
    }

    /** A location's own rewrite phase, then its access rules (its own, else the nearest level's that has any). */
    private static Disposition locationDisposition(NginxScope location) {
        Disposition d = rewritePhase(location);
        return d == Disposition.SERVES && deniesAll(location) ? Disposition.SERVES_NOTHING : d;
    }

    /**
     * What a context's own return/rewrite/if directives, in order, do with every request reaching it.
     * A rewrite that does not redirect and ends the rewrite phase ({@code last}, {@code break}) lets the
     * requests it matches escape a {@code return} written after it: some requests are then served.
     */
    private static Disposition rewritePhase(NginxScope scope) {
        for (Directive d : scope.directives()) {
            switch (d.name()) {
                case "return" -> {
                    return httpsRedirect(d) ? Disposition.REDIRECTS : redirectCode(d) ? Disposition.SERVES : Disposition.SERVES_NOTHING;
                }
                case "rewrite" -> {
                    if (d.arg(1).startsWith("https://")) {
                        if (matchesEveryPath(d.arg(0))) {
                            return Disposition.REDIRECTS;
                        }
                    } else if (endsRewritePhase(d)) {
                        return Disposition.SERVES;
                    }
                }
                case "if" -> {
                    boolean redirects = d.block().stream().anyMatch(x -> httpsRedirect(x)
                            || (x.name().equals("rewrite") && x.arg(1).startsWith("https://")));
                    if (redirects && onPlainHttp(d)) {
                        return Disposition.REDIRECTS_PLAIN;
                    }
                    if (d.block().stream().anyMatch(NginxCheck::endsRewritePhase)) {
                        return Disposition.SERVES;
                    }
                }
                case "break" -> {
                    return Disposition.SERVES;
                }
                default -> {
                }
            }
        }
        return Disposition.SERVES;
    }

    /**
     * A directive after which the rewrite phase does not go on to a later {@code return} for the requests
     * it takes, and which does not send them to https: {@code break}, a rewrite with {@code last} or
     * {@code break}, or one redirecting to plain http. A rewrite without a flag goes on to the next directive.
     */
    private static boolean endsRewritePhase(Directive d) {
        if (d.name().equals("break")) {
            return true;
        }
        String target = d.arg(1);
        return d.name().equals("rewrite") && !target.startsWith("https://")
                && (target.startsWith("http://") || target.startsWith("$scheme") || d.arg(2).equals("last") || d.arg(2).equals("break"));
    }

    /**
     * Whether a scope denies every request: the access rules that apply (its own {@code allow}/{@code deny},
     * else the nearest enclosing level's, as nginx inherits them) reach {@code deny all} before any
     * {@code allow}, and {@code satisfy any} does not let an authenticated request through instead.
     */
    static boolean deniesAll(NginxScope scope) {
        for (NginxScope s = scope; s != null; s = s.parent()) {
            List<Directive> allow = s.ownAll("allow");
            List<Directive> deny = s.ownAll("deny");
            if (allow.isEmpty() && deny.isEmpty()) {
                continue;
            }
            // Rules apply in order, the first match wins: all is denied when a "deny all" comes before any allow.
            Optional<Directive> denyAll = deny.stream().filter(d -> d.arg(0).equals("all")).findFirst();
            boolean denied = denyAll.isPresent() && (allow.isEmpty() || before(denyAll.get(), allow.getFirst()));
            return denied && !scope.effective("satisfy").map(d -> d.arg(0).equalsIgnoreCase("any")).orElse(false);
        }
        return false;
    }

    /** Whether {@code a} is written before {@code b}; from different files (an include) the order is not known here: false. */
    private static boolean before(Directive a, Directive b) {
        if (!a.file().equals(b.file())) {
            return false;
        }
        return a.line() < b.line() || (a.line() == b.line() && a.col() < b.col());
    }

    /**
     * Whether an {@code if} condition holds for plain-HTTP requests and not for https ones:
     * {@code $scheme = http}, {@code $scheme != https}, the same on {@code $http_x_forwarded_proto},
     * {@code $https != on} or {@code = ""}, {@code $server_port = 80} or {@code != 443}, and regex
     * matches ({@code ~}, {@code !~}) that tell http from https.
     */
    static boolean onPlainHttp(Directive ifDirective) {
        String condition = String.join(" ", ifDirective.args()).strip();
        if (condition.startsWith("(") && condition.endsWith(")")) {
            condition = condition.substring(1, condition.length() - 1).strip();
        }
        String[] parts = condition.split("\\s+", 3);
        if (parts.length < 2) {
            return false;
        }
        String variable = parts[0];
        String op = parts[1];
        String value = parts.length == 3 ? unquote(parts[2]) : "";
        String plain;
        String secure;
        switch (variable) {
            case "$scheme", "$http_x_forwarded_proto" -> {
                plain = "http";
                secure = "https";
            }
            case "$https" -> {
                plain = "";
                secure = "on";
            }
            case "$server_port" -> {
                plain = "80";
                secure = "443";
            }
            default -> {
                return false;
            }
        }
        return holds(op, value, plain) && !holds(op, value, secure);
    }

    /** An nginx if comparison on a value; a regex nginx would refuse never holds. */
    private static boolean holds(String op, String operand, String value) {
        try {
            return switch (op) {
                case "=" -> value.equals(operand);
                case "!=" -> !value.equals(operand);
                case "~" -> Pattern.compile(operand).matcher(value).find();
                case "~*" -> Pattern.compile(operand, Pattern.CASE_INSENSITIVE).matcher(value).find();
                case "!~" -> !Pattern.compile(operand).matcher(value).find();
                case "!~*" -> !Pattern.compile(operand, Pattern.CASE_INSENSITIVE).matcher(value).find();
                default -> false;
            };
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static String unquote(String s) {
        boolean quoted = s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0);
        return quoted ? s.substring(1, s.length() - 1) : s;
    }

    /**
     * Whether a rewrite or location regex matches every request path (every one starts with {@code /}):
     * {@code ^}, {@code ^/}, {@code .*}, {@code ^(.*)$}, {@code ^/(.*)$}, {@code ^.+}; not {@code ^/$}
     * or {@code ^/(.+)$}, which miss {@code /} or everything but it.
     */
    static boolean matchesEveryPath(String regex) {
        String r = regex;
        if (r.startsWith("^")) {
            r = r.substring(1);
        }
        boolean slash = r.startsWith("/");
        if (slash) {
            r = r.substring(1);
            // "/?" makes the slash optional.
            if (r.startsWith("?")) {
                r = r.substring(1);
                slash = false;
            }
        }
        boolean end = r.endsWith("$") && !r.endsWith("\\$");
        if (end) {
            r = r.substring(0, r.length() - 1);
        }
        if (r.startsWith("(?:") && r.endsWith(")")) {
            r = r.substring(3, r.length() - 1);
        } else if (r.startsWith("(") && r.endsWith(")")) {
            r = r.substring(1, r.length() - 1);
        }
        return switch (r) {
            case "" -> !end;
            case ".*", ".*?" -> true;
            case ".+", ".+?" -> !slash;
            default -> false;
        };
    }

    /** {@code return 301 https://...}, or {@code return https://...} (a 302). */
    private static boolean httpsRedirect(Directive d) {
        if (!d.name().equals("return")) {
            return false;
        }
        if (d.args().size() == 1) {
            return d.arg(0).startsWith("https://");
        }
        return REDIRECT_CODES.contains(d.arg(0)) && d.arg(1).startsWith("https://");
    }

    /** A redirect, but not to https (e.g. {@code return 301 http://...} or {@code $scheme://}). */
    private static boolean redirectCode(Directive d) {
        return REDIRECT_CODES.contains(d.arg(0)) || (d.args().size() == 1 && d.arg(0).contains("://"));
    }

    private static boolean isAcme(NginxScope location) {
        return location.block().args().stream().anyMatch(a -> a.contains(".well-known/acme-challenge"));
    }

    /** A location every request falls into when no other matches: {@code location /}, or a regex matching anything. */
    private static boolean isCatchAll(NginxScope location) {
        List<String> args = location.block().args();
        if (args.size() == 1) {
            return args.getFirst().equals("/");
        }
        if (args.size() == 2 && args.getFirst().equals("^~")) {
            return args.get(1).equals("/");
        }
        return args.size() == 2 && (args.getFirst().equals("~") || args.getFirst().equals("~*"))
                && matchesEveryPath(args.get(1));
    }

    /** The locations of a port-80 server that serve content, for the finding's message. */
    private static String unredirected(NginxScope server) {
        List<String> serving = server.allLocations().stream()
                .filter(l -> !l.block().arg(0).startsWith("@") && !isAcme(l) && locationDisposition(l) == Disposition.SERVES)
                .map(l -> String.join(" ", l.block().args())).toList();
        if (server.allLocations().isEmpty()) {
            return "";
        }
        if (serving.isEmpty()) {
            return ": requests outside its locations are served by default";
        }
        return ": location " + String.join(", ", serving.subList(0, Math.min(3, serving.size())))
                + (serving.size() > 3 ? " and " + (serving.size() - 3) + " more" : "") + " serve" + (serving.size() == 1 ? "s" : "")
                + " content";
    }

    static boolean isTls(NginxScope server) {
        boolean listen = server.ownAll("listen").stream().anyMatch(l -> l.args().contains("ssl") || l.args().contains("quic"));
        return listen || server.own("ssl").map(d -> d.arg(0).equals("on")).orElse(false);
    }

    /** Listens on port 80 without TLS, or has no listen at all (nginx then listens on *:80). */
    static boolean listensPlain80(NginxScope server) {
        List<Directive> listens = server.ownAll("listen");
        if (listens.isEmpty()) {
            return true;
        }
        return listens.stream().anyMatch(l -> !l.args().contains("ssl") && !l.args().contains("quic") && port(l.arg(0)).equals("80"));
    }

    /** Listens only on loopback addresses (a status page for local scrapers): not reachable from outside. */
    static boolean loopbackOnly(NginxScope server) {
        List<Directive> listens = server.ownAll("listen");
        return !listens.isEmpty() && listens.stream().map(l -> l.arg(0)).allMatch(NginxCheck::isLoopback);
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.startsWith("[::1]") || address.equals("localhost")
                || address.startsWith("localhost:") || address.startsWith("unix:");
    }

    /** The port of a listen address: {@code 80}, {@code *:80}, {@code [::]:80}, {@code 127.0.0.1} (80). */
    static String port(String address) {
        if (address.startsWith("unix:")) {
            return "";
        }
        if (address.startsWith("[")) {
            int end = address.indexOf("]:");
            return end < 0 ? "80" : address.substring(end + 2);
        }
        int colon = address.lastIndexOf(':');
        if (colon >= 0) {
            return address.substring(colon + 1);
        }
        return address.chars().allMatch(Character::isDigit) ? address : "80";
    }

    private static Optional<String> zoneName(Directive zone) {
        return zone.args().stream().filter(a -> a.startsWith("zone=")).map(a -> a.substring(5))
                .map(z -> z.contains(":") ? z.substring(0, z.indexOf(':')) : z).findFirst();
    }

    private static String serverName(NginxScope server) {
        List<String> names = server.own("server_name").map(Directive::args).orElse(List.of());
        return names.isEmpty() ? "at " + server.block().where() : String.join(" ", names);
    }

    private static String describe(NginxScope server) {
        List<String> listens = server.ownAll("listen").stream().map(l -> "listen " + String.join(" ", l.args())).toList();
        return server.block().where() + ": server " + server.own("server_name").map(d -> String.join(" ", d.args())).orElse("(no server_name)")
                + " (" + (listens.isEmpty() ? "no listen: *:80" : String.join("; ", listens)) + ")";
    }

    private static void add(Outcome out, Set<String> seen, Finding f, Directive at) {
        if (seen.add(f.rule() + "@" + at.where())) {
            out.finding(f.at(at.file(), at.line()));
        }
    }

    /** Main files with an http context are instances of their own; other roots are grouped by directory. */
    private static List<Instance> instances(Map<String, Loaded> loaded, List<String> notes) {
        Set<String> included = new HashSet<>();
        loaded.values().forEach(l -> l.files().stream().filter(f -> !f.equals(l.main())).forEach(included::add));
        List<Instance> out = new ArrayList<>();
        Map<String, List<Loaded>> snippetsByDir = new LinkedHashMap<>();
        for (Loaded l : loaded.values()) {
            if (included.contains(l.main())) {
                continue;
            }
            notes.addAll(l.notes());
            Optional<Directive> http = l.directives().stream().filter(d -> d.name().equals("http") && d.isBlock()).findFirst();
            if (http.isPresent()) {
                out.add(new Instance(l.main(), http.get(), new NginxScope(http.get(), http.get().block(), null), l.files(), l.missing()));
            } else if (l.directives().stream().anyMatch(d -> d.name().equals("events"))) {
                notes.add(l.main() + ": no http block");
            } else {
                int slash = l.main().lastIndexOf('/');
                snippetsByDir.computeIfAbsent(slash < 0 ? "" : l.main().substring(0, slash), k -> new ArrayList<>()).add(l);
            }
        }
        for (var e : snippetsByDir.entrySet()) {
            List<Directive> all = new ArrayList<>();
            List<String> files = new ArrayList<>();
            List<Directive> missing = new ArrayList<>();
            e.getValue().forEach(l -> {
                all.addAll(l.directives());
                files.addAll(l.files());
                missing.addAll(l.missing());
            });
            String label = e.getValue().size() == 1 ? e.getValue().getFirst().main() : (e.getKey().isEmpty() ? "." : e.getKey()) + "/";
            out.add(new Instance(label, null, new NginxScope(null, all, null), files, missing));
        }
        return out;
    }

    private static List<RepoFile> discover(RepoTree tree) {
        return tree.filter(f -> {
            if (f.name().equals("nginx.conf")) {
                return true;
            }
            String dir = "/" + f.dir() + "/";
            boolean candidate = (f.name().endsWith(".conf") && (dir.contains("/conf.d/") || dir.contains("/http.d/")
                    || dir.contains("/nginx/") || f.name().contains("nginx")))
                    || dir.endsWith("/sites-enabled/")
                    || f.name().endsWith(".conf.template");
            return candidate && looksLikeNginx(f);
        });
    }

    private static List<RepoFile> selected(RepoTree tree, List<String> entries, List<String> errors) {
        List<RepoFile> out = new ArrayList<>();
        for (String entry : entries) {
            boolean glob = entry.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
            List<RepoFile> matched = glob ? tree.glob(entry) : tree.explicit(entry).stream().toList();
            if (matched.isEmpty()) {
                errors.add("file: nothing in the repository matches '" + entry + "'");
            }
            matched.stream().filter(f -> !out.contains(f)).forEach(out::add);
        }
        return out;
    }

    private static boolean looksLikeNginx(RepoFile f) {
        return f.size() <= NginxConfig.MAX_FILE_BYTES && NginxConfig.looksLikeNginx(head(f));
    }

    private static boolean isTemplated(RepoFile f) {
        String head = head(f);
        return head.contains("{{") || head.contains("{%");
    }

    private static String head(RepoFile f) {
        try (InputStream in = Files.newInputStream(f.absolute())) {
            return new String(in.readNBytes(NginxConfig.SNIFF_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public List<String> validate(Params params) {
        return RepoTree.pathsLeavingRoot("file", params.list("file"));
    }
}
