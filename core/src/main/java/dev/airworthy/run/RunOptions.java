package dev.airworthy.run;

import dev.airworthy.check.Severity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How to run a checklist. Null means "not given": the target defaults to the only one, the URL
 * to the target's, the repository to the target's (else the working directory), the gate to the
 * checklist's.
 *
 * @param only       item ids, else section titles (case-insensitive), to keep; empty keeps all
 * @param timeout    the whole run's deadline; items also have their own (default 30 s)
 * @param workingDir the repository when neither {@code repo} nor the target names one
 * @param caFiles    PEM files of extra certificate authorities every TLS connection of the run trusts
 */
public record RunOptions(String target, URI url, Path repo, List<String> only, Duration timeout,
        Set<Severity> failOn, Duration itemTimeout, Path workingDir, List<Path> caFiles) {

    public static final Duration DEFAULT_ITEM_TIMEOUT = Duration.ofSeconds(30);

    public RunOptions {
        only = only == null ? List.of() : List.copyOf(only);
        itemTimeout = itemTimeout == null ? DEFAULT_ITEM_TIMEOUT : itemTimeout;
        workingDir = workingDir == null ? Path.of("").toAbsolutePath() : workingDir;
        caFiles = caFiles == null ? List.of() : List.copyOf(caFiles);
    }

    public RunOptions(String target, URI url, Path repo, List<String> only, Duration timeout, Set<Severity> failOn,
            Duration itemTimeout) {
        this(target, url, repo, only, timeout, failOn, itemTimeout, null, null);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, null, null, List.of(), null, null, null);
    }

    public RunOptions withUrl(URI newUrl) {
        return new RunOptions(target, newUrl, repo, only, timeout, failOn, itemTimeout, workingDir, caFiles);
    }

    public RunOptions withRepo(Path newRepo) {
        return new RunOptions(target, url, newRepo, only, timeout, failOn, itemTimeout, workingDir, caFiles);
    }

    public RunOptions withCaFiles(List<Path> files) {
        return new RunOptions(target, url, repo, only, timeout, failOn, itemTimeout, workingDir, files);
    }
}
