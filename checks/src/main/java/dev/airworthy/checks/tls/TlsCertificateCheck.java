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
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

@AutoService(Check.class)
@CheckInfo(
        id = "tls.certificate",
        title = "TLS certificate",
        category = Category.TLS,
        severity = dev.airworthy.check.Severity.CRITICAL,
        summary = """
                Completes a TLS handshake with the target (accepting whatever it presents) and judges the \
                certificate itself: a path leads from it to an authority the JDK trusts or one given with \
                `--ca`, built from the certificates the server sent in any order, as clients do (no \
                intermediates missing; intermediates valid, correctly signed, within their path length and \
                name constraints); the leaf may serve TLS (extended key usage serverAuth when it has one, \
                and the key usage and CA distrust policies the JDK's own trust manager applies); it names \
                the host (subject alternative names, as browsers match them); it and every certificate on \
                the path are valid now and for at least `min-days` more days (`days_left` counts to the \
                first of them to expire, an intermediate included); its key is RSA of 2048 bits or more or \
                EC of 256 or more, and no certificate in the chain is signed with SHA-1 or MD5. A finding \
                per problem; an Ed25519 or Ed448 key warns, as browsers refuse them. Revocation (OCSP, CRL) \
                is not checked.""",
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
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EKU = "2.5.29.37.0";
    private static final Map<String, String> EKU_NAMES = Map.of(
            SERVER_AUTH, "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth", "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection", "1.3.6.1.5.5.7.3.8", "timeStamping", "1.3.6.1.5.5.7.3.9", "OCSPSigning");

    @Override
    public CheckResult run(CheckContext ctx) throws Exception {
        TlsTarget target = TlsTarget.of(ctx);
        TlsHandshake.Session session = TlsHandshake.open(target, TlsProtocols.MODERN, ctx.remaining());
        List<X509Certificate> chain = session.chain();
        X509Certificate leaf = chain.getFirst();
        Instant now = ctx.clock().instant();
        Judgement trust = judge(chain, ctx.caFiles(), now);
        // The certificate that expires first on the path to the trusted root: the leaf, or an
        // intermediate that runs out before it (the leaf wins ties).
        X509Certificate first = leaf;
        for (X509Certificate c : trust.path()) {
            if (c.getNotAfter().before(first.getNotAfter())) {
                first = c;
            }
        }
        long daysLeft = Duration.between(now, first.getNotAfter().toInstant()).toDays();
        Outcome out = new Outcome();
        out.evidence("TLS handshake with " + target + ": " + session.protocol() + ", " + session.cipherSuite());
        out.evidence("subject: " + leaf.getSubjectX500Principal().getName());
        out.evidence("issuer: " + leaf.getIssuerX500Principal().getName());
        out.evidence("names: " + String.join(", ", HostnameMatcher.names(leaf)));
        long leafDays = Duration.between(now, leaf.getNotAfter().toInstant()).toDays();
        out.evidence("valid: " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + " (" + leafDays + " days left)");
        out.evidence("key: " + describe(leaf.getPublicKey()) + "; signature: " + leaf.getSigAlgName()
                + "; chain of " + chain.size());
        out.evidence((trust.anchor() == null ? "presented path: " : "path: ") + pathText(trust));
        if (first != leaf) {
            out.evidence("expires first: " + name(first) + " on " + first.getNotAfter().toInstant() + " (" + daysLeft + " days left)");
        }
        out.metric("days_left", daysLeft);

        long minDays = ctx.params().integer("min-days");
        Set<X509Certificate> timeReported = new HashSet<>();
        for (X509Certificate c : trust.path()) {
            if (now.isBefore(c.getNotBefore().toInstant())) {
                out.fail("tls.certificate.not-yet-valid", which(c, leaf) + " is not valid before " + c.getNotBefore().toInstant());
                timeReported.add(c);
            }
        }
        if (now.isAfter(first.getNotAfter().toInstant())) {
            out.fail("tls.certificate.expired", which(first, leaf) + " expired " + first.getNotAfter().toInstant() + " (" + -daysLeft
                    + " days ago)");
            for (X509Certificate c : trust.path()) {
                if (now.isAfter(c.getNotAfter().toInstant())) {
                    timeReported.add(c);
                }
            }
        } else if (daysLeft < minDays) {
            out.fail("tls.certificate.expiring", which(first, leaf) + " expires in " + daysLeft + " days (" + first.getNotAfter().toInstant()
                    + (first == leaf ? "" : ", before the leaf") + "), under the " + minDays + "-day minimum");
        }
        if (trust.problem() != null) {
            // An expiry the validator tripped on is already a finding of its own.
            if (trust.validityOf() == null || !timeReported.contains(trust.validityOf())) {
                out.fail("tls.certificate.untrusted", trust.problem());
            }
        } else if (timeReported.isEmpty()) {
            // The path builder knows nothing of TLS: the JDK's trust manager also applies the key
            // usage a TLS server needs and its CA distrust policies (jdk.security.caDistrustPolicies).
            jdkRejection(chain, ctx.caFiles(), authType(session)).ifPresent(m -> out.fail("tls.certificate.untrusted", m));
        }
        if (!HostnameMatcher.matches(target.host(), leaf)) {
            out.fail("tls.certificate.hostname", "the certificate does not name " + target.host() + " (it names "
                    + String.join(", ", HostnameMatcher.names(leaf)).replace("DNS:", "").replace("IP:", "") + ")");
        }
        keyProblem(leaf.getPublicKey()).ifPresent(m -> out.fail("tls.certificate.weak-key", m));
        if (leaf.getPublicKey() instanceof EdECKey ed) {
            out.warn("tls.certificate.eddsa-key", "the certificate has an " + ed.getParams().getName()
                    + " key: valid TLS 1.3, but browsers do not accept EdDSA certificates; serve an ECDSA P-256 or RSA certificate too");
        }
        for (X509Certificate c : chain) {
            boolean selfSigned = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
            String alg = c.getSigAlgName().toUpperCase(Locale.ROOT);
            if (!selfSigned && (alg.contains("SHA1") || alg.contains("MD5") || alg.contains("MD2"))) {
                out.fail("tls.certificate.weak-signature", c.getSubjectX500Principal().getName() + " is signed with " + c.getSigAlgName());
            }
        }
        return out.result("valid for " + target.host() + " for " + daysLeft + " more days"
                + (first == leaf ? "" : " (" + name(first) + " expires first)") + ", trusted chain, "
                + describe(leaf.getPublicKey()) + ", " + leaf.getSigAlgName());
    }

    /**
     * What the chain leads to: the path the PKIX builder found (leaf first, without the trust
     * anchor) and its anchor; or, when it found none, the presented certificates in issuing order
     * and why they do not lead to a trusted authority. {@code validityOf} is set when that reason
     * is only that one certificate is out of its validity period.
     */
    record Judgement(List<X509Certificate> path, TrustAnchor anchor, String problem, X509Certificate validityOf) {
    }

    /**
     * Builds a path from the leaf to a trusted authority out of the certificates the server
     * presented, in any order, as clients do. The path is judged at a moment when its
     * certificates are all valid, when there is one, so that expiry is reported on its own and
     * not twice; the caller judges validity now.
     */
    static Judgement judge(List<X509Certificate> chain, List<Path> caFiles, Instant now) throws GeneralSecurityException {
        X509Certificate leaf = chain.getFirst();
        Set<TrustAnchor> anchors = TrustMaterial.anchors(caFiles);
        for (TrustAnchor a : anchors) {
            if (a.getTrustedCert().equals(leaf)) {
                return new Judgement(List.of(leaf), a, null, null); // the leaf itself is trusted (pinned with --ca)
            }
        }
        List<X509Certificate> presented = issuingOrder(chain, anchors);
        Instant at = insideValidity(now, presented, leaf);
        Optional<String> eku = ekuProblem(leaf);
        if (eku.isPresent()) {
            return new Judgement(presented, null, eku.get(), null);
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(leaf);
        try {
            target.setExtendedKeyUsage(Set.of(SERVER_AUTH));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
        try {
            PKIXCertPathBuilderResult r = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> path = new ArrayList<>();
            r.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            return new Judgement(path, r.getTrustAnchor(), null, null);
        } catch (CertPathBuilderException e) {
            return explain(chain, presented, anchors, at, e);
        }
    }

    /**
     * The presented certificates from the leaf up, each followed by the one that issued it (the
     * one whose key verifies its signature, else the first with the right name), stopping below
     * a trusted root or where no issuer was presented.
     */
    static List<X509Certificate> issuingOrder(List<X509Certificate> chain, Set<TrustAnchor> anchors) {
        Set<X509Certificate> anchorCerts = new HashSet<>();
        Set<X500Principal> anchorNames = new HashSet<>();
        for (TrustAnchor a : anchors) {
            anchorCerts.add(a.getTrustedCert());
            anchorNames.add(a.getTrustedCert().getSubjectX500Principal());
        }
        List<X509Certificate> path = new ArrayList<>(List.of(chain.getFirst()));
        List<X509Certificate> rest = new ArrayList<>(chain.subList(1, chain.size()));
        X509Certificate current = chain.getFirst();
        while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())
                && !anchorNames.contains(current.getIssuerX500Principal())) {
            X509Certificate next = null;
            for (X509Certificate c : rest) {
                if (c.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    if (signedBy(current, c)) {
                        next = c;
                        break;
                    }
                    next = next == null ? c : next;
                }
            }
            if (next == null || anchorCerts.contains(next)) {
                break;
            }
            rest.remove(next);
            path.add(next);
            current = next;
        }
        return path;
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Now, moved inside the validity periods of all of {@code path} when they overlap, else inside the leaf's. */
    private static Instant insideValidity(Instant now, List<X509Certificate> path, X509Certificate leaf) {
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        for (X509Certificate c : path) {
            from = max(from, c.getNotBefore().toInstant());
            to = min(to, c.getNotAfter().toInstant());
        }
        if (from.isAfter(to)) {
            from = leaf.getNotBefore().toInstant();
            to = leaf.getNotAfter().toInstant();
        }
        if (now.isAfter(to)) {
            return max(from, to.minusSeconds(1));
        }
        if (now.isBefore(from)) {
            return min(to, from.plusSeconds(1));
        }
        return now;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Why a leaf with an extended key usage extension may not serve TLS: it lists neither serverAuth nor anyExtendedKeyUsage. */
    static Optional<String> ekuProblem(X509Certificate leaf) {
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException e) {
            return Optional.of("the certificate's extended key usage extension cannot be read: " + e.getMessage());
        }
        if (eku == null || eku.contains(SERVER_AUTH) || eku.contains(ANY_EKU)) {
            return Optional.empty();
        }
        List<String> names = eku.stream().map(o -> EKU_NAMES.getOrDefault(o, o)).toList();
        return Optional.of("the certificate is not for TLS servers: its extended key usage allows only " + String.join(", ", names)
                + ", not serverAuth (browsers and the JDK refuse it)");
    }

    /** Why the builder found no path, from a validation of the presented certificates in issuing order. */
    private static Judgement explain(List<X509Certificate> chain, List<X509Certificate> presented, Set<TrustAnchor> anchors,
            Instant at, CertPathBuilderException built) throws GeneralSecurityException {
        X509Certificate leaf = chain.getFirst();
        X509Certificate last = presented.getLast();
        if (chain.size() == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
            return new Judgement(presented, null,
                    "the certificate is self-signed and not trusted (pass it with --ca if it is meant to be private)", null);
        }
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            // A self-signed root the server sent, which nobody here trusts: no path can end there.
            return new Judgement(presented, null, noTrustedIssuer(last), null);
        }
        PKIXParameters params = new PKIXParameters(anchors);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        try {
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(presented), params);
            return new Judgement(presented, null, "no valid certification path to a trusted authority: " + built.getMessage(), null);
        } catch (CertPathValidatorException e) {
            int i = e.getIndex();
            X509Certificate c = i >= 0 && i < presented.size() ? presented.get(i) : null;
            String who = c == null ? "a certificate in the chain" : which(c, leaf);
            CertPathValidatorException.Reason reason = e.getReason();
            String problem;
            X509Certificate validity = null;
            if (reason == CertPathValidatorException.BasicReason.EXPIRED && c != null) {
                problem = who + " expired " + c.getNotAfter().toInstant();
                validity = c;
            } else if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID && c != null) {
                problem = who + " is not valid before " + c.getNotBefore().toInstant();
                validity = c;
            } else if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
                problem = "the signature on " + who + " does not verify with the key of its issuer"
                        + (c == null ? "" : " " + c.getIssuerX500Principal().getName())
                        + " (a corrupt or forged certificate, or an intermediate of the same name with another key)";
            } else if (reason == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
                problem = "the chain uses an algorithm the JDK no longer trusts: " + e.getMessage();
            } else if (reason == PKIXReason.PATH_TOO_LONG) {
                problem = "the chain breaks a path length constraint: " + who
                        + " is below a CA that allows fewer intermediate CAs under it (basic constraints pathLenConstraint)";
            } else if (reason == PKIXReason.INVALID_NAME) {
                problem = "a name constraint of an issuing CA does not allow the names in " + who;
            } else if (reason == PKIXReason.NOT_CA_CERT) {
                problem = who + " issued a certificate but is not a CA certificate (basic constraints)";
            } else if (reason == PKIXReason.INVALID_KEY_USAGE) {
                problem = who + " has a key usage that does not allow what the chain uses it for";
            } else if (reason == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
                problem = who + " has a critical extension the JDK does not recognise";
            } else if (reason == PKIXReason.NO_TRUST_ANCHOR) {
                problem = noTrustedIssuer(last);
            } else {
                problem = "the chain does not lead to a trusted authority: " + e.getMessage();
            }
            return new Judgement(presented, null, problem, validity);
        }
    }

    private static String noTrustedIssuer(X509Certificate last) {
        return "the chain does not lead to a trusted authority: no trusted issuer for " + last.getIssuerX500Principal().getName()
                + " (a private CA not given with --ca, or the server does not send its intermediate certificates)";
    }

    /** Why the JDK's own trust manager, as a Java client would use it, rejects a chain the builder accepted. */
    static Optional<String> jdkRejection(List<X509Certificate> chain, List<Path> caFiles, String authType)
            throws GeneralSecurityException {
        try {
            TrustMaterial.trustManager(caFiles).checkServerTrusted(chain.toArray(X509Certificate[]::new), authType);
            return Optional.empty();
        } catch (CertificateException e) {
            // Either store may have said "no path" while the other, which has the root, said why.
            Throwable why = e;
            for (Throwable t : e.getSuppressed()) {
                if (String.valueOf(why.getMessage()).contains("unable to find valid certification path")) {
                    why = t;
                }
            }
            return Optional.of("the JDK's trust manager rejects the chain: " + why.getMessage());
        }
    }

    /** The authentication type a Java client passes its trust manager: the key exchange of TLS 1.2 suites, UNKNOWN for TLS 1.3. */
    static String authType(TlsHandshake.Session session) {
        String suite = session.cipherSuite();
        int with = suite.indexOf("_WITH_");
        if ("TLSv1.3".equals(session.protocol()) || !suite.startsWith("TLS_") || with < 0) {
            return "UNKNOWN";
        }
        return suite.substring(4, with);
    }

    private static String which(X509Certificate c, X509Certificate leaf) {
        return c == leaf ? "the certificate" : "the intermediate certificate " + name(c);
    }

    private static String name(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static String pathText(Judgement j) {
        List<String> names = new ArrayList<>();
        j.path().forEach(c -> names.add(name(c)));
        if (j.anchor() != null && !j.path().contains(j.anchor().getTrustedCert())) {
            names.add(name(j.anchor().getTrustedCert()) + " (trusted root)");
        }
        return String.join(" <- ", names);
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
        if (key instanceof EdECKey ed) {
            return ed.getParams().getName();
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
