package dev.airworthy.checks.compose;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.compose.ComposeService.EnvVar;
import dev.airworthy.checks.docker.Interpolation;
import dev.airworthy.checks.secrets.SecretValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "compose.secrets",
        title = "No secrets or default passwords in compose files",
        category = Category.CONTAINERS,
        severity = Severity.CRITICAL,
        summary = """
                No service's `environment` (map or list form) or `build.args` holds a literal value for a variable \
                named like a secret (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`, `PGPASSWORD`, `REDISCLI_AUTH`, \
                `NEO4J_AUTH`, ...), a password inside a connection URL (`postgres://app:s3cret@db/app`, also with `/` \
                or other characters in it) or a `password=` parameter (`jdbc:mysql://db/app?password=...`, \
                `;password=...`). A well-known default (`POSTGRES_PASSWORD=postgres`, `MYSQL_ROOT_PASSWORD=root`, \
                `changeme`), a placeholder, an empty, short or low-entropy value, or a password equal to the user \
                name fails as a default password; so do `MYSQL_ALLOW_EMPTY_PASSWORD` (any non-empty value, as the \
                image reads it, unless a root password is set), `POSTGRES_HOST_AUTH_METHOD=trust` and \
                `NEO4J_AUTH=none`. Values are judged as compose resolves them: `${VAR:-default}` takes the value the \
                project's `.env` (next to the compose file) gives `VAR`, else the default, which is judged as a \
                literal; `${VAR}` with no value is a reference and fine, as are `env_file` and `secrets:`; a strong \
                value the `.env` supplies is noted, not failed (the env file's own checks judge it). `$$` is a \
                literal dollar: `$$postgres` is the password `$postgres`, while a whole `$${VAR}` reaches the \
                container as a reference for its own configuration loader. `privileged: true` (or `yes`, `on`, \
                `${PRIV:-true}`) fails too. Values never appear in the report: they are masked to a prefix and a \
                length.""",
        rationale = """
                A password written into a compose file is in every clone, fork and CI log of the repository, and \
                stays in git history after it is removed. Default passwords are the first thing an attacker tries. \
                A privileged container can take over the host, so one compromised service becomes all of them.""",
        remediation = """
                Replace the value with a reference (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}`) filled from \
                the deployment's environment or an untracked env file, or use compose `secrets:` \
                (`POSTGRES_PASSWORD_FILE: /run/secrets/db_password`). Rotate any secret that was committed. Drop \
                `privileged: true` and grant only the capabilities the service needs with `cap_add`.""",
        example = """
                - id: compose-secrets
                  title: No passwords in docker-compose.yml
                  check: compose.secrets""",
        references = {"https://docs.docker.com/compose/how-tos/use-secrets/",
                "https://docs.docker.com/compose/how-tos/environment-variables/set-environment-variables/",
                "https://docs.docker.com/reference/compose-file/services/#privileged"},
        params = {
            @Param(name = "files", type = ParamType.STRING_LIST, description = ComposeCheck.FILES_DOC)
        })
public final class SecretsCheck extends ComposeCheck implements Check {
    private static final int MIN_LENGTH = 12;
    /** A {@code password=} parameter of a JDBC, ODBC or query-string connection string. */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(?:^|[?&;])(?:password|passwd|pwd)=([^&;\\s]{1,256})");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.:-]{0,40}");
    /** A whole {@code ${NAME}} or {@code ${NAME:-x}}, or a template's {@code {{ ... }}}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]{0,100}(?:[:?+-][^}]{0,200})?}|\\{\\{[^}]{1,200}}}");
    private static final Set<String> FALSE = Set.of("", "0", "n", "no", "false", "off");
    /** The official images' switches, which they read as on for any non-empty value. */
    private static final Set<String> EMPTY_ROOT_SWITCHES = Set.of(
            "MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_PASSWORD");
    private static final List<String> ROOT_PASSWORDS = List.of(
            "MYSQL_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD",
            "MYSQL_ROOT_PASSWORD_FILE", "MARIADB_ROOT_PASSWORD_FILE", "MARIADB_ROOT_PASSWORD_HASH");

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) {
        for (ComposeService s : j.services(project, false)) {
            j.judged();
            s.isTrue("privileged").ifPresent(p -> j.fail("compose.secrets.privileged", p, s.name() + " runs privileged ("
                    + p.text().strip() + "): it can take over the host"));
            List<String> referenced = new ArrayList<>();
            Map<String, EnvVar> env = s.environment();
            Map<String, String> users = users(s, env);
            for (EnvVar v : env.values()) {
                judge(s, v, "", env, users, referenced, j);
            }
            for (EnvVar v : s.buildArgs().values()) {
                judge(s, v, "build argument ", env, users, referenced, j);
            }
            if (!referenced.isEmpty()) {
                j.evidence(s.file() + ": " + s.name() + ": taken from the environment: " + String.join(", ", referenced));
            }
            s.at("env_file").ifPresent(e -> j.evidence(s.file() + ": " + s.name() + ": env_file at "
                    + ComposeService.where(e) + " (env files are judged by env.secrets-strong)"));
            s.at("secrets").ifPresent(e -> j.evidence(s.file() + ": " + s.name() + ": compose secrets at " + ComposeService.where(e)));
        }
        return j.result("no literal secret, default password or privileged service (" + j.count() + " services judged)",
                "no service to judge");
    }

    private static void judge(ComposeService s, EnvVar v, String kind, Map<String, EnvVar> env, Map<String, String> users,
            List<String> referenced, Judgment j) {
        if (v.value() == null) {
            return; // passed through from the shell that runs compose
        }
        String name = v.name();
        String upper = name.toUpperCase(Locale.ROOT);
        String raw = v.value().strip();
        Interpolation.Resolved r = s.resolve(raw);
        String value = r.text().strip();
        String from = s.scope().provenance(r);
        if (upper.contains("ALLOW_EMPTY") && upper.contains("PASSWORD")) {
            boolean on = EMPTY_ROOT_SWITCHES.contains(upper) ? !value.isEmpty() && !rootPasswordSet(s, env)
                    : !FALSE.contains(value.toLowerCase(Locale.ROOT));
            if (r.complete() && on) {
                j.fail("compose.secrets.default-password", v.node(), s.name() + ": " + kind + name + " allows an empty password" + from);
            }
            return;
        }
        if (upper.contains("RANDOM") && upper.contains("PASSWORD")) {
            return; // MYSQL_RANDOM_ROOT_PASSWORD is a switch, and a safe one
        }
        if (upper.equals("POSTGRES_HOST_AUTH_METHOD")) {
            if (r.complete() && value.equalsIgnoreCase("trust")) {
                j.fail("compose.secrets.default-password", v.node(), s.name() + ": " + kind + name
                        + "=trust lets anyone connect without a password" + from);
            }
            return;
        }
        if (upper.equals("NEO4J_AUTH") && r.complete()) {
            if (value.equalsIgnoreCase("none")) {
                j.fail("compose.secrets.default-password", v.node(), s.name() + ": " + kind + name + "=none turns authentication off" + from);
                return;
            }
            int slash = value.indexOf('/');
            if (slash >= 0) {
                secret(s, v, "the password in " + kind + name, raw, value.substring(slash + 1), r, users, referenced, j);
                return;
            }
        }
        if (SecretValues.isSecretName(name)) {
            secret(s, v, kind + name, raw, value, r, users, referenced, j);
            return;
        }
        // A connection string: judged as compose resolves it, or, when that depends on the
        // environment, as written, so a password given by a reference is seen as one.
        String text = r.complete() ? value : raw;
        List<String> passwords = new ArrayList<>();
        String inUrl = urlPassword(text);
        if (inUrl != null) {
            passwords.add(inUrl);
        }
        Matcher param = PASSWORD_PARAM.matcher(text);
        while (param.find()) {
            passwords.add(param.group(1));
        }
        for (String p : passwords) {
            Interpolation.Resolved pr = r.complete() ? r : s.resolve(p);
            secret(s, v, "the password in " + kind + name, r.complete() ? raw : p, r.complete() ? p : pr.text(), pr, users, referenced, j);
        }
    }

    /** Whether the service gives MySQL or MariaDB a root password, so the image ignores its empty-password switch. */
    private static boolean rootPasswordSet(ComposeService s, Map<String, EnvVar> env) {
        for (String name : ROOT_PASSWORDS) {
            EnvVar v = env.get(name);
            if (v != null && v.value() != null) {
                Interpolation.Resolved r = s.resolve(v.value().strip());
                if (!r.complete() || !r.text().isBlank()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The password of {@code scheme://user:password@host...}, or null. The user information ends at
     * the last {@code @} before the query, so a password with {@code /} or {@code @} in it is read
     * whole; {@code host:8080/path@x} is a port and a path, not a password. Separators inside
     * {@code ${...}} do not count.
     */
    static String urlPassword(String value) {
        int sep = value.indexOf("://");
        if (sep <= 0 || !SCHEME.matcher(value.substring(0, sep)).matches()) {
            return null;
        }
        int start = sep + 3;
        int end = value.length();
        int at = -1;
        int colon = -1;
        int depth = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < end && value.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == '?' || c == '#' || Character.isWhitespace(c))) {
                end = i;
            } else if (depth == 0 && c == '@') {
                at = i;
            } else if (depth == 0 && c == ':' && colon < 0) {
                colon = i;
            }
        }
        if (at < 0 || colon < 0 || colon > at) {
            return null;
        }
        String user = value.substring(start, colon);
        String password = value.substring(colon + 1, at);
        if (user.contains("/") || password.matches("[0-9]{1,5}/.*")) {
            return null;
        }
        return password;
    }

    /**
     * Judges a secret's value: {@code value} is what the container gets ({@code resolved} says how
     * it was resolved from {@code raw}).
     */
    private static void secret(ComposeService s, EnvVar v, String what, String raw, String value, Interpolation.Resolved resolved,
            Map<String, String> users, List<String> referenced, Judgment j) {
        // A reference, or one whose default is empty (${DB_PASSWORD:-}): the deployment supplies the value.
        // A whole $${VAR} reaches the container as ${VAR}, for its own configuration loader to fill in.
        if (!resolved.complete() || (Interpolation.hasReference(raw) && value.isEmpty())
                || (REFERENCE.matcher(value).matches() && (raw.contains("$${") || value.startsWith("{{")))) {
            referenced.add(v.name());
            return;
        }
        String from = resolved.usedDefault() && resolved.supplied().isEmpty() ? " as the default of a ${...} reference"
                : s.scope().provenance(resolved);
        String sameAs = users.entrySet().stream().filter(u -> u.getValue().equals(value)).map(Map.Entry::getKey).findFirst().orElse(null);
        String weakness = value.isEmpty() ? "is empty"
                : sameAs != null ? "is the same as " + sameAs
                : SecretValues.weakness(value, MIN_LENGTH);
        if (weakness != null) {
            j.fail("compose.secrets.default-password", v.node(), s.name() + ": " + what + " " + weakness
                    + (value.isEmpty() ? "" : " (" + SecretValues.masked(value) + ")") + from);
        } else if (!resolved.supplied().isEmpty()) {
            // A strong value from the project's env file: the compose file holds only a reference.
            j.evidence(s.file() + ": " + s.name() + ": " + what + " comes from the env file" + from);
        } else {
            j.fail("compose.secrets.literal", v.node(), s.name() + ": " + what + " holds a literal secret ("
                    + SecretValues.masked(value) + ")" + from + "; pass it as a ${...} reference, through env_file or secrets");
        }
    }

    /** The user names the service sets ({@code POSTGRES_USER=app}), to catch a password equal to one. */
    private static Map<String, String> users(ComposeService s, Map<String, EnvVar> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar v : env.values()) {
            String upper = v.name().toUpperCase(Locale.ROOT);
            if (v.value() != null && (upper.endsWith("USER") || upper.endsWith("USERNAME"))) {
                Interpolation.Resolved r = s.resolve(v.value().strip());
                if (r.complete() && !r.text().isEmpty()) {
                    out.put(v.name(), r.text());
                }
            }
        }
        return out;
    }
}
