package dev.airworthy.checks.tls;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

@AutoService(Check.class)
@CheckInfo(
        id = "tls.certificate",
        title = "TLS certificate",
        category = Category.TLS,
        severity = dev.airworthy.check.Severity.CRITICAL,
        summary = """
                Completes a TLS handshake with the target (accepting whatever it presents) and judges the \
                certificate itself: the chain leads to an authority the JDK trusts or one given with \
                `--ca` (no intermediates missing), it names the host (subject alternative names, as \
                browsers match them), it is valid now and for at least `min-days` more days, its key is \
                RSA of 2048 bits or more or EC of 256 or more, and no certificate in the chain is signed \
                with SHA-1 or MD5. A finding per problem. Revocation (OCSP, CRL) is not checked.""",
        rationale = """
                An expired or mismatched certificate takes a service down as surely as a crash: browsers, \
                mobile apps and API clients refuse to connect. Expiry is the classic outage nobody saw \
                coming, which is why the check fails well before the date, not on it.""",
        remediation = """
                Renew before `min-days` (automate it: ACME/Let's Encrypt, cert-manager, your load \
                balancer's managed certificates). Serve the full chain (leaf and intermediates; in nginx, \
                `ssl_certificate` must point at the full-chain file). Request the certificate for every \
                host name clients use. Use RSA 2048+ or ECDSA P-256 keys and SHA-256 signatures.""",
        example = """
                - id: certificate
                  title: Certificate valid for at least 30 more days
                  check: tls.certificate
                  with: { min-days: 30 }""",
        references = {"https://datatracker.ietf.org/doc/html/rfc5280", "https://datatracker.ietf.org/doc/html/rfc6125",
            "https://cabforum.org/baseline-requirements-documents/"},
        params = {
            @Param(name = "min-days", type = ParamType.INTEGER, defaultValue = "30",
                    description = "Fails when the certificate expires in fewer days than this."),
            @Param(name = "url", description = "An https URL to check instead of the target URL (another host or port).")
        })
public final class TlsCertificateCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        TlsTarget target = TlsTarget.of(ctx);
        TlsHandshake.Session session = TlsHandshake.open(target, LegacyTls.MODERN, ctx.remaining());
        X509Certificate leaf = session.chain().getFirst();
        Instant now = ctx.clock().instant();
        long daysLeft = Duration.between(now, leaf.getNotAfter().toInstant()).toDays();
        Outcome out = new Outcome();
        out.evidence("TLS handshake with " + target + ": " + session.protocol() + ", " + session.cipherSuite());
        out.evidence("subject: " + leaf.getSubjectX500Principal().getName());
        out.evidence("issuer: " + leaf.getIssuerX500Principal().getName());
        out.evidence("names: " + String.join(", ", HostnameMatcher.names(leaf)));
        out.evidence("valid: " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + " (" + daysLeft + " days left)");
        out.evidence("key: " + describe(leaf.getPublicKey()) + "; signature: " + leaf.getSigAlgName()
                + "; chain of " + session.chain().size());
        out.metric("days_left", daysLeft);

        long minDays = ctx.params().integer("min-days");
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            out.fail("tls.certificate.not-yet-valid", "the certificate is not valid before " + leaf.getNotBefore().toInstant());
        } else if (now.isAfter(leaf.getNotAfter().toInstant())) {
            out.fail("tls.certificate.expired", "the certificate expired " + leaf.getNotAfter().toInstant() + " (" + -daysLeft + " days ago)");
        } else if (daysLeft < minDays) {
            out.fail("tls.certificate.expiring", "the certificate expires in " + daysLeft + " days (" + leaf.getNotAfter().toInstant()
                    + "), under the " + minDays + "-day minimum");
        }
        chainProblem(session.chain(), ctx, now).ifPresent(m -> out.fail("tls.certificate.untrusted", m));
        if (!HostnameMatcher.matches(target.host(), leaf)) {
            out.fail("tls.certificate.hostname", "the certificate does not name " + target.host() + " (it names "
                    + String.join(", ", HostnameMatcher.names(leaf)).replace("DNS:", "").replace("IP:", "") + ")");
        }
        keyProblem(leaf.getPublicKey()).ifPresent(m -> out.fail("tls.certificate.weak-key", m));
        for (X509Certificate c : session.chain()) {
            boolean selfSigned = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
            String alg = c.getSigAlgName().toUpperCase(Locale.ROOT);
            if (!selfSigned && (alg.contains("SHA1") || alg.contains("MD5") || alg.contains("MD2"))) {
                out.fail("tls.certificate.weak-signature", c.getSubjectX500Principal().getName() + " is signed with " + c.getSigAlgName());
            }
        }
        return out.result("valid for " + target.host() + " for " + daysLeft + " more days, trusted chain, "
                + describe(leaf.getPublicKey()) + ", " + leaf.getSigAlgName());
    }

    /**
     * Why the chain does not lead to a trusted authority, judged at a moment inside the leaf's
     * validity so that expiry is reported on its own and not twice.
     */
    static java.util.Optional<String> chainProblem(List<X509Certificate> chain, CheckContext ctx, Instant now)
            throws GeneralSecurityException {
        X509Certificate leaf = chain.getFirst();
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate c : TrustMaterial.trustManager(ctx.caFiles()).getAcceptedIssuers()) {
            anchors.add(new TrustAnchor(c, null));
        }
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (anchors.stream().anyMatch(a -> a.getTrustedCert().equals(c))) {
                break; // the path stops below the anchor the server also sent
            }
            path.add(c);
        }
        if (path.isEmpty()) {
            return java.util.Optional.empty(); // the leaf itself is a trusted anchor (pinned in --ca)
        }
        Instant at = now;
        if (at.isAfter(leaf.getNotAfter().toInstant())) {
            at = leaf.getNotAfter().toInstant().minusSeconds(1);
        } else if (at.isBefore(leaf.getNotBefore().toInstant())) {
            at = leaf.getNotBefore().toInstant().plusSeconds(1);
        }
        PKIXParameters params = new PKIXParameters(anchors);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        try {
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
            CertPathValidator.getInstance("PKIX").validate(cp, params);
            return java.util.Optional.empty();
        } catch (CertPathValidatorException e) {
            X509Certificate last = path.getLast();
            if (chain.size() == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                return java.util.Optional.of("the certificate is self-signed and not trusted (pass it with --ca if it is meant to be private)");
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
                return java.util.Optional.of("the chain uses an algorithm the JDK no longer trusts: " + e.getMessage());
            }
            return java.util.Optional.of("the chain does not lead to a trusted authority: no trusted issuer for "
                    + last.getIssuerX500Principal().getName()
                    + " (a private CA not given with --ca, or the server does not send its intermediate certificates)");
        }
    }

    static java.util.Optional<String> keyProblem(PublicKey key) {
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < 2048) {
            return java.util.Optional.of("RSA key of " + rsa.getModulus().bitLength() + " bits; 2048 is the minimum");
        }
        if (key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() < 256) {
            return java.util.Optional.of("EC key of " + ec.getParams().getCurve().getField().getFieldSize() + " bits; 256 is the minimum");
        }
        if (key instanceof DSAKey) {
            return java.util.Optional.of("DSA key; browsers no longer accept DSA certificates");
        }
        return java.util.Optional.empty();
    }

    static String describe(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (key instanceof ECKey ec) {
            return "EC " + ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm();
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        if (p.integer("min-days") < 0) {
            problems.add("min-days must not be negative");
        }
        p.optionalString("url").ifPresent(u -> problems.addAll(TlsTarget.urlProblems(u)));
        return problems;
    }
}
