package io.ipc4j.semaphores.futex;

/**
 * How long one kernel sleep lasts before a waiter wakes to check {@link Thread#interrupted()}.
 * A futex sleep is not ended by {@code Thread.interrupt()}, so this bounds how late an interrupt
 * is noticed; longer slices cost fewer idle wake-ups. Default 1 s, set with
 * {@code -Dipc4j.futex.sliceMillis}.
 *
 * <p>Why 1 s: each wake-up of an idle JVM costs about 0.2 ms of CPU (mostly interpreted code on
 * a path that rarely runs), so 32 idle workers waking every 100 ms burn ~8% of a core; at 1 s
 * they stay under 1% ({@code ipc4j bench idle}).
 */
public final class WaitSlices {
    /** The slice length in nanoseconds. */
    public static final long SLICE_NANOS =
            Math.max(1, Long.getLong("ipc4j.futex.sliceMillis", 1000L)) * 1_000_000L;

    private WaitSlices() {
    }

    /**
     * @param deadline   a {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
     * @return nanoseconds to sleep next: the smaller of one slice and the time left (0 if past)
     */
    public static long next(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return SLICE_NANOS;
        }
        return Math.max(0, Math.min(SLICE_NANOS, deadline - System.nanoTime()));
    }

    /**
     * @param timeoutNanos a relative timeout, negative for none
     * @return the deadline for {@link #next}
     */
    public static long deadline(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long d = now + timeoutNanos;
        return d < now ? Long.MAX_VALUE : d;
    }
}
