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
import java.net.UnknownHostException;
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
                TLS 1.1 is accepted, or when neither TLS 1.2 nor 1.3 is; warns when TLS 1.3 is not offered. \
                A version counts as refused only on a fatal alert, a ServerHello with another version, a \
                closed connection or an answer that is not TLS; warning alerts are skipped and a ServerHello \
                split over several records is reassembled. When a probe gets no answer within its time \
                (5 s at most, all probes at once) the check cannot tell, and says `error` naming the \
                version, unless an old version was seen accepted, which fails anyway.""",
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
    private static final List<String> PROTOCOLS = List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** JSSE name → rule suffix and the name people use. */
    private static final Map<String, String[]> NAMES = Map.of(
            "SSLv3", new String[] {"sslv3", "SSLv3"},
            "TLSv1", new String[] {"tls10", "TLS 1.0"},
            "TLSv1.1", new String[] {"tls11", "TLS 1.1"},
            "TLSv1.2", new String[] {"tls12", "TLS 1.2"},
            "TLSv1.3", new String[] {"tls13", "TLS 1.3"});

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        TlsTarget target = TlsTarget.of(ctx);
        Outcome out = new Outcome();
        // A TLS server answers a ClientHello in milliseconds; a port that speaks something else may
        // never answer. Each probe gets its own budget (a fifth of the time left is kept for
        // reporting), and they all go out at once.
        Duration left = ctx.remaining().minus(ctx.remaining().dividedBy(5));
        Duration budget = left.compareTo(PROBE_BUDGET) < 0 ? left : PROBE_BUDGET;
        Map<String, Future<ClientHelloProbe.Answer>> probes = new LinkedHashMap<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String protocol : PROTOCOLS) {
                probes.put(protocol, threads.submit(() -> protocol.equals("TLSv1.3") ? tls13(target, budget)
                        : legacy(target, protocol, budget)));
            }
        }
        Map<String, ClientHelloProbe.Answer> answers = new LinkedHashMap<>();
        for (var p : probes.entrySet()) {
            ClientHelloProbe.Answer answer;
            try {
                answer = p.getValue().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ConnectException) {
                    throw new IOException("cannot connect to " + target + ": connection refused", e.getCause());
                }
                if (e.getCause() instanceof UnknownHostException) {
                    throw new IOException("cannot resolve " + target.host() + ": " + e.getCause().getMessage(), e.getCause());
                }
                throw new IOException(p.getKey() + " probe of " + target + " failed: " + e.getCause().getMessage(), e.getCause());
            }
            answers.put(p.getKey(), answer);
            out.evidence(p.getKey() + ": " + switch (answer.verdict()) {
                case ACCEPTED -> "accepted";
                case REFUSED -> "refused";
                case UNKNOWN -> "cannot tell";
            } + " (" + answer.detail() + ")");
        }
        List<String> on = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        answers.forEach((p, a) -> {
            if (a.verdict() == ClientHelloProbe.Verdict.ACCEPTED) {
                on.add(p);
            } else if (a.verdict() == ClientHelloProbe.Verdict.UNKNOWN) {
                unknown.add("cannot tell whether " + NAMES.get(p)[1] + " is accepted: " + a.detail());
            }
        });

        if (on.isEmpty()) {
            return out.error("no TLS handshake succeeded with any protocol version: is " + target + " a TLS port?"
                    + (unknown.isEmpty() ? "" : " (" + unknown.size() + " of " + PROTOCOLS.size() + " probes got no answer in time)"));
        }
        for (String legacy : List.of("SSLv3", "TLSv1", "TLSv1.1")) {
            if (on.contains(legacy)) {
                String[] names = NAMES.get(legacy);
                out.fail("tls.protocols." + names[0], "accepts " + names[1] + ", which is deprecated (RFC 8996)");
            }
        }
        if (!out.hasFindings() && !unknown.isEmpty()) {
            // A probe that got no answer proves nothing: neither a pass nor a "no TLS 1.3" warning.
            return out.error(String.join("; ", unknown));
        }
        boolean tls13Refused = answers.get("TLSv1.3").verdict() == ClientHelloProbe.Verdict.REFUSED;
        boolean tls12Refused = answers.get("TLSv1.2").verdict() == ClientHelloProbe.Verdict.REFUSED;
        if (tls12Refused && tls13Refused) {
            out.fail("tls.protocols.no-modern", "accepts neither TLS 1.2 nor TLS 1.3");
        } else if (tls13Refused) {
            out.warn("tls.protocols.no-tls13", "does not offer TLS 1.3");
        }
        return out.result("accepts only " + String.join(" and ", on));
    }

    /** A hand-built ClientHello offering only {@code protocol}; an I/O failure other than a refused connection is "cannot tell". */
    private static ClientHelloProbe.Answer legacy(TlsTarget target, String protocol, Duration budget)
            throws ConnectException, UnknownHostException {
        try {
            return ClientHelloProbe.probe(target.host(), target.port(), target.sni(), protocol, budget);
        } catch (ConnectException | UnknownHostException e) {
            throw e;
        } catch (IOException e) {
            return new ClientHelloProbe.Answer(ClientHelloProbe.Verdict.UNKNOWN, String.valueOf(e.getMessage()));
        }
    }

    /**
     * A real handshake offering only TLS 1.3. The server refuses it with an alert, by choosing an
     * older version, by closing the connection, or by not speaking TLS; a timeout or a failure on
     * this side is "cannot tell", never a refusal.
     */
    static ClientHelloProbe.Answer tls13(TlsTarget target, Duration budget) throws ConnectException, UnknownHostException {
        try {
            TlsHandshake.Session s = TlsHandshake.open(target, new String[] {"TLSv1.3"}, budget);
            return "TLSv1.3".equals(s.protocol())
                    ? new ClientHelloProbe.Answer(ClientHelloProbe.Verdict.ACCEPTED, s.cipherSuite())
                    : new ClientHelloProbe.Answer(ClientHelloProbe.Verdict.REFUSED, "negotiated " + s.protocol());
        } catch (SocketTimeoutException e) {
            return new ClientHelloProbe.Answer(ClientHelloProbe.Verdict.UNKNOWN, "no complete handshake within "
                    + (budget.toMillis() % 1000 == 0 ? budget.toSeconds() + " s" : budget.toMillis() + " ms"));
        } catch (SSLException e) {
            String m = String.valueOf(e.getMessage());
            boolean refused = m.contains("Received fatal alert") || m.contains("not accepted by client preferences")
                    || m.contains("Remote host terminated the handshake");
            return new ClientHelloProbe.Answer(refused ? ClientHelloProbe.Verdict.REFUSED : ClientHelloProbe.Verdict.UNKNOWN, m);
        } catch (UnknownHostException e) {
            throw e;
        } catch (java.net.SocketException e) {
            boolean reset = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("reset");
            return new ClientHelloProbe.Answer(reset ? ClientHelloProbe.Verdict.REFUSED : ClientHelloProbe.Verdict.UNKNOWN,
                    reset ? "reset the connection" : String.valueOf(e.getMessage()));
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException c) {
                throw c;
            }
            if (e.getCause() instanceof SSLException) { // "no TLS from ...": it answered with something else
                return new ClientHelloProbe.Answer(ClientHelloProbe.Verdict.REFUSED, "answered with something that is not TLS");
            }
            return new ClientHelloProbe.Answer(ClientHelloProbe.Verdict.UNKNOWN, String.valueOf(e.getMessage()));
        }
    }

    @Override
    public List<String> validate(Params p) {
        return p.optionalString("url").map(TlsTarget::urlProblems).orElse(List.of());
    }
}
