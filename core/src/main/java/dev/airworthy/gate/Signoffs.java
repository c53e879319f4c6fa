package dev.airworthy.gate;

import dev.airworthy.check.Status;
import dev.airworthy.checklist.Attestation;
import dev.airworthy.checklist.Item;
import dev.airworthy.checklist.Manual;
import dev.airworthy.checklist.Waiver;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Applies attestations and waivers to what a check found. A manual item is attested only when
 * every required role has a sign-off in date; a waiver covers a blocking outcome until its last
 * day. Out-of-date ones never count: they make the item {@code expired}.
 */
public final class Signoffs {
    private final List<Attestation> attestations;
    private final List<Waiver> waivers;
    private final Instant now;

    public Signoffs(List<Attestation> attestations, List<Waiver> waivers, Instant now) {
        this.attestations = List.copyOf(attestations);
        this.waivers = List.copyOf(waivers);
        this.now = now;
    }

    /** The final status and message of an item, given what its check concluded. */
    public Decision decide(Item item, Status checked, String message) {
        Decision d = new Decision(checked, message);
        if (item.manual().isPresent() && checked == Status.PENDING) {
            d = attest(item, item.manual().get());
        }
        if (d.status().blocksGate()) {
            d = waive(item, d);
        }
        return d;
    }

    private Decision attest(Item item, Manual manual) {
        List<String> missing = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        List<String> valid = new ArrayList<>();
        for (String role : manual.roles()) {
            Optional<Attestation> latest = attestations.stream()
                    .filter(a -> a.item().equals(item.id()) && a.role().equals(role))
                    .filter(a -> !a.at().isAfter(now))
                    .max(Comparator.comparing(Attestation::at));
            if (latest.isEmpty()) {
                missing.add(role);
                continue;
            }
            Attestation a = latest.get();
            Instant until = expiry(a, manual);
            String who = a.by() + " (" + role + ", " + day(a.at()) + ")";
            if (until.isAfter(now)) {
                valid.add(who + " until " + day(until.minusSeconds(1)));
            } else {
                expired.add(role + " sign-off by " + a.by() + " expired " + day(until.minusSeconds(1)));
            }
        }
        if (!expired.isEmpty()) {
            String rest = missing.isEmpty() ? "" : "; awaiting " + String.join(", ", missing);
            return new Decision(Status.EXPIRED, String.join("; ", expired) + rest);
        }
        if (!missing.isEmpty()) {
            return new Decision(Status.PENDING, "awaiting sign-off by " + String.join(", ", missing)
                    + (valid.isEmpty() ? "" : "; signed by " + String.join(", ", valid)));
        }
        return new Decision(Status.ATTESTED, "signed off by " + String.join(", ", valid));
    }

    private static Instant expiry(Attestation a, Manual manual) {
        if (a.expires() != null) {
            return a.expires();
        }
        return a.at().plus(a.validFor() != null ? a.validFor() : manual.validFor());
    }

    private Decision waive(Item item, Decision d) {
        Optional<Waiver> latest = waivers.stream()
                .filter(w -> w.item().equals(item.id()))
                .max(Comparator.comparing(Waiver::until));
        if (latest.isEmpty()) {
            return d;
        }
        Waiver w = latest.get();
        String underlying = d.status().label() + ": " + d.message();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (!today.isAfter(w.until())) {
            return new Decision(Status.WAIVED, "waived by " + w.by() + " until " + w.until() + " (" + w.reason() + "); was " + underlying);
        }
        return new Decision(Status.EXPIRED, "waiver by " + w.by() + " ended " + w.until() + "; " + underlying);
    }

    private static String day(Instant i) {
        return LocalDate.ofInstant(i, ZoneOffset.UTC).toString();
    }

    public record Decision(Status status, String message) {
    }
}
