package dev.airworthy.cli;

import dev.airworthy.checklist.Item;
import dev.airworthy.run.ItemResult;
import dev.airworthy.run.Progress;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Set;

/** One status line on stderr, rewritten in place: done/total and what is still running. */
final class TerminalProgress implements Progress, AutoCloseable {
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final Set<String> running = new LinkedHashSet<>();
    private int done;
    private int total;
    private long lastDraw;

    TerminalProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void started(Item item, int total) {
        this.total = total;
        running.add(item.id());
        draw(false);
    }

    @Override
    public synchronized void finished(ItemResult result, int done, int total) {
        this.done = done;
        this.total = total;
        running.remove(result.item().id());
        draw(done == total);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        String names = String.join(", ", running);
        if (names.length() > 60) {
            names = names.substring(0, 57) + "...";
        }
        err.print("\r\u001b[K[" + done + "/" + total + "]" + (running.isEmpty() ? "" : " running: " + names));
        err.flush();
    }

    @Override
    public synchronized void close() {
        err.print("\r\u001b[K");
        err.flush();
    }
}
