package dev.airworthy.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Severity;
import dev.airworthy.check.Status;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {
    private static Gate.Entry e(String id, Severity s, Status st) {
        return new Gate.Entry(id, s, st);
    }

    @Test
    void everyBlockingStatusBlocksAndNoOtherDoes() {
        for (Status s : Status.values()) {
            // Beside a pass, so the all-skipped rule does not mix in.
            GateVerdict v = Gate.decide(List.of(e("x", Severity.CRITICAL, s), e("ok", Severity.LOW, Status.PASS)),
                    EnumSet.of(Severity.CRITICAL));
            boolean blocks = s == Status.FAIL || s == Status.ERROR || s == Status.PENDING || s == Status.EXPIRED;
            assertThat(v.passed()).as(s.label()).isEqualTo(!blocks);
        }
    }

    @Test
    void aRunThatVerifiedNothingDoesNotPass() {
        GateVerdict v = Gate.decide(List.of(e("a", Severity.HIGH, Status.SKIPPED), e("b", Severity.LOW, Status.SKIPPED)),
                EnumSet.of(Severity.HIGH));
        assertThat(v.passed()).isFalse();
        assertThat(v.blocking()).isEmpty();
        assertThat(Gate.decide(List.of(e("a", Severity.HIGH, Status.SKIPPED), e("b", Severity.LOW, Status.WARN)),
                EnumSet.of(Severity.HIGH)).passed()).isTrue();
    }

    @Test
    void scoreIsTheSeverityWeightedShareOfItemsThatHold() {
        assertThat(Gate.score(List.of(
                e("a", Severity.CRITICAL, Status.PASS),      // 10 of 10
                e("b", Severity.HIGH, Status.FAIL),          // 0 of 7.5
                e("c", Severity.MEDIUM, Status.WARN),        // 2.5 of 5
                e("d", Severity.LOW, Status.ATTESTED),       // 2.5 of 2.5
                e("e", Severity.HIGH, Status.SKIPPED),       // left out
                e("f", Severity.INFO, Status.FAIL))))        // weight 0
                .isEqualTo(60); // 15 / 25
        assertThat(Gate.score(List.of(e("a", Severity.HIGH, Status.WAIVED)))).isEqualTo(100);
        assertThat(Gate.score(List.of(e("a", Severity.HIGH, Status.SKIPPED)))).as("nothing scored").isZero();
    }
}
