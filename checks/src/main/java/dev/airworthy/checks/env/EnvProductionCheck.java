package dev.airworthy.checks.env;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.env.EnvFile.Variable;
import dev.airworthy.checks.secrets.SecretValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

@AutoService(Check.class)
@CheckInfo(
        id = "env.production",
        title = "Env file configures production",
        category = Category.CONFIGURATION,
        severity = Severity.HIGH,
        summary = """
                Reads the env file (dotenv syntax, as docker compose and python-dotenv read it) and judges \
                three settings. Debug flags (`DEBUG`, `FLASK_DEBUG`, `APP_DEBUG`, `DJANGO_DEBUG`) must not be \
                on (`true`, `1`, `yes`, `on`, without case; a `DEBUG` holding debug-module namespaces such as \
                `app:*` is on too): rule `env.production.debug`. The environment names (`ENVIRONMENT`, \
                `APP_ENV`, `NODE_ENV`, `RAILS_ENV`, `RACK_ENV`, `FLASK_ENV`, `MIX_ENV`, `ASPNETCORE_ENVIRONMENT`, \
                `DOTNET_ENVIRONMENT`) must say `production` or `prod`: rule `env.production.environment`; when \
                none is set, or each comes from a `${VAR}` reference, the item warns \
                (`env.production.environment-unset`). Log levels (`LOG_LEVEL`, `LOGLEVEL`, `*_LOG_LEVEL`, \
                `LOGGING_LEVEL`, `LOGGING_LEVEL_*`) must not be `debug`, `trace`, `verbose`, `silly` or `all`: \
                rule `env.production.log-level`. A value taken from a `${VAR}` reference is not judged (the \
                evidence says so). Findings point at the variable's line; the evidence names the file judged, \
                and says when it is an example file.""",
        rationale = """
                Debug mode in production shows stack traces, settings and sometimes an interactive console to \
                anyone who triggers an error (Werkzeug's debugger runs code; Django's debug page lists \
                settings). Frameworks switch caching, asset compilation and error handling on the environment \
                name: `NODE_ENV=development` makes Express render stack traces and skip view caching. Debug and \
                trace logging write request bodies, tokens and personal data to the logs, and fill the disk.""",
        remediation = """
                In the production env file set `DEBUG=false` (or remove it), `NODE_ENV=production` (or the \
                framework's own variable), and `LOG_LEVEL=info` or `warn`. When the check judged an example \
                file (`.env.example`) because no production file is in the repository, point `file` at the \
                file the deployment uses, or make the example propose production settings.""",
        example = """
                - id: env-production
                  title: Production env file has debug off
                  check: env.production
                  with: { file: deploy/.env.production }""",
        references = {"https://docs.djangoproject.com/en/stable/ref/settings/#debug",
            "https://flask.palletsprojects.com/en/stable/debugging/",
            "https://expressjs.com/en/advanced/best-practice-performance.html#set-node_env-to-production",
            "https://12factor.net/config"},
        params = {
            @Param(name = "file", description = EnvFiles.FILE_DESCRIPTION)
        })
public final class EnvProductionCheck extends EnvFileCheck implements Check {
    private static final Set<String> DEBUG_FLAGS = Set.of("DEBUG", "FLASK_DEBUG", "APP_DEBUG", "DJANGO_DEBUG");
    private static final List<String> ENVIRONMENT_NAMES = List.of("ENVIRONMENT", "APP_ENV", "NODE_ENV", "RAILS_ENV", "RACK_ENV",
            "FLASK_ENV", "MIX_ENV", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT");
    private static final Set<String> PRODUCTION = Set.of("production", "prod");
    private static final Set<String> VERBOSE_LEVELS = Set.of("debug", "trace", "verbose", "silly", "all");

    @Override
    CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out) {
        List<String> judged = new ArrayList<>();
        List<String> environments = new ArrayList<>();
        List<String> environmentReferences = new ArrayList<>();
        boolean environmentStated = false;
        for (Variable v : file.env().variables()) {
            String name = v.name().toUpperCase(Locale.ROOT);
            boolean debug = DEBUG_FLAGS.contains(name);
            boolean environment = ENVIRONMENT_NAMES.contains(name);
            boolean logLevel = isLogLevel(name);
            if (!debug && !environment && !logLevel) {
                continue;
            }
            String value = v.text().strip();
            if (SecretValues.isReference(value)) {
                out.evidence(v.name() + " (line " + v.line() + ") comes from " + value + ": not judged");
                if (environment) {
                    environmentReferences.add(v.name());
                }
                continue;
            }
            judged.add(v.name() + "=" + value);
            if (debug && isDebugOn(name, value)) {
                out.finding(Finding.fail("env.production.debug", v.name() + "=" + value + " turns debug mode on in "
                        + file.shown()).at(file.shown(), v.line()));
            } else if (environment) {
                environments.add(v.name() + "=" + value);
                environmentStated = true;
                if (!PRODUCTION.contains(value.toLowerCase(Locale.ROOT))) {
                    out.finding(Finding.fail("env.production.environment", v.name()
                            + (value.isEmpty() ? " is empty" : "=" + value + " is not production") + " in " + file.shown())
                            .at(file.shown(), v.line()));
                }
            } else if (logLevel && VERBOSE_LEVELS.contains(value.toLowerCase(Locale.ROOT))) {
                out.finding(Finding.fail("env.production.log-level", v.name() + "=" + value + " logs at "
                        + value.toLowerCase(Locale.ROOT) + " level in " + file.shown()).at(file.shown(), v.line()));
            }
        }
        if (!environmentStated) {
            String why = environmentReferences.isEmpty() ? "none of " + String.join(", ", ENVIRONMENT_NAMES) + " has a value in it"
                    : String.join(", ", environmentReferences) + " comes from a reference";
            out.finding(Finding.warn("env.production.environment-unset", file.shown() + " does not state the environment ("
                    + why + ")").at(file.shown(), null));
        }
        if (!judged.isEmpty()) {
            out.evidence("judged: " + String.join(", ", judged));
        }
        return out.result(file.shown() + " configures production: " + String.join(", ", environments)
                + ", no debug flag or verbose log level on");
    }

    private static boolean isDebugOn(String name, String value) {
        if (EnvFiles.truthy(value)) {
            return true;
        }
        // The Node debug module reads DEBUG as a list of namespaces to print: "app:*", "*".
        return name.equals("DEBUG") && (value.contains("*") || value.contains(":"));
    }

    private static boolean isLogLevel(String name) {
        return name.equals("LOG_LEVEL") || name.equals("LOGLEVEL") || name.endsWith("_LOG_LEVEL")
                || name.equals("LOGGING_LEVEL") || name.startsWith("LOGGING_LEVEL_");
    }
}
