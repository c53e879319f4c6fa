package dev.airworthy.checks.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a server whether it accepts an old protocol version by sending one hand-built ClientHello
 * and reading the first answer, as sslscan and testssl.sh do. The JDK cannot be used for this: it
 * refuses SSLv3, TLS 1.0 and 1.1, and no longer implements many of the cipher suites that servers
 * still speaking them accept. The handshake is never completed; nothing is decrypted.
 */
public final class ClientHelloProbe {
    /**
     * The answer: the server chose this version (a ServerHello with it), refused it (a fatal
     * alert, another version, a closed connection, an answer that is not TLS), or said nothing
     * before the deadline, so the probe cannot tell.
     */
    public enum Verdict { ACCEPTED, REFUSED, UNKNOWN }

    public record Answer(Verdict verdict, String detail) {
    }

    /** Records read before giving up on a server that keeps sending warnings or empty fragments. */
    private static final int MAX_RECORDS = 32;
    /** The largest record TLS allows (2^14 bytes, plus expansion). */
    private static final int MAX_RECORD_LENGTH = (1 << 14) + 2048;

    /** Record-layer and client versions, by name. */
    public static int version(String protocol) {
        return switch (protocol) {
            case "SSLv3" -> 0x0300;
            case "TLSv1" -> 0x0301;
            case "TLSv1.1" -> 0x0302;
            case "TLSv1.2" -> 0x0303;
            default -> throw new IllegalArgumentException(protocol);
        };
    }

    // A broad offer: what servers from the SSLv3 to TLS 1.2 era accept, strong and weak alike.
    private static final int[] SUITES = {
        0xC02F, 0xC030, 0xC02B, 0xC02C, // ECDHE GCM (TLS 1.2)
        0xCCA8, 0xCCA9, // ECDHE ChaCha20 (TLS 1.2)
        0xC013, 0xC014, 0xC009, 0xC00A, // ECDHE CBC SHA
        0xC027, 0xC028, 0xC023, 0xC024, // ECDHE CBC SHA-2 (TLS 1.2)
        0x009E, 0x009F, 0x0033, 0x0039, 0x0032, 0x0038, // DHE
        0x009C, 0x009D, 0x002F, 0x0035, 0x003C, 0x003D, // plain RSA key exchange
        0x0041, 0x0084, 0x0045, 0x0088, 0x0096, // Camellia, SEED
        0xC012, 0x0016, 0x0013, 0x000A, // 3DES
        0xC011, 0xC007, 0x0005, 0x0004, // RC4
        0x0015, 0x0012, 0x0009, // DES
        0x00FF // renegotiation info SCSV
    };

    /** Key exchange groups: X25519, P-256, P-384, P-521, X448 (a server may insist on any one of them). */
    private static final int[] GROUPS = {0x001D, 0x0017, 0x0018, 0x0019, 0x001E};

    /** TLS 1.2 signature algorithms: RSA PKCS#1, RSA-PSS, ECDSA and EdDSA with SHA-2, then SHA-1. */
    private static final int[] SIGNATURE_ALGORITHMS = {
        0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807, 0x0808, 0x0203, 0x0201
    };

    private ClientHelloProbe() {
    }

    /**
     * Offers exactly {@code protocol} to host:port; the whole probe (connecting included) ends
     * within {@code timeout}, however slowly the server sends its answer.
     *
     * @throws java.net.ConnectException when nothing listens there
     * @throws IOException when no TCP connection can be made in time
     */
    public static Answer probe(String host, int port, String sni, String protocol, Duration timeout) throws IOException {
        int version = version(protocol);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), TlsHandshake.millisLeft(deadline));
            } catch (SocketTimeoutException e) {
                return new Answer(Verdict.UNKNOWN, "no TCP connection within " + seconds(timeout));
            }
            OutputStream out = socket.getOutputStream();
            out.write(clientHello(version, sni));
            out.flush();
            return read(new Reader(socket, deadline), version, timeout);
        }
    }

    /** Reads whole answers under one deadline: the socket timeout is what is left of it before each read. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        /** Bytes read so far. */
        private int read;
        /** Between records, with no partial handshake message pending: a close here is a refusal, not a broken answer. */
        private boolean boundary = true;

        Reader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        /** Exactly n bytes; EOFException when the stream ends first, SocketTimeoutException at the deadline. */
        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            int off = 0;
            while (off < n) {
                socket.setSoTimeout(TlsHandshake.millisLeft(deadline));
                int got = in.read(b, off, n - off);
                if (got < 0) {
                    throw new EOFException();
                }
                off += got;
                read += got;
                boundary = false;
            }
            return b;
        }
    }

    private static Answer read(Reader in, int offered, Duration timeout) throws IOException {
        byte[] handshake = new byte[0];
        try {
            for (int records = 0; records < MAX_RECORDS; records++) {
                in.boundary = handshake.length == 0;
                int type = in.bytes(1)[0] & 0xFF;
                if (type != 0x15 && type != 0x16) {
                    return new Answer(Verdict.REFUSED, "answered with something that is not TLS");
                }
                byte[] header = in.bytes(4);
                int recordVersion = u16(header, 0);
                int length = u16(header, 2);
                if ((recordVersion >> 8) != 0x03 || length == 0 || length > MAX_RECORD_LENGTH) {
                    return new Answer(Verdict.REFUSED, "answered with something that is not TLS");
                }
                if (type == 0x15) { // alert: level, description
                    byte[] alert = in.bytes(Math.min(length, 2));
                    if (alert.length < 2) {
                        return new Answer(Verdict.REFUSED, "answered with a malformed alert");
                    }
                    if (alert[0] == 2) {
                        return new Answer(Verdict.REFUSED, "alert " + alertName(alert[1] & 0xFF));
                    }
                    if (alert[1] == 0) {
                        return new Answer(Verdict.REFUSED, "closed the connection (close_notify)");
                    }
                    // A warning (Apache's unrecognized_name on an SNI mismatch) is not a refusal: a
                    // ServerHello may follow. Skip the rest of the record, if any.
                    in.bytes(length - 2);
                    continue;
                }
                // A handshake record: the ServerHello may be split over several (RFC 5246 6.2.1).
                int wanted = Math.min(length, 6 - handshake.length);
                byte[] fragment = in.bytes(wanted);
                byte[] joined = java.util.Arrays.copyOf(handshake, handshake.length + fragment.length);
                System.arraycopy(fragment, 0, joined, handshake.length, fragment.length);
                handshake = joined;
                if (handshake.length < 6) {
                    continue;
                }
                int handshakeType = handshake[0] & 0xFF;
                int serverVersion = u16(handshake, 4);
                if (handshakeType != 0x02) {
                    return new Answer(Verdict.REFUSED, "answered with handshake message " + handshakeType + ", not a ServerHello");
                }
                if (serverVersion == offered) {
                    return new Answer(Verdict.ACCEPTED, "ServerHello with version " + name(serverVersion));
                }
                return new Answer(Verdict.REFUSED, "ServerHello with version " + name(serverVersion) + " instead");
            }
            return new Answer(Verdict.UNKNOWN, MAX_RECORDS + " records without a ServerHello or a fatal alert");
        } catch (SocketTimeoutException e) {
            return new Answer(Verdict.UNKNOWN, in.read == 0 ? "no answer to the ClientHello within " + seconds(timeout)
                    : "answer incomplete after " + seconds(timeout) + " (" + in.read + " bytes)");
        } catch (EOFException e) {
            return in.boundary ? new Answer(Verdict.REFUSED, "closed the connection")
                    : new Answer(Verdict.UNKNOWN, "closed the connection in the middle of its answer (" + in.read + " bytes)");
        } catch (java.net.SocketException e) {
            return in.boundary ? new Answer(Verdict.REFUSED, "reset the connection")
                    : new Answer(Verdict.UNKNOWN, "reset the connection in the middle of its answer (" + in.read + " bytes)");
        }
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static byte[] clientHello(int version, String sni) {
        Bytes body = new Bytes();
        body.u16(version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.raw(random);
        body.u8(0); // no session id
        body.u16(SUITES.length * 2);
        for (int s : SUITES) {
            body.u16(s);
        }
        body.u8(1).u8(0); // null compression
        if (version >= 0x0301) {
            Bytes ext = new Bytes();
            if (sni != null) {
                byte[] name = sni.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                ext.u16(0x0000).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).raw(name);
            }
            ext.u16(0x000A).u16(GROUPS.length * 2 + 2).u16(GROUPS.length * 2); // supported groups
            for (int g : GROUPS) {
                ext.u16(g);
            }
            ext.u16(0x000B).u16(2).u8(1).u8(0); // EC point formats: uncompressed
            if (version == 0x0303) {
                ext.u16(0x000D).u16(SIGNATURE_ALGORITHMS.length * 2 + 2).u16(SIGNATURE_ALGORITHMS.length * 2); // signature algorithms
                for (int a : SIGNATURE_ALGORITHMS) {
                    ext.u16(a);
                }
            }
            body.u16(ext.size()).raw(ext.toArray());
        }
        Bytes handshake = new Bytes().u8(0x01).u24(body.size()).raw(body.toArray());
        // The record layer says TLS 1.0 at most, as real clients do, except for an SSLv3 offer.
        return new Bytes().u8(0x16).u16(Math.min(version, 0x0301)).u16(handshake.size()).raw(handshake.toArray()).toArray();
    }

    public static String name(int version) {
        return switch (version) {
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLSv1.1";
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            default -> String.format("0x%04x", version);
        };
    }

    private static String alertName(int d) {
        return switch (d) {
            case 40 -> "handshake_failure";
            case 47 -> "illegal_parameter";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 112 -> "unrecognized_name";
            default -> String.valueOf(d);
        };
    }

    /** A growable byte buffer with big-endian writers. */
    private static final class Bytes {
        private final List<Byte> bytes = new ArrayList<>();

        Bytes u8(int v) {
            bytes.add((byte) v);
            return this;
        }

        Bytes u16(int v) {
            return u8(v >> 8).u8(v);
        }

        Bytes u24(int v) {
            return u8(v >> 16).u8(v >> 8).u8(v);
        }

        Bytes raw(byte[] b) {
            for (byte x : b) {
                bytes.add(x);
            }
            return this;
        }

        int size() {
            return bytes.size();
        }

        byte[] toArray() {
            byte[] out = new byte[bytes.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes.get(i);
            }
            return out;
        }
    }
}
