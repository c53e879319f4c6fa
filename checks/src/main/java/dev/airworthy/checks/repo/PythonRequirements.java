package dev.airworthy.checks.repo;

import dev.airworthy.checks.secrets.SecretValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Judges a pip requirements file line by line: each requirement must be pinned to one version with
 * {@code ==} or {@code ===}; a VCS reference must name a commit; a URL to an archive needs a hash.
 * Options ({@code -r}, {@code -c}, {@code --index-url}, {@code --hash} continuations), comments and
 * local paths are fine.
 */
final class PythonRequirements {
    static final int MAX_LINE = 8192;
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+!-]{1,128}");
    /** A bare archive file name such as {@code pkg-1.2.3-py3-none-any.whl}: a local file, its version in its name. */
    private static final Pattern LOCAL_ARCHIVE = Pattern.compile("[A-Za-z0-9_.+!-]{1,255}\\.(?:whl|tar\\.gz|tar\\.bz2|zip)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?");

    private PythonRequirements() {
    }

    /** A {@code -r}/{@code -c} line: the option as written and the file it names. */
    record Include(int line, String option, String target) {
    }

    private static final Pattern INCLUDE = Pattern.compile(
            "(-r|-c|--requirement|--constraint)(?:\\s{0,64}=\\s{0,64}|\\s{1,64}|(?<=^-[rc]))(\\S{1,4096})");

    /** The files a requirements file includes with {@code -r}, {@code -c} and their long forms. */
    static List<Include> includes(String text) {
        List<Include> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = stripComment(lines[i]).strip();
            if (l.length() > MAX_LINE) {
                continue;
            }
            java.util.regex.Matcher m = INCLUDE.matcher(l);
            if (m.matches()) {
                out.add(new Include(i + 1, m.group(1), m.group(2)));
            }
        }
        return out;
    }

    /** The verdict on one requirement: {@code unpinned} holds why it is not pinned, or null. */
    record Requirement(int line, String text, String unpinned) {
    }

    /** The requirements of a file, or the first line that cannot be read as one. */
    static List<Requirement> judge(String text, String label) throws UnreadableFile {
        List<Requirement> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            int start = i + 1;
            StringBuilder logical = new StringBuilder();
            // A backslash at the end of a line continues it (hash lines are written that way).
            while (i < lines.length) {
                String l = stripComment(lines[i]);
                i++;
                String trimmed = l.strip();
                if (logical.length() > 0 && trimmed.startsWith("--hash") && l.length() <= MAX_LINE) {
                    // Only the presence of hashes matters: a pinned wheel with hundreds of them is no long line.
                    l = (trimmed.endsWith("\\") ? "--hash=h \\" : "--hash=h");
                }
                if (logical.length() + l.length() > MAX_LINE) {
                    throw UnreadableFile.at(label, start, 1, "a requirement line longer than " + MAX_LINE + " characters");
                }
                if (l.endsWith("\\")) {
                    logical.append(l, 0, l.length() - 1).append(' ');
                } else {
                    logical.append(l);
                    break;
                }
            }
            String s = logical.toString().strip();
            if (s.isEmpty()) {
                continue;
            }
            Requirement r = judgeLine(s, start, label);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static Requirement judgeLine(String s, int line, String label) throws UnreadableFile {
        if (s.startsWith("-e ") || s.startsWith("-e=") || s.startsWith("--editable")) {
            String target = s.replaceFirst("^(?:-e|--editable)[ =]\\s*", "").strip();
            if (isLocal(target)) {
                return new Requirement(line, s, null);
            }
            return new Requirement(line, s, isVcs(target) && vcsAtCommit(target) ? null
                    : "editable install of " + short40(target) + (isVcs(target) ? " without a commit SHA" : " is not pinned"));
        }
        if (s.startsWith("-")) {
            return null; // -r, -c, --index-url, --hash=..., --only-binary: not requirements
        }
        boolean hashed = s.contains("--hash=") || s.contains("--hash ");
        int opt = s.indexOf(" --");
        String req = (opt < 0 ? s : s.substring(0, opt)).strip();
        if (isLocal(req) || (!req.contains("://") && LOCAL_ARCHIVE.matcher(req).matches())) {
            return new Requirement(line, s, null);
        }
        if (req.contains("://") && !req.contains(" @ ") && !req.contains("@ ")) {
            return new Requirement(line, s, urlUnpinned(req.split("\\s;", 2)[0].strip(), hashed));
        }
        int at = req.indexOf('@');
        int i = 0;
        while (i < req.length() && (Character.isLetterOrDigit(req.charAt(i)) || ".-_".indexOf(req.charAt(i)) >= 0)) {
            i++;
        }
        String name = req.substring(0, i);
        if (!NAME.matcher(name).matches()) {
            throw UnreadableFile.at(label, line, 1, "cannot read '" + short40(s) + "' as a requirement");
        }
        String rest = req.substring(i).strip();
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw UnreadableFile.at(label, line, i + 1, "unclosed extras in '" + short40(s) + "'");
            }
            rest = rest.substring(close + 1).strip();
        }
        if (at >= 0 && rest.startsWith("@")) {
            String url = rest.substring(1).strip().split("\\s;", 2)[0].strip();
            return new Requirement(line, s, urlUnpinned(url, hashed));
        }
        String spec = rest;
        int marker = spec.indexOf(';');
        if (marker >= 0) {
            spec = spec.substring(0, marker);
        }
        spec = spec.replace("(", "").replace(")", "").strip();
        if (spec.isEmpty()) {
            return new Requirement(line, s, name + " has no version: any release goes");
        }
        boolean pinned = false;
        for (String clause : spec.split(",")) {
            String c = clause.strip();
            String version = null;
            if (c.startsWith("===")) {
                version = c.substring(3).strip();
            } else if (c.startsWith("==")) {
                version = c.substring(2).strip();
                if (version.endsWith(".*")) {
                    continue; // ==1.4.* is a range
                }
            } else if (!c.matches("(?:~=|!=|<=|>=|<|>)\\s*[A-Za-z0-9._+!*-]{1,128}")) {
                throw UnreadableFile.at(label, line, 1, "cannot read the version specifier of '" + short40(s) + "'");
            }
            if (version != null) {
                if (!VERSION.matcher(version).matches()) {
                    throw UnreadableFile.at(label, line, 1, "cannot read the version of '" + short40(s) + "'");
                }
                pinned = true;
            }
        }
        return new Requirement(line, s, pinned ? null : name + spec.replace(" ", "") + " is a range, not pinned with ==");
    }

    private static String urlUnpinned(String url, boolean hashed) {
        if (isVcs(url)) {
            return vcsAtCommit(url) ? null : short40(url) + " follows a branch or tag, not a commit SHA";
        }
        String fragment = url.contains("#") ? url.substring(url.indexOf('#') + 1).toLowerCase(Locale.ROOT) : "";
        if (hashed || fragment.matches("(?:.*&)?(?:sha256|sha384|sha512)=[0-9a-f]{64,128}(?:&.*)?")) {
            return null;
        }
        return short40(url) + " is a URL without a hash: its content can change";
    }

    private static boolean isVcs(String target) {
        String t = target.toLowerCase(Locale.ROOT);
        return t.startsWith("git+") || t.startsWith("hg+") || t.startsWith("svn+") || t.startsWith("bzr+") || t.startsWith("git://");
    }

    /** {@code git+https://host/repo.git@<sha>#egg=x}: the revision after the last {@code @} of the path is a SHA. */
    private static boolean vcsAtCommit(String url) {
        String u = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        int scheme = u.indexOf("://");
        int at = u.lastIndexOf('@');
        if (at < 0 || at < u.indexOf('/', scheme < 0 ? 0 : scheme + 3)) {
            return false;
        }
        return SHA.matcher(u.substring(at + 1)).matches();
    }

    private static boolean isLocal(String target) {
        String t = target.toLowerCase(Locale.ROOT);
        return t.startsWith(".") || t.startsWith("/") || t.startsWith("file:") || t.startsWith("~/");
    }

    /** A comment starts with {@code #} at the line start or after whitespace ({@code #egg=} in a URL is none). */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line.stripTrailing();
    }

    /** Untrusted text for a message: URL userinfo masked first (a cut must not leave half a token), then cut to 60 characters. */
    static String short40(String s) {
        String shown = userinfoMasked(s);
        return shown.length() <= 60 ? shown : shown.substring(0, 57) + "...";
    }

    /**
     * {@code scheme://TOKEN@host} and {@code scheme://user:PASSWORD@host} with the secret part shown as
     * {@link SecretValues#masked}; the SSH user {@code git} stays. One pass per URL, linear.
     */
    static String userinfoMasked(String s) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        int scheme;
        while ((scheme = s.indexOf("://", from)) >= 0) {
            int start = scheme + 3;
            int end = start;
            while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0 && !Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            int at = s.lastIndexOf('@', end - 1);
            out.append(s, from, start);
            if (at >= start) {
                String userinfo = s.substring(start, at);
                int colon = userinfo.indexOf(':');
                if (colon >= 0) {
                    out.append(userinfo, 0, colon + 1).append(SecretValues.masked(userinfo.substring(colon + 1)));
                } else {
                    out.append(userinfo.equals("git") ? userinfo : SecretValues.masked(userinfo));
                }
                out.append(s, at, end);
            } else {
                out.append(s, start, end);
            }
            from = end;
        }
        return out.append(s, from, s.length()).toString();
    }
}
