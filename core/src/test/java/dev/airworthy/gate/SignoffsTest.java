package dev.airworthy.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Attestation;
import dev.airworthy.checklist.Item;
import dev.airworthy.checklist.Waiver;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignoffsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Item MANUAL = new Item("drill", "Restore drill", "Ops", Severity.HIGH, "manual",
            new Params(Map.of("roles", List.of("devops"), "valid-for", Duration.ofDays(30))), null, null, null);
    private static final Item AUTOMATED = new Item("cors", "CORS", "Sec", Severity.HIGH, "http.cors",
            new Params(Map.of()), null, null, null);

    private static Attestation signed(String at) {
        return new Attestation("drill", "devops", "carol", Instant.parse(at), null, null, null, null, null);
    }

    @Test
    void anAttestationHoldsForTheItemsValidForThenExpires() {
        var fresh = new Signoffs(List.of(signed("2026-11-01T00:00:00Z")), List.of(), NOW).decide(MANUAL, Status.PENDING, "");
        assertThat(fresh).isEqualTo(new Signoffs.Decision(Status.ATTESTED, "signed off by carol (devops, 2026-11-01) until 2026-11-30"));
        var old = new Signoffs(List.of(signed("2026-10-01T00:00:00Z")), List.of(), NOW).decide(MANUAL, Status.PENDING, "");
        assertThat(old).isEqualTo(new Signoffs.Decision(Status.EXPIRED, "devops sign-off by carol expired 2026-10-30"));
    }

    @Test
    void aFutureDatedAttestationDoesNotCount() {
        var d = new Signoffs(List.of(signed("2026-12-01T00:00:00Z")), List.of(), NOW).decide(MANUAL, Status.PENDING, "");
        assertThat(d.status()).isEqualTo(Status.PENDING);
    }

    @Test
    void aWaiverCoversABlockingOutcomeThroughItsLastDayOnly() {
        Waiver w = new Waiver("cors", "fix in 2.1", LocalDate.of(2026, 11, 22), "cto", null);
        var today = new Signoffs(List.of(), List.of(w), NOW).decide(AUTOMATED, Status.FAIL, "reflects any origin");
        assertThat(today).isEqualTo(new Signoffs.Decision(Status.WAIVED,
                "waived by cto until 2026-11-22 (fix in 2.1); was fail: reflects any origin"));
        var tomorrow = new Signoffs(List.of(), List.of(w), NOW.plus(Duration.ofDays(1))).decide(AUTOMATED, Status.FAIL, "x");
        assertThat(tomorrow.status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void aWaiverDoesNotTouchPassesOrWarnings() {
        Waiver w = new Waiver("cors", "r", LocalDate.of(2027, 1, 1), "cto", null);
        Signoffs s = new Signoffs(List.of(), List.of(w), NOW);
        assertThat(s.decide(AUTOMATED, Status.PASS, "ok").status()).isEqualTo(Status.PASS);
        assertThat(s.decide(AUTOMATED, Status.WARN, "meh").status()).isEqualTo(Status.WARN);
        Waiver ended = new Waiver("cors", "r", LocalDate.of(2026, 1, 1), "cto", null);
        assertThat(new Signoffs(List.of(), List.of(ended), NOW).decide(AUTOMATED, Status.PASS, "ok").status())
                .as("an ended waiver on a passing item is simply not needed").isEqualTo(Status.PASS);
    }
}
