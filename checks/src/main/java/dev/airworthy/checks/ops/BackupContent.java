package dev.airworthy.checks.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Whether a backup file holds nothing although it is not 0 bytes: a compressor that was given no
 * input still writes its header ({@code pg_dump | gzip > db.sql.gz} with a failed dump leaves 20
 * bytes), and an archive of nothing is all zero bytes (an empty tar is 10 KB of them). Reads at most
 * {@value #MAX_INPUT} bytes of the file and {@value #MAX_OUTPUT} bytes of what it decompresses to.
 */
final class BackupContent {
    private static final int MAX_INPUT = 1 << 20;
    private static final int MAX_OUTPUT = 64 << 10;
    private static final int MAX_ZIP_ENTRIES = 1000;
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] BZIP2 = {'B', 'Z', 'h'};
    private static final byte[] BZIP2_END = {0x17, 0x72, 0x45, 0x38, 0x50, (byte) 0x90};
    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};

    private BackupContent() {
    }

    /** Why the file holds nothing ("a gzip stream of nothing"), or null when it holds something or cannot be told. */
    static String empty(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        }
        if (head.length == 0) {
            return "is empty";
        }
        if (starts(head, GZIP)) {
            return nothingIn(gunzip(file)) ? "is a gzip stream of nothing" : null;
        }
        if (starts(head, ZSTD)) {
            return zstdEmpty(head) ? "is a zstd frame of nothing" : null;
        }
        if (starts(head, BZIP2) && head.length >= 10 && Arrays.equals(head, 4, 10, BZIP2_END, 0, 6)) {
            return "is a bzip2 stream of nothing";
        }
        if (starts(head, XZ) && head.length >= 13 && head[12] == 0) {
            // The stream header is followed by the index, not a block: no data at all.
            return "is an xz stream of nothing";
        }
        if (starts(head, ZIP_EMPTY)) {
            return "is a zip archive without entries";
        }
        if (starts(head, ZIP)) {
            return zipEmpty(file) ? "is a zip archive of empty entries" : null;
        }
        if (Files.size(file) <= MAX_OUTPUT) {
            byte[] all = Files.readAllBytes(file);
            if (nothingIn(all)) {
                return "holds only zero bytes (an archive of nothing)";
            }
        }
        return null;
    }

    /** Up to {@link #MAX_OUTPUT} bytes of the decompressed stream and a marker of whether it ended there; null when unreadable. */
    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = new GZIPInputStream(new BoundedStream(raw, MAX_INPUT))) {
            byte[] out = in.readNBytes(MAX_OUTPUT);
            return out.length < MAX_OUTPUT && in.read() < 0 ? out : null;
        } catch (ZipException | java.io.EOFException e) {
            // Not gzip after all, or cut short: not known to be empty.
            return null;
        }
    }

    /** True when the decompressed content is known and is nothing but zero bytes (or nothing). */
    private static boolean nothingIn(byte[] content) {
        if (content == null) {
            return false;
        }
        for (byte b : content) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A zstd frame whose header says it holds 0 bytes, or whose first block is the last and is
     * empty. The frame header: a descriptor byte, a window byte unless single-segment, a dictionary
     * id of 0, 1, 2 or 4 bytes, and the content size of 0, 1, 2, 4 or 8 bytes.
     */
    private static boolean zstdEmpty(byte[] head) {
        if (head.length < 5) {
            return false;
        }
        int descriptor = head[4] & 0xff;
        int sizeFlag = descriptor >>> 6;
        boolean singleSegment = (descriptor & 0x20) != 0;
        int dictionaryBytes = new int[] {0, 1, 2, 4}[descriptor & 3];
        int sizeBytes = sizeFlag == 0 ? (singleSegment ? 1 : 0) : new int[] {0, 2, 4, 8}[sizeFlag];
        int sizeAt = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
        int blockAt = sizeAt + sizeBytes;
        if (head.length < blockAt + 3) {
            return false;
        }
        if (sizeBytes > 0) {
            long size = 0;
            for (int i = sizeBytes - 1; i >= 0; i--) {
                size = size << 8 | (head[sizeAt + i] & 0xff);
            }
            if (sizeBytes == 2) {
                size += 256;
            }
            return size == 0;
        }
        int block = (head[blockAt] & 0xff) | (head[blockAt + 1] & 0xff) << 8 | (head[blockAt + 2] & 0xff) << 16;
        boolean last = (block & 1) != 0;
        int type = block >>> 1 & 3;
        int blockSize = block >>> 3;
        return last && blockSize == 0 && type <= 1;
    }

    /** A zip archive none of whose first {@link #MAX_ZIP_ENTRIES} entries holds a byte. */
    private static boolean zipEmpty(Path file) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new BoundedStream(Files.newInputStream(file), MAX_INPUT))) {
            ZipEntry entry;
            int entries = 0;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ZIP_ENTRIES || !entry.isDirectory() && zip.read() >= 0) {
                    return false;
                }
            }
            return true;
        } catch (ZipException | java.io.EOFException e) {
            return false;
        }
    }

    private static boolean starts(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    /** A stream that ends after {@code limit} bytes: a decompressor never reads more of the file than that. */
    private static final class BoundedStream extends java.io.FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
