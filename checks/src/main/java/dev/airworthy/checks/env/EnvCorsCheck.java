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
import dev.airworthy.checks.env.EnvFile.Variable;
import dev.airworthy.checks.secrets.SecretValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "env.cors",
        title = "Env file CORS origins are restricted",
        category = Category.CONFIGURATION,
        severity = Severity.HIGH,
        summary = """
                Judges the CORS origin lists of the env file: variables whose name holds `ORIGIN` and `CORS` \
                (`CORS_ORIGINS`, `CORS_ALLOWED_ORIGINS`, `CORS_ORIGIN_WHITELIST`), or `ALLOWED_ORIGINS`, \
                `ALLOW_ORIGIN` or `ACCESS_CONTROL` (`ALLOWED_ORIGINS`, `ACCESS_CONTROL_ALLOW_ORIGIN`); a list is \
                separated by commas, semicolons or spaces, or is a JSON array. `*`, or an origin with a `*` in \
                it, fails (`env.cors.wildcard`), as does an allow-all switch that is on \
                (`CORS_ALLOW_ALL_ORIGINS=true`, `CORS_ORIGIN_ALLOW_ALL=true`); the `null` origin fails \
                (`env.cors.null`); an `http://` origin fails (`env.cors.insecure`) unless it is on the local \
                machine (`localhost`, `*.localhost`, `127.0.0.1`, `[::1]`); in a file named for production \
                (`.env.production`, `.env.prod`) a local origin warns (`env.cors.localhost`); an entry that is \
                not a bare origin (no scheme, or a path such as a trailing `/`) warns \
                (`env.cors.not-an-origin`). Other schemes (`capacitor://localhost`, `chrome-extension://...`) \
                and `${VAR}` references are not judged. Without any CORS origin variable the item is \
                skipped; names holding `REGEX` or `PATTERN` are patterns, listed as not judged.""",
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
    private static final Pattern SEPARATORS = Pattern.compile("[,;\\s]+");
    /** 127.0.0.0/8 written as a dotted quad. */
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    @Override
    CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out) {
        int judged = 0;
        List<String> notJudged = new ArrayList<>();
        for (Variable v : file.env().variables()) {
            String name = v.name().toUpperCase(Locale.ROOT);
            if (name.contains("CORS") && name.contains("ALLOW_ALL")) {
                judged++;
                out.evidence(v.name() + "=" + v.text() + " (line " + v.line() + ")");
                if (EnvFiles.truthy(v.text())) {
                    out.finding(Finding.fail("env.cors.wildcard", v.name() + "=" + v.text().strip() + " allows every origin")
                            .at(file.shown(), v.line()));
                }
                continue;
            }
            if (!isOriginList(name)) {
                continue;
            }
            if (name.contains("REGEX") || name.contains("PATTERN")) {
                notJudged.add(v.name() + " (patterns)");
                continue;
            }
            List<String> origins = origins(v.text());
            if (origins.isEmpty()) {
                notJudged.add(v.name() + " (empty: what that means is up to the application)");
                continue;
            }
            out.evidence(v.name() + " (line " + v.line() + "): " + String.join(" ", origins));
            for (String origin : origins) {
                String skip = notJudged(origin);
                if (skip != null) {
                    notJudged.add(origin + " (" + skip + ")");
                    continue;
                }
                judged++;
                Finding f = judgeOrigin(v.name(), origin, file.production());
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
                || upperName.contains("ALLOW_ORIGIN") || upperName.contains("ACCESS_CONTROL"));
    }

    /** The entries of a list value: a JSON array, or words separated by commas, semicolons or spaces. */
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
        if (SecretValues.isReference(origin)) {
            return "a reference";
        }
        int sep = origin.indexOf("://");
        String scheme = sep < 1 ? "" : origin.substring(0, sep).toLowerCase(Locale.ROOT);
        return sep < 1 || scheme.equals("http") || scheme.equals("https") || origin.contains("*") ? null
                : "not a web origin";
    }

    /** The finding one entry earns, or null. */
    private static Finding judgeOrigin(String name, String origin, boolean productionFile) {
        if (origin.equals("*")) {
            return Finding.fail("env.cors.wildcard", name + " allows every origin (*)");
        }
        if (origin.contains("*")) {
            return Finding.fail("env.cors.wildcard", name + " allows a wildcard origin " + origin);
        }
        if (origin.equalsIgnoreCase("null")) {
            return Finding.fail("env.cors.null", name + " allows the null origin (sandboxed iframes, local files)");
        }
        int sep = origin.indexOf("://");
        if (sep < 1) {
            return Finding.warn("env.cors.not-an-origin", name + " lists " + origin
                    + ", which is not an origin (scheme://host[:port]): browsers send the scheme, so it matches nothing");
        }
        String scheme = origin.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = origin.substring(sep + 3);
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
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
