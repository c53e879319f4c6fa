package dev.airworthy.checklist;

/** A place in a checklist file, 1-based, as printed in every checklist error. */
public record Position(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
