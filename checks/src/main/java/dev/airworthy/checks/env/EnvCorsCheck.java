package dev.airworthy.checks.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.airworthy.check.Severity;
import dev.airworthy.checks.env.EnvFile.Resolved;
import dev.airworthy.checks.env.EnvFile.Variable;
import dev.airworthy.checks.http.DeadlineText;
import dev.airworthy.checks.secrets.SecretValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

@AutoService(Check.class)
@CheckInfo(
        id = "env.cors",
        title = "Env file CORS origins are restricted",
        category = Category.CONFIGURATION,
        severity = Severity.HIGH,
        summary = """
                Judges the CORS origin lists of the env file: variables whose name holds `ORIGIN` and `CORS` \
                (`CORS_ORIGINS`, `CORS_ALLOWED_ORIGINS`, `CORS_ORIGIN_WHITELIST`), or `ALLOWED_ORIGINS`, \
                `ALLOW_ORIGIN` or `ACCESS_CONTROL` (`ALLOWED_ORIGINS`, `ACCESS_CONTROL_ALLOW_ORIGIN`), and \
                `CORS`, `CORS_WHITELIST`, `CORS_HOSTS`, `CORS_DOMAINS`; a list is separated by commas, \
                semicolons, `|` or spaces, or is a JSON array. References are expanded against the \
                definitions before them (`${VAR}`, `$VAR`, `${VAR:-fallback}`: a fallback is what the service \
                gets when the environment does not set the name, so `${EXTRA:-*}` fails); an entry that \
                comes from a name the file does not define is not judged. `*`, or an origin with a `*` in \
                it, fails (`env.cors.wildcard`), as does an allow-all switch that is on \
                (`CORS_ALLOW_ALL_ORIGINS`, `CORS_ORIGIN_ALLOW_ALL`: an integer other than 0, `true`, `on`, \
                `ok`, `y`, `yes`, as django-environ reads them); the `null` origin fails (`env.cors.null`); an \
                `http://` origin fails (`env.cors.insecure`) unless it is on the local machine (`localhost`, \
                `*.localhost`, `127.0.0.1`, `[::1]`); in a file named for production (`.env.production`, \
                `.env.prod`) a local origin warns (`env.cors.localhost`); an entry that is not a bare origin \
                (no scheme, a path such as a trailing `/`, user info) warns (`env.cors.not-an-origin`). \
                Variables whose name holds `REGEX` or `PATTERN` hold regular expressions, matched at the start \
                of the origin as django-cors-headers does: one that matches any https origin (`.*`, `.+`, \
                `^https://.*$`) fails (`env.cors.wildcard`), one that matches any http origin fails \
                (`env.cors.insecure`), one airworthy cannot read warns (`env.cors.unreadable-pattern`). \
                Other schemes (`capacitor://localhost`, `chrome-extension://...`) are not judged. Without \
                any CORS variable the item is skipped, and so it is when nothing in them could be judged \
                (all from the environment). Origins with user info are shown masked.""",
        rationale = """
                An API that allows every origin lets any web page a user visits call it with the user's \
                cookies or tokens when credentials are allowed, and read the answers. A plain-http origin can \
                be impersonated by anyone on the network path, so trusting it is trusting everyone there. The \
                `null` origin is sent by sandboxed iframes and local files, which any attacker can produce.""",
        remediation = """
                List the exact https origins of the front ends (`CORS_ORIGINS=https://app.example.com,\
                https://admin.example.com`): scheme, host and port, nothing after. Keep development origins \
                (`http://localhost:3000`) in the development env file, not the production one.""",
        example = """
                - id: env-cors
                  title: CORS allows only our front ends
                  check: env.cors
                  with: { file: .env.production }""",
        references = {"https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS",
            "https://portswigger.net/web-security/cors",
            "https://cheatsheetseries.owasp.org/cheatsheets/HTML5_Security_Cheat_Sheet.html#cross-origin-resource-sharing"},
        params = {
            @Param(name = "file", description = EnvFiles.FILE_DESCRIPTION)
        })
public final class EnvCorsCheck extends EnvFileCheck implements Check {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEPARATORS = Pattern.compile("[,;|\\s]+");
    /** 127.0.0.0/8 written as a dotted quad. */
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    /** Stands for a character that comes from the environment: NUL, which an env file cannot hold. */
    private static final char ELSEWHERE = '\u0000';
    private static final Set<String> PLAIN_NAMES = Set.of("CORS", "CORS_WHITELIST", "CORS_HOSTS", "CORS_DOMAINS");
    /** Origins no allow-list of a real deployment names: a pattern matching them matches everyone. */
    private static final String ANY_HTTPS = "https://airworthy-probe.invalid";
    private static final String ANY_HTTP = "http://airworthy-probe.invalid";
    /** The time a pattern may take on a probe. */
    private static final Duration PATTERN_TIME = Duration.ofMillis(200);

    @Override
    CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out) {
        int judged = 0;
        List<String> notJudged = new ArrayList<>();
        for (Variable v : file.env().variables()) {
            String name = v.name().toUpperCase(Locale.ROOT);
            boolean allowAll = name.contains("CORS") && name.contains("ALLOW_ALL");
            if (!allowAll && !isOriginList(name)) {
                continue;
            }
            Resolved r = file.env().resolved(v);
            if (r == null || r.fromElsewhere()) {
                notJudged.add(v.name() + " (from " + (r == null ? "the environment" : String.join(", ", r.references())) + ")");
                continue;
            }
            String how = r.expanded() ? " (" + r.how() + ")" : "";
            if (allowAll) {
                if (!r.complete()) {
                    notJudged.add(v.name() + " (from " + String.join(", ", r.references()) + ")");
                    continue;
                }
                judged++;
                out.evidence(v.name() + "=" + EnvFiles.shown(r.text()) + how + " (line " + v.line() + ")");
                if (EnvFiles.truthy(r.text())) {
                    out.finding(Finding.fail("env.cors.wildcard", v.name() + "=" + EnvFiles.shown(r.text()) + how
                            + " allows every origin").at(file.shown(), v.line()));
                }
                continue;
            }
            List<String> entries = origins(withElsewhereMarked(r));
            if (entries.isEmpty()) {
                notJudged.add(v.name() + " (empty: what that means is up to the application)");
                continue;
            }
            boolean patterns = name.contains("REGEX") || name.contains("PATTERN");
            out.evidence(v.name() + how + " (line " + v.line() + "): " + String.join(" ", entries.stream().map(e -> shown(e, r)).toList()));
            for (String entry : entries) {
                if (entry.indexOf(ELSEWHERE) >= 0) {
                    notJudged.add(shown(entry, r) + " (from the environment)");
                    continue;
                }
                String skip = patterns ? null : notJudged(entry);
                if (skip != null) {
                    notJudged.add(shown(entry, r) + " (" + skip + ")");
                    continue;
                }
                judged++;
                Finding f = patterns ? judgePattern(v.name(), entry) : judgeOrigin(v.name(), entry, file.production());
                if (f != null) {
                    out.finding(f.at(file.shown(), v.line()));
                }
            }
        }
        if (!notJudged.isEmpty()) {
            out.evidence("not judged: " + String.join(", ", notJudged));
        }
        if (judged == 0) {
            throw new NotApplicable("no CORS origin list in " + file.shown()
                    + (notJudged.isEmpty() ? "" : " to judge (" + String.join(", ", notJudged) + ")"));
        }
        return out.result("CORS in " + file.shown() + " allows only https origins" + (file.production() ? "" : " (and local ones)")
                + ": " + judged + " judged");
    }

    static boolean isOriginList(String upperName) {
        return upperName.contains("ORIGIN") && (upperName.contains("CORS") || upperName.contains("ALLOWED_ORIGIN")
                || upperName.contains("ALLOW_ORIGIN") || upperName.contains("ACCESS_CONTROL")) || PLAIN_NAMES.contains(upperName);
    }

    /** The resolved text with each character from the environment replaced by {@link #ELSEWHERE}. */
    private static String withElsewhereMarked(Resolved r) {
        if (r.complete()) {
            return r.text();
        }
        StringBuilder b = new StringBuilder(r.text());
        for (int i = r.outsideMask().nextSetBit(0); i >= 0; i = r.outsideMask().nextSetBit(i + 1)) {
            b.setCharAt(i, ELSEWHERE);
        }
        return b.toString();
    }

    /** An entry as evidence and findings show it: references named, user info masked. */
    private static String shown(String entry, Resolved r) {
        String s = entry.indexOf(ELSEWHERE) >= 0 ? String.join(" ", r.references()) : entry;
        return s.contains("@") ? SecretValues.masked(s) : EnvFiles.shown(s);
    }

    /** The entries of a list value: a JSON array, or words separated by commas, semicolons, bars or spaces. */
    static List<String> origins(String value) {
        String v = value.strip();
        if (v.startsWith("[")) {
            try {
                JsonNode array = JSON.readTree(v);
                if (array.isArray()) {
                    List<String> out = new ArrayList<>();
                    array.forEach(n -> out.add(n.asText().strip()));
                    return out.stream().filter(s -> !s.isEmpty()).toList();
                }
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                // Not JSON after all: read it as a separated list, brackets and quotes stripped.
            }
            v = v.replaceAll("^\\[|]$", "");
        }
        List<String> out = new ArrayList<>();
        for (String s : SEPARATORS.split(v)) {
            String entry = s.replaceAll("^[\"']+|[\"']+$", "");
            if (!entry.isEmpty()) {
                out.add(entry);
            }
        }
        return out;
    }

    /** Why an entry is not judged, or null when it is. */
    private static String notJudged(String origin) {
        int sep = origin.indexOf("://");
        String scheme = sep < 1 ? "" : origin.substring(0, sep).toLowerCase(Locale.ROOT);
        return sep < 1 || scheme.equals("http") || scheme.equals("https") || origin.contains("*") ? null
                : "not a web origin";
    }

    /**
     * The finding a pattern earns, or null: django-cors-headers matches each pattern at the start of
     * the origin ({@code re.match}); one that matches an origin nobody lists matches every origin.
     */
    private static Finding judgePattern(String name, String pattern) {
        Pattern p;
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return Finding.warn("env.cors.unreadable-pattern", name + " holds " + EnvFiles.shown(pattern)
                    + ", which airworthy cannot read as a regular expression: not judged");
        }
        // Patterns come from the repository: one that backtracks for long is stopped, not waited for.
        long deadline = System.nanoTime() + PATTERN_TIME.toNanos();
        try {
            if (p.matcher(DeadlineText.of(ANY_HTTPS, deadline)).lookingAt()) {
                return Finding.fail("env.cors.wildcard", name + " holds the pattern " + EnvFiles.shown(pattern)
                        + ", which matches every https origin");
            }
            if (p.matcher(DeadlineText.of(ANY_HTTP, deadline)).lookingAt()) {
                return Finding.fail("env.cors.insecure", name + " holds the pattern " + EnvFiles.shown(pattern)
                        + ", which matches every plain-http origin");
            }
        } catch (DeadlineText.Expired e) {
            return Finding.warn("env.cors.unreadable-pattern", name + " holds " + EnvFiles.shown(pattern)
                    + ", which backtracks too much to be judged");
        }
        return null;
    }

    /** The finding one entry earns, or null. */
    private static Finding judgeOrigin(String name, String entry, boolean productionFile) {
        String origin = entry.contains("@") ? SecretValues.masked(entry) : entry;
        if (entry.equals("*")) {
            return Finding.fail("env.cors.wildcard", name + " allows every origin (*)");
        }
        if (entry.contains("*")) {
            return Finding.fail("env.cors.wildcard", name + " allows a wildcard origin " + origin);
        }
        if (entry.equalsIgnoreCase("null")) {
            return Finding.fail("env.cors.null", name + " allows the null origin (sandboxed iframes, local files)");
        }
        int sep = entry.indexOf("://");
        if (sep < 1) {
            return Finding.warn("env.cors.not-an-origin", name + " lists " + origin
                    + ", which is not an origin (scheme://host[:port]): browsers send the scheme, so it matches nothing");
        }
        String scheme = entry.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = entry.substring(sep + 3);
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        if (hostPort.contains("@")) {
            return Finding.warn("env.cors.not-an-origin", name + " lists " + origin + ", which holds user info: an origin is "
                    + "scheme://host[:port], and browsers never send a password in it");
        }
        if (slash >= 0) {
            return Finding.warn("env.cors.not-an-origin", name + " lists " + origin + ", which has a path: an origin is "
                    + scheme + "://" + hostPort + " with nothing after, and browsers send it so");
        }
        boolean local = isLocal(host(hostPort));
        if (scheme.equals("http") && !local) {
            return Finding.fail("env.cors.insecure", name + " allows " + origin + " over plain http");
        }
        if (local && productionFile) {
            return Finding.warn("env.cors.localhost", name + " allows the local origin " + origin + " in a production env file");
        }
        return null;
    }

    private static String host(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(0, close + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return (colon < 0 ? hostPort : hostPort.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    private static boolean isLocal(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]") || LOOPBACK_V4.matcher(host).matches();
    }
}
