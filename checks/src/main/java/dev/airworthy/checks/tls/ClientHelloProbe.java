package dev.airworthy.checks.tls;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
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
    /** The answer: the server chose this version, refused it, or said nothing we understand. */
    public enum Verdict { ACCEPTED, REFUSED }

    public record Answer(Verdict verdict, String detail) {
    }

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
        0xC013, 0xC014, 0xC009, 0xC00A, // ECDHE CBC SHA
        0x009E, 0x009F, 0x0033, 0x0039, 0x0032, 0x0038, // DHE
        0x009C, 0x009D, 0x002F, 0x0035, 0x003C, 0x003D, // plain RSA key exchange
        0x0041, 0x0084, 0x0045, 0x0088, 0x0096, // Camellia, SEED
        0xC012, 0x0016, 0x0013, 0x000A, // 3DES
        0xC011, 0xC007, 0x0005, 0x0004, // RC4
        0x0015, 0x0012, 0x0009, // DES
        0x00FF // renegotiation info SCSV
    };

    private ClientHelloProbe() {
    }

    /**
     * Offers exactly {@code protocol} to host:port.
     *
     * @throws IOException when no TLS conversation happens at all (refused, timed out before connecting)
     */
    public static Answer probe(String host, int port, String sni, String protocol, Duration timeout) throws IOException {
        int version = version(protocol);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millisLeft(deadline));
            socket.setSoTimeout(millisLeft(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(clientHello(version, sni));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            return read(in, version);
        }
    }

    private static Answer read(DataInputStream in, int offered) throws IOException {
        int type;
        try {
            type = in.readUnsignedByte();
        } catch (EOFException e) {
            return new Answer(Verdict.REFUSED, "closed the connection");
        } catch (SocketTimeoutException e) {
            return new Answer(Verdict.REFUSED, "no answer to the ClientHello");
        } catch (java.net.SocketException e) {
            return new Answer(Verdict.REFUSED, "reset the connection");
        }
        try {
            int recordVersion = in.readUnsignedShort();
            int length = in.readUnsignedShort();
            if (type == 0x15) { // alert
                in.readUnsignedByte();
                int description = in.readUnsignedByte();
                return new Answer(Verdict.REFUSED, "alert " + alertName(description));
            }
            if (type != 0x16 || length < 6 || (recordVersion >> 8) != 0x03) {
                return new Answer(Verdict.REFUSED, "answered with something that is not TLS");
            }
            int handshakeType = in.readUnsignedByte();
            in.skipNBytes(3);
            int serverVersion = in.readUnsignedShort();
            if (handshakeType != 0x02) {
                return new Answer(Verdict.REFUSED, "answered with handshake message " + handshakeType + ", not a ServerHello");
            }
            if (serverVersion == offered) {
                return new Answer(Verdict.ACCEPTED, "ServerHello with version " + name(serverVersion));
            }
            return new Answer(Verdict.REFUSED, "ServerHello with version " + name(serverVersion) + " instead");
        } catch (EOFException | java.net.SocketException | SocketTimeoutException e) {
            return new Answer(Verdict.REFUSED, "broke off its answer");
        }
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
            ext.u16(0x000A).u16(8).u16(6).u16(0x0017).u16(0x0018).u16(0x0019); // supported groups: P-256, P-384, P-521
            ext.u16(0x000B).u16(2).u8(1).u8(0); // EC point formats: uncompressed
            if (version == 0x0303) {
                ext.u16(0x000D).u16(10).u16(8).u16(0x0401).u16(0x0403).u16(0x0201).u16(0x0804); // signature algorithms
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

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("no time left before the deadline");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
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
