package dev.airworthy.checks.cmd;

import dev.airworthy.check.CheckContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A shell command run for a check: {@code sh -c} in the repository directory, stdin from
 * {@code /dev/null}, {@code AIRWORTHY_URL} (when there is a target) and {@code AIRWORTHY_REPO} in
 * its environment, its output read line by line in bounded memory. The command runs in a process
 * group of its own ({@code setsid}); when it has exited, or at the item's deadline, the whole group
 * is killed, and every descendant seen while it ran: a background child ({@code sleep 30 &}) does
 * not outlive the item, nor keep its output open. The checklist is trusted like a Makefile.
 */
public final class ShellCommand {
    /** Longer output lines are cut: a command printing without newlines cannot exhaust the heap. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    private static final int STDERR_TAIL = 5;
    private static final int MAX_STDERR_LINE = 300;
    private static final Duration RESERVE = Duration.ofMillis(500);
    /** How often the command's descendants are noted while it runs. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String SETSID = executable("/usr/bin/setsid", "/bin/setsid");
    private static final String KILL = executable("/usr/bin/kill", "/bin/kill");

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
        return run(ctx, command, mergeStderr, lines, null);
    }

    /**
     * As {@link #run(CheckContext, String, boolean, Consumer)}; when standard error is read apart,
     * each of its lines is also handed to {@code errorLines} (when not null), on another thread.
     */
    public static Exit run(CheckContext ctx, String command, boolean mergeStderr, Consumer<BoundedLines.Line> lines,
            Consumer<BoundedLines.Line> errorLines) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", command));
        if (SETSID != null) {
            // A session and process group of its own: killing the group reaches children the shell left behind.
            argv.addAll(0, List.of(SETSID, "--wait"));
        }
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(ctx.repo().toFile())
                .redirectErrorStream(mergeStderr)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        ctx.url().ifPresent(u -> pb.environment().put("AIRWORTHY_URL", u.toString()));
        pb.environment().put("AIRWORTHY_REPO", ctx.repo().toString());
        Process process = pb.start();
        Deque<String> stderr = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().start(() -> consume(process.getInputStream(), lines));
        Thread errors = mergeStderr ? null : Thread.ofVirtual().start(() -> consume(process.getErrorStream(), l -> {
            if (errorLines != null) {
                errorLines.accept(l);
            }
            synchronized (stderr) {
                String t = l.text();
                stderr.addLast(t.length() > MAX_STDERR_LINE ? t.substring(0, MAX_STDERR_LINE) + "…" : t);
                if (stderr.size() > STDERR_TAIL) {
                    stderr.removeFirst();
                }
            }
        }));
        Set<ProcessHandle> seen = new HashSet<>();
        try {
            // A tenth of the time left (at most half a second) is kept back to report, before the runner cuts the item off.
            Duration left = ctx.remaining();
            Duration reserve = left.dividedBy(10).compareTo(RESERVE) > 0 ? RESERVE : left.dividedBy(10);
            if (!waitFor(process, left.minus(reserve), seen)) {
                kill(process, seen, false);
                reader.join(reserve.dividedBy(2));
                return new Exit(-1, true, tail(stderr));
            }
            // What is left of the group now is what the command left running in the background.
            kill(process, seen, true);
            reader.join(5000);
            if (errors != null) {
                errors.join(1000);
            }
        } finally {
            if (process.isAlive()) {
                kill(process, seen, false);
            }
        }
        return new Exit(process.exitValue(), false, tail(stderr));
    }

    /** Waits for the process, noting its descendants as they come: once the shell has exited they are no longer found through it. */
    private static boolean waitFor(Process process, Duration timeout, Set<ProcessHandle> seen) throws InterruptedException {
        long end = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            process.descendants().forEach(seen::add);
            long left = end - System.nanoTime();
            if (left <= 0) {
                return !process.isAlive();
            }
            if (process.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
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

    /**
     * Kills every descendant seen (and theirs) and the process itself, at once; then the command's
     * process group, which reaches children the shell left behind before they were seen. At the
     * deadline ({@code wait} false) the group is signalled without waiting for {@code kill} to end.
     */
    private static void kill(Process process, Set<ProcessHandle> seen, boolean wait) {
        process.descendants().forEach(seen::add);
        for (ProcessHandle h : List.copyOf(seen)) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
        if (process.isAlive()) {
            // Destroying a Process also closes its streams: not once it has exited, while its output is still read.
            process.destroyForcibly();
        }
        if (SETSID != null && KILL != null) {
            try {
                Process k = new ProcessBuilder(KILL, "-KILL", "--", "-" + process.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (wait) {
                    k.waitFor(1, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                // The descendants seen were killed one by one above.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The first of {@code paths} that is an executable file, or null. */
    private static String executable(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }
}
