package dev.airworthy.check;

import com.google.auto.service.AutoService;
import java.util.List;

/**
 * What no machine can verify. The check itself always reports pending; the gate turns a valid
 * attestation by every required role into {@code attested}, an out-of-date one into {@code expired}.
 */
@AutoService(Check.class)
@CheckInfo(
        id = "manual",
        title = "Manual sign-off",
        category = Category.PEOPLE,
        severity = Severity.HIGH,
        summary = """
                An item that a named person in a named role signs off: a security review, an on-call \
                owner, a restore drill. It is pending until every required role has attested, and \
                expires when the newest attestation is older than `valid-for`.""",
        rationale = """
                Many go-live items cannot be verified by a machine, and a ticked box in a document says \
                nothing about who checked, when, or whether it still holds. An attestation names the \
                person and the role, links the evidence, and runs out, so the checklist asks again.""",
        remediation = """
                Have someone in each required role record the sign-off, in the checklist's \
                `attestations:` list (reviewed in the pull request like any other change):

                ```yaml
                attestations:
                  - item: security-signoff
                    role: security
                    by: alice@example.com
                    at: 2026-11-02
                    evidence: https://tracker.example.com/SEC-142
                ```""",
        example = """
                - id: security-signoff
                  title: Security sign-off
                  severity: critical
                  manual: { roles: [security], valid-for: 30d }""",
        references = {"https://en.wikipedia.org/wiki/Airworthiness_certificate"},
        params = {
            @Param(name = "roles", type = ParamType.STRING_LIST, required = true,
                    description = "Roles that must each attest, e.g. `security`, `on-call`, `product owner`."),
            @Param(name = "valid-for", type = ParamType.DURATION, defaultValue = "90d",
                    description = "How long an attestation holds when it does not give its own `valid-for` or `expires`.")
        })
public final class ManualCheck implements Check {
    public static final String ID = "manual";

    @Override
    public CheckResult run(CheckContext context) {
        List<String> roles = context.params().list("roles");
        return CheckResult.of(Status.PENDING, "awaiting sign-off by " + String.join(", ", roles));
    }

    @Override
    public List<String> validate(Params params) {
        return params.list("roles").isEmpty() ? List.of("manual item needs at least one role") : List.of();
    }
}
