package dev.airworthy.checklist;

/** One checklist error: where, and what is wrong. */
public record Problem(Position at, String message) {
    @Override
    public String toString() {
        return at + ": " + message;
    }
}
