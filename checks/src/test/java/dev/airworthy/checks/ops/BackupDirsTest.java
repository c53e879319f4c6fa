package dev.airworthy.checks.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airworthy.check.Finding;
import dev.airworthy.check.Status;
import dev.airworthy.checks.fixture.Checklists;
import dev.airworthy.run.ItemResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops.backup-fresh and ops.retention on real files whose modification times the test sets (git
 * cannot keep them in fixtures), run through the real runner on a fixed clock.
 */
class BackupDirsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path checklistDir;
    @TempDir
    Path repo;
    Path backups;

    @BeforeEach
    void dir() throws Exception {
        backups = Files.createDirectories(checklistDir.resolve("backups"));
    }

    private Path file(String name, String content, Duration age) throws Exception {
        Path f = backups.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        Files.setLastModifiedTime(f, FileTime.from(NOW.minus(age)));
        return f;
    }

    private ItemResult run(String item) throws Exception {
        return OpsRun.one(checklistDir, repo, CLOCK, item);
    }

    @Test
    void aBackupFromLastNightPassesWithItsAge() throws Exception {
        file("db-old.dump", "old", Duration.ofHours(49));
        file("db-new.dump", "new dump", Duration.ofHours(9).plusMinutes(30));
        ItemResult r = run("- { id: b, check: ops.backup-fresh, with: { dir: backups, glob: \"*.dump\" } }");
        assertThat(r.status()).as("%s %s", r.message(), r.evidence()).isEqualTo(Status.PASS);
        assertThat(r.message()).isEqualTo("newest backup db-new.dump is 9.5 h old (max-age 1d2h), 8 B");
        assertThat(r.metrics().get("age_hours")).isCloseTo(9.5, Offset.offset(0.001));
        assertThat(r.evidence()).first().asString().startsWith("backups (" + backups + "): 2 files match *.dump, 11 B in all");
    }

    @Test
    void theNewestIsJudgedByItsModificationTimeNotItsName() throws Exception {
        file("z-2026-11-21.dump", "stale", Duration.ofHours(30));
        file("a-2026-11-19.dump", "older", Duration.ofDays(3));
        ItemResult r = run("- { id: b, check: ops.backup-fresh, with: { dir: backups } }");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).extracting(Finding::rule, Finding::file)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ops.backup-fresh.stale", "backups/z-2026-11-21.dump"));
        assertThat(r.message()).isEqualTo("the newest backup z-2026-11-21.dump is 30.0 h old, older than max-age 1d2h");
        assertThat(r.metrics().get("age_hours")).isCloseTo(30.0, Offset.offset(0.001));
    }

    @Test
    void staleAndEmptyAreTwoFindings() throws Exception {
        file("db.dump", "", Duration.ofDays(4));
        ItemResult r = run("- { id: b, check: ops.backup-fresh, with: { dir: backups, max-age: 2d } }");
        assertThat(r.findings()).extracting(Finding::rule).containsExactly("ops.backup-fresh.stale", "ops.backup-fresh.empty");
        assertThat(r.message()).contains("is 4.0 d old, older than max-age 2d");
    }

    @Test
    void aFileMinutesInTheFutureCountsAsNew() throws Exception {
        file("db.dump", "dump", Duration.ofMinutes(-3));
        ItemResult r = run("- { id: b, check: ops.backup-fresh, with: { dir: backups, max-age: 1h } }");
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.metrics().get("age_hours")).isZero();
    }

    /** Two dumps, one dated in the future, the other in the past, run with glob *.dump. */
    private ItemResult futureAndPast(Duration future, String pastName, Duration pastAge) throws Exception {
        file("db-x.dump", "dump", future.negated());
        file(pastName, "dump", pastAge);
        return run("- { id: b, check: ops.backup-fresh, with: { dir: backups, glob: \"*.dump\" } }");
    }

    /** A file dated in the future must not hide that the real newest backup is old. */
    @Test
    void aFileFromTheFutureIsSetAsideTheOldRealNewestFails() throws Exception {
        ItemResult r = futureAndPast(Duration.ofDays(40), "db-old.dump", Duration.ofDays(40));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).extracting(Finding::rule).containsExactly("ops.backup-fresh.stale");
        assertThat(r.message()).isEqualTo("the newest backup db-old.dump is 40.0 d old, older than max-age 1d2h");
        assertThat(r.evidence()).anyMatch(e -> e.startsWith("db-x.dump is dated 2027-01-01T12:00:00Z, 40.0 d in the future: set aside"));
    }

    @Test
    void aFileFromTheFutureBesideAFreshOneIsAClockSkewError() throws Exception {
        ItemResult r = futureAndPast(Duration.ofHours(2), "db-new.dump", Duration.ofHours(1));
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).isEqualTo("clock skew: db-x.dump is dated 2.0 h in the future, so whether db-new.dump (1.0 h old) "
                + "is the newest backup cannot be told");
        file("db-new.dump", "dump", Duration.ofHours(-1));
        assertThat(run("- { id: b, check: ops.backup-fresh, with: { dir: backups } }").message())
                .startsWith("clock skew: every backup in backups is dated in the future");
    }

    @Test
    void aCompressedFileOfNothingIsEmpty() throws Exception {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        new java.util.zip.GZIPOutputStream(gz).close();
        java.io.ByteArrayOutputStream emptyTarGz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(emptyTarGz)) {
            out.write(new byte[10240]);
        }
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("db.sql"));
        }
        java.util.Map<String, byte[]> empty = new java.util.LinkedHashMap<>();
        empty.put("db.sql.gz", gz.toByteArray());
        empty.put("db.tar.gz", emptyTarGz.toByteArray());
        empty.put("db.tar", new byte[10240]);
        empty.put("db.sql.zst", java.util.HexFormat.of().parseHex("28b52ffd240001000099e9d851"));
        empty.put("db-stream.sql.zst", java.util.HexFormat.of().parseHex("28b52ffd0058010000"));
        empty.put("db.sql.bz2", java.util.HexFormat.of().parseHex("425a683917724538509000000000"));
        empty.put("db.sql.xz", java.util.HexFormat.of().parseHex("fd377a585a000004e6d6b446000000001cdf44211fb6f37d010000000004595a"));
        empty.put("db.zip", zip.toByteArray());
        for (var e : empty.entrySet()) {
            Path f = backups.resolve(e.getKey());
            Files.write(f, e.getValue());
            Files.setLastModifiedTime(f, FileTime.from(NOW.minus(Duration.ofHours(1))));
            ItemResult r = run("- { id: b, check: ops.backup-fresh, with: { dir: backups } }");
            assertThat(r.findings()).as(e.getKey()).extracting(Finding::rule).containsExactly("ops.backup-fresh.empty");
            Files.delete(f);
        }
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(data)) {
            out.write("CREATE TABLE t (id int);".getBytes());
        }
        for (byte[] full : java.util.List.of(data.toByteArray(), java.util.HexFormat.of().parseHex("28b52ffd0458090000615b6e8ca9"))) {
            Path f = backups.resolve("db.bin");
            Files.write(f, full);
            Files.setLastModifiedTime(f, FileTime.from(NOW.minus(Duration.ofHours(1))));
            assertThat(run("- { id: b, check: ops.backup-fresh, with: { dir: backups } }").status()).isEqualTo(Status.PASS);
        }
    }

    @Test
    void partialFilesLogsAndNotesAreNotBackups() throws Exception {
        file("db.dump", "dump", Duration.ofDays(5));
        file("db.dump.tmp", "half", Duration.ofMinutes(10));
        file("backup.log", "done", Duration.ofMinutes(5));
        file("README.txt", "how", Duration.ofMinutes(1));
        ItemResult named = run("- { id: b, check: ops.backup-fresh, with: { dir: backups, glob: \"db.dump*\" } }");
        assertThat(named.findings()).extracting(Finding::rule).containsExactly("ops.backup-fresh.stale");
        ItemResult all = run("- { id: b, check: ops.backup-fresh, with: { dir: backups } }");
        assertThat(all.findings()).extracting(Finding::rule).containsExactly("ops.backup-fresh.stale");
        assertThat(all.evidence().getFirst()).endsWith("left out (partial, logs, notes, checksums): README.txt, backup.log, db.dump.tmp");
        assertThat(run("- { id: b, check: ops.backup-fresh, with: { dir: backups, glob: \"*.tmp\" } }").status())
                .as("a glob that names the extension").isEqualTo(Status.PASS);
    }

    @Test
    void aLinkedDirIsFollowed() throws Exception {
        file("db.dump", "dump", Duration.ofHours(1));
        Files.createSymbolicLink(checklistDir.resolve("current"), backups);
        ItemResult r = run("- { id: b, check: ops.backup-fresh, with: { dir: current } }");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.PASS);
        assertThat(r.evidence().getFirst()).contains("-> " + backups.toRealPath() + ": 1 file matches *");
        file("old.dump", "dump", Duration.ofDays(90));
        ItemResult retention = run("- { id: r, check: ops.retention, with: { dir: current, max-age: 30d } }");
        assertThat(retention.findings()).extracting(Finding::rule).containsExactly("ops.retention.age");
    }

    /** Old files in a subdirectory or hidden ones are kept data too. */
    @Test
    void retentionSeesSubdirectoriesAndHiddenFiles() throws Exception {
        file("db.dump", "new", Duration.ofDays(1));
        file("2023/db.dump", "old", Duration.ofDays(400));
        file(".db-old.dump", "old", Duration.ofDays(400));
        ItemResult r = run("- { id: r, check: ops.retention, with: { dir: backups, glob: \"*.dump\", max-age: 30d } }");
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.message())
                .isEqualTo("2 files are older than max-age 30d: 2023/db.dump (400.0 d), .db-old.dump (400.0 d)"));
        assertThat(r.metrics()).containsEntry("file_count", 3.0);
    }

    @Test
    void aDeepGlobAlsoMatchesAtTheTopAndLinksAreNotFollowed() throws Exception {
        file("2026/11/21/db.sql.gz", "deep", Duration.ofHours(30));
        file("db.sql.gz", "top", Duration.ofHours(2));
        Files.createSymbolicLink(backups.resolve("latest.sql.gz"), backups.resolve("db.sql.gz"));
        ItemResult r = run("- { id: b, check: ops.backup-fresh, with: { dir: backups, glob: \"**/*.sql.gz\" } }");
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.evidence()).first().asString().contains("2 files match **/*.sql.gz");
    }

    /** A relative dir is found from the checklist's directory, not the repository (nor the working directory). */
    @Test
    void relativeDirsResolveAgainstTheChecklistAbsoluteOnesAsTheyAre() throws Exception {
        file("db.dump", "dump", Duration.ofHours(1));
        Files.createDirectories(repo.resolve("backups"));
        assertThat(run("- { id: b, check: ops.backup-fresh, with: { dir: backups } }").status()).isEqualTo(Status.PASS);
        ItemResult absolute = run("- { id: b, check: ops.backup-fresh, with: { dir: \"" + backups + "\" } }");
        assertThat(absolute.status()).isEqualTo(Status.PASS);
        assertThat(absolute.evidence()).first().asString().startsWith(backups + ": 1 file matches *");
        ItemResult missing = run("- { id: b, check: ops.backup-fresh, with: { dir: nightly } }");
        assertThat(missing.status()).isEqualTo(Status.ERROR);
        assertThat(missing.message()).isEqualTo("dir nightly (" + checklistDir.resolve("nightly") + ") does not exist");
    }

    @Test
    void retentionNamesTheOldestFilesBeyondMaxAgeAndCountsTheRest() throws Exception {
        for (int day = 1; day <= 40; day++) {
            file("app-" + day + ".log.gz", "x".repeat(day), Duration.ofDays(day).plusHours(1));
        }
        ItemResult r = run("- { id: r, check: ops.retention, with: { dir: backups, glob: \"*.log.gz\", max-age: 30d } }");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("ops.retention.age");
            assertThat(f.file()).isEqualTo("backups");
            assertThat(f.message()).isEqualTo("11 files are older than max-age 30d: app-40.log.gz (40.0 d), app-39.log.gz (39.0 d), "
                    + "app-38.log.gz (38.0 d), app-37.log.gz (37.0 d), app-36.log.gz (36.0 d) and 6 more");
        });
        assertThat(r.metrics()).containsEntry("file_count", 40.0).containsEntry("total_bytes", 820.0);
        assertThat(r.metrics().get("oldest_age_hours")).isCloseTo(40 * 24 + 1.0, Offset.offset(0.001));
    }

    @Test
    void retentionJudgesEveryPolicyItIsGiven() throws Exception {
        file("a.tar", "x".repeat(600), Duration.ofDays(5));
        file("b.tar", "x".repeat(600), Duration.ofDays(3));
        file("c.tar", "x".repeat(600), Duration.ofDays(1));
        ItemResult within = run("- { id: r, check: ops.retention, with: { dir: backups, max-age: 7d, max-files: 3, max-size: 2KB } }");
        assertThat(within.status()).as(within.message()).isEqualTo(Status.PASS);
        assertThat(within.message()).isEqualTo("3 files, 1.8 KB, oldest 5.0 d: within max-age 1w, max-files 3, max-size 2KB");
        ItemResult beyond = run("- { id: r, check: ops.retention, with: { dir: backups, max-age: 4d, max-files: 1, max-size: 1KiB } }");
        assertThat(beyond.findings()).extracting(Finding::message).containsExactly(
                "1 file is older than max-age 4d: a.tar (5.0 d)",
                "3 files, more than max-files 1; beyond the policy, oldest first: a.tar (5.0 d), b.tar (3.0 d)",
                "1.8 KB in 3 files, more than max-size 1KiB");
    }

    @Test
    void sizesReadDecimalAndBinaryUnits() {
        assertThat(Sizes.parse("4096")).isEqualTo(4096);
        assertThat(Sizes.parse("10GB")).isEqualTo(10_000_000_000L);
        assertThat(Sizes.parse("1.5 GiB")).isEqualTo(1_610_612_736L);
        assertThat(Sizes.parse("500mb")).isEqualTo(500_000_000L);
        assertThat(Sizes.parse("2TiB")).isEqualTo(2L << 40);
        assertThat(Sizes.format(999)).isEqualTo("999 B");
        assertThat(Sizes.format(1_234_567)).isEqualTo("1.2 MB");
        assertThat(Checklists.messages("""
                - { id: a, check: ops.retention, with: { dir: x } }
                - { id: b, check: ops.retention, with: { dir: x, max-size: 10G } }
                - { id: c, check: ops.retention, with: { dir: x, max-files: 0, max-age: 0s } }
                - { id: d, check: ops.backup-fresh, with: { dir: "", glob: "../*", max-age: 0s } }
                - { id: e, check: ops.backup-fresh, with: { dir: x, glob: "[a" } }
                """)).containsExactly(
                "item 'a': give the policy: max-age, max-files or max-size (or several)",
                "item 'b': max-size: expected a size such as 500MB, 10GB or 1.5GiB (KB, MB, GB, TB: powers of 1000; "
                        + "KiB, MiB, GiB, TiB: of 1024), got '10G'",
                "item 'c': max-age is zero",
                "item 'c': max-files must be at least 1",
                "item 'd': dir is empty",
                "item 'd': glob '../*' is matched against paths relative to dir; it cannot be absolute or leave dir",
                "item 'd': max-age is zero",
                "item 'e': glob '[a' is not a valid pattern: Missing ']");
    }
}
