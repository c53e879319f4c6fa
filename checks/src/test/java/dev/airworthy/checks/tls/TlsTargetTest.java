package dev.airworthy.checks.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.checks.fixture.TestCertificates;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsTargetTest {
    @Test
    void onlyDottedQuadsAndIpv6AreIpLiterals() {
        assertThat(TlsTarget.isIpLiteral("127.0.0.1")).isTrue();
        assertThat(TlsTarget.isIpLiteral("[::1]")).isTrue();
        assertThat(TlsTarget.isIpLiteral("::1")).isTrue();
        assertThat(TlsTarget.isIpLiteral("1.2.3")).isFalse();
        assertThat(TlsTarget.isIpLiteral("1.2.3.4.5")).isFalse();
        assertThat(TlsTarget.isIpLiteral("256.1.1.1")).isFalse();
        assertThat(new TlsTarget("1.2.3", 443).sni()).isEqualTo("1.2.3");
        assertThat(new TlsTarget("10.0.0.1", 443).sni()).isNull();
    }

    @Test
    void anInternationalisedHostIsSentInPunycode() {
        TlsTarget t = TlsTarget.parse(URI.create("https://bücher.example:8443/x"));
        assertThat(t).isEqualTo(new TlsTarget("xn--bcher-kva.example", 8443));
        assertThat(t.sni()).isEqualTo("xn--bcher-kva.example");
        assertThat(TlsTarget.urlProblems("https://bücher.example/")).isEmpty();
    }

    @Test
    void aTrailingDotIsNotSentAsSni() {
        TlsTarget t = TlsTarget.parse(URI.create("https://example.com./"));
        assertThat(t.host()).isEqualTo("example.com.");
        assertThat(t.sni()).isEqualTo("example.com");
        new javax.net.ssl.SNIHostName(t.sni()); // does not throw
    }

    @Test
    void aHostThatIsNoDomainNameIsAChecklistError() {
        assertThat(TlsTarget.urlProblems("https://exa\u00admple..com/")).singleElement().asString()
                .contains("not a valid domain name");
        assertThat(TlsTarget.urlProblems("http://example.com/")).singleElement().asString().contains("must be an https:// URL");
        assertThat(TlsTarget.urlProblems("https:///path")).singleElement().asString().contains("has no host");
        assertThatThrownBy(() -> TlsTarget.parse(URI.create("https://a..b€/"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid domain name");
    }

    @Test
    void trustMaterialIsBuiltOncePerListOfCaFiles() throws Exception {
        List<java.nio.file.Path> ca = List.of(TestCertificates.get().caPem());
        assertThat(TrustMaterial.trustManager(ca)).isSameAs(TrustMaterial.trustManager(List.of(TestCertificates.get().caPem())));
        assertThat(TrustMaterial.trustManager(List.of())).isSameAs(TrustMaterial.trustManager(List.of()));
        assertThat(TrustMaterial.trustManager(ca)).isNotSameAs(TrustMaterial.trustManager(List.of()));
    }
}
