package dev.airworthy.check;

import java.util.Locale;

/** An item's outcome, as printed in every report (DESIGN.md, "Item statuses"). */
public enum Status {
    PASS, FAIL, WARN, ERROR, SKIPPED, PENDING, ATTESTED, EXPIRED, WAIVED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Statuses that block go-live when the item's severity is in the gate's fail-on list. */
    public boolean blocksGate() {
        return this == FAIL || this == ERROR || this == PENDING || this == EXPIRED;
    }

    /** Statuses that count as evidence the item holds. */
    public boolean holds() {
        return this == PASS || this == ATTESTED || this == WAIVED;
    }

    public static Status parse(String text) {
        for (Status s : values()) {
            if (s.label().equals(text)) {
                return s;
            }
        }
        return null;
    }
}
