package dev.airworthy.check;

/**
 * A parameter as the registry knows it: the {@link Param} declaration with its default
 * already converted, so a bad default in a check's metadata fails at start-up, not mid-run.
 */
public record ParamSpec(String name, ParamType type, boolean required, String defaultText, Object defaultValue,
        String description) {

    public boolean hasDefault() {
        return defaultValue != null;
    }
}
