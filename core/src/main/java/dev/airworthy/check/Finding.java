package dev.airworthy.check;

import java.util.Objects;

/**
 * One reason an item did not fully pass, with the rule that found it and, for repository
 * findings, where. {@code level} is {@link Status#FAIL} or {@link Status#WARN}.
 */
public record Finding(String rule, Status level, String message, String file, Integer line) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        if (level != Status.FAIL && level != Status.WARN) {
            throw new IllegalArgumentException("finding level must be fail or warn: " + level);
        }
    }

    public static Finding fail(String rule, String message) {
        return new Finding(rule, Status.FAIL, message, null, null);
    }

    public static Finding warn(String rule, String message) {
        return new Finding(rule, Status.WARN, message, null, null);
    }

    public Finding at(String file, Integer line) {
        return new Finding(rule, level, message, file, line);
    }

    public Finding withMessage(String newMessage) {
        return new Finding(rule, level, newMessage, file, line);
    }
}
