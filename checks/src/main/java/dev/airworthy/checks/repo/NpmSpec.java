package dev.airworthy.checks.repo;

import java.util.Locale;
import java.util.regex.Pattern;

/** How firmly a package.json version spec pins a dependency, as npm, Yarn and pnpm read it. */
final class NpmSpec {
    private static final Pattern EXACT = Pattern.compile("=?v?\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}(?:-[0-9A-Za-z.-]{1,64})?(?:\\+[0-9A-Za-z.-]{1,64})?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern GITHUB_SHORTHAND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}/[A-Za-z0-9_.-]{1,100}(?:#.*)?");
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
                || lower.replaceAll("[x*.]", "").isEmpty()) {
            return new Verdict(Pin.UNPINNED, s.isEmpty() ? "\"\" takes any version" : "\"" + s + "\" takes any version");
        }
        if (lower.startsWith("npm:")) {
            String alias = s.substring(4);
            int at = alias.lastIndexOf('@');
            if (at <= 0) {
                return new Verdict(Pin.UNPINNED, "alias \"" + s + "\" takes the latest version");
            }
            return judge(alias.substring(at + 1));
        }
        for (String local : new String[] {"workspace:", "file:", "link:", "portal:", "catalog:", "patch:", "./", "../", "~/", "/"}) {
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
        if (s.contains("||") || RANGE_START.matcher(s).matches()) {
            return new Verdict(Pin.RANGE, "\"" + PythonRequirements.short40(s) + "\" is a range");
        }
        return new Verdict(Pin.UNPINNED, "\"" + PythonRequirements.short40(s) + "\" is a dist-tag: it moves with every release");
    }
}
