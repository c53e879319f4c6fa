package dev.airworthy.checklist;

import java.time.LocalDate;

/** A decision to go live despite an item, with a reason, who took it, and the last day it holds. */
public record Waiver(String item, String reason, LocalDate until, String by, Position position) {
}
