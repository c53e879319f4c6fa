package dev.airworthy.checks.repo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a command that runs tests in a shell script from a CI file: {@code npm test}, {@code pytest},
 * {@code mvn verify}, {@code ./gradlew check}, {@code go test ./...}, {@code make test} and the like,
 * also behind wrappers ({@code poetry run}, {@code bundle exec}, {@code npx}, {@code docker compose run},
 * {@code sh -c "..."}). Installing a test tool ({@code pip install pytest}) or skipping tests
 * ({@code mvn package -DskipTests}, {@code gradle build -x test}) is not running them.
 */
final class TestCommands {
    static final int MAX_SCRIPT = 256 * 1024;
    private static final int MAX_NESTING = 4;

    /** Test runners that run tests when invoked at all. */
    private static final Set<String> RUNNERS = Set.of(
            "pytest", "py.test", "tox", "nox", "nose2", "nosetests", "green", "ward", "behave",
            "jest", "vitest", "mocha", "ava", "tap", "karma", "jasmine", "uvu", "tape", "qunit",
            "rspec", "cucumber", "minitest", "phpunit", "pest", "paratest", "codecept",
            "ctest", "gotestsum", "ginkgo", "prove", "busted", "elm-test", "robot", "vstest.console", "testem");
    /** Tools whose next word is a subcommand, and the subcommands that run tests. */
    private static final Set<String> TEST_SUBCOMMAND_TOOLS = Set.of(
            "go", "richgo", "cargo", "cross", "dotnet", "bazel", "bazelisk", "buck", "buck2", "pants", "swift", "flutter", "dart",
            "deno", "stack", "cabal", "mix", "lein", "meson", "zig", "xcodebuild", "hatch", "rye", "rails", "rake",
            "composer", "ant", "sbt", "mill", "spin", "pixi", "cypress", "playwright");
    private static final Set<String> SCRIPT_RUNNERS = Set.of("npm", "yarn", "pnpm", "bun");
    private static final Set<String> TASK_RUNNERS = Set.of("turbo", "nx", "lerna", "rush");
    private static final Set<String> TEST_PARTS = Set.of("test", "tests", "spec", "specs", "e2e", "unittest", "unittests",
            "pytest", "jest", "vitest", "coverage", "cov", "integration", "unit");
    private static final Set<String> MAKE_LIKE = Set.of("make", "gmake", "just", "task", "mage", "invoke", "nmake");
    private static final Set<String> NOT_COMMANDS = Set.of(
            "echo", "printf", "cat", "which", "command", "type", "export", "cd", "ls", "mkdir", "rm", "cp", "mv", "touch",
            "curl", "wget", "git", "apt", "apt-get", "apk", "yum", "dnf", "brew", "choco", "pip", "pip3", "pipx", "conda",
            "mamba", "gem", "chmod", "chown", "tar", "unzip", "test", "[", "[[");
    private static final Set<String> PREFIXES = Set.of("sudo", "env", "time", "nice", "nohup", "exec", "then", "do", "else",
            "if", "while", "until", "!", "{", "xvfb-run", "stdbuf", "unbuffer");

    /** Arguments that make a runner list, compile, describe or ignore failures instead of running tests to a verdict. */
    private static final Set<String> NOT_RUNNING_FLAGS = Set.of(
            "--collect-only", "--co", "--no-run", "--listtests", "--list-tests", "--list", "--dry-run", "-h", "--help", "-help",
            "--version", "-version", "--exit-zero", "--showconfig", "--show-config", "--fixtures", "--markers");
    /** Name parts of scripts and targets that do something other than run tests ({@code test:lint}, {@code test-deps}). */
    private static final Set<String> NOT_TEST_PARTS = Set.of(
            "lint", "linter", "eslint", "format", "fmt", "prettier", "typecheck", "types", "tsc", "style", "deps", "dep",
            "dependencies", "install", "setup", "prepare", "build", "compile", "clean", "report", "reports", "docker", "image",
            "images", "env", "tools", "bootstrap", "data", "list", "help", "watch", "update", "snapshot", "snapshots", "generate",
            "gen", "mypy", "vet", "fixtures", "seed", "db", "cache");
    /** Maven properties that skip tests when set without a value or to true. */
    private static final Set<String> MAVEN_SKIP = Set.of("skiptests", "maven.test.skip", "maven.test.skip.exec", "skiputs",
            "maven.test.failure.ignore", "testfailureignore", "surefire.skip");
    private static final Set<String> TEST_SELECTORS = Set.of("-e", "--env", "-s", "--session", "--sessions", "-m", "--labels",
            "-k", "--keywords", "-t", "--tags");

    private TestCommands() {
    }

    /** A command that runs tests, and the index of the script line it starts on (0 for the first line). */
    record Match(String command, int lineIndex) {
    }

    /** The first command of {@code script} that runs tests (trimmed to one line), if any. */
    static Optional<Match> find(String script) {
        return find(script, 0);
    }

    private static Optional<Match> find(String script, int nesting) {
        if (script == null || nesting > MAX_NESTING) {
            return Optional.empty();
        }
        String s = script.length() > MAX_SCRIPT ? script.substring(0, MAX_SCRIPT) : script;
        boolean pipefail = s.contains("pipefail");
        List<Segment> all = new ArrayList<>();
        String[] lines = s.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            int start = i;
            StringBuilder logical = new StringBuilder();
            // A trailing backslash (sh) or backtick (PowerShell) continues the command on the next line.
            while (i < lines.length) {
                String l = lines[i++];
                String t = l.stripTrailing();
                if (t.endsWith("\\") || t.endsWith("`")) {
                    logical.append(t, 0, t.length() - 1).append(' ');
                } else {
                    logical.append(l);
                    break;
                }
            }
            for (Segment seg : segmentsWithOperators(logical.toString())) {
                all.add(new Segment(seg.words(), seg.op(), start));
            }
        }
        int ifFalse = 0;
        boolean notRun = false;
        for (int k = 0; k < all.size(); k++) {
            Segment seg = all.get(k);
            List<String> words = seg.words();
            String first = words.getFirst();
            if (notRun) {
                // "false && a && b": none of the chain runs.
                notRun = seg.op().equals("&&");
                continue;
            }
            if (ifFalse > 0) {
                if (first.equals("if")) {
                    ifFalse++;
                } else if (first.equals("fi")) {
                    ifFalse--;
                }
                if (!(ifFalse == 1 && (first.equals("else") || first.equals("elif")))) {
                    continue;
                }
                ifFalse = 0;
            }
            if ((first.equals("if") || first.equals("while")) && words.size() == 2 && words.get(1).equals("false")) {
                ifFalse = 1;
                continue;
            }
            if (words.size() == 1 && first.equals("false") && seg.op().equals("&&")) {
                notRun = true;
                continue;
            }
            if (runsTests(words, nesting) && !failureHidden(all, k, pipefail)) {
                return Optional.of(new Match(PythonRequirements.short40(String.join(" ", words)), seg.line()));
            }
        }
        return Optional.empty();
    }

    /** One simple command, the operator that follows it ({@code && || ; | & \n}), and its script line. */
    record Segment(List<String> words, String op, int line) {
    }

    /**
     * True when the test command at {@code k} cannot fail its step: {@code || anything} that does not
     * exit non-zero ({@code || true}, {@code || :}, {@code || echo}), {@code ; exit 0}, {@code ; true},
     * run in the background ({@code &}), or piped into another command without {@code pipefail}.
     */
    private static boolean failureHidden(List<Segment> all, int k, boolean pipefail) {
        String op = all.get(k).op();
        Segment next = k + 1 < all.size() ? all.get(k + 1) : null;
        return switch (op) {
            case "&" -> true;
            case "|" -> !pipefail;
            case "||" -> !failsAfter(all, k + 1);
            case ";", "\n" -> next != null && (next.words().equals(List.of("exit", "0")) || next.words().equals(List.of("true"))
                    || next.words().equals(List.of(":")));
            default -> false;
        };
    }

    /** True when the fallback starting at {@code from} ({@code exit 1}, {@code false}, {@code { echo; exit 1; }}) fails. */
    private static boolean failsAfter(List<Segment> all, int from) {
        boolean group = from < all.size() && all.get(from).words().getFirst().equals("{");
        for (int k = from; k < all.size() && k < from + 16; k++) {
            List<String> w = new ArrayList<>(all.get(k).words());
            w.removeIf(x -> x.equals("{") || x.equals("}"));
            if (!w.isEmpty()) {
                String first = w.getFirst();
                boolean exits = first.equals("exit") || first.equals("return");
                if (first.equals("false") || exits && (w.size() == 1 || !w.get(1).equals("0"))) {
                    return true;
                }
            }
            if (!group || all.get(k).words().contains("}")) {
                return false;
            }
        }
        return false;
    }

    /** Splits a shell line into commands at {@code && || ; | &}, words unquoted, a comment ending the line. */
    static List<List<String>> segments(String line) {
        return segmentsWithOperators(line).stream().map(Segment::words).toList();
    }

    private static List<Segment> segmentsWithOperators(String line) {
        List<Segment> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '&' && (i > 0 && line.charAt(i - 1) == '>' || i + 1 < n && line.charAt(i + 1) == '>')) {
                word.append(c); // 2>&1, &>file: a redirection, not an operator
                inWord = true;
            } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
                if (inWord) {
                    current.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                String op = String.valueOf(c);
                if ((c == '&' || c == '|') && i + 1 < n && line.charAt(i + 1) == c) {
                    op = op + c;
                    i++;
                } else if (c == '|' && i + 1 < n && line.charAt(i + 1) == '&') {
                    i++; // |& pipes stderr too
                }
                boolean paren = c == '(' || c == ')';
                if (!current.isEmpty()) {
                    out.add(new Segment(current, paren ? "" : op, 0));
                    current = new ArrayList<>();
                } else if (!paren && !out.isEmpty() && out.getLast().op().isEmpty()) {
                    // "(npm test) || true": the operator after a group applies to its last command.
                    out.add(new Segment(out.removeLast().words(), op, 0));
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    current.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            current.add(word.toString());
        }
        if (!current.isEmpty()) {
            out.add(new Segment(current, "\n", 0));
        } else if (!out.isEmpty() && out.getLast().op().isEmpty()) {
            out.add(new Segment(out.removeLast().words(), "\n", 0));
        }
        return out;
    }

    private static boolean runsTests(List<String> words, int nesting) {
        if (nesting > MAX_NESTING) {
            return false; // "npx npx npx ...": deeper than any real command line
        }
        int i = 0;
        // Leading VAR=value assignments and wrappers such as sudo, env, time, timeout 10m.
        while (i < words.size()) {
            String w = words.get(i);
            String t = tool(w);
            if (w.matches("[A-Za-z_][A-Za-z0-9_]{0,63}=.*") || PREFIXES.contains(t) || (w.startsWith("-") && i > 0)) {
                i++;
            } else if (t.equals("timeout") && i + 1 < words.size()) {
                i += 2;
            } else {
                break;
            }
        }
        if (i >= words.size()) {
            return false;
        }
        String tool = tool(words.get(i));
        List<String> args = words.subList(i + 1, words.size());
        if (NOT_COMMANDS.contains(tool)) {
            return false;
        }
        if (tool.equals("docker") || tool.equals("podman") || tool.equals("docker-compose") || tool.equals("nerdctl")) {
            return docker(args, nesting); // their own -h is --hostname; the command inside is judged on its own
        }
        if (args.stream().anyMatch(a -> NOT_RUNNING_FLAGS.contains(a.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (tool.equals("tox") || tool.equals("nox")) {
            return selectsTests(args);
        }
        if (tool.equals("nyc") || tool.equals("c8")) {
            // Coverage wrappers: "nyc mocha" runs tests, "nyc report" only reads what an earlier run wrote.
            List<String> rest = dropOptions(args);
            return !rest.isEmpty() && !Set.of("report", "check-coverage", "merge", "instrument").contains(rest.getFirst())
                    && runsTests(rest, nesting + 1);
        }
        if ((tool.equals("php") || tool.equals("node") || tool.equals("ruby")) && !args.isEmpty() && !args.getFirst().startsWith("-")
                && RUNNERS.contains(tool(args.getFirst()))) {
            return true; // php vendor/bin/phpunit, node node_modules/.bin/jest
        }
        if (tool.equals("deno") && args.size() >= 2 && args.getFirst().equals("task")) {
            return runsTestName(args.get(1));
        }
        if ((tool.equals("sh") || tool.equals("bash") || tool.equals("zsh") || tool.equals("pwsh") || tool.equals("powershell")
                || tool.equals("cmd")) ) {
            for (int k = 0; k + 1 < args.size(); k++) {
                String a = args.get(k).toLowerCase(Locale.ROOT);
                if (a.equals("-c") || a.equals("-command") || a.equals("/c") || a.equals("-lc") || a.equals("-ec")) {
                    return find(args.get(k + 1), nesting + 1).isPresent();
                }
            }
            return !args.isEmpty() && scriptNamedTest(args.getFirst());
        }
        if (RUNNERS.contains(tool)) {
            return true;
        }
        if (tool.equals("python") || tool.equals("python3") || tool.equals("py") || tool.equals("pypy3") || tool.startsWith("python3.")) {
            return python(args);
        }
        if (tool.equals("coverage")) {
            return !args.isEmpty() && args.getFirst().equals("run");
        }
        if (tool.equals("mvn") || tool.equals("mvnw") || tool.equals("mvnd")) {
            return maven(args);
        }
        if (tool.equals("gradle") || tool.equals("gradlew")) {
            return gradle(args);
        }
        if (SCRIPT_RUNNERS.contains(tool)) {
            return scriptRunner(args, nesting);
        }
        if (TASK_RUNNERS.contains(tool)) {
            return taskRunner(args);
        }
        if (tool.equals("npx") || tool.equals("pnpx") || tool.equals("bunx")) {
            return runsTests(dropOptions(args), nesting + 1);
        }
        if (MAKE_LIKE.contains(tool)) {
            return targets(args).stream().anyMatch(t -> runsTestName(t) || t.equalsIgnoreCase("check"))
                    && args.stream().noneMatch(a -> Set.of("-n", "--just-print", "--recon", "-q", "--question").contains(a));
        }
        if (tool.equals("bundle") || tool.equals("poetry") || tool.equals("pipenv") || tool.equals("pdm") || tool.equals("uv")
                || tool.equals("hatch") || tool.equals("rye") || tool.equals("pixi") || tool.equals("nix") || tool.equals("nix-shell")) {
            if (wrapped(tool, args, nesting)) {
                return true;
            }
        }
        if (tool.equals("docker") || tool.equals("podman") || tool.equals("docker-compose") || tool.equals("nerdctl")) {
            return docker(args, nesting);
        }
        if (TEST_SUBCOMMAND_TOOLS.contains(tool)) {
            return subcommand(tool, args);
        }
        if (tool.equals("php") && args.size() >= 2 && args.get(0).endsWith("artisan") && args.get(1).equals("test")) {
            return true;
        }
        if (tool.equals("r") && args.size() >= 2 && args.get(0).equals("CMD") && args.get(1).equals("check")) {
            return true;
        }
        return words.get(i).contains("/") && scriptNamedTest(words.get(i)) || scriptNamedTest(tool) && words.get(i).contains(".");
    }

    /** The command name of a word: its file name, lower-cased, without {@code .exe}, {@code .cmd}, {@code .bat}. */
    static String tool(String word) {
        String w = word;
        int slash = Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\'));
        if (slash >= 0) {
            w = w.substring(slash + 1);
        }
        w = w.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".exe", ".cmd", ".bat"}) {
            if (w.endsWith(ext)) {
                w = w.substring(0, w.length() - ext.length());
            }
        }
        return w;
    }

    /**
     * A script or target name that says it tests: a part {@code test}, {@code tests}, {@code spec},
     * {@code e2e}, {@code unit}, {@code coverage}, ... ({@code test:unit}, {@code unit-tests}), or a
     * name starting with {@code test}. {@code check} alone is left to make-like tools: in npm
     * scripts it is as often a type check.
     */
    static boolean testName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String part : n.split("[-_:./]")) {
            if (TEST_PARTS.contains(part)) {
                return true;
            }
        }
        return n.startsWith("test");
    }

    private static boolean scriptNamedTest(String word) {
        String name = tool(word);
        for (String ext : new String[] {".sh", ".bash", ".ps1", ".py", ".rb"}) {
            if (name.endsWith(ext)) {
                name = name.substring(0, name.length() - ext.length());
            }
        }
        for (String part : name.split("[-_.]")) {
            if (part.equals("test") || part.equals("tests") || part.equals("runtests") || part.equals("unittest") || part.equals("e2e")) {
                return true;
            }
        }
        return false;
    }

    private static boolean python(List<String> args) {
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if (a.equals("-m") && k + 1 < args.size()) {
                String module = args.get(k + 1);
                List<String> rest = args.subList(k + 2, args.size());
                if (module.equals("coverage")) {
                    return !rest.isEmpty() && rest.getFirst().equals("run");
                }
                if (module.equals("tox") || module.equals("nox")) {
                    return selectsTests(rest);
                }
                return RUNNERS.contains(module) || module.equals("unittest") || module.equals("django") && rest.contains("test");
            }
            if (!a.startsWith("-")) {
                // python manage.py test, python setup.py test, python runtests.py
                return (a.endsWith("manage.py") || a.endsWith("setup.py")) && args.subList(k + 1, args.size()).contains("test")
                        || scriptNamedTest(a);
            }
        }
        return false;
    }

    private static boolean maven(List<String> args) {
        boolean goal = false;
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            String lower = a.toLowerCase(Locale.ROOT);
            String property = lower.startsWith("-d") && lower.length() > 2 ? lower.substring(2)
                    : lower.equals("-d") && k + 1 < args.size() ? args.get(k + 1).toLowerCase(Locale.ROOT) : null;
            if (property != null) {
                int eq = property.indexOf('=');
                String name = eq < 0 ? property : property.substring(0, eq);
                String value = eq < 0 ? "true" : property.substring(eq + 1);
                if (MAVEN_SKIP.contains(name) && !value.equals("false")) {
                    return false;
                }
                k += lower.equals("-d") ? 1 : 0;
                continue;
            }
            if (Set.of("-f", "--file", "-pl", "--projects", "-P", "--activate-profiles", "-s", "--settings", "-gs",
                    "--global-settings", "-t", "--toolchains", "-T", "--threads", "-rf", "--resume-from", "-b", "--builder",
                    "-l", "--log-file").contains(a)) {
                k++;
                continue;
            }
            if (!a.startsWith("-") && Set.of("test", "verify", "package", "install", "deploy", "integration-test",
                    "surefire:test", "failsafe:integration-test", "jacoco:report").contains(lower)) {
                goal |= !lower.equals("jacoco:report");
            }
        }
        return goal;
    }

    private static boolean gradle(List<String> args) {
        Set<String> excluded = new java.util.HashSet<>();
        List<String> tasks = new ArrayList<>();
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if ((a.equals("-x") || a.equals("--exclude-task")) && k + 1 < args.size()) {
                excluded.add(taskName(args.get(++k)));
            } else if (Set.of("-p", "--project-dir", "-b", "--build-file", "-c", "--settings-file", "-I", "--init-script",
                    "-g", "--gradle-user-home").contains(a)) {
                k++;
            } else if (!a.startsWith("-")) {
                tasks.add(taskName(a));
            }
        }
        for (String t : tasks) {
            boolean direct = t.endsWith("test") || t.endsWith("Test") || t.endsWith("Tests") || t.equals("connectedCheck");
            if (direct && !excluded.contains(t)) {
                return true;
            }
            if ((t.equals("check") || t.equals("build")) && !excluded.contains("test") && !excluded.contains("check")) {
                return true;
            }
        }
        return false;
    }

    private static String taskName(String task) {
        return task.substring(task.lastIndexOf(':') + 1);
    }

    /** npm test, npm run test:unit, yarn test, pnpm -r test, yarn workspaces foreach run test, yarn jest, bun test. */
    private static boolean scriptRunner(List<String> args, int nesting) {
        List<String> words = dropOptions(args);
        if (words.isEmpty()) {
            return false;
        }
        String sub = words.getFirst().toLowerCase(Locale.ROOT);
        if (Set.of("install", "i", "add", "ci", "update", "up", "upgrade", "remove", "rm", "uninstall", "link", "audit",
                "outdated", "config", "set", "cache", "publish", "pack", "version", "init", "create", "login", "build").contains(sub)) {
            return false;
        }
        if (Set.of("test", "t", "tst", "tests", "cit", "it", "install-test", "install-ci-test", "clean-install-test").contains(sub)) {
            return true;
        }
        if (Set.of("run", "run-script", "workspaces", "workspace", "foreach", "recursive").contains(sub)) {
            return words.subList(1, words.size()).stream().anyMatch(TestCommands::runsTestName);
        }
        if (Set.of("exec", "dlx", "x").contains(sub)) {
            return runsTests(words.subList(1, words.size()), nesting + 1);
        }
        if (testName(sub)) {
            return runsTestName(sub); // yarn test:unit runs the script directly
        }
        return runsTests(words, nesting + 1); // yarn jest, pnpm vitest
    }

    /** turbo run test, nx test app, nx run-many -t test, nx affected --target=test, lerna run test. */
    private static boolean taskRunner(List<String> args) {
        for (String w : args) {
            String v = w.contains("=") ? w.substring(w.indexOf('=') + 1) : w;
            for (String name : v.split(",")) {
                if (!name.startsWith("-") && runsTestName(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** poetry run pytest, bundle exec rspec, uv run pytest, hatch run test:cov, nix develop -c cargo test. */
    private static boolean wrapped(String tool, List<String> args, int nesting) {
        if (args.isEmpty()) {
            return false;
        }
        String sub = args.getFirst();
        if (tool.equals("hatch") && sub.equals("test") || tool.equals("rye") && sub.equals("test") || tool.equals("pixi") && sub.equals("test")) {
            return true;
        }
        int from = -1;
        if (sub.equals("run") || sub.equals("exec")) {
            from = 1;
        } else if (tool.startsWith("nix")) {
            for (int k = 0; k < args.size(); k++) {
                if (args.get(k).equals("-c") || args.get(k).equals("--command") || args.get(k).equals("--run")) {
                    return args.get(k).equals("--run") && k + 1 < args.size() ? find(args.get(k + 1), nesting + 1).isPresent()
                            : runsTests(args.subList(k + 1, args.size()), nesting + 1);
                }
            }
        }
        if (from < 0) {
            return false;
        }
        List<String> rest = dropLeadingOptions(args.subList(from, args.size()));
        if (rest.isEmpty()) {
            return false;
        }
        return runsTestName(rest.getFirst()) && !rest.getFirst().contains("/") || runsTests(rest, nesting + 1);
    }

    /** docker compose run --rm app pytest: the command after the image or service is found by scanning for a test tool. */
    private static boolean docker(List<String> args, int nesting) {
        if (args.isEmpty()) {
            return false;
        }
        for (int k = 0; k < args.size(); k++) {
            String t = tool(args.get(k));
            if (RUNNERS.contains(t) || SCRIPT_RUNNERS.contains(t) || TEST_SUBCOMMAND_TOOLS.contains(t) || MAKE_LIKE.contains(t)
                    || t.equals("mvn") || t.equals("mvnw") || t.equals("gradle") || t.equals("gradlew") || t.startsWith("python")) {
                if (runsTests(args.subList(k, args.size()), nesting + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean subcommand(String tool, List<String> args) {
        List<String> words = dropOptions(args);
        if (words.isEmpty()) {
            return tool.equals("rake"); // rake's default task is the test suite in Ruby projects
        }
        String sub = words.getFirst();
        return switch (tool) {
            case "cargo", "cross" -> Set.of("test", "nextest", "tarpaulin", "llvm-cov", "t").contains(sub);
            case "zig" -> sub.equals("test") || sub.equals("build") && words.contains("test");
            case "xcodebuild" -> words.contains("test");
            case "sbt", "mill" -> words.stream().anyMatch(w -> w.replace("+", "").toLowerCase(Locale.ROOT).contains("test"));
            case "rake", "ant", "composer", "hatch", "rye", "spin", "pixi" -> words.stream().anyMatch(TestCommands::testName);
            case "rails" -> sub.equals("test") || sub.equals("spec") || sub.startsWith("test:");
            case "cypress" -> sub.equals("run");
            default -> sub.equals("test") || sub.equals("tests");
        };
    }

    /** Words that are not options; {@code --filter x}-style options with a separate value are dropped with it. */
    private static List<String> dropOptions(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if (a.startsWith("-")) {
                if (Set.of("--filter", "-F", "-w", "--workspace", "--prefix", "-C", "--cwd", "--dir", "-p", "--package",
                        "--project", "-E", "--env", "--with", "--python").contains(a)) {
                    k++;
                }
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** The words from the first that is not an option on ({@code uv run --with x python -m pytest}: {@code python -m pytest}). */
    private static List<String> dropLeadingOptions(List<String> args) {
        int k = 0;
        while (k < args.size() && args.get(k).startsWith("-")) {
            k += Set.of("--with", "--python", "-p", "--env", "-E", "--group", "--extra", "--package", "--project", "--directory",
                    "--env-file", "-e").contains(args.get(k)) ? 2 : 1;
        }
        return k >= args.size() ? List.of() : args.subList(k, args.size());
    }

    /**
     * A script or target name that runs tests: {@link #testName test-like} and with no part that says it
     * does something else ({@code test:lint}, {@code test-deps}, {@code test:typecheck}, {@code build-tests}).
     */
    static boolean runsTestName(String name) {
        if (!testName(name)) {
            return false;
        }
        for (String part : name.toLowerCase(Locale.ROOT).split("[-_:./]")) {
            if (NOT_TEST_PARTS.contains(part)) {
                return false;
            }
        }
        return true;
    }

    /**
     * tox and nox: bare, they run their default environments (the test suite); with {@code -e}/{@code -s}
     * (or labels, keywords, tags) only when a selected name is a test environment: {@code py312},
     * {@code pypy3}, {@code py311-django42}, {@code tests}, {@code unit} ({@code tox -e lint} is none).
     */
    private static boolean selectsTests(List<String> args) {
        List<String> selected = new ArrayList<>();
        boolean selecting = false;
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            int eq = a.indexOf('=');
            String flag = eq > 0 ? a.substring(0, eq) : a;
            if (TEST_SELECTORS.contains(flag)) {
                selecting = true;
                String value = eq > 0 ? a.substring(eq + 1) : k + 1 < args.size() ? args.get(++k) : "";
                selected.addAll(List.of(value.split(",")));
            } else if (flag.length() > 2 && (flag.startsWith("-e") || flag.startsWith("-s")) && !flag.startsWith("--")) {
                selecting = true;
                selected.addAll(List.of(flag.substring(2).split(",")));
            }
        }
        if (!selecting) {
            return true;
        }
        for (String env : selected) {
            String e = env.strip().toLowerCase(Locale.ROOT);
            String head = e.split("[-_]", 2)[0];
            if (head.matches("py(?:py)?\\d{0,4}(?:\\.\\d{1,3})?") || e.equals("all") || e.equals("alltests") || runsTestName(e)) {
                return true;
            }
        }
        return false;
    }

    /** make-style targets: words that are not options or VAR=value. */
    private static List<String> targets(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if (a.equals("-C") || a.equals("-f") || a.equals("--directory") || a.equals("--file") || a.equals("-j")
                    && k + 1 < args.size() && args.get(k + 1).matches("\\d{1,4}")) {
                k++;
            } else if (!a.startsWith("-") && !a.contains("=")) {
                out.add(a);
            }
        }
        return out;
    }
}
