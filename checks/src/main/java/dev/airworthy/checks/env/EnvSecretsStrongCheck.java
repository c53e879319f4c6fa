package dev.airworthy.checks.env;

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
import dev.airworthy.checks.env.EnvFile.Variable;
import dev.airworthy.checks.secrets.SecretValues;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@AutoService(Check.class)
@CheckInfo(
        id = "env.secrets-strong",
        title = "Env file secrets are strong",
        category = Category.CONFIGURATION,
        severity = Severity.CRITICAL,
        summary = """
                Judges every variable of the env file named like a secret (`PASSWORD`, `SECRET`, `TOKEN`, \
                `KEY`, `PEPPER`, `SALT`, `CREDENTIALS`, ...; not `PUBLIC_KEY`, `PASSWORD_FILE`, \
                `TOKEN_TTL`), and the password in any URL value (`DATABASE_URL=postgres://app:pw@db/app`). \
                A well-known default (`postgres`, `changeme`, `password`, `admin`, `secret`, `dev`, ...) \
                fails with `env.secrets-strong.default`, in example files too (a working default is copied as it is); a placeholder or an empty value (`<your-key>`, \
                `your_token_here`, `xxx`) fails with `env.secrets-strong.placeholder`, except in example \
                files (`*.example`, `*.sample`, `*.template`), where marking what to fill in is their job; a \
                value shorter than `min-length` or with little entropy fails with `env.secrets-strong.weak`. \
                A `${VAR}` reference, or a bare `NAME` line, is fine: the secret comes from elsewhere; but the \
                fallback of `${VAR:-fallback}` is judged like a value, since compose uses it when `VAR` is unset. Values never appear in the \
                report: a finding shows a short prefix and the length. When the file has no secret at all, the \
                item is skipped.""",
        rationale = """
                Default and tutorial passwords are the first thing an attacker tries, and an env file copied \
                from `.env.example` keeps them until someone notices. A short or repetitive signing key \
                (`JWT_SECRET=secret123`) lets anyone forge sessions offline; a placeholder left in production \
                either breaks logins or is a password the whole internet knows.""",
        remediation = """
                Generate each secret (`openssl rand -base64 32`), keep it in the deployment's secret store, and \
                give the service a reference (`DB_PASSWORD=${DB_PASSWORD}`) or the secret store's file. In \
                example files write an obvious placeholder (`JWT_SECRET=<generate with openssl rand -base64 32>`), \
                never a working default.""",
        example = """
                - id: env-secrets
                  title: No default or weak secrets in the env file
                  check: env.secrets-strong
                  with: { file: .env.production, min-length: 20 }""",
        references = {"https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
            "https://cwe.mitre.org/data/definitions/1392.html",
            "https://cwe.mitre.org/data/definitions/521.html"},
        params = {
            @Param(name = "file", description = EnvFiles.FILE_DESCRIPTION),
            @Param(name = "min-length", type = ParamType.INTEGER, defaultValue = "16", description = "The fewest characters a "
                    + "secret may have. 16 random characters are about 95 bits: enough for a password nobody types; signing "
                    + "keys want 32 or more.")
        })
public final class EnvSecretsStrongCheck extends EnvFileCheck implements Check {
    /** {@code ${NAME:-fallback}} or {@code ${NAME-fallback}}, the whole value. */
    private static final Pattern FALLBACK = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]{0,100}:?-([^}]{0,512})}");

    @Override
    CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out) {
        int minLength = (int) ctx.params().integer("min-length");
        int literal = 0;
        List<String> referenced = new ArrayList<>();
        for (Variable v : file.env().variables()) {
            String what;
            String value;
            if (SecretValues.isSecretName(v.name())) {
                what = v.name();
                value = v.value();
            } else {
                value = urlPassword(v.text());
                if (value == null) {
                    continue;
                }
                what = "the password in " + v.name();
            }
            // A bare name (no '=') is given its value by the environment, like a reference.
            if (value == null || SecretValues.isReference(value)) {
                referenced.add(v.name());
                // ${DB_PASSWORD:-postgres}: compose interpolates env files, and uses the fallback when the variable is unset.
                Matcher fallback = value == null ? null : FALLBACK.matcher(value.strip());
                if (fallback != null && fallback.matches() && !fallback.group(1).isEmpty()
                        && !SecretValues.isReference(fallback.group(1))) {
                    Finding f = judge("the fallback of " + what, fallback.group(1), file, minLength);
                    if (f != null) {
                        out.finding(f.at(file.shown(), v.line()));
                    }
                }
                continue;
            }
            literal++;
            Finding f = judge(what, value.strip(), file, minLength);
            if (f != null) {
                out.finding(f.at(file.shown(), v.line()));
            }
        }
        if (literal == 0 && referenced.isEmpty()) {
            throw new NotApplicable(file.shown() + " holds no variable named like a secret and no URL with a password");
        }
        out.evidence(literal + " literal secret" + (literal == 1 ? "" : "s") + " judged (min-length " + minLength + ")"
                + (referenced.isEmpty() ? "" : "; from references, not judged: " + String.join(", ", referenced)));
        return out.result(literal == 0 ? "every secret in " + file.shown() + " comes from a reference"
                : "no default, placeholder or weak secret in " + file.shown() + " (" + literal + " judged)");
    }

    /** The finding a secret's value earns, or null. Placeholders are what example files are for. */
    private static Finding judge(String what, String value, EnvFiles.Judged file, int minLength) {
        if (file.example() && SecretValues.isPlaceholder(value)) {
            return null;
        }
        String shown = value.isEmpty() ? what : what + " (" + SecretValues.masked(value) + ")";
        if (SecretValues.isDefault(value)) {
            return Finding.fail("env.secrets-strong.default", shown + " is a well-known default");
        }
        if (SecretValues.isPlaceholder(value)) {
            return Finding.fail("env.secrets-strong.placeholder", shown + (value.isEmpty() ? " is empty" : " is a placeholder")
                    + " in " + file.shown() + ", not an example file");
        }
        String weakness = SecretValues.weakness(value, minLength);
        if (weakness != null) {
            return Finding.fail("env.secrets-strong.weak", shown + " " + weakness);
        }
        return null;
    }

    /** The password of a {@code scheme://user:password@host} value, or null when there is none. */
    static String urlPassword(String value) {
        int scheme = value.indexOf("://");
        if (scheme < 1 || scheme > 32) {
            return null;
        }
        int end = scheme + 3;
        while (end < value.length() && "/?#".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        String authority = value.substring(scheme + 3, end);
        int at = authority.lastIndexOf('@');
        int colon = at < 0 ? -1 : authority.indexOf(':');
        if (colon < 0 || colon > at) {
            return null;
        }
        return authority.substring(colon + 1, at);
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>(super.validate(p));
        long min = p.integer("min-length");
        if (min < 1 || min > 1024) {
            problems.add("min-length " + min + " is not between 1 and 1024");
        }
        return problems;
    }
}
