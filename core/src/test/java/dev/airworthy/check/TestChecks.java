package dev.airworthy.check;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Small checks for testing the core without HTTP: they do what their parameters say. */
public final class TestChecks {
    private TestChecks() {
    }

    public static CheckRegistry registry() {
        return CheckRegistry.of(List.of(ManualCheck.class, Echo.class, Sleep.class, Spin.class, Barrier.class, Alone.class));
    }

    /** How many {@link Sleep} checks are running right now, and how many have woken up. */
    public static final java.util.concurrent.atomic.AtomicInteger SLEEPING = new java.util.concurrent.atomic.AtomicInteger();
    public static final java.util.concurrent.atomic.AtomicInteger WOKEN = new java.util.concurrent.atomic.AtomicInteger();

    /** An exclusive check: passes only if it runs after {@code after} sleeps woke up, with none running. */
    @CheckInfo(id = "test.alone", title = "Alone", category = Category.OPERATIONS, severity = Severity.HIGH, exclusive = true,
            summary = "Must run alone.", rationale = "r", remediation = "m", example = "- id: a\n  check: test.alone",
            params = @Param(name = "after", type = ParamType.INTEGER, defaultValue = "0", description = "sleeps that must have woken"))
    public static final class Alone implements Check {
        @Override
        public CheckResult run(CheckContext ctx) {
            int others = SLEEPING.get();
            int woken = WOKEN.get();
            return others == 0 && woken >= ctx.params().integer("after") ? CheckResult.of(Status.PASS, "ran alone")
                    : CheckResult.of(Status.FAIL, others + " other checks were running, " + woken + " had finished");
        }
    }

    @CheckInfo(id = "test.echo", title = "Echo", category = Category.OPERATIONS, severity = Severity.MEDIUM,
            summary = "Returns the status it is given.", rationale = "r", remediation = "m",
            example = "- id: e\n  check: test.echo",
            params = {
                @Param(name = "status", defaultValue = "pass", description = "status to return"),
                @Param(name = "message", defaultValue = "echo", description = "message"),
                @Param(name = "evidence", type = ParamType.STRING_LIST, description = "evidence lines"),
                @Param(name = "count", type = ParamType.INTEGER, defaultValue = "1", description = "a number"),
                @Param(name = "ratio", type = ParamType.NUMBER, description = "a float"),
                @Param(name = "flag", type = ParamType.BOOLEAN, defaultValue = "false", description = "a flag"),
                @Param(name = "wait", type = ParamType.DURATION, defaultValue = "10s", description = "a duration"),
                @Param(name = "labels", type = ParamType.MAP, description = "a mapping"),
                @Param(name = "throw", description = "throw an exception with this message"),
                @Param(name = "needed", description = "required when status is 'needs'")
            })
    public static final class Echo implements Check {
        @Override
        public CheckResult run(CheckContext ctx) throws Exception {
            Params p = ctx.params();
            if (p.has("throw")) {
                throw new java.io.IOException(p.string("throw"));
            }
            if (p.string("status").equals("skip")) {
                throw new NotApplicable("nothing to check here");
            }
            return new CheckResult(Status.parse(p.string("status")), p.string("message"), p.list("evidence"),
                    List.of(), java.util.Map.of());
        }

        @Override
        public List<String> validate(Params p) {
            if (Status.parse(p.string("status")) == null && !p.string("status").equals("skip")) {
                return List.of("status '" + p.string("status") + "' is not a status");
            }
            return List.of();
        }
    }

    @CheckInfo(id = "test.sleep", title = "Sleep", category = Category.OPERATIONS, severity = Severity.HIGH,
            summary = "Sleeps, interruptibly.", rationale = "r", remediation = "m", example = "- id: s\n  check: test.sleep",
            params = @Param(name = "for", type = ParamType.DURATION, defaultValue = "60s", description = "how long"))
    public static final class Sleep implements Check {
        @Override
        public CheckResult run(CheckContext ctx) throws InterruptedException {
            SLEEPING.incrementAndGet();
            try {
                Thread.sleep(ctx.params().duration("for").toMillis());
            } finally {
                SLEEPING.decrementAndGet();
            }
            WOKEN.incrementAndGet();
            return CheckResult.of(Status.PASS, "woke up");
        }
    }

    @CheckInfo(id = "test.spin", title = "Spin", category = Category.OPERATIONS, severity = Severity.HIGH,
            summary = "Busy-loops ignoring interrupts.", rationale = "r", remediation = "m", example = "- id: s\n  check: test.spin")
    public static final class Spin implements Check {
        @Override
        public CheckResult run(CheckContext ctx) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long x = 0;
            while (System.nanoTime() < end) {
                x++;
            }
            return CheckResult.of(Status.PASS, "spun " + x);
        }
    }

    /** Passes only if {@link #parties} barrier checks run at the same time. */
    @CheckInfo(id = "test.barrier", title = "Barrier", category = Category.OPERATIONS, severity = Severity.HIGH,
            summary = "Waits for its peers.", rationale = "r", remediation = "m", example = "- id: b\n  check: test.barrier")
    public static final class Barrier implements Check {
        public static volatile CountDownLatch latch = new CountDownLatch(0);

        @Override
        public CheckResult run(CheckContext ctx) throws InterruptedException {
            latch.countDown();
            return latch.await(10, TimeUnit.SECONDS) ? CheckResult.of(Status.PASS, "all peers arrived")
                    : CheckResult.of(Status.FAIL, "peers never arrived: items do not run concurrently");
        }
    }
}
