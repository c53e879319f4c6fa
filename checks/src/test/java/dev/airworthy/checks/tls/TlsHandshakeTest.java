package dev.airworthy.checks.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlsHandshakeTest {
    @Test
    void aServerTricklingBytesCannotStretchTheHandshakePastItsBudget() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().readNBytes(5);
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {0x16, 0x03, 0x03, 0x3F, (byte) 0xFF}); // a handshake record of 16 KiB ...
                    for (int i = 0; i < 100; i++) { // ... that arrives a byte every 150 ms
                        out.write(0x02);
                        out.flush();
                        Thread.sleep(150);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up
                }
            });
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> TlsHandshake.open(new TlsTarget("127.0.0.1", server.getLocalPort()),
                    TlsProtocols.MODERN, Duration.ofSeconds(1)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            t.interrupt();
            assertThat(thrown).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("within 1 s");
            assertThat(ms).as("handshake time with a 1 s budget").isLessThan(1_800);
        }
    }
}
