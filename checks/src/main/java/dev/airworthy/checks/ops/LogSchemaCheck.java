package dev.airworthy.checks.ops;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import dev.airworthy.checks.cmd.BoundedLines;
import dev.airworthy.checks.cmd.ShellCommand;
import dev.airworthy.checks.secrets.SecretRules;
import dev.airworthy.checks.secrets.SecretScanner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@AutoService(Check.class)
@CheckInfo(
        id = "ops.log-schema",
        title = "Logs are structured and free of secrets",
        category = Category.OPERATIONS,
        severity = Severity.MEDIUM,
        summary = """
                Takes a sample of the service's log, the last `sample` lines of `file` or of what `command` \
                prints on its standard output, and judges every non-blank line: it must be one JSON object \
                (`ops.log-schema.not-json`) holding each field in `required` (`ops.log-schema.missing-field`; a \
                dotted name such as `http.status` is a nested field, or a key spelled with the dot as in ECS's \
                `log.level`; a `null` value counts as missing), and no line may show a secret \
                (`ops.log-schema.secret`): anything `secrets.scan`'s rules find (cloud and vendor keys, \
                private keys, JWTs, passwords in URLs, secret assignments), and what logs leak besides: \
                Basic credentials of any length, Bearer tokens of 20 characters or more, token shapes \
                (`ghp_`, `github_pat_`, `sk_live_`, `AKIA...`) even without a valid checksum, private key \
                headers, `password=`-style assignments to any name ending in a secret word (`secret_key=`; \
                after `=` even a plain word), and JSON fields named like a secret (`password`, `token`, \
                `authorization`, `apiKey`, ...) holding a literal string or a number of 4 digits or more; \
                redacted values (`[FILTERED]`, `***`) are fine. A command's standard error is not part of \
                the sample's schema (tools print progress and warnings there), but its last `sample` lines \
                are judged for secrets too; the evidence says how many lines of each were judged. A line \
                longer than 1 MiB fails (`ops.log-schema.too-long`): log shippers cut or drop such lines. A \
                byte order mark at the start of the file or output is ignored. Findings name the line (file \
                and line number; for a command, its output or standard error line) and show secrets masked; \
                each rule reports its first ten lines and counts the rest. The command runs as in `cmd` \
                (`sh -c` in the repository, killed at the deadline with what it started); one that fails or \
                prints nothing on its standard output is an error, as is a file that is absent or empty. Of a \
                file larger than 16 MiB only the last 16 MiB are read, and its line numbers are then not \
                known.""",
        rationale = """
                Structured logs with the agreed fields (time, level, message, request id) are what make an \
                incident searchable at 3 a.m.; a service that prints free text, or drops the request id, is \
                the one nobody can debug. A token or password in a log line is a breach waiting in every \
                system the logs are shipped to, readable by everyone with log access and kept for months.""",
        remediation = """
                Configure the logger's JSON output (logback's LogstashEncoder or JSON layout, pino, structlog, \
                zap, Serilog's compact JSON formatter) with the required fields, including the request or trace \
                id in every line. Redact credentials at the source: a filter on the logger for `password`, \
                `token`, `authorization` and the like (Rails `filter_parameters`, pino `redact`, logback \
                masking), and never log whole request headers or bodies. Rotate any credential that was logged.""",
        example = """
                - id: logs
                  title: API logs are JSON with time, level and trace id, and hold no secrets
                  check: ops.log-schema
                  with:
                    command: "docker compose logs --no-log-prefix --tail 1000 api"
                    required: [time, level, msg, trace_id]""",
        references = {"https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
            "https://www.elastic.co/guide/en/ecs/current/ecs-reference.html",
            "https://cwe.mitre.org/data/definitions/532.html"},
        params = {
            @Param(name = "file", description = "The log file. " + HostFiles.DIR_RESOLUTION + " Give `file` or `command`."),
            @Param(name = "command", description = "A shell command whose standard output is the log sample (`tail -n 1000 "
                    + "/var/log/app.log`, `kubectl logs deploy/api --tail 1000`), run with `sh -c` in the repository directory; "
                    + "its standard error is judged for secrets only."),
            @Param(name = "required", type = ParamType.STRING_LIST, defaultValue = "[]", description = "Fields every line "
                    + "must have; a dotted name is a nested field."),
            @Param(name = "sample", type = ParamType.INTEGER, defaultValue = "1000", description = "How many lines, from "
                    + "the end, are judged.")
        })
public final class LogSchemaCheck implements Check {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Of a larger file only the end is read: a busy log is gigabytes, and the sample is its last lines. */
    static final int TAIL_BYTES = 16 << 20;
    /** Findings named per rule; the rest are counted. */
    private static final int NAMED = 10;
    private static final int MAX_SAMPLE = 100_000;

    @Override
    public CheckResult run(CheckContext ctx) throws IOException, InterruptedException {
        Params p = ctx.params();
        int size = (int) p.integer("sample");
        Sample sample = new Sample(size);
        Sample errors = new Sample(size);
        Outcome out = new Outcome();
        String source;
        String file = null;
        if (p.has("file")) {
            Path path = HostFiles.resolve(ctx, p.string("file"));
            file = path.startsWith(ctx.repo()) ? ctx.repo().relativize(path).toString().replace('\\', '/') : path.toString();
            source = file;
            readTail(path, HostFiles.shown(p.string("file"), path), sample, out);
        } else {
            String command = p.string("command");
            source = "the output of the command";
            out.evidence("$ " + command);
            ShellCommand.Exit exit = ShellCommand.run(ctx, command, false, sample::add, errors::add);
            if (exit.timedOut()) {
                return out.error("the command was still running at its deadline; killed (give one that ends, "
                        + "such as tail -n " + size + " FILE)");
            }
            if (exit.code() != 0) {
                return out.error("the command exited " + exit.code()
                        + (exit.stderrLastLine().isEmpty() ? "" : ": " + exit.stderrLastLine()));
            }
            out.evidence("read " + sample.read() + " line" + (sample.read() == 1 ? "" : "s") + " of output and "
                    + errors.read() + " of standard error");
        }
        List<Sampled> lines = sample.lines();
        if (lines.isEmpty()) {
            return out.error(source + " holds no log line to judge");
        }
        List<Sampled> errorLines = errors.lines();
        Map<String, String> scanned;
        try {
            scanned = scan(ctx, lines, errorLines);
        } catch (IllegalStateException e) {
            return out.error(e.getMessage());
        }
        return judge(lines, errorLines, scanned, p.list("required"), file, source, out);
    }

    /**
     * What {@code secrets.scan}'s rules find in the sample: for each line ({@code out:N} or
     * {@code err:N}, N its index in the sample), the first secret, described and masked. The sample
     * is scanned in memory, never written anywhere.
     *
     * @throws IllegalStateException when the scan cannot finish before the deadline
     */
    private static Map<String, String> scan(CheckContext ctx, List<Sampled> lines, List<Sampled> errorLines) {
        SecretScanner scanner = new SecretScanner(new SecretScanner.Options(SecretRules.ALL, path -> false, List.of(),
                Long.MAX_VALUE, 1));
        Duration left = ctx.remaining();
        long stopAt = System.nanoTime() + left.minus(left.dividedBy(5)).toNanos();
        Map<String, String> found = new HashMap<>();
        for (var part : Map.of("out", lines, "err", errorLines).entrySet()) {
            if (part.getValue().isEmpty()) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (Sampled s : part.getValue()) {
                // A NUL would make the scanner take the whole sample for binary.
                text.append(s.text().replace('\0', ' ')).append('\n');
            }
            List<SecretScanner.Finding> findings = scanner.scanText(part.getKey(), text.toString().getBytes(StandardCharsets.UTF_8), stopAt)
                    .orElseThrow(() -> new IllegalStateException("the secret scan of the sample did not finish before the deadline"));
            for (SecretScanner.Finding f : findings) {
                found.putIfAbsent(f.path() + ":" + (f.line() - 1), f.rule().description() + " (" + f.masked() + ")");
            }
        }
        return found;
    }

    /** Reads the last lines of a file into the sample; line numbers are known when it is read from its start. */
    private static void readTail(Path path, String shown, Sample sample, Outcome out) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("file " + shown + " does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException("file " + shown + " is not a regular file");
        }
        try (SeekableByteChannel channel = Files.newByteChannel(path)) {
            long size = channel.size();
            boolean tail = size > TAIL_BYTES;
            if (tail) {
                channel.position(size - TAIL_BYTES);
            }
            InputStream in = Channels.newInputStream(channel);
            BoundedLines reader = new BoundedLines(in, ShellCommand.MAX_LINE_BYTES);
            if (tail) {
                reader.next(); // the part of a line before the window
                sample.numbered(false);
            }
            BoundedLines.Line line;
            while ((line = reader.next()) != null) {
                sample.add(line);
            }
            out.evidence(shown + ": " + Sizes.format(size) + (tail ? "; read its last " + Sizes.format(TAIL_BYTES)
                    + " (line numbers unknown)" : ", " + sample.read() + " lines"));
        }
    }

    private static CheckResult judge(List<Sampled> lines, List<Sampled> errorLines, Map<String, String> scanned,
            List<String> required, String file, String source, Outcome out) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int failing = 0;
        int judged = 0;
        for (int i = 0; i < lines.size(); i++) {
            Sampled s = lines.get(i);
            if (s.text().isBlank()) {
                continue;
            }
            judged++;
            List<Finding> found = new ArrayList<>();
            String where = s.where(file);
            JsonNode json = s.cut() ? null : object(s.text());
            if (s.cut()) {
                found.add(Finding.fail("ops.log-schema.too-long", where + " is longer than 1 MiB"));
            } else {
                if (json == null) {
                    found.add(Finding.fail("ops.log-schema.not-json", where + " is not a JSON object"));
                } else {
                    List<String> missing = required.stream().filter(f -> !has(json, f)).toList();
                    if (!missing.isEmpty()) {
                        found.add(Finding.fail("ops.log-schema.missing-field", where + " lacks " + String.join(", ", missing)));
                    }
                }
            }
            String secret = scanned.getOrDefault("out:" + i, LogSecrets.find(s.text(), json));
            if (secret != null) {
                found.add(Finding.fail("ops.log-schema.secret", where + " shows " + secret));
            }
            if (!found.isEmpty()) {
                failing++;
            }
            for (Finding f : found) {
                report(f, file == null ? f : f.at(file, s.number()), counts, out);
            }
        }
        if (judged == 0) {
            return out.error(source + " holds only blank lines");
        }
        int errorsJudged = 0;
        for (int i = 0; i < errorLines.size(); i++) {
            Sampled s = errorLines.get(i);
            if (s.text().isBlank()) {
                continue;
            }
            errorsJudged++;
            String secret = scanned.getOrDefault("err:" + i, LogSecrets.find(s.text(), s.cut() ? null : object(s.text())));
            if (secret != null) {
                failing++;
                Finding f = Finding.fail("ops.log-schema.secret", "standard error line " + s.number() + " shows " + secret);
                report(f, f, counts, out);
            }
        }
        out.metric("sampled_lines", judged).metric("failing_lines", failing);
        out.evidence("judged " + judged + " line" + (judged == 1 ? "" : "s") + (required.isEmpty() ? "" : " for "
                + String.join(", ", required)) + (file == null ? " and secrets, and " + errorsJudged + " line"
                + (errorsJudged == 1 ? "" : "s") + " of standard error for secrets" : " and secrets") + "; failing: " + failing);
        counts.forEach((rule, n) -> {
            if (n > NAMED) {
                out.evidence(rule + ": " + n + " lines in all; the first " + NAMED + " are listed");
            }
        });
        return out.result("the last " + judged + " lines of " + source + " are JSON objects"
                + (required.isEmpty() ? "" : " with " + String.join(", ", required)) + ", and show no secret");
    }

    /** Adds {@code located} unless its rule has reported {@value #NAMED} lines already; counts it either way. */
    private static void report(Finding f, Finding located, Map<String, Integer> counts, Outcome out) {
        if (counts.merge(f.rule(), 1, Integer::sum) <= NAMED) {
            out.finding(located);
        }
    }

    /** The line as a JSON object, or null when it is not one. */
    private static JsonNode object(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Whether {@code path} names a non-null value: nested ({@code http.status}) or a key with dots in it ({@code log.level}). */
    static boolean has(JsonNode node, String path) {
        JsonNode direct = node.get(path);
        if (direct != null) {
            return !direct.isNull();
        }
        int dot = path.indexOf('.');
        while (dot > 0) {
            JsonNode child = node.get(path.substring(0, dot));
            if (child != null && child.isObject() && has(child, path.substring(dot + 1))) {
                return true;
            }
            dot = path.indexOf('.', dot + 1);
        }
        return false;
    }

    /** One sampled line, its 1-based number when known, and whether it was cut. */
    record Sampled(Integer number, String text, boolean cut) {
        String where(String file) {
            if (file == null) {
                return "output line " + number;
            }
            return number == null ? "a line of " + file : file + ":" + number;
        }
    }

    /** The last lines read, at most {@code size} and {@value #TAIL_BYTES} bytes of them, with their numbers. */
    private static final class Sample {
        private final int size;
        private final Deque<Sampled> lines = new ArrayDeque<>();
        private long bytes;
        private int read;
        private boolean numbered = true;

        Sample(int size) {
            this.size = size;
        }

        synchronized void numbered(boolean known) {
            numbered = known;
        }

        synchronized void add(BoundedLines.Line line) {
            read++;
            // A byte order mark before the first line is not part of it.
            String text = read == 1 && numbered && line.text().startsWith("\uFEFF") ? line.text().substring(1) : line.text();
            lines.addLast(new Sampled(numbered ? read : null, text, line.cut()));
            bytes += line.text().length();
            while (lines.size() > size || bytes > TAIL_BYTES && lines.size() > 1) {
                bytes -= lines.removeFirst().text().length();
            }
        }

        synchronized int read() {
            return read;
        }

        synchronized List<Sampled> lines() {
            return List.copyOf(lines);
        }
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = new ArrayList<>();
        if (p.has("file") == p.has("command")) {
            problems.add("give file or command (one of them)");
        }
        p.optionalString("file").filter(String::isBlank).ifPresent(f -> problems.add("file is empty"));
        p.optionalString("command").filter(String::isBlank).ifPresent(c -> problems.add("command is empty"));
        long sample = p.integer("sample");
        if (sample < 1 || sample > MAX_SAMPLE) {
            problems.add("sample " + sample + " is not between 1 and " + MAX_SAMPLE);
        }
        for (String field : p.list("required")) {
            if (field.isBlank() || field.startsWith(".") || field.endsWith(".") || field.contains("..")) {
                problems.add("required field '" + field + "' is not a field name (a dotted path such as http.status)");
            }
        }
        return problems;
    }
}
