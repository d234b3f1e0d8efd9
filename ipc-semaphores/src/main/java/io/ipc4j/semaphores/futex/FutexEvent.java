package io.ipc4j.semaphores.futex;

import io.ipc4j.posix.Futex;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A doorbell (eventcount) in shared memory: waiters sleep until its sequence moves past the value
 * they saw; {@link #signal()} moves it and wakes them. Works across processes.
 *
 * <pre>
 *  offset + 0        + 4        + 8
 *         +----------+----------+
 *         | sequence | waiters  |     two 32-bit words, 8-byte aligned;
 *         +----------+----------+     give each event its own 64-byte line
 * </pre>
 *
 * <p>Protocol: a consumer reads {@link #sequence()}, checks for work, and only then calls
 * {@link #await(int, long, TimeUnit)} with the value it read, so a signal sent after the read is
 * never missed. The consumer announces itself in {@code waiters} before sleeping; {@code signal()}
 * increments the sequence (a full fence) and calls {@code futex(FUTEX_WAKE)} only when
 * {@code waiters} is non-zero: with nobody asleep, a signal is one atomic add and one load.
 *
 * <p>Zeroed memory is a valid initial state.
 */
public final class FutexEvent {
    /** Bytes used at the offset. */
    public static final int BYTES = 8;
    /** Required alignment of the offset's address. */
    public static final int ALIGNMENT = 8;
    /** Suggested spacing between events to keep each on its own cache line. */
    public static final int PADDED_BYTES = 64;

    private static final long WAITERS = 4;

    private final MemorySegment segment;
    private final long offset;

    private FutexEvent(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    /**
     * Attaches to an event at {@code offset} (zeroed memory is a fresh event).
     *
     * @param segment shared memory, writable
     * @param offset  8-byte aligned offset with {@link #BYTES} bytes available
     * @return the event
     * @throws io.ipc4j.IpcException INVALID_ARGUMENT for a bad offset, CORRUPT if the waiter count is negative
     */
    public static FutexEvent at(MemorySegment segment, long offset) {
        SharedWord.check("FutexEvent", segment, offset, BYTES, ALIGNMENT);
        FutexEvent e = new FutexEvent(segment, offset);
        int w = e.waiters();
        if (w < 0) {
            throw SharedWord.corrupt("FutexEvent", "waiter count", w);
        }
        return e;
    }

    /** @return the current sequence (acquire) */
    public int sequence() {
        return (int) SharedWord.INT.getAcquire(segment, offset);
    }

    /** @return how many threads are in {@link #await} right now */
    public int waiters() {
        return (int) SharedWord.INT.getVolatile(segment, offset + WAITERS);
    }

    /**
     * Advances the sequence and wakes every sleeper. No system call when nobody sleeps.
     *
     * @return the number of sleepers woken (0 without a system call when there were none)
     */
    public int signal() {
        SharedWord.INT.getAndAdd(segment, offset, 1);
        if ((int) SharedWord.INT.getVolatile(segment, offset + WAITERS) != 0) {
            return Futex.wake(segment, offset, Integer.MAX_VALUE);
        }
        return 0;
    }

    /**
     * Sleeps until the sequence differs from {@code expected} or the timeout passes.
     *
     * @param expected the sequence read before checking for work
     * @param timeout  how long at most (negative: forever)
     * @param unit     its unit
     * @return true when the sequence moved, false on timeout
     * @throws InterruptedException when interrupted (noticed within {@link WaitSlices#SLICE_NANOS})
     */
    public boolean await(int expected, long timeout, TimeUnit unit) throws InterruptedException {
        if (sequence() != expected) {
            return true;
        }
        long deadline = WaitSlices.deadline(timeout < 0 ? -1 : unit.toNanos(timeout));
        int before = (int) SharedWord.INT.getAndAdd(segment, offset + WAITERS, 1);
        if (before < 0) {
            SharedWord.INT.getAndAdd(segment, offset + WAITERS, -1);
            throw SharedWord.corrupt("FutexEvent", "waiter count", before);
        }
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting on a FutexEvent");
                }
                if ((int) SharedWord.INT.getVolatile(segment, offset) != expected) {
                    return true;
                }
                long slice = WaitSlices.next(deadline);
                if (slice == 0) {
                    return false;
                }
                Futex.await(segment, offset, expected, slice);
            }
        } finally {
            SharedWord.INT.getAndAdd(segment, offset + WAITERS, -1);
        }
    }

    /**
     * Sleeps until the sequence differs from {@code expected}.
     *
     * @param expected the sequence read before checking for work
     * @throws InterruptedException when interrupted
     */
    public void await(int expected) throws InterruptedException {
        await(expected, -1, TimeUnit.NANOSECONDS);
    }

    /** @return the memory holding the event */
    public MemorySegment segment() {
        return segment;
    }

    /** @return its offset */
    public long offset() {
        return offset;
    }
}
