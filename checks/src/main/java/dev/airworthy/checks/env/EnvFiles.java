package dev.airworthy.checks.env;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.checks.env.EnvFile.EnvSyntaxError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Which env file the {@code env.*} checks judge, and how they name it. */
final class EnvFiles {
    /** Tried in this order when {@code file} is not given: the production file first, the generic one last. */
    static final List<String> DEFAULTS = List.of(".env.production", ".env.prod", ".env.production.example", ".env.example", ".env");
    static final String FILE_DESCRIPTION = "The env file to judge, relative to the repository (or absolute); when it does not "
            + "exist the item is an error. Default: the first that exists of `.env.production`, `.env.prod`, "
            + "`.env.production.example`, `.env.example`, `.env`; none: skipped. "
            + "The file is read even when `.gitignore` lists it: a real env file should be ignored.";
    private static final List<String> EXAMPLE_SUFFIXES = List.of(".example", ".sample", ".template");
    /** Digits with single underscores between them, as Python's int() takes them; short enough for an int. */
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d(?:_?\\d){0,8}");
    private static final int SHOWN = 80;

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
     * @throws NotApplicable when no default exists
     * @throws IOException when the file named by {@code file} does not exist or cannot be read
     * @throws EnvSyntaxError when it is not dotenv syntax
     */
    static Judged load(CheckContext ctx) throws IOException, EnvSyntaxError {
        Path repo = ctx.repo();
        String given = ctx.params().optionalString("file").orElse(null);
        Path path;
        if (given != null) {
            path = repo.resolve(given).normalize();
            if (!Files.isRegularFile(path)) {
                // The checklist names the file: its absence is a broken checklist or deployment, not "nothing to judge".
                throw new IOException("file " + given + (Files.exists(path) ? " is not a regular file" : " does not exist"));
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

    /**
     * True as django-environ's {@code env.bool} reads it (and Python settings modules copy it): an
     * integer other than 0, or {@code true}, {@code on}, {@code ok}, {@code y}, {@code yes}, without
     * case, trimmed.
     */
    static boolean truthy(String value) {
        String v = EnvFile.pythonStrip(value);
        Integer n = integer(v);
        if (n != null) {
            return n != 0;
        }
        return Set.of("true", "on", "ok", "y", "yes", "1").contains(v.toLowerCase(Locale.ROOT));
    }

    /** The value as Python's {@code int()} reads a short one ({@code +1}, {@code 1_0}, {@code 007}), or null. */
    static Integer integer(String value) {
        String v = EnvFile.pythonStrip(value);
        if (!INTEGER.matcher(v).matches()) {
            return null;
        }
        return Integer.parseInt(v.replace("_", "").replace("+", ""));
    }

    /** A value as findings and evidence show it (not for secrets): control characters escaped, at most 80 characters. */
    static String shown(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length() && b.length() < SHOWN; i++) {
            char c = value.charAt(i);
            b.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : c < ' ' || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        boolean cut = b.length() >= SHOWN && value.length() > SHOWN;
        String s = cut ? b.substring(0, SHOWN) + "…" : b.toString();
        return value.isEmpty() || !s.equals(s.strip()) || s.contains(" ") ? "\"" + s + "\"" : s;
    }
}
