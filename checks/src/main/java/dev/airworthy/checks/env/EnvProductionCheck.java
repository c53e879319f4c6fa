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
import dev.airworthy.checks.env.EnvFile.Resolved;
import dev.airworthy.checks.env.EnvFile.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "env.production",
        title = "Env file configures production",
        category = Category.CONFIGURATION,
        severity = Severity.HIGH,
        summary = """
                Reads the env file (dotenv syntax, as docker compose and python-dotenv read it), expands each \
                value's references against the definitions before it (`${VAR}`, `$VAR`, `${VAR:-fallback}`: a \
                fallback stands for a name the file does not define; single-quoted values are literal), and \
                judges the debug flags, the environment names and the log levels, each as the framework that \
                reads it does. A value that depends on a name the file does not define (`DEBUG=${DEBUG}`, a \
                bare `DEBUG` line) is not judged; the evidence says so. Findings point at the variable's line; \
                the evidence names the file judged, and says when it is an example file.

                | variable | read by | fails when |
                |---|---|---|
                | `DEBUG`, `DJANGO_DEBUG` | django-environ `env.bool` | an integer other than 0, or `true`, `on`, `ok`, `y`, `yes` (any case): `env.production.debug` |
                | `DEBUG` | Node's `debug` module (namespaces) | it holds `*` or `:` (`app:*`): `env.production.debug`; any other value but `false`, `0`, `no`, `off`, `n`, `none`: warns `env.production.debug-namespaces` (it prints the namespaces it names) |
                | `FLASK_DEBUG` | Flask | any value but empty, `0`, `false`, `no` (any case, not trimmed) |
                | `APP_DEBUG` | Laravel (`(bool) env()`), Symfony | any value but empty, `0`, `false`, `(false)`, `null`, `(null)`, `empty`, `(empty)` (any case) |
                | `NODE_ENV` | Express (`===`) | not exactly `production`: `env.production.environment` |
                | `RAILS_ENV`, `RACK_ENV`, `FLASK_ENV` | Rails, Rack, Flask | not exactly `production` |
                | `MIX_ENV` | Elixir's Mix (an atom) | not exactly `prod` |
                | `ASPNETCORE_ENVIRONMENT`, `DOTNET_ENVIRONMENT` | `IsProduction()` | not `production` in any case |
                | `APP_ENV` | Laravel, Symfony | not exactly `production` or `prod` |
                | `ENVIRONMENT`, `ENV` | the application | not `production` or `prod` in any case |
                | `SPRING_PROFILES_ACTIVE` | Spring | a profile named `dev`, `development`, `local`, `test`, `testing` or `debug` (also as a word: `dev-db`) |
                | `DJANGO_SETTINGS_MODULE` | Django | its last part names `dev`, `development`, `local`, `test`, `testing` or `debug` (`app.settings.dev`, `settings_local`) |
                | `LOG_LEVEL`, `LOGLEVEL`, `*_LOG_LEVEL`, `LOGGING_LEVEL`, `LOGGING_LEVEL_*` | loggers | `debug`, `trace`, `verbose`, `silly`, `all`, `fine`, `finer`, `finest` (any case), or a number below 20 (Python's `DEBUG` is 10; 20 is read as Python's `INFO`): `env.production.log-level` |
                | `RUST_LOG` | `env_logger`, `tracing` | `debug` or `trace` anywhere in its directives (`info,hyper=debug`) |

                When the file sets none of the environment names (a `SPRING_PROFILES_ACTIVE` with a `prod` \
                profile or a `DJANGO_SETTINGS_MODULE` ending in `production` counts), or each comes from \
                elsewhere, the item warns (`env.production.environment-unset`).""",
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
    /** Each environment name, and what the framework reading it takes for production. */
    private static final Map<String, Production> ENVIRONMENT_NAMES = environmentNames();
    private static final Set<String> VERBOSE_LEVELS = Set.of("debug", "trace", "verbose", "silly", "all", "fine", "finer", "finest");
    /** Words of a Spring profile or Django settings module that name a development setup. */
    private static final Set<String> DEVELOPMENT_WORDS = Set.of("dev", "development", "local", "test", "testing", "debug");
    private static final Set<String> PRODUCTION_WORDS = Set.of("prod", "production");
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[^A-Za-z0-9]+");

    /** What an environment variable must hold to say production. */
    private record Production(String rule, Predicate<String> test) {
    }

    private static Map<String, Production> environmentNames() {
        Production exact = new Production("exactly production", "production"::equals);
        Map<String, Production> m = new LinkedHashMap<>();
        m.put("NODE_ENV", exact);
        m.put("RAILS_ENV", exact);
        m.put("RACK_ENV", exact);
        m.put("FLASK_ENV", exact);
        m.put("MIX_ENV", new Production("exactly prod (Mix.env is an atom)", "prod"::equals));
        Production dotnet = new Production("Production, in any case", "production"::equalsIgnoreCase);
        m.put("ASPNETCORE_ENVIRONMENT", dotnet);
        m.put("DOTNET_ENVIRONMENT", dotnet);
        m.put("APP_ENV", new Production("exactly production or prod", v -> v.equals("production") || v.equals("prod")));
        Production any = new Production("production or prod", v -> PRODUCTION_WORDS.contains(v.toLowerCase(Locale.ROOT)));
        m.put("ENVIRONMENT", any);
        m.put("ENV", any);
        return Collections.unmodifiableMap(m);
    }

    @Override
    CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out) {
        List<String> judged = new ArrayList<>();
        List<String> environments = new ArrayList<>();
        List<String> environmentElsewhere = new ArrayList<>();
        boolean environmentStated = false;
        for (Variable v : file.env().variables()) {
            String name = v.name().toUpperCase(Locale.ROOT);
            boolean debug = DEBUG_FLAGS.contains(name);
            Production production = ENVIRONMENT_NAMES.get(name);
            boolean profile = name.equals("SPRING_PROFILES_ACTIVE") || name.equals("DJANGO_SETTINGS_MODULE");
            boolean logLevel = isLogLevel(name) || name.equals("RUST_LOG");
            if (!debug && production == null && !profile && !logLevel) {
                continue;
            }
            Resolved r = file.env().resolved(v);
            if (r == null || !r.complete()) {
                out.evidence(v.name() + " (line " + v.line() + ") comes from " + (r == null ? "the environment (a bare name)"
                        : String.join(", ", r.references())) + ": not judged");
                if (production != null || profile) {
                    environmentElsewhere.add(v.name());
                }
                continue;
            }
            String value = r.text();
            String shown = v.name() + "=" + EnvFiles.shown(value) + (r.expanded() ? " (" + r.how() + ")" : "");
            judged.add(v.name() + "=" + EnvFiles.shown(value));
            Finding f;
            if (debug) {
                f = debug(name, value, shown, file);
            } else if (production != null) {
                environmentStated = true;
                if (production.test().test(value)) {
                    environments.add(v.name() + "=" + value);
                    f = null;
                } else {
                    f = Finding.fail("env.production.environment", value.isEmpty() ? v.name() + " is empty in " + file.shown()
                            : shown + " is not production in " + file.shown() + " (" + v.name() + " must be " + production.rule() + ")");
                }
            } else if (profile) {
                f = profile(name, value, shown, file);
                environmentStated |= f != null;
                if (f == null && words(name.equals("DJANGO_SETTINGS_MODULE") ? lastPart(value) : value).stream()
                        .anyMatch(PRODUCTION_WORDS::contains)) {
                    environments.add(v.name() + "=" + value);
                }
            } else {
                f = logLevel(name, value, shown, file);
            }
            if (f != null) {
                out.finding(f.at(file.shown(), v.line()));
            }
        }
        if (environments.isEmpty() && !environmentStated) {
            String why = environmentElsewhere.isEmpty() ? "none of " + String.join(", ", ENVIRONMENT_NAMES.keySet())
                    + " says production in it" : String.join(", ", environmentElsewhere) + " comes from elsewhere";
            out.finding(Finding.warn("env.production.environment-unset", file.shown() + " does not state the environment ("
                    + why + ")").at(file.shown(), null));
        }
        if (!judged.isEmpty()) {
            out.evidence("judged: " + String.join(", ", judged));
        }
        return out.result(file.shown() + " configures production: " + String.join(", ", environments)
                + ", no debug flag or verbose log level on");
    }

    /** The finding a debug flag earns, read as the framework that reads it does. */
    private static Finding debug(String name, String value, String shown, EnvFiles.Judged file) {
        String lower = value.toLowerCase(Locale.ROOT);
        boolean on = switch (name) {
            case "FLASK_DEBUG" -> !value.isEmpty() && !Set.of("0", "false", "no").contains(lower);
            case "APP_DEBUG" -> !Set.of("", "0", "false", "(false)", "null", "(null)", "empty", "(empty)").contains(lower);
            default -> EnvFiles.truthy(value);
        };
        if (on) {
            return Finding.fail("env.production.debug", shown + " turns debug mode on in " + file.shown());
        }
        if (!name.equals("DEBUG")) {
            return null;
        }
        // The Node debug module reads DEBUG as a list of namespaces to print: "app:*", "*", "express".
        if (value.contains("*") || value.contains(":")) {
            return Finding.fail("env.production.debug", shown + " makes Node's debug module print the namespaces it names, in "
                    + file.shown());
        }
        if (!Set.of("", "false", "0", "no", "off", "n", "none").contains(EnvFile.pythonStrip(lower))) {
            return Finding.warn("env.production.debug-namespaces", shown + " makes Node's debug module print the namespace "
                    + "it names, in " + file.shown() + " (set DEBUG=false, or remove it)");
        }
        return null;
    }

    private static Finding profile(String name, String value, String shown, EnvFiles.Judged file) {
        if (name.equals("SPRING_PROFILES_ACTIVE")) {
            for (String profile : value.split(",", -1)) {
                if (words(profile).stream().anyMatch(DEVELOPMENT_WORDS::contains)) {
                    return Finding.fail("env.production.environment", shown + " activates the development profile "
                            + EnvFiles.shown(profile.strip()) + " in " + file.shown());
                }
            }
            return null;
        }
        if (words(lastPart(value)).stream().anyMatch(DEVELOPMENT_WORDS::contains)) {
            return Finding.fail("env.production.environment", shown + " loads development settings in " + file.shown());
        }
        return null;
    }

    private static Finding logLevel(String name, String value, String shown, EnvFiles.Judged file) {
        String level = EnvFile.pythonStrip(value).toLowerCase(Locale.ROOT);
        if (name.equals("RUST_LOG")) {
            List<String> words = words(level);
            String verbose = words.contains("trace") ? "trace" : words.contains("debug") ? "debug" : null;
            return verbose == null ? null : Finding.fail("env.production.log-level", shown + " logs at " + verbose
                    + " level in " + file.shown());
        }
        if (VERBOSE_LEVELS.contains(level)) {
            return Finding.fail("env.production.log-level", shown + " logs at " + level + " level in " + file.shown());
        }
        if (EnvFiles.integer(level) != null && EnvFiles.integer(level) < 20) {
            return Finding.fail("env.production.log-level", shown + " logs below level 20, Python's INFO (10 is DEBUG), in "
                    + file.shown());
        }
        return null;
    }

    private static List<String> words(String text) {
        return WORD_SEPARATORS.splitAsStream(text.toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty()).toList();
    }

    private static String lastPart(String module) {
        String m = module.strip();
        return m.substring(m.lastIndexOf('.') + 1);
    }

    private static boolean isLogLevel(String name) {
        return name.equals("LOG_LEVEL") || name.equals("LOGLEVEL") || name.endsWith("_LOG_LEVEL")
                || name.equals("LOGGING_LEVEL") || name.startsWith("LOGGING_LEVEL_");
    }
}
