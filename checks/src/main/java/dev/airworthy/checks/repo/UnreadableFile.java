package dev.airworthy.checks.repo;

/**
 * A file a check had to judge but could not read or parse. The message is {@code file:line:col: problem}
 * (or {@code file: problem} when there is no position), ready to become the item's error message.
 */
public final class UnreadableFile extends Exception {
    public UnreadableFile(String message) {
        super(message, null, false, false);
    }

    public static UnreadableFile at(String file, int line, int column, String problem) {
        return new UnreadableFile(file + ":" + line + ":" + column + ": " + problem);
    }
}
