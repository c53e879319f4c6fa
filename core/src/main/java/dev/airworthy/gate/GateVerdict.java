package dev.airworthy.gate;

import java.util.List;

/** Go or no-go: the severities that block, and the items that blocked. */
public record GateVerdict(boolean passed, List<String> failOn, List<String> blocking) {
}
