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
import dev.airworthy.checks.env.EnvFile.Resolved;
import dev.airworthy.checks.env.EnvFile.Variable;
import dev.airworthy.checks.secrets.SecretValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
                References are expanded against the definitions before them, as compose does: \
                `DB_PASSWORD=${WEAK}` is judged as the value `WEAK` has in the file, and \
                `${DB_PASSWORD:-postgres}` by its fallback (nested fallbacks too), since that is what the \
                service gets when the environment does not set the name; single-quoted values are literal \
                (`'$admin'` is six characters). A value that comes only from names the file does not define \
                (`${DB_PASSWORD}`, a bare `NAME` line) is fine: the secret comes from elsewhere; a bare \
                `$name` with a lower-case letter is also judged as the literal python-dotenv reads it as. \
                A well-known default (`postgres`, `changeme`, `password`, `admin`, `secret`, `dev`, ...) or a \
                generated development key (`django-insecure-...`) fails with `env.secrets-strong.default`; \
                a placeholder or an empty value (`<your-key>`, `your_token_here`, `xxx`, `dummy`) fails with \
                `env.secrets-strong.placeholder`; a value shorter than `min-length`, with little entropy, or \
                predictable (a sequence such as `abcdef...` or `0123...`, a keyboard walk, a repeated pattern, \
                dictionary words with digits such as `Password123456789`, the variable's own name, base64 of \
                a weak text) fails with `env.secrets-strong.weak`. In example files (`*.example`, \
                `*.sample`, `*.template`) only a clearly marked placeholder passes: `<...>`, `your_...`, \
                `changeme`, `replace-me`, `xxx`, `...`, `todo`, an empty value or a comment (`KEY=  # fill in`: \
                python-dotenv and compose read the comment as the value, which fails elsewhere); `changeme` is a working \
                password too, so it passes in example files only. Values never appear in the report: a \
                finding shows a short prefix and the length. When the file has no secret at all, the item \
                is skipped.""",
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

    @Override
    CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out) {
        int minLength = (int) ctx.params().integer("min-length");
        int judged = 0;
        List<String> elsewhere = new ArrayList<>();
        for (Variable v : file.env().variables()) {
            Resolved r = file.env().resolved(v);
            boolean secretName = SecretValues.isSecretName(v.name());
            int[] password = secretName || r == null ? null : urlPassword(r.text());
            if (!secretName && password == null) {
                continue;
            }
            String what = secretName ? v.name() : "the password in " + v.name();
            // A bare name (no '=') is given its value by the environment, like a reference.
            if (r == null) {
                elsewhere.add(v.name());
                continue;
            }
            int from = password == null ? 0 : password[0];
            int to = password == null ? r.text().length() : password[1];
            if (r.outside(from, to)) {
                String literal = literalReading(v, r, password != null);
                if (literal == null) {
                    elsewhere.add(v.name());
                    continue;
                }
                judged++;
                Finding f = judge(secretName ? v.name() : null, what + " (as python-dotenv reads it, without expanding $name)",
                        literal, file, minLength);
                if (f != null) {
                    out.finding(f.at(file.shown(), v.line()));
                }
                continue;
            }
            judged++;
            String value = EnvFile.pythonStrip(r.text().substring(from, to));
            Finding f = judge(secretName ? v.name() : null, what + (r.expanded() ? " " + r.how() : ""), value, file, minLength);
            if (f != null) {
                out.finding(f.at(file.shown(), v.line()));
            }
        }
        if (judged == 0 && elsewhere.isEmpty()) {
            throw new NotApplicable(file.shown() + " holds no variable named like a secret and no URL with a password");
        }
        out.evidence(judged + " secret" + (judged == 1 ? "" : "s") + " judged (min-length " + minLength + ")"
                + (elsewhere.isEmpty() ? "" : "; from the environment, not judged: " + String.join(", ", elsewhere)));
        return out.result(judged == 0 ? "every secret in " + file.shown() + " comes from the environment"
                : "no default, placeholder or weak secret in " + file.shown() + " (" + judged + " judged)");
    }

    /**
     * python-dotenv expands only {@code ${NAME}}: it reads {@code $postgres} as those nine
     * characters. When the secret's open part is a bare reference with a lower-case letter (not the
     * way environment variables are named), the secret as python-dotenv reads it is returned, to be
     * judged; otherwise null.
     */
    private static String literalReading(Variable v, Resolved r, boolean url) {
        boolean lowerCaseBare = r.bareReferencesOnly() && r.references().stream().anyMatch(ref -> !ref.equals(ref.toUpperCase(Locale.ROOT)));
        if (!lowerCaseBare || v.quoting() == EnvFile.Quoting.SINGLE || v.text().contains("${")) {
            return null;
        }
        String literal = v.text();
        int[] password = url ? urlPassword(literal) : null;
        if (url && password == null) {
            return null;
        }
        return EnvFile.pythonStrip(password == null ? literal : literal.substring(password[0], password[1]));
    }

    /**
     * The finding a secret's value earns, or null. In example files a clearly marked placeholder
     * ({@code <your-key>}, {@code your_token_here}, {@code changeme}) is what the file is for; a
     * well-known default or a generated value ({@code django-insecure-...}) is copied as it is, and
     * fails there too.
     */
    private static Finding judge(String name, String what, String value, EnvFiles.Judged file, int minLength) {
        // "KEY=  # generate one": the whitespace after '=' is skipped, so the comment is the value.
        boolean comment = value.startsWith("#");
        if (file.example() && (comment || SecretValues.isMarkedPlaceholder(value))) {
            return null;
        }
        String shown = value.isEmpty() ? what : what + " (" + SecretValues.masked(value) + ")";
        if (comment) {
            return Finding.fail("env.secrets-strong.placeholder", shown + " is the text of a comment: after '=' whitespace is "
                    + "skipped and '#' starts the value, so the secret is that text");
        }
        if (SecretValues.isDefault(value)) {
            return Finding.fail("env.secrets-strong.default", shown + " is a well-known default");
        }
        if (!file.example() && SecretValues.isPlaceholderValue(value)) {
            return Finding.fail("env.secrets-strong.placeholder", shown + (value.isEmpty() ? " is empty" : " is a placeholder")
                    + " in " + file.shown() + ", not an example file");
        }
        String weakness = name == null ? SecretValues.weakness(value, minLength) : SecretValues.weakness(name, value, minLength);
        if (weakness != null) {
            return Finding.fail("env.secrets-strong.weak", shown + " " + weakness);
        }
        return null;
    }

    /** Where the password of a {@code scheme://user:password@host} value is ({start, end}), or null when there is none. */
    static int[] urlPassword(String value) {
        int scheme = value.indexOf("://");
        if (scheme < 1 || scheme > 32) {
            return null;
        }
        int end = scheme + 3;
        while (end < value.length() && "/?#".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        int at = value.lastIndexOf('@', end - 1);
        int colon = at <= scheme ? -1 : value.indexOf(':', scheme + 3);
        if (colon < 0 || colon > at) {
            return null;
        }
        return new int[] {colon + 1, at};
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
