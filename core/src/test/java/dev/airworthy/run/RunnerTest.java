package dev.airworthy.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airworthy.check.Status;
import dev.airworthy.check.TestChecks;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.ChecklistLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {
    @TempDir
    Path repo;

    private final Runner runner = new Runner(TestChecks.registry(), Clock.systemUTC());

    private Checklist checklist(String items) throws Exception {
        return checklist(items, Map.of());
    }

    private Checklist checklist(String items, Map<String, String> env) throws Exception {
        String yaml = "airworthy: 1\nsections:\n  - title: Main\n    items:\n"
                + items.stripIndent().lines().map(l -> "      " + l).reduce("", (a, b) -> a + b + "\n");
        return new ChecklistLoader(TestChecks.registry(), env).load("t.yml", yaml, repo);
    }

    private RunResult run(Checklist c, RunOptions o) throws UsageException {
        return runner.run(c, o.withRepo(repo), Progress.NONE);
    }

    @Test
    void runsItemsConcurrently() throws Exception {
        int n = 50;
        TestChecks.Barrier.latch = new CountDownLatch(n);
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < n; i++) {
            items.append("- { id: b").append(i).append(", check: test.barrier }\n");
        }
        RunResult r = run(checklist(items.toString()), RunOptions.defaults());
        assertThat(r.items()).hasSize(n).allSatisfy(i -> assertThat(i.status()).as(i.message()).isEqualTo(Status.PASS));
    }

    @Test
    void anItemThatOverrunsItsTimeoutIsAnErrorAndTheRunDoesNotWait() throws Exception {
        long t0 = System.nanoTime();
        RunResult r = run(checklist("""
                - { id: slow, check: test.sleep, timeout: 200ms }
                - { id: fast, check: test.echo }
                """), RunOptions.defaults());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        ItemResult slow = r.items().getFirst();
        assertThat(slow.status()).isEqualTo(Status.ERROR);
        assertThat(slow.message()).isEqualTo("did not finish within its deadline (item timeout 200ms)");
        assertThat(r.items().get(1).status()).isEqualTo(Status.PASS);
    }

    @Test
    void exclusiveChecksRunAloneAfterTheOthersWithTheirOwnDeadline() throws Exception {
        TestChecks.WOKEN.set(0);
        RunResult r = run(checklist("""
                - { id: alone, check: test.alone, with: { after: 2 } }
                - { id: s1, check: test.sleep, with: { for: 300ms }, timeout: 2s }
                - { id: s2, check: test.sleep, with: { for: 300ms }, timeout: 2s }
                """), RunOptions.defaults());
        assertThat(r.items()).extracting(i -> i.item().id()).as("report order is checklist order").containsExactly("alone", "s1", "s2");
        assertThat(r.items()).allSatisfy(i -> assertThat(i.status()).as(i.message()).isEqualTo(Status.PASS));
    }

    @Test
    void theRunTimeoutCapsEveryItem() throws Exception {
        RunResult r = run(checklist("- { id: slow, check: test.sleep }"),
                new RunOptions(null, null, null, List.of(), Duration.ofMillis(300), null, null));
        assertThat(r.items().getFirst().message()).isEqualTo("did not finish within its deadline (run --timeout 300ms)");
    }

    @Test
    void aCheckThatIgnoresInterruptsStillEndsAtItsDeadline() throws Exception {
        long t0 = System.nanoTime();
        RunResult r = run(checklist("- { id: spin, check: test.spin, timeout: 300ms }"), RunOptions.defaults());
        assertThat(r.items().getFirst().status()).isEqualTo(Status.ERROR);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void exceptionsBecomeErrorsAndNotApplicableBecomesSkipped() throws Exception {
        RunResult r = run(checklist("""
                - { id: boom, check: test.echo, with: { throw: "connection reset by peer" } }
                - { id: na, check: test.echo, with: { status: skip } }
                """), RunOptions.defaults());
        assertThat(r.items().get(0).status()).isEqualTo(Status.ERROR);
        assertThat(r.items().get(0).message()).isEqualTo("connection reset by peer");
        assertThat(r.items().get(0).trace()).startsWith("java.io.IOException: connection reset by peer").contains("\tat ");
        assertThat(r.items().get(1).status()).isEqualTo(Status.SKIPPED);
        assertThat(r.items().get(1).message()).isEqualTo("nothing to check here");
    }

    @Test
    void gateBlocksOnlyBlockingStatusesOfFailOnSeverities() throws Exception {
        RunResult r = run(checklist("""
                - { id: f-high, check: test.echo, severity: high, with: { status: fail } }
                - { id: f-low, check: test.echo, severity: low, with: { status: fail } }
                - { id: w-crit, check: test.echo, severity: critical, with: { status: warn } }
                - { id: e-crit, check: test.echo, severity: critical, with: { status: error } }
                - { id: s-crit, check: test.echo, severity: critical, with: { status: skip } }
                - { id: signoff, manual: { roles: [security] }, severity: critical }
                """), RunOptions.defaults());
        assertThat(r.gate().passed()).isFalse();
        assertThat(r.gate().failOn()).containsExactly("critical", "high");
        assertThat(r.gate().blocking()).containsExactly("f-high", "e-crit", "signoff");
        assertThat(r.summary()).containsEntry(Status.FAIL, 2).containsEntry(Status.WARN, 1).containsEntry(Status.ERROR, 1)
                .containsEntry(Status.SKIPPED, 1).containsEntry(Status.PENDING, 1).containsEntry(Status.PASS, 0);
    }

    @Test
    void failOnFromTheCommandLineOverridesTheChecklist() throws Exception {
        Checklist c = checklist("- { id: f-low, check: test.echo, severity: low, with: { status: fail } }");
        assertThat(run(c, RunOptions.defaults()).gate().passed()).isTrue();
        RunOptions strict = new RunOptions(null, null, null, List.of(), null,
                java.util.EnumSet.of(dev.airworthy.check.Severity.LOW), null);
        assertThat(run(c, strict).gate().blocking()).containsExactly("f-low");
    }

    @Test
    void onlySelectsByIdOrSectionAndRejectsWhatMatchesNothing() throws Exception {
        Checklist c = checklist("""
                - { id: a, check: test.echo }
                - { id: b, check: test.echo }
                """);
        RunOptions onlyB = new RunOptions(null, null, null, List.of("b"), null, null, null);
        assertThat(run(c, onlyB).items()).extracting(i -> i.item().id()).containsExactly("b");
        RunOptions section = new RunOptions(null, null, null, List.of("main"), null, null, null);
        assertThat(run(c, section).items()).hasSize(2);
        RunOptions none = new RunOptions(null, null, null, List.of("zzz"), null, null, null);
        assertThatThrownBy(() -> run(c, none)).isInstanceOf(UsageException.class)
                .hasMessage("--only zzz matches no item id or section title in t.yml");
    }

    @Test
    void anItemIdWinsOverASectionTitleThatReadsTheSame() throws Exception {
        Checklist c = checklist("""
                - { id: main, check: test.echo }
                - { id: other, check: test.echo }
                """);
        RunOptions only = new RunOptions(null, null, null, List.of("main"), null, null, null);
        assertThat(run(c, only).items()).extracting(i -> i.item().id()).containsExactly("main");
    }

    @Test
    void secretsFromTheEnvironmentAreMaskedInMessagesAndEvidence() throws Exception {
        Checklist c = checklist("""
                - id: leak
                  check: test.echo
                  with:
                    status: fail
                    message: "token ${API_TOKEN} rejected"
                    evidence: ["Authorization: Bearer ${API_TOKEN}", "url http://u:hunter2@db/x?password=pw1&a=b"]
                """, Map.of("API_TOKEN", "abc123def456ghi"));
        ItemResult r = run(c, RunOptions.defaults()).items().getFirst();
        assertThat(r.message()).isEqualTo("token ${API_TOKEN} rejected");
        assertThat(r.evidence()).containsExactly("Authorization: Bearer ****", "url http://u:****@db/x?password=****&a=b");
    }

    @Test
    void progressHearsOfEveryItemOnce() throws Exception {
        List<String> finished = new CopyOnWriteArrayList<>();
        Checklist c = checklist("""
                - { id: a, check: test.echo }
                - { id: slow, check: test.sleep, timeout: 100ms }
                """);
        runner.run(c, RunOptions.defaults().withRepo(repo), new Progress() {
            @Override
            public void finished(ItemResult result, int done, int total) {
                finished.add(result.item().id() + " " + done + "/" + total);
            }
        });
        Thread.sleep(200);
        assertThat(finished).containsExactlyInAnyOrder("a 1/2", "slow 2/2");
    }

    @Test
    void targetsAreChosenByNameOrWhenThereIsOnlyOne() throws Exception {
        String yaml = """
                airworthy: 1
                targets:
                  staging: { url: "https://staging.example.com" }
                  prod: { url: "https://example.com" }
                sections:
                  - title: S
                    items: [ { id: a, check: test.echo } ]
                """;
        Checklist c = new ChecklistLoader(TestChecks.registry(), Map.of()).load("t.yml", yaml, repo);
        assertThatThrownBy(() -> run(c, RunOptions.defaults())).isInstanceOf(UsageException.class)
                .hasMessage("t.yml has several targets (staging, prod); choose one with -t/--target");
        RunOptions prod = new RunOptions("prod", null, null, List.of(), null, null, null);
        assertThat(run(c, prod).url()).hasToString("https://example.com");
        assertThat(run(c, prod).target()).isEqualTo("prod");
        RunOptions nope = new RunOptions("qa", null, null, List.of(), null, null, null);
        assertThatThrownBy(() -> run(c, nope)).hasMessage("no target 'qa' in t.yml; it has: staging, prod");
    }
}
