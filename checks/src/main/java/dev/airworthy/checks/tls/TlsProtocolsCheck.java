package dev.airworthy.checks.tls;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

@AutoService(Check.class)
@CheckInfo(
        id = "tls.protocols",
        title = "TLS protocol versions",
        category = Category.TLS,
        severity = Severity.HIGH,
        summary = """
                Offers the server each protocol version on its own and records which it accepts: SSLv3, \
                TLS 1.0 and TLS 1.1 are offered with a hand-built ClientHello listing old and new cipher \
                suites alike (the JDK refuses to speak them, so it cannot be used to see whether a server \
                does); TLS 1.2 the same way; TLS 1.3 with a real handshake. Fails when SSLv3, TLS 1.0 or \
                TLS 1.1 is accepted, or when neither TLS 1.2 nor 1.3 is; warns when TLS 1.3 is not offered.""",
        rationale = """
                SSLv3 and TLS 1.0/1.1 are broken or deprecated (RFC 8996) and fail PCI DSS and most \
                security reviews. A server that still accepts them lets an attacker in the middle \
                downgrade clients. TLS 1.3 is faster (one round trip fewer) and removes whole classes of \
                weak configuration.""",
        remediation = """
                Allow only TLS 1.2 and 1.3. In nginx: `ssl_protocols TLSv1.2 TLSv1.3;`. In Caddy and most \
                managed load balancers this is the default or a policy setting (AWS ELB: \
                `ELBSecurityPolicy-TLS13-1-2-2021-06`).""",
        example = """
                - id: tls-protocols
                  title: Only TLS 1.2 and 1.3
                  check: tls.protocols""",
        references = {"https://datatracker.ietf.org/doc/html/rfc8996", "https://ssl-config.mozilla.org/",
            "https://testssl.sh/"},
        params = {
            @Param(name = "url", description = "An https URL to check instead of the target URL (another host or port).")
        })
public final class TlsProtocolsCheck implements Check {
    private static final Duration PROBE_BUDGET = Duration.ofSeconds(5);
    /** JSSE name → rule suffix and the name people use. */
    private static final Map<String, String[]> LEGACY = Map.of(
            "SSLv3", new String[] {"sslv3", "SSLv3"},
            "TLSv1", new String[] {"tls10", "TLS 1.0"},
            "TLSv1.1", new String[] {"tls11", "TLS 1.1"});

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        TlsTarget target = TlsTarget.of(ctx);
        Outcome out = new Outcome();
        // A TLS server answers a ClientHello in milliseconds; a port that speaks something else may
        // never answer. Each probe gets its own budget, and they all go out at once.
        Duration budget = ctx.remaining().compareTo(PROBE_BUDGET) < 0 ? ctx.remaining() : PROBE_BUDGET;
        Map<String, Future<String>> probes = new LinkedHashMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String protocol : List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2")) {
                probes.put(protocol, threads.submit(() -> {
                    ClientHelloProbe.Answer a = ClientHelloProbe.probe(target.host(), target.port(), target.sni(), protocol, budget);
                    return (a.verdict() == ClientHelloProbe.Verdict.ACCEPTED ? "accepted" : "refused") + " (" + a.detail() + ")";
                }));
            }
            probes.put("TLSv1.3", threads.submit(() -> {
                try {
                    TlsHandshake.Session s = TlsHandshake.open(target, new String[] {"TLSv1.3"}, budget);
                    return "TLSv1.3".equals(s.protocol()) ? "accepted (" + s.cipherSuite() + ")" : "refused (negotiated " + s.protocol() + ")";
                } catch (SSLException | SocketTimeoutException e) {
                    return "refused (" + e.getMessage() + ")";
                }
            }));
        }
        Map<String, Boolean> accepted = new LinkedHashMap<>();
        for (var p : probes.entrySet()) {
            String answer;
            try {
                answer = p.getValue().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ConnectException) {
                    throw new IOException("cannot connect to " + target + ": connection refused", e.getCause());
                }
                throw new IOException(p.getKey() + " probe of " + target + " failed: " + e.getCause().getMessage(), e.getCause());
            }
            accepted.put(p.getKey(), answer.startsWith("accepted"));
            out.evidence(p.getKey() + ": " + answer);
        }
        boolean tls13 = accepted.get("TLSv1.3");

        if (!accepted.containsValue(true)) {
            return out.error("no TLS handshake succeeded with any protocol version: is " + target + " a TLS port?");
        }
        for (String legacy : List.of("SSLv3", "TLSv1", "TLSv1.1")) {
            if (accepted.get(legacy)) {
                String[] names = LEGACY.get(legacy);
                out.fail("tls.protocols." + names[0], "accepts " + names[1] + ", which is deprecated (RFC 8996)");
            }
        }
        if (!accepted.get("TLSv1.2") && !tls13) {
            out.fail("tls.protocols.no-modern", "accepts neither TLS 1.2 nor TLS 1.3");
        } else if (!tls13) {
            out.warn("tls.protocols.no-tls13", "does not offer TLS 1.3");
        }
        List<String> on = new ArrayList<>();
        accepted.forEach((p, yes) -> {
            if (yes) {
                on.add(p);
            }
        });
        return out.result("accepts only " + String.join(" and ", on));
    }

    @Override
    public List<String> validate(Params p) {
        return p.optionalString("url").map(TlsTarget::urlProblems).orElse(List.of());
    }
}
