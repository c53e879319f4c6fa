package dev.airworthy.checks.env;

import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Params;
import dev.airworthy.checks.env.EnvFile.EnvSyntaxError;
import java.io.IOException;
import java.util.List;

/**
 * The common part of the checks of one env file: finds and reads it, says which it judged, and ends
 * in error when it does not parse. Subclasses implement {@link Check} themselves.
 */
abstract class EnvFileCheck {

    public CheckResult run(CheckContext ctx) throws IOException {
        EnvFiles.Judged file;
        try {
            file = EnvFiles.load(ctx);
        } catch (EnvSyntaxError e) {
            return new Outcome().error(e.getMessage());
        }
        Outcome out = new Outcome().evidence(file.describe());
        return judge(ctx, file, out);
    }

    /** Judges the file's variables into {@code out} and returns its result. */
    abstract CheckResult judge(CheckContext ctx, EnvFiles.Judged file, Outcome out);

    public List<String> validate(Params p) {
        return p.optionalString("file").filter(String::isBlank).isPresent() ? List.of("file is empty") : List.of();
    }
}
