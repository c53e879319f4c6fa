package dev.airworthy.checks.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as its instructions, each with the line it starts on, read as BuildKit reads it: a
 * UTF-8 byte order mark and CRLF line ends ignored, continuation lines joined (the {@code # escape=}
 * directive honoured; blank and comment lines inside a continuation skipped), comments dropped,
 * heredoc bodies ({@code RUN <<EOF}) skipped, and instructions grouped into build stages.
 */
public final class Dockerfile {
    private static final long MAX_BYTES = 4L * 1024 * 1024;
    /** BuildKit's heredoc word: optional file descriptor digits, {@code <<}, optional {@code -}, then a name with no {@code <}. */
    private static final Pattern HEREDOC = Pattern.compile("[0-9]{0,9}<<(-?)([^<]{1,256})");
    /** The instructions whose words may start heredocs. */
    private static final Set<String> HEREDOC_KEYWORDS = Set.of("RUN", "COPY", "ADD");
    private static final Pattern ESCAPE = Pattern.compile("#\\s*escape\\s*=\\s*([`\\\\])\\s*", Pattern.CASE_INSENSITIVE);

    /**
     * One instruction: keyword upper-cased, arguments with continuations joined by a space.
     * {@code segments} say on which physical line each part of {@code args} is written.
     */
    public record Instruction(String keyword, String args, int line, List<Segment> segments) {
        public Instruction(String keyword, String args, int line) {
            this(keyword, args, line, List.of());
        }

        /** The physical line that the character at {@code offset} of {@link #args()} is on. */
        public int lineAt(int offset) {
            int found = line;
            for (Segment s : segments) {
                if (s.offset() > offset) {
                    break;
                }
                found = s.line();
            }
            return found;
        }
    }

    /** From {@code offset} in an instruction's arguments on, the text is on physical line {@code line}. */
    public record Segment(int offset, int line) {
    }

    /** A build stage: its FROM image, its {@code AS} name if any, and its instructions (FROM first). */
    public record Stage(int index, ImageRef from, String name, int line, List<Instruction> instructions) {
        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        public Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
        }

        /** How findings name the stage: {@code the stage runtime (FROM node:20)}. */
        public String label() {
            return (name == null ? "stage " + index : "the stage " + name) + " (FROM " + from.raw() + ")";
        }
    }

    private final String file;
    private final List<Instruction> instructions;
    private final List<Stage> stages;
    private final Map<String, Stage> named = new HashMap<>();

    private Dockerfile(String file, List<Instruction> instructions) {
        this.file = file;
        this.instructions = List.copyOf(instructions);
        this.stages = split(instructions);
        for (Stage s : stages) {
            if (s.name() != null) {
                named.putIfAbsent(s.name().toLowerCase(Locale.ROOT), s);
            }
        }
    }

    public static Dockerfile read(Path path, String label) throws IOException {
        if (Files.size(path) > MAX_BYTES) {
            throw new IOException(label + ": larger than 4 MiB; not a Dockerfile");
        }
        return parse(Files.readString(path, StandardCharsets.UTF_8), label);
    }

    public static Dockerfile parse(String text, String label) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = body.split("\r?\n", -1);
        char escape = '\\';
        // Parser directives come first, before any instruction or other comment.
        for (String l : lines) {
            Matcher m = ESCAPE.matcher(l.strip());
            if (m.matches()) {
                escape = m.group(1).charAt(0);
                break;
            }
            if (!l.strip().startsWith("#") || l.strip().isEmpty()) {
                break;
            }
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = null;
        List<Segment> segments = new ArrayList<>();
        int startLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String stripped = lines[i].strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue; // also inside a continued instruction: BuildKit skips blank and comment lines there
            }
            boolean continues = stripped.charAt(stripped.length() - 1) == escape;
            String part = continues ? stripped.substring(0, stripped.length() - 1) : stripped;
            if (current == null) {
                current = new StringBuilder();
                segments = new ArrayList<>();
                startLine = i + 1;
            } else {
                current.append(' ');
            }
            segments.add(new Segment(current.length(), i + 1));
            current.append(part);
            if (!continues) {
                Instruction ins = instruction(current.toString(), startLine, segments);
                current = null;
                if (ins != null) {
                    out.add(ins);
                    if (HEREDOC_KEYWORDS.contains(ins.keyword())) {
                        i = skipHeredocs(heredocs(ins.args()), lines, i);
                    }
                }
            }
        }
        if (current != null) {
            Instruction ins = instruction(current.toString(), startLine, segments);
            if (ins != null) {
                out.add(ins);
            }
        }
        return new Dockerfile(label, out);
    }

    /** A heredoc an instruction opens: the line that ends it, and whether leading tabs are stripped ({@code <<-}). */
    record Heredoc(String name, boolean chomp) {
    }

    /**
     * The heredocs an instruction opens, in order: each word (split on blanks outside quotes, the
     * quotes kept, as BuildKit splits) that starts with {@code <<} but not {@code <<<}. A word
     * quoted as a whole ({@code "<<EOF"}) or with text before the {@code <<} ({@code cat<<EOF}) opens none.
     */
    static List<Heredoc> heredocs(String args) {
        List<Heredoc> out = new ArrayList<>();
        if (!args.contains("<<")) {
            return out;
        }
        for (String word : rawWords(args)) {
            Matcher m = HEREDOC.matcher(word);
            if (m.matches()) {
                String name = unquoted(m.group(2));
                if (!name.isEmpty()) {
                    out.add(new Heredoc(name, !m.group(1).isEmpty()));
                }
            }
        }
        return out;
    }

    /** Skips the heredoc bodies after line {@code i}, one after another; returns the last line consumed. */
    private static int skipHeredocs(List<Heredoc> docs, String[] lines, int i) {
        int at = i;
        for (Heredoc h : docs) {
            while (++at < lines.length) {
                String candidate = h.chomp() ? stripLeadingTabs(lines[at]) : lines[at];
                if (candidate.equals(h.name())) {
                    break;
                }
            }
        }
        return Math.min(at, lines.length - 1);
    }

    private static String stripLeadingTabs(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) == '\t') {
            n++;
        }
        return s.substring(n);
    }

    /** Words split on blanks outside quotes, quotes and backslashes kept. */
    private static List<String> rawWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            cur.append(c);
            if (c == '\\' && quote != '\'' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    /** A heredoc name with its quotes removed ({@code 'EOF'} and {@code "EOF"} name {@code EOF}). */
    private static String unquoted(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (c != '"' && c != '\'') {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    private static Instruction instruction(String text, int line, List<Segment> segments) {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (start == text.length()) {
            return null;
        }
        int sp = indexOfSpace(text, start);
        String keyword = (sp < 0 ? text.substring(start) : text.substring(start, sp)).toUpperCase(Locale.ROOT);
        int argsStart = sp < 0 ? text.length() : sp;
        while (argsStart < text.length() && Character.isWhitespace(text.charAt(argsStart))) {
            argsStart++;
        }
        String args = text.substring(argsStart).strip();
        List<Segment> shifted = new ArrayList<>();
        for (Segment s : segments) {
            shifted.add(new Segment(Math.max(0, s.offset() - argsStart), s.line()));
        }
        return new Instruction(keyword, args, line, List.copyOf(shifted));
    }

    private static int indexOfSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<Stage> split(List<Instruction> instructions) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        Instruction from = null;
        for (Instruction ins : instructions) {
            if (ins.keyword().equals("FROM")) {
                if (from != null) {
                    stages.add(stage(stages.size(), from, current));
                }
                from = ins;
                current = new ArrayList<>();
            }
            if (current != null) {
                current.add(ins);
            }
        }
        if (from != null) {
            stages.add(stage(stages.size(), from, current));
        }
        return List.copyOf(stages);
    }

    private static Stage stage(int index, Instruction from, List<Instruction> instructions) {
        List<String> words = new ArrayList<>();
        for (String w : from.args().split("\\s+")) {
            if (!w.startsWith("--")) {
                words.add(w);
            }
        }
        String image = words.isEmpty() ? "" : words.get(0);
        String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("as") ? words.get(2) : null;
        return new Stage(index, ImageRef.parse(image), name, from.line(), List.copyOf(instructions));
    }

    public String file() {
        return file;
    }

    public List<Instruction> instructions() {
        return instructions;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The stage the image is built from by default: the last one. */
    public Optional<Stage> finalStage() {
        return stages.isEmpty() ? Optional.empty() : Optional.of(stages.getLast());
    }

    /** The stage a build target names ({@code docker build --target}, compose {@code build.target}). */
    public Optional<Stage> stageNamed(String name) {
        return Optional.ofNullable(named.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The earlier stage a stage builds on ({@code FROM build AS test}), if its FROM names one. */
    public Optional<Stage> parent(Stage stage) {
        Stage s = named.get(stage.from().raw().toLowerCase(Locale.ROOT));
        return s != null && s.index() < stage.index() ? Optional.of(s) : Optional.empty();
    }

    /**
     * The last {@code keyword} instruction in effect in a stage: its own, else the one it inherits
     * from the earlier stage it builds on, and so on ({@code USER} and {@code HEALTHCHECK} carry over).
     */
    public Optional<Instruction> lastInherited(Stage stage, String keyword) {
        Optional<Stage> s = Optional.of(stage);
        while (s.isPresent()) {
            Optional<Instruction> found = s.get().last(keyword);
            if (found.isPresent()) {
                return found;
            }
            s = parent(s.get());
        }
        return Optional.empty();
    }

    /**
     * The FROM lines that pull an image from a registry: not {@code scratch}, not an earlier stage
     * ({@code FROM build}), since only those can drift.
     */
    public List<Stage> externalBases() {
        Set<String> names = new HashSet<>();
        List<Stage> out = new ArrayList<>();
        for (Stage s : stages) {
            String image = s.from().raw();
            if (!s.from().isScratch() && !names.contains(image.toLowerCase(Locale.ROOT))) {
                out.add(s);
            }
            if (s.name() != null) {
                names.add(s.name().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** True when the file is plausibly a Dockerfile: it has at least one FROM. */
    public boolean hasFrom() {
        return !stages.isEmpty();
    }
}
