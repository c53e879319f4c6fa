package dev.airworthy.checks.ops;

import com.google.auto.service.AutoService;
import dev.airworthy.check.Category;
import dev.airworthy.check.Check;
import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckInfo;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Durations;
import dev.airworthy.check.Finding;
import dev.airworthy.check.Outcome;
import dev.airworthy.check.Param;
import dev.airworthy.check.ParamType;
import dev.airworthy.check.Params;
import dev.airworthy.check.Severity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

@AutoService(Check.class)
@CheckInfo(
        id = "ops.backup-fresh",
        title = "Latest backup is recent",
        category = Category.OPERATIONS,
        severity = Severity.HIGH,
        summary = """
                Looks in the backup directory `dir` for regular files matching `glob`, and judges the newest \
                (by modification time): it must be younger than `max-age` (`ops.backup-fresh.stale`) and hold \
                something (`ops.backup-fresh.empty`): 0 bytes, or a compressed file or archive of nothing \
                (a gzip, zstd, bzip2 or xz stream, or a zip archive, that decompresses to nothing; a file of \
                zero bytes only, such as an empty tar; the first 1 MiB is read to tell). No matching file \
                fails (`ops.backup-fresh.none`); a `dir` that is absent, not a directory or unreadable is an \
                error. A file dated more than 5 minutes in the future is not taken for the newest backup: the \
                newest file dated in the past is judged, and when it passes the item is an error (clock skew: \
                whether a backup is fresh cannot be told). The newest file's age is the `age_hours` metric.""",
        rationale = """
                Backup jobs fail quietly: a rotated credential, a full disk, a cron entry lost in a migration. \
                The first anyone hears of it is the day a restore is needed. Checking that last night's backup \
                exists and is not empty turns a silent failure into a red item the next morning.""",
        remediation = """
                Look at the backup job's logs and schedule (cron, systemd timer, Kubernetes CronJob). An empty \
                newest file usually means the dump command failed but the pipeline still created the file: add \
                `set -o pipefail`, and alert on the job's exit code. Then test a restore: a fresh backup is \
                only half the story.""",
        example = """
                - id: backups
                  title: Database backup from the last night
                  check: ops.backup-fresh
                  with: { dir: /var/backups/postgres, glob: "*.dump", max-age: 26h }""",
        references = {"https://www.postgresql.org/docs/current/backup.html",
            "https://sre.google/sre-book/data-integrity/"},
        params = {
            @Param(name = "dir", required = true, description = "The directory the backups are written to. "
                    + HostFiles.DIR_RESOLUTION),
            @Param(name = "glob", defaultValue = "\"*\"", description = "The backup files, relative to `dir` "
                    + "(`*.dump`, `db-*.sql.gz`, `**/*.tar.zst`). " + HostFiles.BACKUP_FILES),
            @Param(name = "max-age", type = ParamType.DURATION, defaultValue = "26h", description = "The oldest the newest "
                    + "backup may be: a daily job plus some slack.")
        })
public final class BackupFreshCheck implements Check {
    /** How far in the future a file may be dated before the clocks are taken to disagree. */
    static final Duration SKEW = Duration.ofMinutes(5);

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        Params p = ctx.params();
        String glob = p.string("glob");
        Duration maxAge = p.duration("max-age");
        HostFiles.Listing listing = HostFiles.list(ctx, p.string("dir"), glob, HostFiles.Walk.BACKUPS);
        Outcome out = new Outcome().evidence(listing.describe(glob));
        Instant now = ctx.clock().instant();
        // A file from the future would hide how old the real newest backup is: it is set aside, and said.
        List<HostFiles.Entry> future = listing.files().stream().filter(e -> e.modified().isAfter(now.plus(SKEW))).toList();
        List<HostFiles.Entry> past = listing.files().stream().filter(e -> !e.modified().isAfter(now.plus(SKEW))).toList();
        for (HostFiles.Entry e : future.stream().limit(5).toList()) {
            out.evidence(e.name() + " is dated " + e.modified().truncatedTo(ChronoUnit.SECONDS) + ", "
                    + HostFiles.age(Duration.between(now, e.modified())) + " in the future: set aside");
        }
        if (past.isEmpty()) {
            if (!future.isEmpty()) {
                return out.error("clock skew: every backup in " + listing.shown() + " is dated in the future (" + future.getFirst().name()
                        + " by " + HostFiles.age(Duration.between(now, future.getFirst().modified())) + "); how old they are cannot be told");
            }
            out.finding(Finding.fail("ops.backup-fresh.none", "no backup in " + listing.shown() + ": no file matches " + glob)
                    .at(listing.shown(), null));
            return out.result("");
        }
        HostFiles.Entry newest = past.getFirst();
        Duration age = Duration.between(newest.modified(), now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        out.metric("age_hours", age.toMillis() / 3_600_000.0);
        out.evidence("newest: " + newest.name() + ", " + Sizes.format(newest.size()) + ", modified " + newest.modified().truncatedTo(ChronoUnit.SECONDS)
                + " (" + HostFiles.age(age) + " ago)");
        if (age.compareTo(maxAge) > 0) {
            out.finding(Finding.fail("ops.backup-fresh.stale", "the newest backup " + newest.name() + " is " + HostFiles.age(age)
                    + " old, older than max-age " + Durations.format(maxAge)).at(listing.file(newest), null));
        }
        String empty = BackupContent.empty(newest.path());
        if (empty != null) {
            out.finding(Finding.fail("ops.backup-fresh.empty", "the newest backup " + newest.name() + " " + empty)
                    .at(listing.file(newest), null));
        }
        if (!out.hasFindings() && !future.isEmpty()) {
            return out.error("clock skew: " + future.getFirst().name() + " is dated " + HostFiles.age(Duration.between(now,
                    future.getFirst().modified())) + " in the future, so whether " + newest.name() + " (" + HostFiles.age(age)
                    + " old) is the newest backup cannot be told");
        }
        return out.result("newest backup " + newest.name() + " is " + HostFiles.age(age) + " old (max-age "
                + Durations.format(maxAge) + "), " + Sizes.format(newest.size()));
    }

    @Override
    public List<String> validate(Params p) {
        List<String> problems = HostFiles.validate(p);
        if (p.duration("max-age").isZero()) {
            problems.add("max-age is zero");
        }
        return problems;
    }
}
