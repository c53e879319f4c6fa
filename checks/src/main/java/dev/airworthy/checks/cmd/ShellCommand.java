package dev.airworthy.checks.cmd;

import dev.airworthy.check.CheckContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A shell command run for a check: {@code sh -c} in the repository directory, stdin from
 * {@code /dev/null}, {@code AIRWORTHY_URL} (when there is a target) and {@code AIRWORTHY_REPO} in
 * its environment, its output read line by line in bounded memory, and the command killed with
 * its children at the item's deadline. The checklist is trusted like a Makefile.
 */
public final class ShellCommand {
    /** Longer output lines are cut: a command printing without newlines cannot exhaust the heap. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    private static final int STDERR_TAIL = 5;
    private static final int MAX_STDERR_LINE = 300;
    private static final Duration RESERVE = Duration.ofMillis(500);

    private ShellCommand() {
    }

    /**
     * How it ended: its exit code (when it exited), whether it was killed at the deadline, and the
     * last lines of its standard error when that was read apart from its output.
     */
    public record Exit(int code, boolean timedOut, List<String> stderrTail) {
        /** The last line of standard error, or empty. */
        public String stderrLastLine() {
            return stderrTail.isEmpty() ? "" : stderrTail.getLast().strip();
        }
    }

    /**
     * Runs {@code command} and hands each line of its standard output (and of its standard error
     * too, when {@code mergeStderr}) to {@code lines}, on a reader thread, as it comes. Returns when
     * the command has exited and its output is read, or when the deadline passes (the command and
     * its children are then killed).
     */
    public static Exit run(CheckContext ctx, String command, boolean mergeStderr, Consumer<BoundedLines.Line> lines)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command)
                .directory(ctx.repo().toFile())
                .redirectErrorStream(mergeStderr)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        ctx.url().ifPresent(u -> pb.environment().put("AIRWORTHY_URL", u.toString()));
        pb.environment().put("AIRWORTHY_REPO", ctx.repo().toString());
        Process process = pb.start();
        Deque<String> stderr = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().start(() -> consume(process.getInputStream(), lines));
        Thread errors = mergeStderr ? null : Thread.ofVirtual().start(() -> consume(process.getErrorStream(), l -> {
            synchronized (stderr) {
                String t = l.text();
                stderr.addLast(t.length() > MAX_STDERR_LINE ? t.substring(0, MAX_STDERR_LINE) + "…" : t);
                if (stderr.size() > STDERR_TAIL) {
                    stderr.removeFirst();
                }
            }
        }));
        try {
            // A tenth of the time left (at most half a second) is kept back to report, before the runner cuts the item off.
            Duration left = ctx.remaining();
            Duration reserve = left.dividedBy(10).compareTo(RESERVE) > 0 ? RESERVE : left.dividedBy(10);
            if (!process.waitFor(left.minus(reserve).toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                reader.join(reserve.dividedBy(2));
                return new Exit(-1, true, tail(stderr));
            }
            reader.join(5000);
            if (errors != null) {
                errors.join(1000);
            }
        } finally {
            kill(process);
        }
        return new Exit(process.exitValue(), false, tail(stderr));
    }

    private static List<String> tail(Deque<String> stderr) {
        synchronized (stderr) {
            return List.copyOf(new ArrayList<>(stderr));
        }
    }

    private static void consume(InputStream stream, Consumer<BoundedLines.Line> lines) {
        try (InputStream in = stream) {
            BoundedLines reader = new BoundedLines(in, MAX_LINE_BYTES);
            BoundedLines.Line line;
            while ((line = reader.next()) != null) {
                lines.accept(line);
            }
        } catch (IOException e) {
            // The process was killed or closed its output: what was read is what is reported.
        }
    }

    private static void kill(Process process) {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
