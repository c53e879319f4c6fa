package dev.airworthy.check;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** A registered check: its {@link CheckInfo} read once, and the instance that runs it. */
public record CheckDescriptor(String id, String title, Category category, Severity severity, String summary,
        String rationale, String remediation, String example, List<String> references, List<ParamSpec> params,
        boolean exclusive, Check check) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*");

    public static CheckDescriptor of(Class<? extends Check> type) {
        CheckInfo info = type.getAnnotation(CheckInfo.class);
        if (info == null) {
            throw new IllegalStateException(type.getName() + " implements Check but has no @CheckInfo");
        }
        if (!ID.matcher(info.id()).matches()) {
            throw new IllegalStateException(type.getName() + ": check id '" + info.id() + "' is not lower-case dotted words");
        }
        List<ParamSpec> params = new ArrayList<>();
        for (Param p : info.params()) {
            if (params.stream().anyMatch(q -> q.name().equals(p.name()))) {
                throw new IllegalStateException(info.id() + ": parameter '" + p.name() + "' declared twice");
            }
            Object def = null;
            if (!p.defaultValue().isEmpty()) {
                try {
                    def = ParamValues.convert(p.type(), new Load(LoadSettings.builder().build()).loadFromString(p.defaultValue()));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(info.id() + ": default of '" + p.name() + "': " + e.getMessage(), e);
                }
            }
            params.add(new ParamSpec(p.name(), p.type(), p.required(), p.defaultValue(), def, p.description()));
        }
        Check instance;
        try {
            instance = type.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(type.getName() + " needs a public no-argument constructor", e);
        }
        return new CheckDescriptor(info.id(), info.title(), info.category(), info.severity(), info.summary().strip(),
                info.rationale().strip(), info.remediation().strip(), info.example().strip(),
                List.of(info.references()), List.copyOf(params), info.exclusive(), instance);
    }

    public Optional<ParamSpec> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The defaults of every parameter that has one, as a {@link Params} view. */
    public Map<String, Object> defaults() {
        var m = new java.util.LinkedHashMap<String, Object>();
        for (ParamSpec p : params) {
            if (p.hasDefault()) {
                m.put(p.name(), p.defaultValue());
            }
        }
        return m;
    }
}
