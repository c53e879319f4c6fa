package dev.airworthy.cli;

import dev.airworthy.report.ReportFormat;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's reports: {@code --format} to {@code -o} or stdout, each {@code --report FORMAT=FILE}
 * to its file. Stdout shows the text report unless another format was sent there.
 */
final class ReportWriter {
    record Destination(ReportFormat format, Path file) {
    }

    private final Session session;
    private final List<Destination> destinations = new ArrayList<>();
    private final boolean verbose;

    ReportWriter(Session session, String format, Path output, List<String> reports, boolean verbose) {
        this.session = session;
        this.verbose = verbose;
        ReportFormat primary = parse(format, "--format");
        destinations.add(new Destination(primary, output == null ? null : session.resolve(output)));
        if (output != null && primary != ReportFormat.TEXT) {
            destinations.add(new Destination(ReportFormat.TEXT, null));
        }
        for (String r : reports == null ? List.<String>of() : reports) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) {
                throw new UserError("--report takes FORMAT=FILE (for example json=reports/latest.json), got '" + r + "'");
            }
            destinations.add(new Destination(parse(r.substring(0, eq), "--report"), session.resolve(Path.of(r.substring(eq + 1)))));
        }
        if (destinations.stream().noneMatch(d -> d.file() == null)) {
            destinations.add(new Destination(ReportFormat.TEXT, null));
        }
    }

    private static ReportFormat parse(String format, String option) {
        try {
            return ReportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }

    void write(RunResult run) throws IOException {
        for (Destination d : destinations) {
            if (d.file() == null) {
                session.out().print(d.format().render(run, session.terminal().color() && d.format() == ReportFormat.TEXT, verbose));
                session.out().flush();
            } else {
                writeFile(d.file(), d.format().render(run, false, verbose));
            }
        }
        if (verbose) {
            for (ItemResult r : run.items()) {
                if (r.trace() != null) {
                    session.err().println("--- " + r.item().id() + ": " + r.message());
                    session.err().print(r.trace());
                }
            }
        }
    }

    /**
     * Written to a temporary file beside the target, then moved, so a reader never sees half a
     * file. A new file gets the umask's permissions; an existing one keeps its own.
     */
    static void writeFile(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (Files.exists(file)) {
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: the default permissions are all there is.
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
