package dev.airworthy.run;

import dev.airworthy.check.CheckContext;
import dev.airworthy.check.CheckDescriptor;
import dev.airworthy.check.CheckRegistry;
import dev.airworthy.check.CheckResult;
import dev.airworthy.check.Durations;
import dev.airworthy.check.Finding;
import dev.airworthy.check.NotApplicable;
import dev.airworthy.check.Severity;
import dev.airworthy.check.SharedResources;
import dev.airworthy.check.Status;
import dev.airworthy.checklist.Checklist;
import dev.airworthy.checklist.Item;
import dev.airworthy.checklist.Target;
import dev.airworthy.gate.Gate;
import dev.airworthy.gate.GateVerdict;
import dev.airworthy.gate.Signoffs;
import dev.airworthy.secret.SecretMasker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a checklist's items concurrently, one virtual thread each, every item under its own
 * deadline (its {@code timeout:}, else 30 s) and the run's {@code --timeout}. An item that
 * overruns is interrupted and reported as {@code error}; the run never waits past its deadline.
 */
public final class Runner {
    private final CheckRegistry registry;
    private final Clock clock;

    public Runner(CheckRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public RunResult run(Checklist checklist, RunOptions options, Progress progress) throws UsageException {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Target target = target(checklist, options.target());
        URI url = options.url() != null ? options.url() : target == null ? null : target.url();
        Path repo = repo(checklist, target, options.repo(), options.workingDir());
        List<Item> items = select(checklist, options.only());
        Set<Severity> failOn = options.failOn() != null ? options.failOn() : checklist.failOn();
        Instant runDeadline = options.timeout() == null ? null : started.plus(options.timeout());
        SecretMasker masker = SecretMasker.of(checklist.secrets());
        Signoffs signoffs = new Signoffs(checklist.attestations(), checklist.waivers(), started);

        List<ItemResult> results = new ArrayList<>();
        // Not closed with try-with-resources: close() would wait for a check that ignores interrupts.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try (SharedResources shared = new SharedResources()) {
            Execution run = new Execution(checklist, options, url, repo, runDeadline, threads, shared, signoffs, masker,
                    progress, items.size());
            java.util.Map<Item, ItemResult> byItem = new java.util.HashMap<>();
            List<Running> concurrent = items.stream().filter(i -> !exclusive(i)).map(run::start).toList();
            for (Running r : concurrent) {
                byItem.put(r.item(), run.await(r));
            }
            for (Item item : items.stream().filter(this::exclusive).toList()) {
                byItem.put(item, run.await(run.start(item)));
            }
            items.forEach(i -> results.add(byItem.get(i)));
        } finally {
            threads.shutdownNow();
        }
        List<Gate.Entry> entries = results.stream()
                .map(r -> new Gate.Entry(r.item().id(), r.item().severity(), r.status()))
                .toList();
        GateVerdict verdict = Gate.decide(entries, failOn);
        long durationMs = (System.nanoTime() - t0) / 1_000_000;
        return new RunResult(checklist.project(), checklist.source(), target == null ? null : target.name(),
                url == null ? null : URI.create(masker.mask(url.toString())), repo, started, durationMs, verdict,
                Gate.score(entries), Gate.summary(entries), List.copyOf(results));
    }

    private boolean exclusive(Item item) {
        return registry.find(item.check()).orElseThrow().exclusive();
    }

    private record Running(Item item, Future<ItemResult> future, Instant deadline, String limit, long startNanos,
            AtomicBoolean reported) {
    }

    /** One run's shared state: where items go, what they share, and how their ends are reported. */
    private final class Execution {
        private final Checklist checklist;
        private final RunOptions options;
        private final URI url;
        private final Path repo;
        private final Instant runDeadline;
        private final ExecutorService threads;
        private final SharedResources shared;
        private final Signoffs signoffs;
        private final SecretMasker masker;
        private final Progress progress;
        private final int total;
        private final AtomicInteger done = new AtomicInteger();

        Execution(Checklist checklist, RunOptions options, URI url, Path repo, Instant runDeadline, ExecutorService threads,
                SharedResources shared, Signoffs signoffs, SecretMasker masker, Progress progress, int total) {
            this.checklist = checklist;
            this.options = options;
            this.url = url;
            this.repo = repo;
            this.runDeadline = runDeadline;
            this.threads = threads;
            this.shared = shared;
            this.signoffs = signoffs;
            this.masker = masker;
            this.progress = progress;
            this.total = total;
        }

        /** Starts an item on its own virtual thread; its deadline counts from now. */
        Running start(Item item) {
            Instant now = clock.instant();
            Duration timeout = item.timeout() != null ? item.timeout() : options.itemTimeout();
            Instant deadline = now.plus(timeout);
            String limit = "item timeout " + Durations.format(timeout);
            if (runDeadline != null && runDeadline.isBefore(deadline)) {
                deadline = runDeadline;
                limit = "run --timeout " + Durations.format(options.timeout());
            }
            CheckDescriptor d = registry.find(item.check()).orElseThrow();
            CheckContext ctx = new CheckContext(item.id(), item.params(), url, repo, checklist.baseDir(), deadline,
                    clock, shared, options.caFiles());
            progress.started(item, total);
            long itemStart = System.nanoTime();
            AtomicBoolean reported = new AtomicBoolean();
            Future<ItemResult> f = threads.submit(() -> {
                ItemResult r = finish(item, execute(d, ctx), itemStart, signoffs, masker);
                if (reported.compareAndSet(false, true)) {
                    progress.finished(r, done.incrementAndGet(), total);
                }
                return r;
            });
            return new Running(item, f, deadline, limit, itemStart, reported);
        }

        ItemResult await(Running r) {
            long waitMs = Math.max(0, Duration.between(clock.instant(), r.deadline()).toMillis());
            try {
                return r.future().get(waitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                r.future().cancel(true);
                CheckResult timedOut = CheckResult.of(Status.ERROR, "did not finish within its deadline (" + r.limit() + ")");
                ItemResult result = finish(r.item(), new Executed(timedOut, e), r.startNanos(), signoffs, masker);
                if (r.reported().compareAndSet(false, true)) {
                    progress.finished(result, done.incrementAndGet(), total);
                }
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                CheckResult stopped = CheckResult.of(Status.ERROR, "the run was interrupted");
                return finish(r.item(), new Executed(stopped, e), r.startNanos(), signoffs, masker);
            } catch (ExecutionException | CancellationException e) {
                // execute() catches everything a check throws; reaching here is airworthy's own bug.
                CheckResult broken = CheckResult.of(Status.ERROR, "airworthy failed to run the check: " + describe(e));
                return finish(r.item(), new Executed(broken, e), r.startNanos(), signoffs, masker);
            }
        }
    }

    /** A check's result, or the exception it threw turned into one. */
    private record Executed(CheckResult result, Throwable cause) {
    }

    private static Executed execute(CheckDescriptor d, CheckContext ctx) {
        try {
            CheckResult r = d.check().run(ctx);
            if (r == null) {
                return new Executed(CheckResult.of(Status.ERROR, d.id() + " returned no result"), null);
            }
            return new Executed(r, null);
        } catch (NotApplicable e) {
            return new Executed(CheckResult.of(Status.SKIPPED, e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Executed(CheckResult.of(Status.ERROR, "interrupted at its deadline"), e);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return new Executed(CheckResult.of(Status.ERROR, describe(e)), e);
        }
    }

    private static ItemResult finish(Item item, Executed executed, long startNanos, Signoffs signoffs,
            SecretMasker masker) {
        CheckResult r = executed.result();
        Signoffs.Decision decision = signoffs.decide(item, r.status(), r.message());
        List<Finding> findings = r.findings().stream()
                .map(f -> f.withMessage(masker.mask(f.message())))
                .toList();
        // Masked before it is folded onto one line: a secret with a line break in it must still match.
        return new ItemResult(item, decision.status(), oneLine(masker.mask(decision.message())),
                (System.nanoTime() - startNanos) / 1_000_000, Map.copyOf(r.metrics()), masker.mask(r.evidence()),
                findings, executed.cause() == null ? null : masker.mask(trace(executed.cause())));
    }

    private static String trace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** A one-line description of an exception for a report: message, else the exception's kind. */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        String kind = t.getClass().getSimpleName()
                .replaceAll("(Exception|Error)$", "")
                .replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            return kind;
        }
        // A generic type says nothing the message does not; a specific one ("socket timeout") does.
        return GENERIC.contains(t.getClass()) ? msg : kind + ": " + msg;
    }

    private static final Set<Class<?>> GENERIC = Set.of(java.io.IOException.class, java.io.UncheckedIOException.class,
            RuntimeException.class, Exception.class, IllegalStateException.class, IllegalArgumentException.class);

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s*\\R\\s*", " ").strip();
        return t.length() > 500 ? t.substring(0, 497) + "..." : t;
    }

    private static Target target(Checklist checklist, String name) throws UsageException {
        Map<String, Target> targets = checklist.targets();
        if (name != null) {
            Target t = targets.get(name);
            if (t == null) {
                throw new UsageException("no target '" + name + "' in " + checklist.source()
                        + (targets.isEmpty() ? " (it defines none; use --url)" : "; it has: " + String.join(", ", targets.keySet())));
            }
            return t;
        }
        if (targets.size() == 1) {
            return targets.values().iterator().next();
        }
        if (targets.size() > 1) {
            throw new UsageException(checklist.source() + " has several targets (" + String.join(", ", targets.keySet())
                    + "); choose one with -t/--target");
        }
        return null;
    }

    private static Path repo(Checklist checklist, Target target, Path given, Path workingDir) throws UsageException {
        Path repo;
        if (given != null) {
            repo = given;
        } else if (target != null && target.repo() != null) {
            repo = checklist.baseDir().resolve(target.repo());
        } else {
            repo = workingDir;
        }
        repo = repo.toAbsolutePath().normalize();
        if (!Files.isDirectory(repo)) {
            throw new UsageException("repository directory " + repo + " does not exist");
        }
        return repo;
    }

    private static List<Item> select(Checklist checklist, List<String> only) throws UsageException {
        List<Item> all = checklist.items();
        if (only.isEmpty()) {
            if (all.isEmpty()) {
                throw new UsageException(checklist.source() + " has no items to run");
            }
            return all;
        }
        List<Item> out = new ArrayList<>();
        for (String o : only) {
            // An item id wins over a section title that happens to read the same ("health").
            List<Item> hits = all.stream().filter(i -> i.id().equals(o)).toList();
            if (hits.isEmpty()) {
                hits = all.stream().filter(i -> i.section().equalsIgnoreCase(o)).toList();
            }
            if (hits.isEmpty()) {
                throw new UsageException("--only " + o + " matches no item id or section title in " + checklist.source());
            }
            hits.stream().filter(i -> !out.contains(i)).forEach(out::add);
        }
        out.sort((a, b) -> Integer.compare(all.indexOf(a), all.indexOf(b)));
        return out;
    }
}
