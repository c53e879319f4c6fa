package dev.airworthy.checks.ops;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Durations;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

@AutoService(Check.class)
@CheckInfo(
        id = "ops.retention",
        title = "Retention policy is applied",
        category = Category.OPERATIONS,
        severity = Severity.MEDIUM,
        summary = """
                Looks in `dir` at the regular files matching `glob` (backups, rotated logs, exports) and \
                verifies that nothing is kept beyond the policy: no file older than `max-age` \
                (`ops.retention.age`), no more than `max-files` files (`ops.retention.count`: the oldest ones \
                beyond the count are named), no more than `max-size` bytes in all (`ops.retention.size`). \
                Give one or more of the three. Findings name a few files and count the rest. `dir` absent or \
                unreadable is an error; no matching file skips the item. Every file below `dir` counts, down \
                to 16 levels and hidden ones included (what a policy covers is everything kept): a glob \
                without `/` is matched against each file's name (`*.dump` finds `2023/db.dump`), one with `/` \
                against its path under `dir`. `dir` may be a symbolic link (it is followed); links below it \
                are not. Metrics: `file_count`, `total_bytes`, `oldest_age_hours`.""",
        rationale = """
                Keeping data longer than promised is a compliance finding (GDPR's storage limitation, the \
                company's own retention policy) and a bigger breach when a disk or bucket leaks; keeping \
                everything forever fills the disk, and the backup job that fails on a full disk is the one \
                nobody notices. A pruning job that silently stopped shows up here first.""",
        remediation = """
                Fix or add the pruning step: `find DIR -name '*.dump' -mtime +30 -delete` after each backup, \
                logrotate's `rotate` and `maxage`, restic/borg `forget --keep-daily`, or an object-storage \
                lifecycle rule. Then delete what is already beyond the policy.""",
        example = """
                - id: backup-retention
                  title: Backups are kept 30 days, at most 50 GB
                  check: ops.retention
                  with: { dir: /var/backups/postgres, glob: "*.dump", max-age: 30d, max-size: 50GB }""",
        references = {"https://gdpr-info.eu/art-5-gdpr/",
            "https://man7.org/linux/man-pages/man8/logrotate.8.html"},
        params = {
            @Param(name = "dir", required = true, description = "The directory the policy applies to. " + HostFiles.DIR_RESOLUTION),
            @Param(name = "glob", defaultValue = "\"*\"", description = "The files the policy applies to: matched against "
                    + "each file's name at any depth, or, with a `/`, against its path under `dir`."),
            @Param(name = "max-age", type = ParamType.DURATION, description = "No file may be older than this."),
            @Param(name = "max-files", type = ParamType.INTEGER, description = "At most this many files."),
            @Param(name = "max-size", description = "At most this much in all: " + Sizes.FORMS + ".")
        })
public final class RetentionCheck implements Check {
    /** Files a finding names; the rest are counted. */
    private static final int NAMED = 5;

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        Params p = ctx.params();
        String glob = p.string("glob");
        HostFiles.Listing listing = HostFiles.list(ctx, p.string("dir"), glob, HostFiles.Walk.RETENTION);
        List<HostFiles.Entry> files = listing.files();
        if (files.isEmpty()) {
            throw new NotApplicable("no file in " + listing.located() + " matches " + glob);
        }
        Instant now = ctx.clock().instant();
        Function<HostFiles.Entry, String> withAge = e -> e.name() + " (" + HostFiles.age(age(e, now)) + ")";
        HostFiles.Entry oldest = files.getLast();
        Outcome out = new Outcome()
                .evidence(listing.describe(glob) + "; oldest " + withAge.apply(oldest))
                .metric("file_count", files.size())
                .metric("total_bytes", listing.totalBytes())
                .metric("oldest_age_hours", age(oldest, now).toMillis() / 3_600_000.0);
        String where = listing.shown();
        if (p.has("max-age")) {
            Duration maxAge = p.duration("max-age");
            // Oldest first: those furthest beyond the policy are named.
            List<HostFiles.Entry> old = files.reversed().stream().filter(e -> age(e, now).compareTo(maxAge) > 0).toList();
            if (!old.isEmpty()) {
                out.finding(Finding.fail("ops.retention.age", old.size() + " file" + (old.size() == 1 ? " is" : "s are")
                        + " older than max-age " + Durations.format(maxAge) + ": " + names(old, withAge)).at(where, null));
            }
        }
        if (p.has("max-files")) {
            long maxFiles = p.integer("max-files");
            if (files.size() > maxFiles) {
                List<HostFiles.Entry> beyond = files.subList((int) maxFiles, files.size()).reversed();
                out.finding(Finding.fail("ops.retention.count", files.size() + " files, more than max-files " + maxFiles
                        + "; beyond the policy, oldest first: " + names(beyond, withAge)).at(where, null));
            }
        }
        if (p.has("max-size")) {
            long maxSize = Sizes.parse(p.string("max-size"));
            if (listing.totalBytes() > maxSize) {
                out.finding(Finding.fail("ops.retention.size", Sizes.format(listing.totalBytes()) + " in " + files.size()
                        + " files, more than max-size " + p.string("max-size")).at(where, null));
            }
        }
        return out.result(files.size() + " file" + (files.size() == 1 ? "" : "s") + ", " + Sizes.format(listing.totalBytes())
                + ", oldest " + HostFiles.age(age(oldest, now)) + ": within " + policy(p));
    }

    private static Duration age(HostFiles.Entry e, Instant now) {
        Duration d = Duration.between(e.modified(), now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String names(List<HostFiles.Entry> files, Function<HostFiles.Entry, String> name) {
        String shown = files.stream().limit(NAMED).map(name).collect(Collectors.joining(", "));
        return files.size() > NAMED ? shown + " and " + (files.size() - NAMED) + " more" : shown;
    }

    private static String policy(Params p) {
        return Stream.of(
                p.has("max-age") ? "max-age " + Durations.format(p.duration("max-age")) : null,
                p.has("max-files") ? "max-files " + p.integer("max-files") : null,
                p.has("max-size") ? "max-size " + p.string("max-size") : null)
                .filter(s -> s != null).collect(Collectors.joining(", "));
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = HostFiles.validate(p);
        if (!p.has("max-age") && !p.has("max-files") && !p.has("max-size")) {
            problems.add("give the policy: max-age, max-files or max-size (or several)");
        }
        if (p.has("max-age") && p.duration("max-age").isZero()) {
            problems.add("max-age is zero");
        }
        if (p.has("max-files") && p.integer("max-files") < 1) {
            problems.add("max-files must be at least 1");
        }
        if (p.has("max-size")) {
            try {
                if (Sizes.parse(p.string("max-size")) < 1) {
                    problems.add("max-size is zero");
                }
            } catch (IllegalArgumentException e) {
                problems.add("max-size: " + e.getMessage());
            }
        }
        return problems;
    }
}
