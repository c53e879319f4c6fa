package dev.airworthy.checks.cmd;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

@AutoService(Check.class)
@CheckInfo(
        id = "cmd",
        title = "Command succeeds",
        category = Category.OPERATIONS,
        severity = Severity.MEDIUM,
        summary = """
                Runs a shell command (`sh -c`) in the repository directory; it passes when the command \
                exits with `exit` (0 by default) and, if given, its output contains `output-contains`. \
                The last lines of its output are the evidence. The command sees `AIRWORTHY_URL` (the \
                target URL, when there is one) and `AIRWORTHY_REPO`; it is killed at the item's deadline, \
                and what it leaves running in the background is killed when it exits.""",
        rationale = """
                Whatever a team already scripts (a migration dry-run, a smoke script, `npm audit`, a \
                restore test) becomes a gate item without writing a new check, and its verdict lands \
                in the same report as everything else.""",
        remediation = """
                Run the command yourself from the repository root to see the full output. The checklist \
                is trusted like a Makefile: review changes to `cmd` items as you would review scripts.""",
        example = """
                - id: migrations-dry-run
                  title: Migrations apply cleanly
                  check: cmd
                  with: { run: "./scripts/migrate --dry-run", output-contains: "0 pending" }
                  timeout: 2m""",
        params = {
            @Param(name = "run", required = true, description = "The command, run with `sh -c` in the repository directory."),
            @Param(name = "exit", type = ParamType.INTEGER, defaultValue = "0", description = "The exit code that passes."),
            @Param(name = "output-contains", description = "Text that must appear on one line of the combined stdout and stderr.")
        })
public final class CmdCheck implements Check {
    private static final int TAIL_LINES = 20;
    private static final int MAX_LINE = 300;

    @Override
    public CheckResult run(CheckContext ctx) throws IOException, InterruptedException {
        Params p = ctx.params();
        String command = p.string("run");
        Outcome out = new Outcome().evidence("$ " + command);
        Output output = new Output(p.optionalString("output-contains").orElse(null));
        ShellCommand.Exit exit = ShellCommand.run(ctx, command, true, output::add);
        out.evidence(output.tail());
        if (exit.timedOut()) {
            return out.error("still running at its deadline; killed");
        }
        int code = exit.code();
        out.metric("exit_code", code);
        long expected = p.integer("exit");
        if (code != expected) {
            String last = output.lastLine();
            out.fail("cmd.exit", "exited " + code + ", expected " + expected + (last.isEmpty() ? "" : ": " + last));
        }
        p.optionalString("output-contains").ifPresent(text -> {
            if (!output.found()) {
                out.fail("cmd.output", "output does not contain '" + text + "'");
            }
        });
        return out.result("exited " + code + (output.lastLine().isEmpty() ? "" : ": " + output.lastLine()));
    }

    /** Keeps the last lines of the output and whether the expected text appeared, in bounded memory. */
    private static final class Output {
        private final String wanted;
        private final Deque<String> tail = new ArrayDeque<>();
        private boolean found;

        Output(String wanted) {
            this.wanted = wanted;
        }

        synchronized void add(BoundedLines.Line l) {
            String line = l.text();
            if (wanted != null && line.contains(wanted)) {
                found = true;
            }
            tail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }

        synchronized List<String> tail() {
            return new ArrayList<>(tail);
        }

        synchronized String lastLine() {
            return tail.isEmpty() ? "" : tail.getLast().strip();
        }

        synchronized boolean found() {
            return found;
        }
    }

    @Override
    public List<String> validate(Params p) {
        return p.string("run").isBlank() ? List.of("run is empty") : List.of();
    }
}
