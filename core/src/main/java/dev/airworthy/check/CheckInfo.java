package dev.airworthy.check;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A check's metadata, declared once on its class. Validation, {@code airworthy checks},
 * {@code airworthy explain} and the generated pages under {@code docs/checks/} all read it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CheckInfo {
    /** Stable catalog id, e.g. {@code http.cors}; checklists, fixtures and docs are keyed by it. */
    String id();

    /** A short noun phrase: "CORS policy". */
    String title();

    Category category();

    Severity severity();

    /** What it checks, in one or two sentences. */
    String summary();

    /** Why it matters for going live. */
    String rationale();

    /** How to fix a failure. */
    String remediation();

    /** An item using the check, as it appears under {@code items:}; the catalog test loads it. */
    String example();

    String[] references() default {};

    /**
     * Runs alone, after every other item: for probes that disturb the target (a burst of requests
     * that trips a rate limiter would make concurrent checks see 429s).
     */
    boolean exclusive() default false;

    Param[] params() default {};
}
