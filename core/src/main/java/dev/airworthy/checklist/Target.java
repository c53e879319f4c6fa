package dev.airworthy.checklist;

import java.net.URI;

/** A deployment the checklist runs against: a base URL and the repository it is built from. */
public record Target(String name, URI url, String repo) {
}
