package dev.airworthy.report;

import dev.airworthy.check.Status;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The terminal report: a header, then each section with its blocking items first, one line per
 * item (status, id, title, why), then the counts, the score and the verdict last. Colour only
 * when asked (the CLI asks when stdout is a terminal and NO_COLOR is unset).
 */
public final class TextReport {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";

    private final boolean color;
    private final boolean verbose;

    public TextReport(boolean color, boolean verbose) {
        this.color = color;
        this.verbose = verbose;
    }

    public String render(RunResult run) {
        StringBuilder sb = new StringBuilder();
        sb.append(paint(BOLD, "airworthy")).append(" · ").append(run.project().isEmpty() ? run.checklist() : run.project());
        if (run.target() != null) {
            sb.append(" · target ").append(run.target());
        }
        if (run.url() != null) {
            sb.append(" · ").append(run.url());
        }
        sb.append(" · repo ").append(run.repo()).append("\n");
        int idWidth = Math.min(28, run.items().stream().mapToInt(r -> r.item().id().length()).max().orElse(0));
        for (Map.Entry<String, List<ItemResult>> section : run.bySection().entrySet()) {
            sb.append('\n').append(paint(BOLD, section.getKey().isEmpty() ? "(no section)" : section.getKey())).append('\n');
            List<ItemResult> items = new ArrayList<>(section.getValue());
            items.sort(Comparator.comparing((ItemResult r) -> !run.isBlocking(r)));
            for (ItemResult r : items) {
                boolean blocking = run.isBlocking(r);
                String status = String.format(Locale.ROOT, "%-8s", r.status().label().toUpperCase(Locale.ROOT));
                sb.append(blocking ? paint(RED + BOLD, " ✗ ") : "   ")
                        .append(paint(colorOf(r.status()), status)).append(' ')
                        .append(String.format(Locale.ROOT, "%-" + idWidth + "s", r.item().id())).append("  ")
                        .append(r.item().title());
                if (!r.message().isEmpty()) {
                    sb.append(paint(DIM, " — ")).append(r.message());
                }
                sb.append('\n');
                if (verbose && r.status() != Status.PASS) {
                    r.evidence().forEach(e -> sb.append("              ").append(paint(DIM, e)).append('\n'));
                }
            }
        }
        sb.append('\n').append(counts(run)).append('\n');
        sb.append("score ").append(run.score()).append("/100 · ").append(seconds(run.durationMs())).append('\n');
        sb.append(verdict(run)).append('\n');
        return sb.toString();
    }

    private String counts(RunResult run) {
        String parts = run.summary().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> paint(colorOf(e.getKey()), e.getValue() + " " + e.getKey().label()))
                .collect(Collectors.joining(" · "));
        return run.items().size() + " items: " + parts;
    }

    private String verdict(RunResult run) {
        String severities = String.join(", ", run.gate().failOn());
        if (run.gate().passed()) {
            return paint(GREEN + BOLD, "GO") + ": no " + (severities.isEmpty() ? "" : severities + " ")
                    + "item fails, errors, awaits sign-off or has expired";
        }
        List<String> blocking = run.gate().blocking();
        if (blocking.isEmpty()) {
            String reason = run.items().isEmpty() ? "" : " (" + run.items().getFirst().message() + ")";
            return paint(RED + BOLD, "NO-GO") + ": nothing was verified, every item was skipped" + reason;
        }
        return paint(RED + BOLD, "NO-GO") + ": " + blocking.size() + " blocking item" + (blocking.size() == 1 ? "" : "s")
                + " (" + severities + "): " + String.join(", ", blocking);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }

    private static String colorOf(Status s) {
        return switch (s) {
            case PASS -> GREEN;
            case FAIL, ERROR, EXPIRED -> RED;
            case WARN, PENDING -> YELLOW;
            case ATTESTED, WAIVED -> CYAN;
            case SKIPPED -> DIM;
        };
    }
}
