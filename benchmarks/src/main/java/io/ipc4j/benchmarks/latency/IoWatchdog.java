package io.ipc4j.benchmarks.latency;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Bounds blocking reads that have no timeout of their own (a {@link java.nio.channels.FileChannel}
 * on a FIFO): a daemon thread wakes every {@link #PERIOD_NANOS}, and when a wait announced with
 * {@link #begin(long)} has lasted longer than its limit, or the peer has died while it waits,
 * closes the channel. Closing a {@code FileChannel} unblocks a thread reading it
 * ({@link java.nio.channels.AsynchronousCloseException}); the reader then asks {@link #verdict()}
 * why.
 *
 * <p>The hot path costs two volatile stores and one {@link System#nanoTime()} per wait.
 */
final class IoWatchdog implements AutoCloseable {
    /** How often the watchdog looks. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Why the watchdog closed the channel. */
    enum Verdict {
        /** A wait lasted longer than its limit. */
        TIMED_OUT,
        /** The peer died while we waited. */
        PEER_DEAD
    }

    private final Closeable target;
    private final Peer peer;
    private final Thread thread;
    private volatile long since;
    private volatile long limitNanos;
    private volatile Verdict verdict;
    private volatile boolean stopped;

    /**
     * Starts the watchdog thread.
     *
     * @param name   thread name
     * @param target what to close when a wait must end
     * @param peer   whose death ends a wait
     */
    IoWatchdog(String name, Closeable target, Peer peer) {
        this.target = target;
        this.peer = peer;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::watch);
        thread.start();
    }

    /** Announces a blocking wait of at most {@code limitNanos}. */
    void begin(long limitNanos) {
        this.limitNanos = limitNanos;
        this.since = System.nanoTime();
    }

    /** Announces the end of the wait. */
    void end() {
        since = 0;
    }

    /** @return why the channel was closed, or null when the watchdog did not close it */
    Verdict verdict() {
        return verdict;
    }

    private void watch() {
        while (!stopped) {
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(PERIOD_NANOS));
            } catch (InterruptedException e) {
                return;
            }
            long s = since;
            if (s == 0 || stopped) {
                continue;
            }
            if (System.nanoTime() - s > limitNanos) {
                trip(Verdict.TIMED_OUT);
                return;
            }
            if (!peer.isAlive()) {
                trip(Verdict.PEER_DEAD);
                return;
            }
        }
    }

    private void trip(Verdict why) {
        verdict = why;
        try {
            target.close();
        } catch (IOException ignored) {
            // the reader fails either way
        }
    }

    /** Stops the watchdog (does not close the target). Idempotent. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
