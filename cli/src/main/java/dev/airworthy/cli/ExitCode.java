package dev.airworthy.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every exit code airworthy returns, declared once; the usage help of each command lists them. */
public enum ExitCode {
    GO(0, "the gate passed (for demo, explain and the rest: success)"),
    NO_GO(1, "the gate failed: at least one blocking item"),
    USAGE(2, "usage or checklist error (the message names file:line:column)"),
    INTERNAL(3, "airworthy itself failed");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ExitCode e : values()) {
            m.put(String.valueOf(e.code), e.meaning);
        }
        return m;
    }
}
