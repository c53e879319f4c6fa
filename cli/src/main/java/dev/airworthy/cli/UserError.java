package dev.airworthy.cli;

/** A mistake in how airworthy was called or in its input: printed as one line, exit code 2. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message, null, false, false);
    }
}
