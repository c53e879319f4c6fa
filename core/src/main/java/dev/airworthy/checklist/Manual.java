package dev.airworthy.checklist;

import java.time.Duration;
import java.util.List;

/** A manual item's requirements: who must sign off, and for how long a sign-off holds. */
public record Manual(List<String> roles, Duration validFor) {
}
