package dev.airworthy.checks.svc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Outcome;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Dial with a test's resolver: every address gets a fair share of the time, and so does the lookup. */
class DialTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /**
     * A name with two addresses, the first dropping packets (a listener whose accept queue is full)
     * and the second accepting: the check passes when any address accepts, so the first must not
     * take the whole budget.
     */
    @Test
    void anAddressThatDropsPacketsDoesNotUseUpTheTimeOfTheNext() throws Exception {
        InetAddress dropping = InetAddress.getByName("127.0.0.1");
        InetAddress accepting = InetAddress.getByName("127.0.0.2");
        int port = listenOnBoth(dropping, accepting);
        Outcome out = new Outcome();
        long t0 = System.nanoTime();
        try (Dial.Connected c = Dial.connect("db.test", port, Duration.ofSeconds(2), out, name -> new InetAddress[] {dropping, accepting})) {
            assertThat(c.socket().getInetAddress()).isEqualTo(accepting);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1900));
        CheckResult r = out.result("");
        assertThat(r.evidence()).hasSize(2);
        assertThat(r.evidence().get(0)).isEqualTo("connect db.test:" + port + " (127.0.0.1) → no answer within 1s");
        assertThat(r.evidence().get(1)).startsWith("connect db.test:" + port + " (127.0.0.2) → connected in");
    }

    /** Every address gets at least 250 ms, however many there are; the last gets all that is left. */
    @Test
    void manyAddressesStillGetAQuarterSecondEach() throws Exception {
        InetAddress dropping = InetAddress.getByName("127.0.0.1");
        InetAddress accepting = InetAddress.getByName("127.0.0.2");
        int port = listenOnBoth(dropping, accepting);
        InetAddress[] addresses = {dropping, dropping, dropping, dropping, dropping, dropping, dropping, dropping, accepting};
        Outcome out = new Outcome();
        Dial.Unreachable e = catchThrowableOfType(Dial.Unreachable.class,
                () -> Dial.connect("db.test", port, Duration.ofSeconds(1), out, name -> addresses).close());
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Dial.Reason.TIMEOUT);
        // Four attempts of 250 ms use up the second; a fifth may start with the last millisecond or two.
        assertThat(out.result("").evidence()).hasSizeBetween(4, 5).allMatch(l -> l.contains("→ no answer within"));
    }

    @Test
    void aLookupThatHangsEndsAtTheDeadline() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try {
            Outcome out = new Outcome();
            long t0 = System.nanoTime();
            Dial.Unreachable e = catchThrowableOfType(Dial.Unreachable.class, () -> Dial.connect("slow.test", 5432,
                    Duration.ofMillis(500), out, name -> {
                        try {
                            never.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                        throw new UnknownHostException(name);
                    }));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(Dial.Reason.UNRESOLVED);
            assertThat(e.getMessage()).isEqualTo("could not resolve host slow.test within 0.5s");
            assertThat(out.result("").evidence()).containsExactly("resolve slow.test → no answer within 0.5s");
        } finally {
            never.countDown();
        }
    }

    @Test
    void aNameThatDoesNotResolveSaysSo() {
        Outcome out = new Outcome();
        Dial.Unreachable e = catchThrowableOfType(Dial.Unreachable.class, () -> Dial.connect("nothing.test", 5432,
                Duration.ofSeconds(1), out, name -> {
                    throw new UnknownHostException(name);
                }));
        assertThat(e.reason()).isEqualTo(Dial.Reason.UNRESOLVED);
        assertThat(e.getMessage()).isEqualTo("cannot resolve host nothing.test");
        assertThat(out.result("").evidence()).containsExactly("resolve nothing.test → not found");
    }

    /**
     * The same port on two loopback addresses: on {@code dropping} a listener whose accept queue is
     * full (the kernel drops new SYNs, as a firewall does), on {@code accepting} one that accepts.
     */
    private int listenOnBoth(InetAddress dropping, InetAddress accepting) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            ServerSocket good;
            try {
                good = new ServerSocket(0, 50, accepting);
            } catch (IOException e) {
                Assumptions.abort("cannot listen on " + accepting + ": " + e.getMessage());
                return -1;
            }
            ServerSocket full;
            try {
                full = new ServerSocket(good.getLocalPort(), 1, dropping);
            } catch (BindException e) {
                good.close();
                continue;
            }
            open.add(good);
            open.add(full);
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(new InetSocketAddress(dropping, good.getLocalPort()));
                open.add(c);
            }
            Thread.sleep(100);
            return good.getLocalPort();
        }
        throw new IllegalStateException("no port free on both loopback addresses");
    }
}
