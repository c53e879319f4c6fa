package dev.airworthy.checks.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Aho-Corasick over bytes, compiled to a full DFA: scanning costs one table lookup per input byte
 * and never follows a failure link. Keywords are matched without ASCII case (the automaton runs on
 * folded bytes); a keyword that must match its case is checked byte for byte when it is reported,
 * which is rare enough to cost nothing.
 *
 * <p>States are numbered so that every state with an output comes after every state without one,
 * and stored pre-multiplied by 256, so the scan loop is {@code s = delta[s + byte]; if (s >= accept)}.
 */
final class KeywordAutomaton {

    /** Receives each occurrence: the keyword's index and the offset just past its last byte. */
    interface Hits {
        void hit(int keyword, int end);
    }

    private final byte[][] keywords;
    private final boolean[] exactCase;
    /** {@code delta[(state << 8) | byte]} is the next state, itself shifted left by 8. */
    private final int[] delta;
    /** The first state (shifted) with an output. */
    private final int acceptFrom;
    /** Per state: the keywords that end there, longest first. */
    private final int[][] outputs;

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
        delta = new int[n << 8];
        outputs = new int[n][];
        for (int j = 0; j < n; j++) {
            int s = order[j];
            for (int c = 0; c < 256; c++) {
                delta[(j << 8) | c] = number[next[s][c]] << 8;
            }
            outputs[j] = out.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        acceptFrom = firstAccepting << 8;
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
        final int[] d = delta;
        final int accept = acceptFrom;
        int s = 0;
        for (int i = from; i < to; i++) {
            s = d[s + (buf[i] & 0xFF)];
            if (s >= accept) {
                report(buf, i + 1, s >>> 8, hits);
            }
        }
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
