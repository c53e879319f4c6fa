package dev.airworthy.checks.docker;

import java.util.Locale;

/**
 * A container image reference ({@code registry:5000/team/app:1.4.2@sha256:...}) and how firmly it
 * is pinned. Used for Dockerfile {@code FROM} lines, compose {@code image:} keys and Kubernetes
 * container images alike, so all three judge pinning the same way.
 */
public record ImageRef(String raw, String name, String tag, String digest) {

    public enum Pinning {
        /** {@code @sha256:...}: the exact bytes. */
        DIGEST,
        /** A tag other than {@code latest}: pinned by convention. */
        TAG,
        /** Explicitly {@code :latest}. */
        LATEST,
        /** No tag at all, which means {@code latest}. */
        UNTAGGED,
        /** Built from {@code ${VARIABLES}}: what runs depends on the environment. */
        VARIABLE
    }

    /**
     * Splits a reference into name, tag and digest. Separators inside {@code ${...}} do not count:
     * {@code ${IMAGE:-app:1.0}} is one name chosen by a variable, not {@code ${IMAGE:-app} : 1.0}.
     */
    public static ImageRef parse(String raw) {
        String s = raw.strip();
        String digest = null;
        int at = outsideBraces(s, '@', false);
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
        }
        String tag = null;
        int colon = outsideBraces(s, ':', true);
        if (colon > outsideBraces(s, '/', true)) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        return new ImageRef(raw.strip(), s, tag, digest);
    }

    /** The first (or last) index of {@code c} outside {@code ${...}}, or -1. */
    private static int outsideBraces(String s, char c, boolean last) {
        int depth = 0;
        int found = -1;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (ch == '}' && depth > 0) {
                depth--;
            } else if (ch == c && depth == 0) {
                found = i;
                if (!last) {
                    return i;
                }
            }
        }
        return found;
    }

    /**
     * How firmly the reference is pinned. A variable decides only when it can change the tag or
     * digest: {@code ${REGISTRY}/app:1.2.3} is pinned by its tag, {@code ${REGISTRY}/app} has no
     * tag, and {@code app:${TAG}} or {@code team/${APP}} are chosen by the variable.
     */
    public Pinning pinning() {
        if (digest != null && digest.matches("sha256:[0-9a-fA-F]{64}|sha512:[0-9a-fA-F]{128}")) {
            return Pinning.DIGEST;
        }
        if (tag != null && !tag.isEmpty()) {
            if (tag.contains("$")) {
                return Pinning.VARIABLE;
            }
            return tag.toLowerCase(Locale.ROOT).equals("latest") ? Pinning.LATEST : Pinning.TAG;
        }
        String repository = name.substring(outsideBraces(name, '/', true) + 1);
        if (repository.contains("$") || (digest != null && digest.contains("$"))) {
            return Pinning.VARIABLE;
        }
        return Pinning.UNTAGGED;
    }

    /** {@code FROM scratch} is the empty image, not something to pin. */
    public boolean isScratch() {
        return raw.equalsIgnoreCase("scratch");
    }

    /** Why this reference is not pinned, or null when it is (by tag or digest). */
    public String unpinnedReason() {
        return switch (pinning()) {
            case DIGEST, TAG -> null;
            case LATEST -> raw + " uses the moving tag latest";
            case UNTAGGED -> raw + " has no tag, so it means latest";
            case VARIABLE -> raw + " is chosen by a variable at build or deploy time";
        };
    }
}
