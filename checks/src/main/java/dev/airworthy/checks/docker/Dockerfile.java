package dev.airworthy.checks.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as its instructions, each with the line it starts on: continuation lines joined
 * (the {@code # escape=} directive honoured), comments dropped, heredoc bodies ({@code RUN <<EOF})
 * skipped, and instructions grouped into build stages.
 */
public final class Dockerfile {
    private static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*[\"']?([A-Za-z_][A-Za-z0-9_]{0,63})[\"']?");
    private static final Pattern ESCAPE = Pattern.compile("#\\s*escape\\s*=\\s*([`\\\\])\\s*", Pattern.CASE_INSENSITIVE);

    /** One instruction: keyword upper-cased, arguments with continuations joined by a space. */
    public record Instruction(String keyword, String args, int line) {
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
    }

    private final String file;
    private final List<Instruction> instructions;
    private final List<Stage> stages;

    private Dockerfile(String file, List<Instruction> instructions) {
        this.file = file;
        this.instructions = List.copyOf(instructions);
        this.stages = split(instructions);
    }

    public static Dockerfile read(Path path, String label) throws IOException {
        if (Files.size(path) > MAX_BYTES) {
            throw new IOException(label + ": larger than 4 MiB; not a Dockerfile");
        }
        return parse(Files.readString(path, StandardCharsets.UTF_8), label);
    }

    public static Dockerfile parse(String text, String label) {
        String[] lines = text.split("\r?\n", -1);
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
        int startLine = 0;
        String heredocEnd = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (heredocEnd != null) {
                if (line.strip().equals(heredocEnd)) {
                    heredocEnd = null;
                }
                continue;
            }
            String stripped = line.strip();
            if (current == null && (stripped.isEmpty() || stripped.startsWith("#"))) {
                continue;
            }
            if (current != null && stripped.startsWith("#")) {
                continue; // comment lines inside a continued instruction are dropped by docker too
            }
            boolean continues = stripped.endsWith(String.valueOf(escape));
            String body = continues ? stripped.substring(0, stripped.length() - 1) : stripped;
            if (current == null) {
                current = new StringBuilder(body);
                startLine = i + 1;
            } else {
                current.append(' ').append(body);
            }
            if (!continues) {
                Instruction ins = instruction(current.toString(), startLine);
                if (ins != null) {
                    out.add(ins);
                    Matcher h = HEREDOC.matcher(ins.args());
                    if (h.find() && !ins.keyword().equals("FROM")) {
                        heredocEnd = h.group(1);
                    }
                }
                current = null;
            }
        }
        if (current != null) {
            Instruction ins = instruction(current.toString(), startLine);
            if (ins != null) {
                out.add(ins);
            }
        }
        return new Dockerfile(label, out);
    }

    private static Instruction instruction(String text, int line) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        int sp = indexOfSpace(t);
        String keyword = (sp < 0 ? t : t.substring(0, sp)).toUpperCase(Locale.ROOT);
        String args = sp < 0 ? "" : t.substring(sp + 1).strip();
        return new Instruction(keyword, args, line);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
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
        return stages.stream().filter(s -> s.name() != null && s.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The earlier stage a stage builds on ({@code FROM build AS test}), if its FROM names one. */
    public Optional<Stage> parent(Stage stage) {
        for (int i = stage.index() - 1; i >= 0; i--) {
            Stage s = stages.get(i);
            if (s.name() != null && s.name().equalsIgnoreCase(stage.from().raw())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
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
