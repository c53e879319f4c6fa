package dev.airworthy.check;

/** Thrown by a check that does not apply here (no target URL, no compose file): the item is skipped. */
public final class NotApplicable extends RuntimeException {
    public NotApplicable(String reason) {
        super(reason, null, false, false);
    }
}
