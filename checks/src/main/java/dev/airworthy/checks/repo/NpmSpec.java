package dev.airworthy.checks.repo;

import java.util.Locale;
import java.util.regex.Pattern;

/** How firmly a package.json version spec pins a dependency, as npm, Yarn and pnpm read it. */
final class NpmSpec {
    private static final Pattern EXACT = Pattern.compile("=?v?\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}(?:-[0-9A-Za-z.-]{1,64})?(?:\\+[0-9A-Za-z.-]{1,64})?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern GITHUB_SHORTHAND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/[A-Za-z0-9_.-]{1,100}(?:#.*)?");
    /** {@code >=0}, {@code >= 0.0.0}, {@code >0.0.0-0}: bounded below by zero and not above, so any version. */
    private static final Pattern FROM_ZERO = Pattern.compile(">=?\\s{0,8}v?0(?:\\.[0x*]){0,2}(?:-0)?");
    private static final Pattern RANGE_START = Pattern.compile("[\\^~<>=].*|v?\\d.*|[xX*]\\..*");

    enum Pin {
        /** One version, or a commit: fine. */
        EXACT,
        /** In the repository (workspace:, file:, link:) or resolved elsewhere (catalog:): not a registry drift. */
        LOCAL,
        /** A semver range: the lockfile pins it, the manifest does not. */
        RANGE,
        /** Any version, a moving dist-tag, or a URL or branch whose content can change. */
        UNPINNED
    }

    record Verdict(Pin pin, String why) {
    }

    private NpmSpec() {
    }

    static Verdict judge(String rawSpec) {
        if (rawSpec == null) {
            return new Verdict(Pin.UNPINNED, "is not a version string");
        }
        String s = rawSpec.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("*") || lower.equals("x") || lower.equals("latest")
                || lower.replaceAll("[x*.]", "").isEmpty() || FROM_ZERO.matcher(lower).matches()) {
            return new Verdict(Pin.UNPINNED, s.isEmpty() ? "\"\" takes any version" : "\"" + s + "\" takes any version");
        }
        if (s.contains("||")) {
            // A union is as loose as its loosest alternative: "1.2.3 || *" takes anything.
            for (String alt : s.split("\\|\\|", 64)) {
                Verdict v = judge(alt);
                if (v.pin() == Pin.UNPINNED) {
                    return new Verdict(Pin.UNPINNED, "\"" + PythonRequirements.short40(s) + "\" has an alternative that " + v.why());
                }
            }
            return new Verdict(Pin.RANGE, "\"" + PythonRequirements.short40(s) + "\" is a range");
        }
        if (lower.startsWith("patch:")) {
            return judgePatch(s);
        }
        if (lower.startsWith("npm:")) {
            String alias = s.substring(4);
            int at = alias.lastIndexOf('@');
            if (at <= 0) {
                return new Verdict(Pin.UNPINNED, "alias \"" + s + "\" takes the latest version");
            }
            return judge(alias.substring(at + 1));
        }
        for (String local : new String[] {"workspace:", "file:", "link:", "portal:", "catalog:", "./", "../", "~/", "/"}) {
            if (lower.startsWith(local)) {
                return new Verdict(Pin.LOCAL, null);
            }
        }
        boolean git = lower.startsWith("git") || lower.startsWith("github:") || lower.startsWith("gitlab:")
                || lower.startsWith("bitbucket:") || lower.startsWith("gist:");
        if (git || lower.contains("://") || (GITHUB_SHORTHAND.matcher(s).matches() && !lower.startsWith("@"))) {
            boolean remoteArchive = !git && lower.contains("://") && !lower.contains(".git");
            int hash = s.indexOf('#');
            if (!remoteArchive && hash >= 0 && COMMIT.matcher(s.substring(hash + 1)).matches()) {
                return new Verdict(Pin.EXACT, null);
            }
            return new Verdict(Pin.UNPINNED, remoteArchive ? "\"" + PythonRequirements.short40(s) + "\" is a URL: its content can change"
                    : "\"" + PythonRequirements.short40(s) + "\" follows a branch or tag, not a commit SHA");
        }
        if (EXACT.matcher(s).matches()) {
            return new Verdict(Pin.EXACT, null);
        }
        if (RANGE_START.matcher(s).matches()) {
            return new Verdict(Pin.RANGE, "\"" + PythonRequirements.short40(s) + "\" is a range");
        }
        return new Verdict(Pin.UNPINNED, "\"" + PythonRequirements.short40(s) + "\" is a dist-tag: it moves with every release");
    }

    /**
     * Yarn's {@code patch:<name>@<spec>#<patch file>} applies a local patch to what {@code <spec>}
     * resolves to (URL-encoded, {@code npm%3A4.17.21}): the pin is the inner spec's.
     */
    private static Verdict judgePatch(String s) {
        String body = s.substring("patch:".length());
        int hash = body.indexOf('#');
        if (hash >= 0) {
            body = body.substring(0, hash);
        }
        int at = body.indexOf('@', 1);
        if (at < 0) {
            return new Verdict(Pin.UNPINNED, "\"" + PythonRequirements.short40(s) + "\" patches a package without a version");
        }
        String inner;
        try {
            inner = java.net.URLDecoder.decode(body.substring(at + 1), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Verdict(Pin.UNPINNED, "\"" + PythonRequirements.short40(s) + "\": its version cannot be read");
        }
        if (inner.toLowerCase(Locale.ROOT).startsWith("npm:") && inner.indexOf('@', 5) < 0) {
            inner = inner.substring(4);
        }
        return judge(inner);
    }
}
