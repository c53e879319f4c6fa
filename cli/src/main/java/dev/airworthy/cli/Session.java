package dev.airworthy.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What a command may touch: its streams, the environment, the clock and the working directory. */
record Session(PrintStream out, PrintStream err, Map<String, String> env, Terminal terminal, Clock clock, Path cwd) {

    Path resolve(Path p) {
        return cwd.resolve(p).normalize();
    }

    /** Today's date in UTC: the calendar sign-offs and waivers are written in. */
    java.time.LocalDate today() {
        return java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
    }
}
