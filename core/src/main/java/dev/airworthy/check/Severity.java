package dev.airworthy.check;

import java.util.Locale;

/** How much an item matters to the go-live decision; the weight feeds the score. */
public enum Severity {
    CRITICAL(10), HIGH(7.5), MEDIUM(5), LOW(2.5), INFO(0);

    private final double weight;

    Severity(double weight) {
        this.weight = weight;
    }

    public double weight() {
        return weight;
    }

    /** The lower-case name used in checklists and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a checklist spelling; null when it is not a severity. */
    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.label().equals(text)) {
                return s;
            }
        }
        return null;
    }
}
