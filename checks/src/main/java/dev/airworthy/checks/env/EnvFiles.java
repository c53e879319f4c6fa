package dev.airworthy.checks.env;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.checks.env.EnvFile.EnvSyntaxError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Which env file the {@code env.*} checks judge, and how they name it. */
final class EnvFiles {
    /** Tried in this order when {@code file} is not given: the production file first, the generic one last. */
    static final List<String> DEFAULTS = List.of(".env.production", ".env.prod", ".env.production.example", ".env.example", ".env");
    static final String FILE_DESCRIPTION = "The env file to judge, relative to the repository (or absolute). Default: the first that "
            + "exists of `.env.production`, `.env.prod`, `.env.production.example`, `.env.example`, `.env`; none: skipped. "
            + "The file is read even when `.gitignore` lists it: a real env file should be ignored.";
    private static final List<String> EXAMPLE_SUFFIXES = List.of(".example", ".sample", ".template");

    private EnvFiles() {
    }

    /** The file judged: where it is, how it is named in findings, and whether it is an example. */
    record Judged(Path path, String shown, EnvFile env) {
        boolean example() {
            return isExample(path.getFileName().toString());
        }

        /** Named for production ({@code .env.production}, {@code .env.prod}, {@code prod.env}). */
        boolean production() {
            return path.getFileName().toString().toLowerCase(Locale.ROOT).contains("prod");
        }

        /** The evidence line that says which file was judged. */
        String describe() {
            return shown + (example() ? " (an example file, judged as the configuration it proposes)" : "") + ": "
                    + env.size() + " variable" + (env.size() == 1 ? "" : "s");
        }
    }

    /**
     * Reads the file named by {@code file}, or the first default that exists.
     *
     * @throws NotApplicable when there is none
     * @throws EnvSyntaxError when it is not dotenv syntax
     */
    static Judged load(CheckContext ctx) throws IOException, EnvSyntaxError {
        Path repo = ctx.repo();
        String given = ctx.params().optionalString("file").orElse(null);
        Path path;
        if (given != null) {
            path = repo.resolve(given).normalize();
            if (!Files.isRegularFile(path)) {
                throw new NotApplicable(given + " does not exist" + (Files.exists(path) ? " as a file" : ""));
            }
        } else {
            // Fixed names, not a walk of the tree: a production env file is (rightly) git-ignored.
            path = DEFAULTS.stream().map(repo::resolve).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new NotApplicable("no env file in the repository (" + String.join(", ", DEFAULTS) + ")"));
        }
        String shown = path.startsWith(repo) ? repo.relativize(path).toString().replace('\\', '/') : path.toString();
        return new Judged(path, shown, EnvFile.read(path, shown));
    }

    static boolean isExample(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return EXAMPLE_SUFFIXES.stream().anyMatch(n::endsWith);
    }

    /** {@code true}, {@code 1}, {@code yes}, {@code on}, without case. */
    static boolean truthy(String value) {
        return List.of("true", "1", "yes", "on").contains(value.strip().toLowerCase(Locale.ROOT));
    }
}
