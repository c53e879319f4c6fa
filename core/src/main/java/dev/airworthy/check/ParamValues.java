package dev.airworthy.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a plain YAML value (String, Number, Boolean, List, Map, null) into the Java value of a
 * {@link ParamType}: String, Long, Double, Boolean, Duration, List&lt;String&gt;, Map&lt;String,Object&gt;.
 */
public final class ParamValues {
    private ParamValues() {
    }

    /** @throws IllegalArgumentException with a message that names what was expected */
    public static Object convert(ParamType type, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("expected a " + type.label() + ", got nothing");
        }
        return switch (type) {
            case STRING -> scalar(value, type).toString();
            case INTEGER -> integer(value);
            case NUMBER -> number(value);
            case BOOLEAN -> bool(value);
            case DURATION -> Durations.parse(scalar(value, type).toString());
            case STRING_LIST -> stringList(value);
            case MAP -> map(value);
        };
    }

    private static Object scalar(Object value, ParamType type) {
        if (value instanceof List || value instanceof Map) {
            throw new IllegalArgumentException("expected a " + type.label() + ", got a " + shape(value));
        }
        return value;
    }

    private static Long integer(Object value) {
        Object v = scalar(value, ParamType.INTEGER);
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger) {
            throw new IllegalArgumentException("integer out of range: " + v);
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + v + "'");
        }
    }

    private static Double number(Object value) {
        Object v = scalar(value, ParamType.NUMBER);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + v + "'");
        }
    }

    private static Boolean bool(Object value) {
        Object v = scalar(value, ParamType.BOOLEAN);
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + v + "'");
        };
    }

    private static List<String> stringList(Object value) {
        if (value instanceof Map) {
            throw new IllegalArgumentException("expected a list of strings, got a mapping");
        }
        if (!(value instanceof List<?> list)) {
            return List.of(value.toString());
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (o == null || o instanceof List || o instanceof Map) {
                throw new IllegalArgumentException("expected a list of strings, found a " + shape(o) + " in it");
            }
            out.add(o.toString());
        }
        return List.copyOf(out);
    }

    private static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a mapping, got a " + shape(value));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            if (e.getValue() instanceof List || e.getValue() instanceof Map) {
                throw new IllegalArgumentException("expected scalar values in the mapping, '" + e.getKey() + "' has a " + shape(e.getValue()));
            }
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    static String shape(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Map) {
            return "mapping";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Number) {
            return "number";
        }
        return "string";
    }
}
