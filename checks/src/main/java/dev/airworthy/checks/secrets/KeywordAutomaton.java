package dev.airworthy.checks.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Aho-Corasick over bytes, compiled to a full DFA: scanning costs one table lookup per input byte
 * and never follows a failure link. Keywords are matched without ASCII case (the automaton runs on
 * folded bytes); a keyword that must match its case is checked byte for byte when it is reported,
 * which is rare enough to cost nothing.
 *
 * <p>The alphabet is compressed to byte classes: every byte that occurs in a keyword (case folded)
 * is a class of its own, and all other bytes are one class that always leads back to the root. The
 * table then holds a few dozen columns instead of 256 and its busy rows stay in the L1 cache. States
 * are numbered so that every state with an output comes after every state without one, and stored
 * pre-multiplied by the row width, so the DFA loop is
 * {@code s = delta[s + cls[byte]]; if (s >= accept)}.
 *
 * <p>In front of the DFA sits a skip filter: a bit per pair of bytes (64 Ki bits, 8 KiB) says whether
 * some keyword starts with them, in the cases it matches. The filter marks the candidates of 64 positions
 * at a time without branches (the loads do not depend on each other, unlike the DFA's chain through
 * its table); from each candidate the DFA runs from its root until it falls back to the root. No
 * match is lost: a keyword can only start at a candidate, and while the DFA runs it tracks every
 * start as Aho-Corasick does. Keywords are chosen so that in source code about one position in a
 * hundred is a candidate (see {@link SecretRules}).
 */
final class KeywordAutomaton {

    /** Receives each occurrence: the keyword's index and the offset just past its last byte. */
    interface Hits {
        void hit(int keyword, int end);
    }

    private final byte[][] keywords;
    private final boolean[] exactCase;
    /** The class of each byte; class 0 is every byte no keyword contains. */
    private final byte[] classOf = new byte[256];
    /** The number of classes: the width of a row. */
    private final int width;
    /** {@code delta[state * width + class]} is the next state, itself multiplied by {@code width}. */
    private final int[] delta;
    /** The first state (multiplied by {@code width}) with an output. */
    private final int acceptFrom;
    /** Per state: the keywords that end there, longest first. */
    private final int[][] outputs;
    /**
     * Bit {@code (a << 8) | b}: some keyword starts with bytes a, b (both cases of a letter where the
     * keyword ignores case; a one-byte keyword with any b).
     */
    private final long[] startPairs = new long[1 << 10];

    /**
     * @param keywords  the words, each non-empty
     * @param exactCase per word: true when its case must match too
     */
    KeywordAutomaton(List<String> keywords, boolean[] exactCase) {
        if (keywords.size() != exactCase.length) {
            throw new IllegalArgumentException("one case flag per keyword");
        }
        this.keywords = new byte[keywords.size()][];
        for (int k = 0; k < keywords.size(); k++) {
            byte[] b = keywords.get(k).getBytes(StandardCharsets.UTF_8);
            if (b.length == 0) {
                throw new IllegalArgumentException("empty keyword");
            }
            this.keywords[k] = b;
        }
        this.exactCase = exactCase.clone();

        // The trie over folded bytes, in growable arrays.
        List<int[]> children = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        children.add(newRow());
        ends.add(new ArrayList<>());
        for (int k = 0; k < this.keywords.length; k++) {
            int s = 0;
            for (byte raw : this.keywords[k]) {
                int c = fold(raw & 0xFF);
                if (children.get(s)[c] < 0) {
                    children.get(s)[c] = children.size();
                    children.add(newRow());
                    ends.add(new ArrayList<>());
                }
                s = children.get(s)[c];
            }
            ends.get(s).add(k);
        }
        int n = children.size();

        // Breadth first: failure links, outputs through them, and the full transition function.
        int[] fail = new int[n];
        int[][] next = new int[n][];
        List<List<Integer>> out = new ArrayList<>(ends);
        Deque<Integer> queue = new ArrayDeque<>();
        next[0] = new int[256];
        for (int c = 0; c < 256; c++) {
            int child = children.get(0)[c];
            next[0][c] = child < 0 ? 0 : child;
            if (child > 0) {
                fail[child] = 0;
                queue.add(child);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            List<Integer> own = new ArrayList<>(out.get(s));
            own.addAll(out.get(fail[s]));
            out.set(s, own);
            next[s] = new int[256];
            for (int c = 0; c < 256; c++) {
                int child = children.get(s)[c];
                if (child < 0) {
                    next[s][c] = next[fail[s]][c];
                } else {
                    next[s][c] = child;
                    fail[child] = next[fail[s]][c];
                    queue.add(child);
                }
            }
        }
        // Upper-case letters go where their lower-case forms go: the automaton reads folded input.
        for (int s = 0; s < n; s++) {
            for (int c = 'A'; c <= 'Z'; c++) {
                next[s][c] = next[s][c + ('a' - 'A')];
            }
        }

        // Renumber: states without output first (the root stays 0), then those with one.
        int[] order = new int[n];
        int[] number = new int[n];
        int i = 0;
        for (int s = 0; s < n; s++) {
            if (out.get(s).isEmpty()) {
                order[i++] = s;
            }
        }
        int firstAccepting = i;
        for (int s = 0; s < n; s++) {
            if (!out.get(s).isEmpty()) {
                order[i++] = s;
            }
        }
        for (int j = 0; j < n; j++) {
            number[order[j]] = j;
        }
        // Classes: one per byte that some keyword holds (both cases of a letter share one), 0 for the rest.
        int classes = 1;
        int[] firstByteOfClass = new int[257];
        for (int c = 0; c < 256; c++) {
            int folded = fold(c);
            if (folded != c) {
                continue;
            }
            boolean used = false;
            for (byte[] k : this.keywords) {
                for (byte b : k) {
                    used |= fold(b & 0xFF) == folded;
                }
            }
            if (used) {
                firstByteOfClass[classes] = c;
                classOf[c] = (byte) classes;
                if (c >= 'a' && c <= 'z') {
                    classOf[c - ('a' - 'A')] = (byte) classes;
                }
                classes++;
            }
        }
        if (classes > 127) {
            throw new IllegalArgumentException("keywords use more than 126 distinct bytes");
        }
        width = classes;
        delta = new int[n * width];
        outputs = new int[n][];
        for (int j = 0; j < n; j++) {
            int s = order[j];
            // Class 0: a byte no keyword holds; from any state it leads to the root.
            delta[j * width] = 0;
            for (int c = 1; c < width; c++) {
                delta[j * width + c] = number[next[s][firstByteOfClass[c]]] * width;
            }
            outputs[j] = out.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        acceptFrom = firstAccepting * width;

        for (int k = 0; k < this.keywords.length; k++) {
            byte[] w = this.keywords[k];
            for (int a : variants(w[0] & 0xFF, this.exactCase[k])) {
                int[] second = w.length > 1 ? variants(w[1] & 0xFF, this.exactCase[k]) : IntStream.range(0, 256).toArray();
                for (int b : second) {
                    int bit = a << 8 | b;
                    startPairs[bit >>> 6] |= 1L << bit;
                }
            }
        }
    }

    private static int[] variants(int b, boolean exact) {
        int lower = fold(b);
        return !exact && lower >= 'a' && lower <= 'z' ? new int[] {lower, lower - ('a' - 'A')} : new int[] {b};
    }

    private static int[] newRow() {
        int[] row = new int[256];
        Arrays.fill(row, -1);
        return row;
    }

    private static int fold(int b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    int size() {
        return keywords.length;
    }

    int length(int keyword) {
        return keywords[keyword].length;
    }

    /** The number of states, for tests and the benchmark's report. */
    int states() {
        return outputs.length;
    }

    /** Reports every occurrence of every keyword in {@code buf[from, to)}, in the order they end. */
    void scan(byte[] buf, int from, int to, Hits hits) {
        final long[] pairs = startPairs;
        final int last = to - 1; // positions before this have a byte after them
        int next = from; // the DFA has read everything before this
        int block = from;
        while (block < last) {
            // A bit per position of the block: can a keyword start there? Computed without branches.
            int n = Math.min(64, last - block);
            long candidates = 0;
            for (int j = 0; j < n; j++) {
                int bit = (buf[block + j] & 0xFF) << 8 | (buf[block + j + 1] & 0xFF);
                candidates |= ((pairs[bit >>> 6] >>> bit) & 1L) << j;
            }
            while (candidates != 0) {
                int at = block + Long.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                if (at >= next) {
                    next = run(buf, at, to, hits);
                }
            }
            block = Math.max(block + n, next);
        }
        // The last byte has no successor for the filter: only a one-byte keyword can start there.
        if (last >= Math.max(from, next) && (pairs[(buf[last] & 0xFF) << 2] & 1L) != 0) {
            run(buf, last, to, hits);
        }
    }

    /** Runs the DFA from its root at {@code at} until it is back at the root; returns where it stopped. */
    private int run(byte[] buf, int at, int to, Hits hits) {
        final int[] d = delta;
        final byte[] cls = classOf;
        final int accept = acceptFrom;
        int s = 0;
        int i = at;
        do {
            s = d[s + cls[buf[i++] & 0xFF]];
            if (s >= accept) {
                report(buf, i, s / width, hits);
            }
        } while (s != 0 && i < to);
        return i;
    }

    private void report(byte[] buf, int end, int state, Hits hits) {
        for (int k : outputs[state]) {
            if (!exactCase[k] || sameBytes(buf, end - keywords[k].length, keywords[k])) {
                hits.hit(k, end);
            }
        }
    }

    private static boolean sameBytes(byte[] buf, int at, byte[] word) {
        for (int j = 0; j < word.length; j++) {
            if (buf[at + j] != word[j]) {
                return false;
            }
        }
        return true;
    }
}
