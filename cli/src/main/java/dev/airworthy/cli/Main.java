package dev.airworthy.cli;

import dev.airworthy.checklist.ChecklistException;
import dev.airworthy.checklist.Problem;
import dev.airworthy.run.UsageException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(name = "airworthy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Production-readiness checklists that verify themselves: one honest go or no-go.",
        subcommands = {
            DemoCommand.class, CheckCommand.class, ChecksCommand.class, ExplainCommand.class,
            AttestCommand.class, WaiveCommand.class, BaselineCommand.class, CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (try 'airworthy demo', or 'airworthy help')");
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int code;
        try {
            code = execute(args, out, err, System.getenv(), Path.of("").toAbsolutePath());
        } catch (Throwable t) {
            // An Error (stack overflow, out of memory) escapes picocli's handlers; it is still our failure, not a verdict.
            err.println("airworthy: internal error: " + t);
            code = ExitCode.INTERNAL.code();
        }
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Path cwd) {
        Session session = new Session(out, err, env, Terminal.detect(env), Clock.systemUTC(), cwd);
        CommandLine cli = new CommandLine(new Main(), new Factory(session));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(session.terminal().color()
                ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> ExitCode.INTERNAL.code());
        applyToAll(cli);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine cmd = ex.getCommandLine();
            err.println("airworthy: " + ex.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> handle(ex, parsed, err));
        return cli.execute(args);
    }

    private static void applyToAll(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
        cli.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE.code());
        cli.getCommandSpec().exitCodeOnExecutionException(ExitCode.INTERNAL.code());
        cli.getSubcommands().values().forEach(Main::applyToAll);
    }

    private static int handle(Exception ex, ParseResult parsed, PrintStream err) {
        if (ex instanceof ChecklistException ce) {
            ce.problems().stream().map(Problem::toString).forEach(err::println);
            return ExitCode.USAGE.code();
        }
        if (ex instanceof UserError || ex instanceof UsageException) {
            err.println("airworthy: " + ex.getMessage());
            return ExitCode.USAGE.code();
        }
        err.println("airworthy: internal error: " + ex
                + (verbose(parsed) ? "" : " (run again with --verbose for the stack trace)"));
        if (verbose(parsed)) {
            ex.printStackTrace(err);
        }
        return ExitCode.INTERNAL.code();
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Creates commands with the session when they take one. */
    private record Factory(Session session) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Session.class) {
                    c.setAccessible(true);
                    return type.cast(c.newInstance(session));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"airworthy " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " on " + System.getProperty("os.name")};
        }
    }
}
