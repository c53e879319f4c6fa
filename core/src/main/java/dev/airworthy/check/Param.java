package dev.airworthy.check;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One parameter of a check, declared inside {@link CheckInfo#params()}. */
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Param {
    String name();

    ParamType type() default ParamType.STRING;

    /** The default in checklist spelling (`/health`, `200`, `30d`, `[a, b]`); empty means none. */
    String defaultValue() default "";

    boolean required() default false;

    String description();
}
