package dev.airworthy.check;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Everything one check run may use: its parameters, the target, the repository, its deadline. */
public final class CheckContext {
    private final String itemId;
    private final Params params;
    private final URI url;
    private final Path repo;
    private final Path checklistDir;
    private final Instant deadline;
    private final Clock clock;
    private final SharedResources shared;
    private final List<Path> caFiles;

    public CheckContext(String itemId, Params params, URI url, Path repo, Path checklistDir, Instant deadline,
            Clock clock, SharedResources shared, List<Path> caFiles) {
        this.itemId = itemId;
        this.params = params;
        this.url = url;
        this.repo = repo;
        this.checklistDir = checklistDir;
        this.deadline = deadline;
        this.clock = clock;
        this.shared = shared;
        this.caFiles = List.copyOf(caFiles);
    }

    public String itemId() {
        return itemId;
    }

    public Params params() {
        return params;
    }

    /** The target's base URL, when the run has one. */
    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /** The target's base URL; a check that needs one is skipped, with the reason, when there is none. */
    public URI requireUrl() {
        if (url == null) {
            throw new NotApplicable("no target URL: give the checklist target a url, or pass --url");
        }
        return url;
    }

    /** The repository under check (absolute, normalised). */
    public Path repo() {
        return repo;
    }

    /** The directory of the checklist file; relative file parameters resolve against it. */
    public Path checklistDir() {
        return checklistDir;
    }

    public Instant deadline() {
        return deadline;
    }

    /** Time left before the deadline, never negative. */
    public Duration remaining() {
        Duration d = Duration.between(clock.instant(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** PEM files of extra certificate authorities to trust ({@code --ca}), besides the JDK's. */
    public List<Path> caFiles() {
        return caFiles;
    }

    public Clock clock() {
        return clock;
    }

    /** A run-wide object (an HTTP client and its connection pool) created once and closed after the run. */
    public <T> T shared(Class<T> type, Supplier<T> factory) {
        return shared.get(type, factory);
    }
}
