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
                (by modification time): it must be younger than `max-age` (`ops.backup-fresh.stale`) and not \
                empty (`ops.backup-fresh.empty`). No matching file fails (`ops.backup-fresh.none`); a `dir` \
                that is absent, not a directory or unreadable is an error. The newest file's age is the \
                `age_hours` metric. A glob without `/` looks at `dir` itself; `**/*.dump` looks below it. Hidden \
                files (`.keep`) count only when the glob names them; symbolic links are not followed. A file \
                modified in the future (clock skew) counts as age 0, and the evidence says so.""",
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
                    + "(`*.dump`, `db-*.sql.gz`, `**/*.tar.zst`)."),
            @Param(name = "max-age", type = ParamType.DURATION, defaultValue = "26h", description = "The oldest the newest "
                    + "backup may be: a daily job plus some slack.")
        })
public final class BackupFreshCheck implements Check {

    @Override
    public CheckResult run(CheckContext ctx) throws IOException {
        Params p = ctx.params();
        String glob = p.string("glob");
        Duration maxAge = p.duration("max-age");
        HostFiles.Listing listing = HostFiles.list(ctx, p.string("dir"), glob);
        Outcome out = new Outcome().evidence(listing.describe(glob));
        if (listing.files().isEmpty()) {
            out.finding(Finding.fail("ops.backup-fresh.none", "no backup in " + listing.shown() + ": no file matches " + glob)
                    .at(listing.shown(), null));
            return out.result("");
        }
        HostFiles.Entry newest = listing.files().getFirst();
        Instant now = ctx.clock().instant();
        Duration age = Duration.between(newest.modified(), now);
        if (age.isNegative()) {
            out.evidence(newest.name() + " was modified " + HostFiles.age(age.negated()) + " in the future: the clocks disagree; "
                    + "counted as age 0");
            age = Duration.ZERO;
        }
        out.metric("age_hours", age.toMillis() / 3_600_000.0);
        out.evidence("newest: " + newest.name() + ", " + Sizes.format(newest.size()) + ", modified " + newest.modified().truncatedTo(ChronoUnit.SECONDS)
                + " (" + HostFiles.age(age) + " ago)");
        if (age.compareTo(maxAge) > 0) {
            out.finding(Finding.fail("ops.backup-fresh.stale", "the newest backup " + newest.name() + " is " + HostFiles.age(age)
                    + " old, older than max-age " + Durations.format(maxAge)).at(listing.file(newest), null));
        }
        if (newest.size() == 0) {
            out.finding(Finding.fail("ops.backup-fresh.empty", "the newest backup " + newest.name() + " is empty")
                    .at(listing.file(newest), null));
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
