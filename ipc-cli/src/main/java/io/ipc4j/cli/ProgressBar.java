package io.ipc4j.cli;

import io.ipc4j.shm.Bytes;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A progress display for long byte-oriented work (loading, copying), written to stderr.
 *
 * <pre>{@code
 * try (ProgressBar bar = new ProgressBar("load weights", totalBytes)) {
 *     for (...) { copy(chunk); bar.update(done += chunk.length); }
 * }   // close() = finish()
 * }</pre>
 *
 * <p>On a terminal it redraws one line in place ({@code \r}) at most every
 * {@value #REDRAW_INTERVAL_MS} ms; otherwise (a log file, a pipe) it prints a line at each
 * quarter, so logs stay short. Each line shows percent, bytes done / total in binary units,
 * the average rate and the estimated time left.
 *
 * <p>Thread-safe: any number of threads may call {@link #update(long)}; the largest value wins.
 */
public final class ProgressBar implements AutoCloseable {
    /** Minimum time between two redraws on a terminal. */
    public static final long REDRAW_INTERVAL_MS = 100;
    private static final int BAR_WIDTH = 24;
    private static final int QUARTERS = 4;

    private final String label;
    private final long total;
    private final PrintWriter out;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private volatile long lastDrawNanos;
    private volatile int lastQuarter; // written under this
    private int lastLineLength; // guarded by this
    private boolean finished; // guarded by this

    /**
     * A bar on stderr, redrawn in place when stderr is a terminal.
     *
     * @param label what is being done, e.g. {@code "load weights.safetensors"}
     * @param total total bytes (0 or less when unknown: no percent, no ETA)
     */
    public ProgressBar(String label, long total) {
        this(label, total, new PrintWriter(System.err, true), isTerminal(), System::nanoTime);
    }

    /**
     * A bar on any writer.
     *
     * @param label       what is being done
     * @param total       total bytes (0 or less when unknown)
     * @param out         where to write
     * @param interactive redraw one line in place ({@code \r}) instead of printing coarse lines
     * @param nanoClock   time source in nanoseconds (tests pass a fake one)
     */
    public ProgressBar(String label, long total, PrintWriter out, boolean interactive, LongSupplier nanoClock) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos - REDRAW_INTERVAL_MS * 1_000_000;
    }

    /**
     * @return true when this JVM talks to a terminal (the best Java can tell: the console's
     * stdin and stdout; stderr usually goes to the same place)
     */
    public static boolean isTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /**
     * Reports progress. Cheap when nothing needs drawing.
     *
     * @param doneBytes bytes done so far (values smaller than an earlier one are ignored)
     */
    public void update(long doneBytes) {
        long d = done.accumulateAndGet(doneBytes, Math::max);
        long now = nanoClock.getAsLong();
        if (interactive) {
            if (now - lastDrawNanos < REDRAW_INTERVAL_MS * 1_000_000) {
                return;
            }
        } else if (total <= 0 || quarter(d) <= lastQuarter) {
            return;
        }
        synchronized (this) {
            if (finished) {
                return;
            }
            if (interactive) {
                if (now - lastDrawNanos < REDRAW_INTERVAL_MS * 1_000_000) {
                    return;
                }
                lastDrawNanos = now;
                redraw(line(done.get(), now));
            } else {
                int q = quarter(done.get());
                if (q > lastQuarter && q < QUARTERS) { // the 100% line is finish()'s
                    lastQuarter = q;
                    out.println(line(done.get(), now));
                    out.flush();
                }
            }
        }
    }

    /** Draws the final state (100% when the total was reached) and ends the line. Idempotent. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        String line = line(done.get(), nanoClock.getAsLong());
        if (interactive) {
            redraw(line);
            out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Same as {@link #finish()}. */
    @Override
    public void close() {
        finish();
    }

    /** @return bytes done so far */
    public long done() {
        return done.get();
    }

    private int quarter(long d) {
        return total <= 0 ? 0 : (int) Math.min(QUARTERS, d * QUARTERS / total);
    }

    private void redraw(String line) {
        int pad = Math.max(0, lastLineLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLineLength = line.length();
    }

    /** One status line, e.g. {@code "load x [=====>    ]  45%  1.2 GiB / 2.7 GiB  812.4 MiB/s  ETA 0:02"}. */
    String line(long d, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = d / seconds;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total > 0) {
            double fraction = Math.min(1.0, (double) d / total);
            int filled = (int) (fraction * BAR_WIDTH);
            sb.append('[').append("=".repeat(filled));
            if (filled < BAR_WIDTH) {
                sb.append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
            }
            sb.append("] ").append(String.format(Locale.ROOT, "%3d%%", (int) (fraction * 100)))
                    .append("  ").append(Bytes.format(d)).append(" / ").append(Bytes.format(total));
        } else {
            sb.append(Bytes.format(d));
        }
        sb.append("  ").append(Bytes.format((long) rate)).append("/s");
        if (total > 0 && d < total) {
            sb.append("  ETA ").append(d == 0 ? "?" : duration((long) ((total - d) / rate)));
        } else if (total > 0) {
            sb.append("  in ").append(duration((long) seconds));
        }
        return sb.toString();
    }

    private static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
