package dev.airworthy.checks.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The automaton against the obvious search, on random keywords and inputs over a small alphabet (many overlaps). */
class KeywordAutomatonTest {

    @Test
    void findsExactlyWhatANaiveSearchFinds() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            String alphabet = round % 2 == 0 ? "abAB" : "aAbBc_-\n";
            int n = 1 + random.nextInt(12);
            List<String> words = new ArrayList<>();
            boolean[] exact = new boolean[n];
            for (int k = 0; k < n; k++) {
                words.add(randomString(random, alphabet, 1 + random.nextInt(5)));
                exact[k] = random.nextBoolean();
            }
            byte[] input = randomString(random, alphabet, random.nextInt(300)).getBytes(StandardCharsets.UTF_8);
            int from = input.length == 0 ? 0 : random.nextInt(input.length);
            KeywordAutomaton a = new KeywordAutomaton(words, exact);
            TreeSet<String> got = new TreeSet<>();
            a.scan(input, from, input.length, (k, end) -> got.add(end + ":" + k));
            assertThat(got).as("round %d: %s over %s from %d", round, words, new String(input, StandardCharsets.UTF_8), from)
                    .isEqualTo(naive(words, exact, input, from));
        }
    }

    @Test
    void reportsHitsInTheOrderTheyEndAndChecksCaseOnlyWhereAsked() {
        KeywordAutomaton a = new KeywordAutomaton(List.of("AKIA", "token", "ken"), new boolean[] {true, false, false});
        List<String> hits = new ArrayList<>();
        byte[] text = "akia AKIA TOKEN broken".getBytes(StandardCharsets.US_ASCII);
        a.scan(text, 0, text.length, (k, end) -> hits.add(k + "@" + end));
        assertThat(hits).containsExactly("0@9", "1@15", "2@15", "2@22");
    }

    @Test
    void bytesAboveAsciiAreOrdinaryBytes() {
        KeywordAutomaton a = new KeywordAutomaton(List.of("clé", "é"), new boolean[] {false, true});
        List<Integer> ends = new ArrayList<>();
        byte[] text = "la CLé, é".getBytes(StandardCharsets.UTF_8);
        a.scan(text, 0, text.length, (k, end) -> ends.add(k * 1000 + end));
        assertThat(ends).containsExactly(7, 1007, 1011);
    }

    private static TreeSet<String> naive(List<String> words, boolean[] exact, byte[] input, int from) {
        TreeSet<String> out = new TreeSet<>();
        String text = new String(input, StandardCharsets.ISO_8859_1);
        for (int k = 0; k < words.size(); k++) {
            String w = words.get(k);
            String hay = exact[k] ? text : text.toLowerCase(Locale.ROOT);
            String needle = exact[k] ? w : w.toLowerCase(Locale.ROOT);
            for (int i = hay.indexOf(needle, from); i >= 0; i = hay.indexOf(needle, i + 1)) {
                out.add((i + w.length()) + ":" + k);
            }
        }
        return out;
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
