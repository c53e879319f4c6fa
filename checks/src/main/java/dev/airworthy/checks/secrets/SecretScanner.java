package dev.airworthy.checks.secrets;

import dev.airworthy.checks.repo.RepoTree.RepoFile;
import dev.airworthy.checks.secrets.SecretRule.Candidate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in a list of files, grep-fast: every file is read once as bytes, binaries (over 5%
 * NUL or control bytes in the first 8 KiB) are skipped, UTF-16 text is decoded, and one automaton over every rule's keywords runs before any
 * pattern; a rule's pattern then runs only in the bytes around its keywords' occurrences. Files are
 * shared out to a fixed pool of platform threads, one per core, each with one reusable buffer, so
 * memory stays at threads × {@code maxFileSize} however large the tree.
 */
public final class SecretScanner {
    /** Bytes read to decide whether a file is binary, as git and grep do. */
    static final int BINARY_PROBE = 8192;
    /** Marker that suppresses the findings of its line. */
    static final byte[] ALLOW_MARKER = "airworthy:allow".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_URI_MARKER = ";base64,".getBytes(StandardCharsets.US_ASCII);
    /** A file whose first bytes are more than this share NUL or control bytes is binary (1/20). */
    private static final int BINARY_SHARE = 20;
    /** At most this many findings are kept; more are counted. */
    static final int MAX_FINDINGS = 10_000;

    /**
     * How to scan.
     *
     * @param rules       the rules to apply
     * @param allowPath   files not to scan at all
     * @param allowSecret secrets (the matched text) not to report: the {@code allow-regex} patterns
     * @param maxFileSize larger files are listed, not read
     * @param threads     worker threads
     */
    public record Options(List<SecretRule> rules, Predicate<String> allowPath, List<Pattern> allowSecret, long maxFileSize,
            int threads) {
        public Options {
            rules = List.copyOf(rules);
            allowSecret = List.copyOf(allowSecret);
        }
    }

    /** One secret: the rule, where it starts, and the secret itself (never printed: see {@link #masked()}). */
    public record Finding(SecretRule rule, String path, int line, String secret) {
        public String masked() {
            return SecretValues.masked(secret);
        }

        @Override
        public String toString() {
            return rule.findingRule() + " at " + path + ":" + line + " (" + masked() + ")";
        }
    }

    /** A file that could not be read, and why. */
    public record NotRead(String path, String reason) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    /** What a scan found and what it looked at. */
    public record Report(List<Finding> findings, int moreFindings, int files, int filesDone, int filesScanned,
            long bytesScanned, int binaries, List<RepoFile> tooLarge, List<NotRead> unreadable, int allowedPaths,
            int allowedInline, int allowedRegex, boolean finished, long nanos) {

        public double seconds() {
            return nanos / 1e9;
        }

        public double megabytesPerSecond() {
            return nanos == 0 ? 0 : bytesScanned / 1e6 / seconds();
        }
    }

    private final Options options;
    private final SecretRule[] rules;
    private final KeywordAutomaton automaton;
    /** Per keyword: the indices of the rules it triggers. */
    private final int[][] rulesOf;

    public SecretScanner(Options options) {
        this.options = options;
        this.rules = options.rules().toArray(SecretRule[]::new);
        List<String> words = new ArrayList<>();
        List<Boolean> exact = new ArrayList<>();
        List<List<Integer>> owners = new ArrayList<>();
        for (int r = 0; r < rules.length; r++) {
            for (String k : rules[r].keywords()) {
                int at = -1;
                for (int i = 0; i < words.size(); i++) {
                    if (words.get(i).equals(k) && exact.get(i) == rules[r].exactCase()) {
                        at = i;
                    }
                }
                if (at < 0) {
                    at = words.size();
                    words.add(k);
                    exact.add(rules[r].exactCase());
                    owners.add(new ArrayList<>());
                }
                owners.get(at).add(r);
            }
        }
        boolean[] exactCase = new boolean[exact.size()];
        for (int i = 0; i < exactCase.length; i++) {
            exactCase[i] = exact.get(i);
        }
        this.automaton = new KeywordAutomaton(words, exactCase);
        this.rulesOf = owners.stream().map(o -> o.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /** The prefilter's size, for the benchmark: keywords and automaton states. */
    public String prefilter() {
        return automaton.size() + " keywords, " + automaton.states() + " states";
    }

    /**
     * The findings in text that is not a file of the repository (a log sample), named {@code name} in
     * them, scanned on the calling thread; empty when {@code System.nanoTime()} passes
     * {@code stopAtNanos} before the scan is done.
     */
    public Optional<List<Finding>> scanText(String name, byte[] content, long stopAtNanos) {
        Worker w = new Worker(List.of(), new AtomicInteger(), new AtomicBoolean(), stopAtNanos);
        try {
            w.scanBytes(name, content, content.length);
        } catch (DeadlinePassed e) {
            return Optional.empty();
        }
        return Optional.of(w.findings);
    }

    /**
     * Scans {@code files}, stopping (with {@link Report#finished()} false) when {@code System.nanoTime()}
     * passes {@code stopAtNanos}.
     */
    public Report scan(List<RepoFile> files, long stopAtNanos) throws InterruptedException {
        long t0 = System.nanoTime();
        List<RepoFile> todo = new ArrayList<>();
        List<RepoFile> tooLarge = new ArrayList<>();
        int allowedPaths = 0;
        for (RepoFile f : files) {
            if (options.allowPath().test(f.path())) {
                allowedPaths++;
            } else if (f.size() > options.maxFileSize()) {
                tooLarge.add(f);
            } else if (f.size() > 0) {
                todo.add(f);
            }
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int threads = Math.max(1, Math.min(options.threads(), todo.size()));
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(todo, next, stop, stopAtNanos));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "secrets-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Future<Void> f : pool.invokeAll(workers)) {
                f.get();
            }
        } catch (InterruptedException e) {
            stop.set(true);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("secret scan failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }

        List<Finding> findings = new ArrayList<>();
        int more = 0;
        int done = 0;
        int scanned = 0;
        int binaries = 0;
        long bytes = 0;
        int inline = 0;
        int regex = 0;
        List<NotRead> unreadable = new ArrayList<>();
        for (Worker w : workers) {
            findings.addAll(w.findings);
            done += w.done;
            scanned += w.scanned;
            binaries += w.binaries;
            bytes += w.bytes;
            inline += w.allowedInline;
            regex += w.allowedRegex;
            unreadable.addAll(w.unreadable);
        }
        findings.sort(Comparator.comparing(Finding::path).thenComparingInt(Finding::line)
                .thenComparing(f -> f.rule().id()));
        if (findings.size() > MAX_FINDINGS) {
            more = findings.size() - MAX_FINDINGS;
            findings = new ArrayList<>(findings.subList(0, MAX_FINDINGS));
        }
        unreadable.sort(Comparator.comparing(NotRead::path));
        return new Report(List.copyOf(findings), more, todo.size(), done, scanned, bytes, binaries, List.copyOf(tooLarge),
                List.copyOf(unreadable), allowedPaths, inline, regex, done == todo.size(), System.nanoTime() - t0);
    }

    /**
     * Binary: more than one byte in {@link #BINARY_SHARE} of {@code buf[0, n)} is NUL or a control
     * byte that text does not hold. A stray NUL in a text file does not make it binary; compressed
     * data and images have about one in nine.
     */
    static boolean isBinary(byte[] buf, int n) {
        int odd = 0;
        for (int i = 0; i < n; i++) {
            int b = buf[i] & 0xFF;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1B && b != '\b' || b == 0x7F) {
                odd++;
            }
        }
        return (long) odd * BINARY_SHARE > n;
    }

    /**
     * UTF-16 little or big endian, by its byte-order mark or, without one, by NULs in every other
     * byte of the first 8 KiB (ASCII text in UTF-16); null otherwise.
     */
    static java.nio.charset.Charset utf16(byte[] buf, int len) {
        if (len >= 2 && buf[0] == (byte) 0xFF && buf[1] == (byte) 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (len >= 2 && buf[0] == (byte) 0xFE && buf[1] == (byte) 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        int n = Math.min(len, BINARY_PROBE) & ~1;
        if (n < 4) {
            return null;
        }
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < n; i += 2) {
            evenNul += buf[i] == 0 ? 1 : 0;
            oddNul += buf[i + 1] == 0 ? 1 : 0;
        }
        int pairs = n / 2;
        // Mostly NUL on one side, almost none on the other: text, two bytes a character.
        if (oddNul * 10 >= pairs * 9 && evenNul * 20 < pairs) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenNul * 10 >= pairs * 9 && oddNul * 20 < pairs) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /** Time ran out in the middle of a file (a large one, or one with very many keyword hits). */
    private static final class DeadlinePassed extends RuntimeException {
        DeadlinePassed() {
            super(null, null, false, false);
        }
    }

    /** A match that passed its rule, before the file-wide filters. */
    private record Raw(int rule, int start, int secretStart, int secretEnd, String secret, boolean rejected) {
    }

    /** One thread's share: takes the next file until none is left or time is up. */
    private final class Worker implements Callable<Void>, KeywordAutomaton.Hits {
        private final List<RepoFile> files;
        private final AtomicInteger next;
        private final AtomicBoolean stop;
        private final long stopAtNanos;
        private final ByteChars text = new ByteChars();
        private final Matcher[] matchers = new Matcher[rules.length];
        private final int[] pendingStart = new int[rules.length];
        private final int[] pendingEnd = new int[rules.length];
        private final List<Raw> raws = new ArrayList<>();
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private String path;
        /** Where the last data-URI walk started and where its base64 run began; matches come in order. */
        private int runFrom;
        private int runStart;
        /** Keyword hits in this file, to look at the clock now and then inside a large file. */
        private int hits;

        final List<Finding> findings = new ArrayList<>();
        final List<NotRead> unreadable = new ArrayList<>();
        int done;
        int scanned;
        int binaries;
        long bytes;
        int allowedInline;
        int allowedRegex;

        Worker(List<RepoFile> files, AtomicInteger next, AtomicBoolean stop, long stopAtNanos) {
            this.files = files;
            this.next = next;
            this.stop = stop;
            this.stopAtNanos = stopAtNanos;
            for (int r = 0; r < rules.length; r++) {
                matchers[r] = rules[r].pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            }
        }

        @Override
        public Void call() {
            int i;
            while (!stop.get() && (i = next.getAndIncrement()) < files.size()) {
                if (System.nanoTime() - stopAtNanos >= 0 || Thread.currentThread().isInterrupted()) {
                    stop.set(true);
                    break;
                }
                try {
                    scanFile(files.get(i));
                } catch (DeadlinePassed e) {
                    stop.set(true);
                    break;
                }
                done++;
            }
            return null;
        }

        /** Scans one file; throws {@link DeadlinePassed} when time is up inside it (the file is not done). */
        private void scanFile(RepoFile f) {
            int len;
            try {
                len = read(f);
            } catch (java.nio.file.NoSuchFileException e) {
                unreadable.add(new NotRead(f.path(), "removed while the scan ran"));
                return;
            } catch (java.nio.file.AccessDeniedException e) {
                unreadable.add(new NotRead(f.path(), "permission denied"));
                return;
            } catch (IOException e) {
                unreadable.add(new NotRead(f.path(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                return;
            }
            if (len < 0) {
                // Grew past the limit since the walk: as good as too large, and said so.
                unreadable.add(new NotRead(f.path(), "grew beyond max-file-size while being scanned"));
                return;
            }
            scanBytes(f.path(), buffer.array(), len);
        }

        /** Scans {@code len} bytes of {@code buf} as the file {@code name}. */
        private void scanBytes(String name, byte[] content, int length) {
            byte[] buf = content;
            int len = length;
            java.nio.charset.Charset wide = utf16(buf, len);
            if (wide != null) {
                // UTF-16 (Windows tools write it): decoded, so that the rules see the text.
                int bom = len >= 2 && (buf[0] == (byte) 0xFF && buf[1] == (byte) 0xFE || buf[0] == (byte) 0xFE && buf[1] == (byte) 0xFF) ? 2 : 0;
                buf = new String(buf, bom, len - bom, wide).getBytes(StandardCharsets.UTF_8);
                len = buf.length;
            } else if (isBinary(buf, Math.min(len, BINARY_PROBE))) {
                binaries++;
                return;
            }
            scanned++;
            bytes += len;
            path = name;
            text.set(buf, len);
            for (Matcher m : matchers) {
                m.reset(text);
            }
            Arrays.fill(pendingEnd, -1);
            raws.clear();
            automaton.scan(buf, 0, len, this);
            for (int r = 0; r < rules.length; r++) {
                if (pendingEnd[r] >= 0) {
                    flush(r);
                }
            }
            if (!raws.isEmpty()) {
                report(buf, len);
            }
        }

        /** Reads the file into the buffer; -1 when it is larger than the limit. */
        private int read(RepoFile f) throws IOException {
            try (FileChannel ch = FileChannel.open(f.absolute(), StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > options.maxFileSize()) {
                    return -1;
                }
                int want = (int) size + 1;
                if (buffer.capacity() < want) {
                    buffer = ByteBuffer.allocate(Math.max(want, buffer.capacity() * 2));
                }
                buffer.clear();
                while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                    if (buffer.position() > options.maxFileSize()) {
                        return -1;
                    }
                }
                return buffer.position();
            }
        }

        @Override
        public void hit(int keyword, int end) {
            if ((++hits & 0xFFF) == 0 && System.nanoTime() - stopAtNanos >= 0) {
                throw new DeadlinePassed();
            }
            int keywordStart = end - automaton.length(keyword);
            byte[] buf = text.bytes;
            for (int r : rulesOf[keyword]) {
                SecretRule rule = rules[r];
                if (!rule.gate().plausible(buf, keywordStart, end, text.length)) {
                    continue;
                }
                int from = keywordStart;
                int limit = Math.max(0, keywordStart - rule.before());
                if (rule.atWord()) {
                    // Name bytes, and + for schemes such as svn+ssh.
                    while (from > limit && (SecretRules.isNameByte(buf[from - 1]) || buf[from - 1] == '+')) {
                        from--;
                    }
                } else {
                    while (from > limit && buf[from - 1] != '\n') {
                        from--;
                    }
                }
                int to = Math.min(text.length, end + rule.after());
                if (!rule.multiline()) {
                    // Up to a pending region's end there is no line break (it would have stopped there).
                    int e = Math.min(to, Math.max(end, pendingEnd[r]));
                    while (e < to && buf[e] != '\n') {
                        e++;
                    }
                    to = e;
                }
                if (pendingEnd[r] >= 0) {
                    if (from <= pendingEnd[r]) {
                        pendingStart[r] = Math.min(pendingStart[r], from);
                        pendingEnd[r] = Math.max(pendingEnd[r], to);
                        continue;
                    }
                    flush(r);
                }
                pendingStart[r] = from;
                pendingEnd[r] = to;
            }
        }

        /** Runs rule {@code r}'s pattern over its pending region. */
        private void flush(int r) {
            SecretRule rule = rules[r];
            Matcher m = matchers[r];
            m.region(pendingStart[r], pendingEnd[r]);
            while (m.find()) {
                int gs = m.start(rule.group());
                if (gs < 0) {
                    continue;
                }
                int ge = m.end(rule.group());
                String secret = new String(text.bytes, gs, ge - gs, StandardCharsets.UTF_8);
                if (rule.multiline()) {
                    secret = secret.replaceAll("\\\\[rnt]|[\\s\"']", "");
                }
                // Cheapest tests first; the placeholder patterns last.
                boolean rejected = SecretRules.DOCUMENTED_EXAMPLES.contains(secret)
                        || rule.minEntropy() > 0 && SecretValues.shannonBits(secret) < rule.minEntropy()
                        || !rule.judge().isSecret(new Candidate(secret, m, path))
                        || !rule.multiline() && SecretValues.isPlaceholder(secret);
                // A vendor format that fails its own test (a bad checksum, a documented example) keeps the
                // generic rules quiet about the same text too.
                if (!rejected || !rule.generic()) {
                    raws.add(new Raw(r, m.start(), gs, ge, secret, rejected));
                }
            }
            pendingEnd[r] = -1;
        }

        /** File-wide filters, line numbers, and the findings. */
        private void report(byte[] buf, int len) {
            raws.sort(Comparator.comparingInt(Raw::secretStart).thenComparingInt(Raw::rule));
            boolean[] dropped = new boolean[raws.size()];
            for (int i = 0; i < raws.size(); i++) {
                if (dropped[i]) {
                    continue;
                }
                Raw a = raws.get(i);
                for (int j = i + 1; j < raws.size() && raws.get(j).secretStart() < a.secretEnd(); j++) {
                    Raw b = raws.get(j);
                    // The same secret found twice: a specific rule beats a generic one, else the first rule listed wins.
                    boolean bWins = !rules[b.rule()].generic() && rules[a.rule()].generic()
                            || rules[b.rule()].generic() == rules[a.rule()].generic() && b.rule() < a.rule();
                    dropped[bWins ? i : j] = true;
                    if (bWins) {
                        break;
                    }
                }
            }
            List<Raw> kept = new ArrayList<>();
            runFrom = -1;
            for (int i = 0; i < raws.size(); i++) {
                if (!dropped[i] && !raws.get(i).rejected() && !inDataUri(buf, raws.get(i).secretStart())) {
                    kept.add(raws.get(i));
                }
            }
            kept.sort(Comparator.comparingInt(Raw::start));
            int line = 1;
            int counted = 0;
            int lineStart = 0;
            int lineEnd = -1;
            int[] markers = new int[0];
            for (Raw raw : kept) {
                for (; counted < raw.start(); counted++) {
                    if (buf[counted] == '\n') {
                        line++;
                        lineStart = counted + 1;
                    }
                }
                if (raw.start() > lineEnd) {
                    // A new line: its bounds and allow markers, once however many matches it holds.
                    lineEnd = raw.start();
                    while (lineEnd < len && buf[lineEnd] != '\n') {
                        lineEnd++;
                    }
                    markers = allowMarkers(buf, lineStart, lineEnd);
                }
                if (allowedInline(markers, raw)) {
                    allowedInline++;
                } else if (options.allowSecret().stream().anyMatch(p -> p.matcher(raw.secret()).find())) {
                    allowedRegex++;
                } else {
                    findings.add(new Finding(rules[raw.rule()], path, line, raw.secret()));
                }
            }
        }

        /**
         * The positions of {@code airworthy:allow} markers on the line {@code [start, end)}: the marker
         * as a token of its own (not {@code airworthy:allow-list}), after a comment start ({@code #},
         * {@code //}, {@code /*}, {@code --}, {@code <!--}, {@code ;}) on the line.
         */
        static int[] allowMarkers(byte[] buf, int start, int end) {
            int[] found = new int[0];
            int comment = -1;
            for (int i = start; i <= end - ALLOW_MARKER.length; i++) {
                byte b = buf[i];
                if (comment < 0 && (b == '#' || b == ';' || (b == '/' || b == '-') && i + 1 < end && buf[i + 1] == b
                        || b == '/' && i + 1 < end && buf[i + 1] == '*' || b == '<' && i + 3 < end && buf[i + 1] == '!'
                        && buf[i + 2] == '-' && buf[i + 3] == '-')) {
                    comment = i;
                }
                if (comment < 0 || b != 'a' || !startsWith(buf, i, ALLOW_MARKER)) {
                    continue;
                }
                int after = i + ALLOW_MARKER.length;
                boolean alone = (i == start || !isTokenByte(buf[i - 1])) && (after >= end || !isTokenByte(buf[after]));
                if (alone) {
                    found = Arrays.copyOf(found, found.length + 1);
                    found[found.length - 1] = i;
                }
            }
            return found;
        }

        private static boolean startsWith(byte[] buf, int at, byte[] word) {
            for (int j = 0; j < word.length; j++) {
                if (buf[at + j] != word[j]) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isTokenByte(byte b) {
            return SecretRules.isNameByte(b) || b == ':' || b == '/';
        }

        /** A marker of the match's line that is not part of the secret itself. */
        private static boolean allowedInline(int[] markers, Raw raw) {
            for (int m : markers) {
                if (m + ALLOW_MARKER.length <= raw.secretStart() || m >= raw.secretEnd()) {
                    return true;
                }
            }
            return false;
        }

        /** True inside the payload of a {@code data:...;base64,} URI: embedded images and fonts, not credentials. */
        private boolean inDataUri(byte[] buf, int at) {
            int i = at;
            for (int limit = Math.max(0, at - (1 << 20)); i > limit && isBase64(buf[i - 1]); ) {
                if (i == runFrom) {
                    // The previous (earlier) match's walk went on from here: the same run, not walked twice.
                    i = runStart;
                    break;
                }
                i--;
            }
            runFrom = at;
            runStart = i;
            if (i < DATA_URI_MARKER.length) {
                return false;
            }
            for (int j = 0; j < DATA_URI_MARKER.length; j++) {
                if (buf[i - DATA_URI_MARKER.length + j] != DATA_URI_MARKER[j]) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isBase64(byte b) {
            return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/' || b == '='
                    || b == '-' || b == '_';
        }
    }

    /** A file's bytes as characters (ISO-8859-1: one char per byte), so patterns run without decoding. */
    static final class ByteChars implements CharSequence {
        byte[] bytes = new byte[0];
        int length;

        void set(byte[] b, int len) {
            bytes = b;
            length = len;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
    }
}
