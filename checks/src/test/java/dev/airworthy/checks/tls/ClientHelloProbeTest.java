package dev.airworthy.checks.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ClientHello probe's reading of answers, fed crafted bytes by a raw loopback server: what
 * matters is where the record boundaries fall, which no real TLS server lets a test choose.
 */
class ClientHelloProbeTest {
    private static final Duration BUDGET = Duration.ofSeconds(2);

    /** A ServerHello (handshake message, no record header) choosing {@code version}. */
    private static byte[] serverHello(int version) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x02);
        b.write(0);
        b.write(0);
        b.write(38);
        b.write(version >> 8);
        b.write(version);
        b.writeBytes(new byte[32]);
        b.write(0); // session id
        b.write(0xC0);
        b.write(0x13);
        b.write(0); // compression
        return b.toByteArray();
    }

    private static byte[] record(int type, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        b.write(3);
        b.write(1);
        b.write(payload.length >> 8);
        b.write(payload.length);
        b.writeBytes(payload);
        return b.toByteArray();
    }

    private static byte[] alert(int level, int description) {
        return record(0x15, new byte[] {(byte) level, (byte) description});
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    /** A server that reads the ClientHello, then sends each chunk in turn, pausing {@code pauseMs} between them. */
    private static ClientHelloProbe.Answer probeAgainst(long pauseMs, Duration budget, byte[]... chunks) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.readNBytes(5 + 40); // the record header and the start of the ClientHello
                    OutputStream out = s.getOutputStream();
                    for (byte[] chunk : chunks) {
                        out.write(chunk);
                        out.flush();
                        Thread.sleep(pauseMs);
                    }
                    Thread.sleep(budget.toMillis() + 1000); // then silence until the probe gives up
                } catch (IOException | InterruptedException e) {
                    // the probe closed the connection
                }
            });
            try {
                return ClientHelloProbe.probe("127.0.0.1", server.getLocalPort(), "localhost", "TLSv1", budget);
            } finally {
                t.interrupt();
            }
        }
    }

    @Test
    void aWarningAlertBeforeTheServerHelloIsNotARefusal() throws Exception {
        ClientHelloProbe.Answer a = probeAgainst(20, BUDGET, alert(1, 112), record(0x16, serverHello(0x0301)));
        assertThat(a.verdict()).as(a.detail()).isEqualTo(ClientHelloProbe.Verdict.ACCEPTED);
    }

    @Test
    void aFatalAlertIsARefusal() throws Exception {
        ClientHelloProbe.Answer a = probeAgainst(0, BUDGET, alert(2, 70));
        assertThat(a.verdict()).isEqualTo(ClientHelloProbe.Verdict.REFUSED);
        assertThat(a.detail()).contains("protocol_version");
    }

    @Test
    void aServerHelloFragmentedOverSeveralRecordsIsRead() throws Exception {
        byte[] hello = serverHello(0x0301);
        ClientHelloProbe.Answer a = probeAgainst(20, BUDGET, record(0x16, slice(hello, 0, 2)), record(0x16, slice(hello, 2, 3)),
                record(0x16, slice(hello, 3, 5)), record(0x16, slice(hello, 5, hello.length)));
        assertThat(a.verdict()).as(a.detail()).isEqualTo(ClientHelloProbe.Verdict.ACCEPTED);
    }

    @Test
    void aFatalAlertBetweenFragmentsIsARefusal() throws Exception {
        byte[] hello = serverHello(0x0301);
        ClientHelloProbe.Answer a = probeAgainst(20, BUDGET, record(0x16, slice(hello, 0, 3)), alert(2, 40));
        assertThat(a.verdict()).isEqualTo(ClientHelloProbe.Verdict.REFUSED);
        assertThat(a.detail()).contains("handshake_failure");
    }

    @Test
    void aServerHelloWithAnotherVersionIsARefusal() throws Exception {
        ClientHelloProbe.Answer a = probeAgainst(0, BUDGET, record(0x16, serverHello(0x0303)));
        assertThat(a.verdict()).isEqualTo(ClientHelloProbe.Verdict.REFUSED);
        assertThat(a.detail()).contains("TLSv1.2");
    }

    @Test
    void somethingThatIsNotTlsIsARefusal() throws Exception {
        ClientHelloProbe.Answer a = probeAgainst(0, BUDGET, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
        assertThat(a.verdict()).isEqualTo(ClientHelloProbe.Verdict.REFUSED);
        assertThat(a.detail()).contains("not TLS");
    }

    @Test
    void noAnswerIsUnknownNotARefusal() throws Exception {
        long start = System.nanoTime();
        ClientHelloProbe.Answer a = probeAgainst(0, Duration.ofMillis(800));
        assertThat(a.verdict()).as(a.detail()).isEqualTo(ClientHelloProbe.Verdict.UNKNOWN);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void aServerTricklingItsAnswerCannotStretchTheProbePastItsBudget() throws Exception {
        byte[] answer = record(0x16, serverHello(0x0301));
        byte[][] bytes = new byte[answer.length][];
        for (int i = 0; i < answer.length; i++) {
            bytes[i] = new byte[] {answer[i]};
        }
        long start = System.nanoTime();
        ClientHelloProbe.Answer a = probeAgainst(150, Duration.ofSeconds(1), bytes);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(a.verdict()).as(a.detail()).isEqualTo(ClientHelloProbe.Verdict.UNKNOWN);
        assertThat(ms).as("probe time with a 1 s budget").isLessThan(1_800);
    }

    @Test
    void theClientHelloOffersX25519AndX448() {
        byte[] hello = ClientHelloProbe.clientHello(0x0301, "localhost");
        List<Integer> groups = new ArrayList<>();
        // Find the supported_groups extension (type 0x000A) and read its list.
        for (int i = 0; i + 6 <= hello.length; i++) {
            if (hello[i] == 0x00 && hello[i + 1] == 0x0A && ((hello[i + 2] << 8 | hello[i + 3] & 0xFF) - 2) == ((hello[i + 4] << 8) | (hello[i + 5] & 0xFF))) {
                int n = (hello[i + 4] << 8) | (hello[i + 5] & 0xFF);
                for (int j = i + 6; j < i + 6 + n; j += 2) {
                    groups.add(((hello[j] & 0xFF) << 8) | (hello[j + 1] & 0xFF));
                }
                break;
            }
        }
        assertThat(groups).contains(0x001D, 0x001E, 0x0017, 0x0018, 0x0019);
    }
}
