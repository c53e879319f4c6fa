package dev.airworthy.check;

/** The value types a check parameter can take in `with:`; the loader converts and validates. */
public enum ParamType {
    STRING("string"),
    INTEGER("integer"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    /** `500ms`, `10s`, `5m`, `26h`, `30d`, `2w`, or combinations such as `1h30m`. */
    DURATION("duration"),
    /** A YAML list of strings; a single string is taken as a list of one. */
    STRING_LIST("list of strings"),
    /** A YAML mapping from names to scalar values (string, number, boolean or null). */
    MAP("mapping");

    private final String label;

    ParamType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
