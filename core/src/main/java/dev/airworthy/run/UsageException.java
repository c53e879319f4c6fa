package dev.airworthy.run;

/** The run cannot start as asked (unknown target, nothing matches --only): exit code 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
