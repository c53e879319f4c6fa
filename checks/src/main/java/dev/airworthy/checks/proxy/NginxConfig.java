package dev.airworthy.checks.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An nginx configuration read as nginx reads it: directives ({@code name args;}) and blocks
 * ({@code name args { ... }}), quoted strings with their escapes, {@code #} comments, {@code ${var}}
 * inside words, and {@code include} (globs allowed) expanded in place, each directive keeping the
 * file and line it was written on. Files come from the repository only: an include is looked up
 * relative to nginx's prefix (the main file's directory, or the one above {@code conf.d/} and the
 * like for a snippet read on its own) and then the including file's directory; an absolute
 * path under a standard prefix such as {@code /etc/nginx/} is looked up below the main file's
 * directory, where repositories keep what they copy there.
 *
 * <p>Hostile input is bounded: file size, total bytes, number of files read, include depth, block
 * nesting and directive count are capped, and include cycles are errors.
 */
public final class NginxConfig {
    static final long MAX_FILE_BYTES = 1024 * 1024;
    static final long MAX_TOTAL_BYTES = 8L * 1024 * 1024;
    static final int MAX_FILES = 256;
    static final int MAX_INCLUDE_DEPTH = 16;
    static final int MAX_NESTING = 64;
    static final int MAX_DIRECTIVES = 200_000;
    /** Where distributions keep nginx's configuration; repositories mirror what lies below. */
    private static final List<String> STANDARD_PREFIXES = List.of(
            "/etc/nginx/", "/usr/local/nginx/conf/", "/usr/local/etc/nginx/", "/opt/homebrew/etc/nginx/", "/opt/nginx/conf/");
    private static final Pattern NGINX_LINE = Pattern.compile(
            "(?m)^[ \\t]{0,40}(?:(?:server|http|upstream|location[ \\t][^\\n{;]{1,300})[ \\t]{0,10}\\{"
            + "|[a-z][a-z0-9_]{1,40}[ \\t]+[^\\n;{}]{1,500};[ \\t]*(?:#[^\\n]{0,500})?$)");
    static final int SNIFF_BYTES = 64 * 1024;
    /** Directories nginx.conf includes snippets from. */
    private static final Set<String> SNIPPET_DIRS = Set.of("conf.d", "http.d", "sites-enabled", "sites-available", "templates");
    /** Files every nginx package ships; an include of one that is not in the repository is expected. */
    private static final Set<String> STOCK_FILES = Set.of("mime.types", "fastcgi_params", "fastcgi.conf", "scgi_params",
            "uwsgi_params", "proxy_params", "koi-utf", "koi-win", "win-utf", "fastcgi-php.conf", "ssl-params.conf",
            "options-ssl-nginx.conf");

    /** Directives nginx accepts only with a block. */
    private static final Set<String> BLOCK_ONLY = Set.of("if", "location", "limit_except", "http", "events");
    /** Blocks whose entries are data (keys and values), not directives. */
    private static final Set<String> DATA_BLOCKS = Set.of("map", "types", "geo", "split_clients", "charset_map", "match");

    /** One directive; {@code block} is null for a simple directive, the children for a block. */
    public record Directive(String name, List<String> args, String file, int line, int col, List<Directive> block) {
        public boolean isBlock() {
            return block != null;
        }

        public String arg(int i) {
            return i < args.size() ? args.get(i) : "";
        }

        /** {@code file:line}, for evidence and messages. */
        public String where() {
            return file + ":" + line;
        }

        Directive withBlock(List<Directive> children) {
            return new Directive(name, args, file, line, col, children);
        }
    }

    /** A configuration that nginx would refuse, or that is beyond the caps; the message starts with {@code file:line:col}. */
    public static final class SyntaxError extends Exception {
        public SyntaxError(String message) {
            super(message, null, false, false);
        }

        static SyntaxError at(String file, int line, int col, String problem) {
            return new SyntaxError(file + ":" + line + ":" + col + ": " + problem);
        }
    }

    /**
     * A main file with its includes expanded; {@code missing} are the includes of files that are neither in
     * the repository nor shipped with nginx, so what they set is unknown.
     */
    public record Loaded(String main, List<Directive> directives, List<String> files, List<String> notes, List<Directive> missing) {
    }

    private final Path root;
    private final List<String> repoFiles;
    private final List<String> read = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Directive> missing = new ArrayList<>();
    private long bytes;
    private int directives;
    private String mainDir;

    private NginxConfig(Path root, List<String> repoFiles) {
        this.root = root;
        this.repoFiles = repoFiles;
    }

    /**
     * Reads {@code main} (a path relative to {@code root}) and everything it includes.
     *
     * @param repoFiles every file of the repository, relative to {@code root} with {@code /} separators;
     *                  includes resolve only to these
     */
    public static Loaded load(Path root, List<String> repoFiles, String main) throws SyntaxError, IOException {
        NginxConfig c = new NginxConfig(root, repoFiles);
        c.mainDir = prefix(main);
        Deque<String> stack = new ArrayDeque<>();
        stack.push(main);
        List<Directive> top = c.expand(c.parseFile(main), stack);
        return new Loaded(main, top, List.copyOf(c.read), List.copyOf(c.notes), List.copyOf(c.missing));
    }

    /** Parses one file's text, includes left as directives. */
    public static List<Directive> parse(String text, String file) throws SyntaxError {
        return new Parser(text, file, new int[] {0}).parse();
    }

    private List<Directive> parseFile(String path) throws SyntaxError, IOException {
        Path p = root.resolve(path);
        long size = Files.size(p);
        if (size > MAX_FILE_BYTES) {
            throw new SyntaxError(path + ": larger than " + (MAX_FILE_BYTES >> 10) + " KiB; not read as nginx configuration");
        }
        bytes += size;
        if (bytes > MAX_TOTAL_BYTES || read.size() >= MAX_FILES) {
            throw new SyntaxError(path + ": the configuration and its includes exceed " + MAX_FILES + " files or "
                    + (MAX_TOTAL_BYTES >> 20) + " MiB; not read further");
        }
        read.add(path);
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        int[] count = {directives};
        List<Directive> out = new Parser(text, path, count).parse();
        directives = count[0];
        return out;
    }

    private List<Directive> expand(List<Directive> list, Deque<String> stack) throws SyntaxError, IOException {
        List<Directive> out = new ArrayList<>();
        for (Directive d : list) {
            if (d.name().equals("include") && !d.isBlock() && d.args().size() == 1) {
                List<String> targets = resolve(d, stack);
                for (String target : targets) {
                    if (stack.contains(target)) {
                        List<String> chain = new ArrayList<>(stack);
                        Collections.reverse(chain);
                        chain.add(target);
                        throw SyntaxError.at(d.file(), d.line(), d.col(), "include cycle: " + String.join(" -> ", chain));
                    }
                    if (stack.size() > MAX_INCLUDE_DEPTH) {
                        throw SyntaxError.at(d.file(), d.line(), d.col(), "includes nested deeper than " + MAX_INCLUDE_DEPTH);
                    }
                    stack.push(target);
                    out.addAll(expand(parseFile(target), stack));
                    stack.pop();
                }
            } else if (d.isBlock()) {
                out.add(d.withBlock(expand(d.block(), stack)));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /** The repository files an include names; a note when it names none. */
    private List<String> resolve(Directive include, Deque<String> stack) {
        String pattern = include.arg(0);
        if (pattern.contains("$")) {
            notes.add("include " + pattern + " (" + include.where() + "): variables are not allowed in include; not followed");
            return List.of();
        }
        String includingDir = parent(include.file());
        List<String> candidates = new ArrayList<>();
        String flat = null;
        if (pattern.startsWith("/")) {
            for (String prefix : STANDARD_PREFIXES) {
                if (pattern.startsWith(prefix)) {
                    String rest = pattern.substring(prefix.length());
                    candidates.add(join(mainDir, rest));
                    candidates.add(join(includingDir, rest));
                    flat = join(mainDir, rest.substring(rest.lastIndexOf('/') + 1));
                }
            }
            candidates.add(pattern.substring(1));
        } else {
            candidates.add(join(mainDir, pattern));
            candidates.add(join(includingDir, pattern));
        }
        for (String candidate : candidates) {
            List<String> found = matching(candidate, f -> true);
            if (found.isEmpty()) {
                found = symlinked(candidate, include);
            }
            if (!found.isEmpty()) {
                return found;
            }
        }
        if (flat != null) {
            // Repositories often keep conf.d/default.conf flat, next to the nginx.conf that includes it.
            List<String> found = matching(flat, f -> !stack.contains(f) && looksLikeNginx(root.resolve(f)));
            if (!found.isEmpty()) {
                return found;
            }
        }
        boolean glob = isGlob(pattern);
        String name = pattern.substring(pattern.lastIndexOf('/') + 1);
        if (STOCK_FILES.contains(name) || pattern.contains("modules-enabled/")) {
            notes.add("include " + pattern + " (" + include.where() + "): shipped with nginx, not in the repository");
        } else {
            notes.add("include " + pattern + " (" + include.where() + "): " + (glob ? "matches nothing" : "not found")
                    + " in the repository; what it sets is not judged");
            missing.add(include);
        }
        return List.of();
    }

    /** The repository files a path or glob names, sorted as nginx's glob() sorts them. */
    private List<String> matching(String candidate, Predicate<String> accept) {
        Optional<String> normal = normalize(candidate);
        if (normal.isEmpty()) {
            return List.of();
        }
        if (!isGlob(candidate)) {
            return repoFiles.contains(normal.get()) && accept.test(normal.get()) ? List.of(normal.get()) : List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + normal.get());
        return repoFiles.stream().filter(f -> m.matches(Path.of(f)) && accept.test(f)).sorted().toList();
    }

    /**
     * Symbolic links a path or glob names ({@code sites-enabled/site -> ../sites-available/site}), which the
     * repository walk does not list: followed when they lead to a regular file inside the repository, with
     * a note either way.
     */
    private List<String> symlinked(String candidate, Directive include) {
        Optional<String> normal = normalize(candidate);
        if (normal.isEmpty() || isGlob(parent(normal.get()))) {
            return List.of();
        }
        String dir = parent(normal.get());
        Path directory = root.resolve(dir);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        String name = normal.get().substring(dir.isEmpty() ? 0 : dir.length() + 1);
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            Path realRoot = root.toRealPath();
            int looked = 0;
            for (Path entry : entries) {
                if (++looked > MAX_FILES) {
                    break;
                }
                if (!Files.isSymbolicLink(entry) || !m.matches(entry.getFileName())) {
                    continue;
                }
                String link = join(dir, entry.getFileName().toString());
                Optional<Path> real = realPath(entry);
                if (real.isPresent() && real.get().startsWith(realRoot) && Files.isRegularFile(real.get())) {
                    out.add(link);
                    notes.add("include " + include.arg(0) + " (" + include.where() + "): " + link + " is a symbolic link to "
                            + realRoot.relativize(real.get()).toString().replace('\\', '/') + ", followed");
                } else {
                    notes.add("include " + include.arg(0) + " (" + include.where() + "): " + link + " is a symbolic link that does "
                            + "not lead to a file in the repository; not followed");
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out.stream().sorted().toList();
    }

    private static Optional<Path> realPath(Path link) {
        try {
            return Optional.of(link.toRealPath());
        } catch (IOException e) {
            // Dangling, or a loop.
            return Optional.empty();
        }
    }

    private static boolean isGlob(String path) {
        return path.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[');
    }

    /** A server, http, upstream or location block, or a lower-case directive ending in ";": not INI, not Apache. */
    static boolean looksLikeNginx(String text) {
        return NGINX_LINE.matcher(text).find();
    }

    private static boolean looksLikeNginx(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return looksLikeNginx(new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The directory relative includes start from: the main file's, or for a snippet kept where nginx
     * keeps them ({@code conf.d/}, {@code sites-enabled/}, ...) the directory above, nginx's prefix.
     */
    static String prefix(String main) {
        String dir = parent(main);
        String name = dir.substring(dir.lastIndexOf('/') + 1);
        return SNIPPET_DIRS.contains(name) ? parent(dir) : dir;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String join(String dir, String rest) {
        return dir.isEmpty() ? rest : dir + "/" + rest;
    }

    /** The path with {@code .} and {@code ..} resolved; empty when it leaves the repository. */
    private static Optional<String> normalize(String path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(path).normalize();
        String s = p.toString().replace('\\', '/');
        return p.isAbsolute() || s.startsWith("..") || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** The tokenizer and block builder, after nginx's ngx_conf_read_token. */
    private static final class Parser {
        private final String s;
        private final String file;
        private final int[] count;
        private int pos;
        private int line = 1;
        private int col = 1;

        private record Token(String text, int line, int col) {
        }

        /** An open block: the directive that opened it and the children read so far. */
        private record Frame(Token name, List<String> args, List<Directive> children) {
        }

        Parser(String s, String file, int[] count) {
            this.s = s;
            this.file = file;
            this.count = count;
        }

        List<Directive> parse() throws SyntaxError {
            Deque<Frame> stack = new ArrayDeque<>();
            Frame top = new Frame(null, List.of(), new ArrayList<>());
            stack.push(top);
            List<Token> tokens = new ArrayList<>();
            while (true) {
                skipSpace();
                if (pos >= s.length()) {
                    if (!tokens.isEmpty()) {
                        throw SyntaxError.at(file, line, col, "unexpected end of file, expecting \";\" or \"}\" after \""
                                + tokens.getFirst().text() + "\" (line " + tokens.getFirst().line() + ")");
                    }
                    if (stack.size() > 1) {
                        Token open = stack.peek().name();
                        throw SyntaxError.at(file, open.line(), open.col(), "\"" + open.text()
                                + "\" block is never closed: unexpected end of file, expecting \"}\"");
                    }
                    return top.children();
                }
                char c = s.charAt(pos);
                if (c == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        advance();
                    }
                } else if (c == ';') {
                    if (tokens.isEmpty()) {
                        throw SyntaxError.at(file, line, col, "unexpected \";\"");
                    }
                    Token name = tokens.getFirst();
                    Token enclosing = stack.peek().name();
                    if (BLOCK_ONLY.contains(name.text()) && (enclosing == null || !DATA_BLOCKS.contains(enclosing.text()))) {
                        throw SyntaxError.at(file, name.line(), name.col(), "directive \"" + name.text() + "\" has no opening \"{\"");
                    }
                    stack.peek().children().add(directive(tokens, null));
                    tokens.clear();
                    advance();
                } else if (c == '{') {
                    if (tokens.isEmpty()) {
                        throw SyntaxError.at(file, line, col, "unexpected \"{\"");
                    }
                    if (stack.size() > MAX_NESTING) {
                        throw SyntaxError.at(file, line, col, "blocks nested deeper than " + MAX_NESTING);
                    }
                    Token name = tokens.getFirst();
                    advance();
                    if (name.text().endsWith("_by_lua_block")) {
                        // Lua code, not configuration: kept as an empty block.
                        skipLua(name);
                        stack.peek().children().add(directive(tokens, List.of()));
                    } else {
                        stack.push(new Frame(name, tokens.stream().skip(1).map(Token::text).toList(), new ArrayList<>()));
                    }
                    tokens.clear();
                } else if (c == '}') {
                    if (!tokens.isEmpty()) {
                        throw SyntaxError.at(file, line, col, "unexpected \"}\": \"" + tokens.getFirst().text()
                                + "\" (line " + tokens.getFirst().line() + ") is missing its \";\"");
                    }
                    if (stack.size() == 1) {
                        throw SyntaxError.at(file, line, col, "unexpected \"}\": no block is open");
                    }
                    Frame f = stack.pop();
                    stack.peek().children().add(new Directive(f.name().text(), f.args(), file, f.name().line(), f.name().col(),
                            List.copyOf(f.children())));
                    counted();
                    advance();
                } else if (c == '"' || c == '\'') {
                    tokens.add(quoted(c));
                } else {
                    tokens.add(word());
                }
            }
        }

        private Directive directive(List<Token> tokens, List<Directive> block) throws SyntaxError {
            Token name = tokens.getFirst();
            counted();
            return new Directive(name.text(), tokens.stream().skip(1).map(Token::text).toList(), file, name.line(), name.col(), block);
        }

        private void counted() throws SyntaxError {
            if (++count[0] > MAX_DIRECTIVES) {
                throw SyntaxError.at(file, line, col, "more than " + MAX_DIRECTIVES + " directives; not read further");
            }
        }

        private Token quoted(char quote) throws SyntaxError {
            int startLine = line;
            int startCol = col;
            advance();
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == quote) {
                    advance();
                    return new Token(b.toString(), startLine, startCol);
                }
                if (c == '\\' && pos + 1 < s.length()) {
                    escape(b);
                    continue;
                }
                b.append(c);
                advance();
            }
            throw SyntaxError.at(file, startLine, startCol, "unterminated " + (quote == '"' ? "double" : "single") + "-quoted string");
        }

        private Token word() {
            int startLine = line;
            int startCol = col;
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (Character.isWhitespace(c) || c == ';') {
                    break;
                }
                // "{" ends a word, except in "${name}".
                if (c == '{' && !(b.length() > 0 && b.charAt(b.length() - 1) == '$')) {
                    break;
                }
                if (c == '\\' && pos + 1 < s.length()) {
                    escape(b);
                    continue;
                }
                b.append(c);
                advance();
            }
            return new Token(b.toString(), startLine, startCol);
        }

        /** nginx unescapes \" \' \\ \t \r \n and keeps any other backslash (regexes need them). */
        private void escape(StringBuilder b) {
            char next = s.charAt(pos + 1);
            switch (next) {
                case '"', '\'', '\\' -> b.append(next);
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'n' -> b.append('\n');
                default -> b.append('\\').append(next);
            }
            advance();
            advance();
        }

        /** Skips a Lua block's body up to its closing brace, minding Lua strings and comments. */
        private void skipLua(Token name) throws SyntaxError {
            int depth = 1;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '-' && pos + 1 < s.length() && s.charAt(pos + 1) == '-') {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        advance();
                    }
                    continue;
                }
                if (c == '"' || c == '\'') {
                    advance();
                    while (pos < s.length() && s.charAt(pos) != c && s.charAt(pos) != '\n') {
                        if (s.charAt(pos) == '\\') {
                            advance();
                        }
                        if (pos < s.length()) {
                            advance();
                        }
                    }
                } else if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    advance();
                    return;
                }
                if (pos < s.length()) {
                    advance();
                }
            }
            throw SyntaxError.at(file, name.line(), name.col(), "\"" + name.text() + "\" block is never closed");
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                advance();
            }
        }

        private void advance() {
            if (s.charAt(pos) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            pos++;
        }
    }
}
