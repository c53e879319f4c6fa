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

    public static ImageRef parse(String raw) {
        String s = raw.strip();
        String digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
        }
        String tag = null;
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        return new ImageRef(raw.strip(), s, tag, digest);
    }

    public Pinning pinning() {
        if (raw.contains("$")) {
            return Pinning.VARIABLE;
        }
        if (digest != null && digest.matches("sha256:[0-9a-fA-F]{64}|sha512:[0-9a-fA-F]{128}")) {
            return Pinning.DIGEST;
        }
        if (tag == null || tag.isEmpty()) {
            return Pinning.UNTAGGED;
        }
        return tag.toLowerCase(Locale.ROOT).equals("latest") ? Pinning.LATEST : Pinning.TAG;
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
