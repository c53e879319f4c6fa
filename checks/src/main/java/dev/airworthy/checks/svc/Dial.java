package dev.airworthy.checks.svc;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.Outcome;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Opens the TCP connections of the dependency checks, bounded by the check's deadline, and says in
 * one line why one could not be opened. Messages name the host and port, never credentials.
 */
final class Dial {
    /** At most this much of the time left is kept back, so a check reports its own verdict before the runner cuts it off. */
    private static final Duration RESERVE = Duration.ofMillis(500);
    /** The least time one address of several gets to accept. */
    static final Duration MIN_ATTEMPT = Duration.ofMillis(250);
    /** An IPv4 address, or anything with a ':' (an IPv6 address): parsed by the resolver, never sent to DNS. */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

    private Dial() {
    }

    /** An open connection and the time it took to open. */
    record Connected(Socket socket, double ms) implements AutoCloseable {
        @Override
        public void close() {
            Dial.close(socket);
        }
    }

    /** Why a connection could not be opened; {@link #rule()} is the last part of the finding's rule id. */
    enum Reason {
        UNRESOLVED("unresolved"), REFUSED("refused"), TIMEOUT("timeout"), UNREACHABLE("unreachable");

        private final String rule;

        Reason(String rule) {
            this.rule = rule;
        }

        String rule() {
            return rule;
        }
    }

    /** A connection that could not be opened: a finding, not an error (reaching the service is what is checked). */
    static final class Unreachable extends Exception {
        private final Reason reason;

        Unreachable(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }

    /**
     * The time a check may spend on the network: what is left before its deadline, less a tenth
     * (at most 500 ms) kept back to report.
     *
     * @throws IOException when no time is left (the item then ends in error: nothing was tried)
     */
    static Duration budget(CheckContext ctx) throws IOException {
        Duration left = ctx.remaining();
        Duration reserve = left.dividedBy(10);
        Duration budget = left.minus(reserve.compareTo(RESERVE) > 0 ? RESERVE : reserve);
        if (budget.toMillis() < 1) {
            throw new IOException("no time left before the deadline");
        }
        return budget;
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    static String where(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** A host as written, without the brackets of an IPv6 literal. */
    static String bare(String host) {
        String h = host.strip();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Why {@code host} cannot name a host, for a check's {@code validate}; empty when it can. */
    static List<String> hostProblems(String name, String host) {
        String h = bare(host);
        if (h.isEmpty()) {
            return List.of(name + " is empty");
        }
        if (h.contains("://") || h.contains("/")) {
            return List.of(name + " '" + host + "' is a URL; give only the host name or IP address");
        }
        if (h.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return List.of(name + " '" + host + "' contains spaces");
        }
        if (h.indexOf(':') >= 0 && !ipv6Literal(h)) {
            return List.of(name + " '" + host + "' includes a port; give the port in 'port'");
        }
        return List.of();
    }

    /** Whether {@code h} is an IPv6 address (a zone such as {@code %eth0} allowed); parsed, never looked up. */
    private static boolean ipv6Literal(String h) {
        int zone = h.indexOf('%');
        String address = zone < 0 ? h : h.substring(0, zone);
        if (!address.matches("[0-9A-Fa-f:.]+") || address.chars().filter(c -> c == ':').count() < 2) {
            return false;
        }
        try {
            // A string with ':' is parsed as an IPv6 literal and never sent to DNS.
            return InetAddress.getByName(address) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Why {@code port} cannot be a TCP port, for a check's {@code validate}; empty when it can. */
    static List<String> portProblems(String name, long port) {
        return port < 1 || port > 65535 ? List.of(name + " " + port + " is not a TCP port (1-65535)") : List.of();
    }

    /**
     * Connects to the first address of {@code host} that accepts, trying each in turn, all within
     * {@code timeout} (a name with IPv4 and IPv6 addresses is not failed because one family has no
     * listener). The lookup counts against {@code timeout}; each address gets an equal share of
     * what is left, at least {@link #MIN_ATTEMPT} (the last one all of it), so an address that
     * drops packets does not use up the time of the next. Each attempt becomes an evidence line.
     *
     * @throws Unreachable when the name does not resolve in time or no address accepts
     * @throws InterruptedException when the check is interrupted at its deadline
     */
    static Connected connect(String host, int port, Duration timeout, Outcome out) throws Unreachable, InterruptedException {
        return connect(host, port, timeout, out, InetAddress::getAllByName);
    }

    /** Looks up the addresses of a host name (the system resolver, or a test's). */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static Connected connect(String host, int port, Duration timeout, Outcome out, Resolver resolver)
            throws Unreachable, InterruptedException {
        String name = bare(host);
        String where = where(name, port);
        long end = System.nanoTime() + timeout.toNanos();
        InetAddress[] addresses = resolve(name, timeout, end, out, resolver);
        List<Reason> reasons = new ArrayList<>();
        String detail = "";
        for (int i = 0; i < addresses.length; i++) {
            InetAddress a = addresses[i];
            long leftMs = (end - System.nanoTime()) / 1_000_000;
            if (leftMs < 1) {
                reasons.add(Reason.TIMEOUT);
                break;
            }
            long share = Math.min(leftMs, Math.max(MIN_ATTEMPT.toMillis(), leftMs / (addresses.length - i)));
            Socket s = new Socket();
            long t0 = System.nanoTime();
            try {
                s.connect(new InetSocketAddress(a, port), (int) Math.min(Integer.MAX_VALUE, share));
                double ms = (System.nanoTime() - t0) / 1e6;
                out.evidence("connect " + where + " (" + address(a) + ") → connected in " + Numbers.ms(ms) + " ms");
                out.metric("connect_ms", ms);
                return new Connected(s, ms);
            } catch (IOException e) {
                close(s);
                interrupted();
                Reason r = reason(e);
                reasons.add(r);
                detail = message(e);
                out.evidence("connect " + where + " (" + address(a) + ") → " + switch (r) {
                    case REFUSED -> "refused";
                    case TIMEOUT -> "no answer within " + Numbers.seconds(Duration.ofMillis(share));
                    default -> detail;
                });
            }
        }
        if (!reasons.isEmpty() && reasons.stream().allMatch(r -> r == Reason.REFUSED)) {
            throw new Unreachable(Reason.REFUSED, "nothing listens on " + where + " (connection refused)");
        }
        if (reasons.contains(Reason.TIMEOUT)) {
            throw new Unreachable(Reason.TIMEOUT, "no answer from " + where + " within " + Numbers.seconds(timeout)
                    + " (a firewall dropping packets, or the host is down)");
        }
        throw new Unreachable(Reason.UNREACHABLE, "cannot reach " + where + ": " + detail);
    }

    /**
     * The addresses of {@code name}. The lookup runs on a virtual thread and is waited for until
     * {@code end} at most: the system resolver has timeouts of its own, which may be longer than
     * the check's. An IP address is parsed, never looked up.
     */
    private static InetAddress[] resolve(String name, Duration timeout, long end, Outcome out, Resolver resolver)
            throws Unreachable, InterruptedException {
        try {
            if (IP_LITERAL.matcher(name).matches()) {
                return resolver.resolve(name);
            }
            FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> resolver.resolve(name));
            Thread.ofVirtual().name("airworthy-resolve").start(lookup);
            try {
                return lookup.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                lookup.cancel(true);
                out.evidence("resolve " + name + " → no answer within " + Numbers.seconds(timeout));
                throw new Unreachable(Reason.UNRESOLVED, "could not resolve host " + name + " within " + Numbers.seconds(timeout));
            } catch (InterruptedException e) {
                lookup.cancel(true);
                throw e;
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case UnknownHostException u -> throw u;
                    case RuntimeException r -> throw r;
                    case Error r -> throw r;
                    default -> throw new IllegalStateException("looking up " + name + " failed: " + e.getCause(), e.getCause());
                }
            }
        } catch (UnknownHostException e) {
            interrupted();
            out.evidence("resolve " + name + " → not found");
            throw new Unreachable(Reason.UNRESOLVED, "cannot resolve host " + name);
        }
    }

    private static Reason reason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return Reason.TIMEOUT;
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (e instanceof ConnectException && m.contains("refused")) {
            return Reason.REFUSED;
        }
        if (m.contains("timed out")) {
            return Reason.TIMEOUT;
        }
        return Reason.UNREACHABLE;
    }

    private static String message(IOException e) {
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }

    /** A socket operation that failed because the thread was interrupted is the deadline, not the service. */
    static void interrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted at its deadline");
        }
    }

    /** Rethrows an I/O failure caused by an interrupt as what it is. */
    static void interruptedBy(IOException e) throws InterruptedException {
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
            throw new InterruptedException("interrupted at its deadline");
        }
        interrupted();
    }

    static String address(InetAddress a) {
        String s = a.getHostAddress();
        return a instanceof Inet6Address ? "[" + s + "]" : s;
    }

    static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Nothing to report: the socket is gone either way.
        }
    }

    /** How the dependency checks print numbers. */
    static final class Numbers {
        private Numbers() {
        }

        static String ms(double ms) {
            return ms < 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.valueOf(Math.round(ms));
        }

        /** {@code 30s}, {@code 4.5s}, {@code 0.2s}: whole seconds from 10 s on, tenths below. */
        static String seconds(Duration d) {
            long ms = d.toMillis();
            if (ms >= 10_000) {
                return Math.round(ms / 1000.0) + "s";
            }
            long tenths = Math.max(1, Math.round(ms / 100.0));
            return (tenths % 10 == 0 ? String.valueOf(tenths / 10) : tenths / 10 + "." + tenths % 10) + "s";
        }
    }
}
