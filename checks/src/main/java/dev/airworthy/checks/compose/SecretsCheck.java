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
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
                named like a secret (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`, ...) or a password inside a \
                connection URL (`postgres://app:s3cret@db/app`). A well-known default (`POSTGRES_PASSWORD=postgres`, \
                `MYSQL_ROOT_PASSWORD=root`, `changeme`), a placeholder, an empty, short or low-entropy value, or a \
                password equal to the user name fails as a default password; so do `MYSQL_ALLOW_EMPTY_PASSWORD` and \
                `POSTGRES_HOST_AUTH_METHOD=trust`. `${VAR}` references, `env_file` and `secrets:` are fine, but \
                the default in `${VAR:-default}` is judged as a literal. `privileged: true` fails too. Values never \
                appear in the report: they are masked to a prefix and a length.""",
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
    /** {@code scheme://user:password@host}: the password, read from the start of the value only. */
    private static final Pattern URL_PASSWORD = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]{0,30}://[^:/@\\s]{0,256}:([^@/\\s]{1,256})@");
    private static final Set<String> FALSE = Set.of("", "0", "no", "false", "off");

    @Override
    CheckResult judge(CheckContext ctx, ComposeProject project, Judgment j) {
        for (ComposeService s : j.services(project, false)) {
            j.judged();
            Optional<YamlNode> privileged = s.at("privileged");
            if (privileged.map(YamlNode::text).filter("true"::equalsIgnoreCase).isPresent()) {
                j.fail("compose.secrets.privileged", privileged.get(), s.name() + " runs privileged: it can take over the host");
            }
            List<String> referenced = new ArrayList<>();
            Map<String, EnvVar> env = s.environment();
            Map<String, String> users = users(env);
            for (EnvVar v : env.values()) {
                judge(s, v, "", users, referenced, j);
            }
            for (EnvVar v : s.buildArgs().values()) {
                judge(s, v, "build argument ", users, referenced, j);
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

    private static void judge(ComposeService s, EnvVar v, String kind, Map<String, String> users, List<String> referenced,
            Judgment j) {
        if (v.value() == null) {
            return; // passed through from the shell that runs compose
        }
        String name = v.name();
        String upper = name.toUpperCase(Locale.ROOT);
        String value = v.value().strip();
        if (upper.contains("ALLOW_EMPTY") && upper.contains("PASSWORD")) {
            if (!FALSE.contains(value.toLowerCase(Locale.ROOT))) {
                j.fail("compose.secrets.default-password", v.node(), s.name() + ": " + kind + name + " allows an empty password");
            }
            return;
        }
        if (upper.contains("RANDOM") && upper.contains("PASSWORD")) {
            return; // MYSQL_RANDOM_ROOT_PASSWORD is a switch, and a safe one
        }
        if (upper.equals("POSTGRES_HOST_AUTH_METHOD")) {
            if (value.equalsIgnoreCase("trust")) {
                j.fail("compose.secrets.default-password", v.node(), s.name() + ": " + kind + name + "=trust lets anyone connect without a password");
            }
            return;
        }
        if (SecretValues.isSecretName(name)) {
            secret(s, v, kind + name, value, users, referenced, j);
            return;
        }
        Matcher url = URL_PASSWORD.matcher(value);
        if (url.find()) {
            secret(s, v, "the password in " + kind + name, url.group(1), users, referenced, j);
        }
    }

    private static void secret(ComposeService s, EnvVar v, String what, String raw, Map<String, String> users,
            List<String> referenced, Judgment j) {
        Interpolation.Resolved r = Interpolation.resolve(raw);
        // A reference, or one whose default is empty (${DB_PASSWORD:-}): the deployment supplies the value.
        // $${VAR} reaches the container as ${VAR}, for its own shell or config loader to fill in.
        if (!r.complete() || (Interpolation.hasReference(raw) && r.text().isEmpty()) || SecretValues.isReference(r.text())) {
            referenced.add(v.name());
            return;
        }
        String value = r.text();
        String from = r.usedDefault() ? " as the default of a ${...} reference" : "";
        String sameAs = users.entrySet().stream().filter(u -> u.getValue().equals(value)).map(Map.Entry::getKey).findFirst().orElse(null);
        String weakness = value.isEmpty() ? "is empty"
                : sameAs != null ? "is the same as " + sameAs
                : SecretValues.weakness(value, MIN_LENGTH);
        if (weakness != null) {
            j.fail("compose.secrets.default-password", v.node(), s.name() + ": " + what + " " + weakness
                    + (value.isEmpty() ? "" : " (" + SecretValues.masked(value) + ")") + from);
        } else {
            j.fail("compose.secrets.literal", v.node(), s.name() + ": " + what + " holds a literal secret ("
                    + SecretValues.masked(value) + ")" + from + "; pass it as a ${...} reference, through env_file or secrets");
        }
    }

    /** The user names the service sets ({@code POSTGRES_USER=app}), to catch a password equal to one. */
    private static Map<String, String> users(Map<String, EnvVar> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar v : env.values()) {
            String upper = v.name().toUpperCase(Locale.ROOT);
            if (v.value() != null && (upper.endsWith("USER") || upper.endsWith("USERNAME"))) {
                Interpolation.Resolved r = Interpolation.resolve(v.value().strip());
                if (r.complete() && !r.text().isEmpty()) {
                    out.put(v.name(), r.text());
                }
            }
        }
        return out;
    }
}
