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
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.env.EnvFile.Resolved;
import dev.airworthy.checks.env.EnvFile.Variable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "env.required",
        title = "Required environment variables are set",
        category = Category.CONFIGURATION,
        severity = Severity.HIGH,
        summary = """
                Each variable in `vars` is set and not empty: in the env file (`from: file`, the default; \
                the file is found as for the other `env.*` checks, and the item is skipped when there is \
                none), or in the environment airworthy itself runs in (`from: process`, for a gate that runs \
                in the deployment's own environment, such as a release job). In the file, references are \
                expanded against the definitions before them (`${VAR}`, `$VAR`, `${VAR:-fallback}`). A \
                missing variable fails with `env.required.missing`; one that is empty, that expands to \
                nothing (`X=${EMPTY}`, `X=${UNSET:-}`), that holds only a comment (`X=  # set me`: the \
                comment becomes the value), or a bare `NAME` line without `=`, fails with \
                `env.required.empty`; one whose value depends on a name the file does not define \
                (`DATABASE_URL=${DATABASE_URL}`, `postgres://${DB_HOST}/app`) fails with \
                `env.required.unresolved`: the file does not set it, the environment the service starts in \
                must (check that with `from: process`). Values are never shown, only their length and the \
                names they come from: required variables are often secrets.""",
        rationale = """
                A service started without `DATABASE_URL` or `SENTRY_DSN` either crashes at its first request or, \
                worse, falls back to a default (a local SQLite file, no error reporting) and looks healthy. \
                Checking the list before go-live turns a 3 a.m. surprise into a red line in the pipeline.""",
        remediation = """
                Add the missing variables to the env file the deployment uses (or to the platform's \
                configuration, for `from: process`), with real values. Keep the list in the checklist in step \
                with what the service reads at start-up.""",
        example = """
                - id: env-required
                  title: Production configuration is complete
                  check: env.required
                  with: { vars: [DATABASE_URL, REDIS_URL, SENTRY_DSN], file: .env.production }""",
        references = {"https://12factor.net/config"},
        params = {
            @Param(name = "vars", type = ParamType.STRING_LIST, required = true, description = "The names of the variables "
                    + "that must be set."),
            @Param(name = "from", defaultValue = "file", description = "`file`: the env file; `process`: the environment "
                    + "airworthy runs in."),
            @Param(name = "file", description = EnvFiles.FILE_DESCRIPTION + " Only with `from: file`.")
        })
public final class EnvRequiredCheck extends EnvFileCheck implements Check {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        if (!ctx.params().string("from").equals("process")) {
            return super.run(ctx);
        }
        Outcome out = new Outcome().evidence("the environment of the airworthy process");
        for (String name : ctx.params().list("vars")) {
            Optional<String> value = Optional.ofNullable(System.getenv(name));
            judge(name, value, out);
        }
        return out.result(passMessage(ctx, "the environment"));
    }

    @Override
    CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out) {
        String where = file.shown();
        for (String name : ctx.params().list("vars")) {
            Optional<Variable> found = file.env().get(name);
            if (found.isEmpty()) {
                out.finding(Finding.fail("env.required.missing", name + " is not set in " + where).at(where, null));
                continue;
            }
            Variable v = found.get();
            Resolved r = file.env().resolved(v);
            String how = r != null && r.expanded() ? " (" + r.how() + ")" : "";
            if (r == null) {
                out.finding(Finding.fail("env.required.empty", name + " is a bare name without a value in " + where)
                        .at(where, v.line()));
            } else if (!r.complete()) {
                out.finding(Finding.fail("env.required.unresolved", name + " comes from " + references(r)
                        + how + ", which " + where + " does not define: the environment must set it").at(where, v.line()));
            } else if (EnvFile.pythonStrip(r.text()).isEmpty()) {
                out.finding(Finding.fail("env.required.empty", name + " is empty in " + where + how).at(where, v.line()));
            } else if (r.text().startsWith("#") && v.quoting() == EnvFile.Quoting.NONE) {
                // "VAR=  # set me": the whitespace after '=' is skipped, and the comment becomes the value.
                out.finding(Finding.fail("env.required.empty", name + " holds only a comment in " + where
                        + " ('#' right after '=' starts the value, not a comment)").at(where, v.line()));
            } else {
                // The length and the names it came from only: never the value, nor a fallback's content.
                out.evidence(name + ": set (" + r.text().length() + " chars)" + how + ", line " + v.line());
            }
        }
        return out.result(passMessage(ctx, where));
    }

    /**
     * The references a value depends on, by name: {@code ${NAME}} ones as written; a bare
     * {@code $name} may be part of a secret that holds a dollar, so it is only counted.
     */
    private static String references(Resolved r) {
        List<String> named = r.references().stream().filter(ref -> ref.startsWith("${")).toList();
        long bare = r.references().size() - named.size();
        List<String> parts = new ArrayList<>(named);
        if (bare > 0) {
            parts.add(bare == 1 ? "a bare $reference" : bare + " bare $references");
        }
        return String.join(", ", parts);
    }

    private static void judge(String name, Optional<String> value, Outcome out) {
        if (value.isEmpty()) {
            out.finding(Finding.fail("env.required.missing", name + " is not set in the environment"));
        } else if (value.get().isBlank()) {
            out.finding(Finding.fail("env.required.empty", name + " is empty in the environment"));
        } else {
            out.evidence(name + ": set (" + value.get().length() + " chars)");
        }
    }

    private static String passMessage(CheckContext ctx, String where) {
        int n = ctx.params().list("vars").size();
        return (n == 1 ? ctx.params().list("vars").getFirst() + " is" : "all " + n + " variables are") + " set in " + where;
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(super.validate(p));
        if (p.list("vars").isEmpty()) {
            problems.add("vars lists nothing");
        }
        for (String v : p.list("vars")) {
            if (!NAME.matcher(v).matches()) {
                problems.add("'" + v + "' is not a variable name");
            }
        }
        String from = p.string("from");
        if (!from.equals("file") && !from.equals("process")) {
            problems.add("from must be file or process, not '" + from + "'");
        } else if (from.equals("process") && p.has("file")) {
            problems.add("file is read only with from: file; remove it or remove from: process");
        }
        return problems;
    }
}
