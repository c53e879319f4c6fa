package dev.airworthy.checks.compose;

import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.checks.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compose check's findings and evidence. A node a base file and its override share is judged
 * in both, so the same finding (rule, place and message) is kept once.
 */
final class Judgment {
    private final Outcome out = new Outcome();
    private final Set<String> seen = new HashSet<>();
    private int judged;

    void evidence(String line) {
        out.evidence(line);
    }

    void evidence(List<String> lines) {
        out.evidence(lines);
    }

    void fail(String rule, YamlNode at, String message) {
        add(Finding.fail(rule, message).at(at.file(), at.line()));
    }

    void fail(String rule, ComposeService at, String message) {
        add(Finding.fail(rule, message).at(at.file(), at.line()));
    }

    void warn(String rule, YamlNode at, String message) {
        add(Finding.warn(rule, message).at(at.file(), at.line()));
    }

    void warn(String rule, ComposeService at, String message) {
        add(Finding.warn(rule, message).at(at.file(), at.line()));
    }

    void add(Finding f) {
        if (seen.add(f.rule() + "@" + f.file() + ":" + f.line() + " " + f.message())) {
            out.finding(f);
        }
    }

    /** Counts one thing judged; with none, the item is skipped rather than passed. */
    void judged() {
        judged++;
    }

    int count() {
        return judged;
    }

    /**
     * The services the check applies to: one-shot services are left out (with a line of evidence
     * each) when {@code longRunningOnly}.
     */
    List<ComposeService> services(ComposeProject project, boolean longRunningOnly) {
        List<ComposeService> out = new ArrayList<>();
        for (ComposeService s : project.services()) {
            if (longRunningOnly && s.oneShot() != null) {
                evidence(s.file() + ": " + s.name() + " not judged: one-shot, " + s.oneShot());
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Passes with {@code passMessage} only when something was judged and nothing was found. */
    CheckResult result(String passMessage, String nothingJudged) {
        if (judged == 0 && !out.hasFindings()) {
            return out.skipped(nothingJudged);
        }
        return out.result(passMessage);
    }
}
