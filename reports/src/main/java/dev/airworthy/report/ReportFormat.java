package dev.airworthy.report;

import dev.airworthy.run.RunResult;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The report formats of {@code --format} and {@code --report FORMAT=FILE}. */
public enum ReportFormat {
    TEXT,
    JSON;

    /** Renders the run; colour applies to text on a terminal only. */
    public String render(RunResult run, boolean color, boolean verbose) {
        return switch (this) {
            case TEXT -> new TextReport(color, verbose).render(run);
            case JSON -> JsonReport.render(run);
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the formats there are */
    public static ReportFormat parse(String text) {
        for (ReportFormat f : values()) {
            if (f.label().equals(text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + text + "'; available: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(ReportFormat::label).collect(Collectors.joining(", "));
    }
}
