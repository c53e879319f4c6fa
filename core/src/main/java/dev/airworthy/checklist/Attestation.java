package dev.airworthy.checklist;

import java.time.Duration;
import java.time.Instant;

/**
 * A sign-off of a manual item by a named person in a named role. It holds until {@code expires},
 * else for {@code validFor}, else for the item's own {@code valid-for}, counted from {@code at}.
 */
public record Attestation(String item, String role, String by, Instant at, Duration validFor, Instant expires,
        String evidence, String note, Position position) {
}
