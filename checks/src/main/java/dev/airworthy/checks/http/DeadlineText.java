package dev.airworthy.checks.http;

/**
 * Text that stops being readable once a deadline has passed. Regular expressions read their input
 * through {@link #charAt}, so wrapping a response body in this makes every match over it end by
 * the check's deadline, even a pattern that would backtrack for minutes on hostile input. Without
 * it such a match keeps its carrier thread busy after the item has been reported, starving the
 * run's other checks.
 */
public final class DeadlineText implements CharSequence {
    /** Thrown from {@link #charAt} once the deadline has passed. */
    public static final class Expired extends RuntimeException {
        Expired() {
            super("the deadline passed while scanning a response body", null, false, false);
        }
    }

    private final CharSequence text;
    private final long deadlineNanos;
    private int reads;

    private DeadlineText(CharSequence text, long deadlineNanos) {
        this.text = text;
        this.deadlineNanos = deadlineNanos;
    }

    /** @param deadlineNanos a {@link System#nanoTime()} value */
    public static CharSequence of(CharSequence text, long deadlineNanos) {
        return deadlineNanos == Long.MAX_VALUE ? text : new DeadlineText(text, deadlineNanos);
    }

    @Override
    public char charAt(int index) {
        if ((++reads & 0xFFF) == 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new Expired();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new DeadlineText(text.subSequence(start, end), deadlineNanos);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
