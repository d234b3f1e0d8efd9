package io.ipc4j.semaphores.futex;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Futex;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore in shared memory, usable by any process that maps it.
 *
 * <pre>
 *  offset + 0        + 4        + 8
 *         +----------+----------+
 *         |  count   | waiters  |     count &gt;= 0 always; 8-byte aligned
 *         +----------+----------+
 * </pre>
 *
 * <p>{@link #tryAcquire()} is a CAS loop; a waiter registers in {@code waiters} and sleeps on the
 * count word while it is 0. {@link #release(int)} adds to the count and wakes at most that many
 * sleepers, with no system call when none sleep.
 */
public final class FutexSemaphore {
    /** Bytes used at the offset. */
    public static final int BYTES = 8;
    /** Required alignment. */
    public static final int ALIGNMENT = 8;

    private static final long WAITERS = 4;

    private final MemorySegment segment;
    private final long offset;

    private FutexSemaphore(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    /**
     * Attaches to a semaphore whose state is already in memory (zeroed memory = count 0).
     *
     * @param segment shared memory, writable
     * @param offset  8-byte aligned offset
     * @return the semaphore
     * @throws IpcException INVALID_ARGUMENT for a bad offset, CORRUPT for a negative count or waiter count
     */
    public static FutexSemaphore at(MemorySegment segment, long offset) {
        SharedWord.check("FutexSemaphore", segment, offset, BYTES, ALIGNMENT);
        FutexSemaphore s = new FutexSemaphore(segment, offset);
        s.checkState();
        return s;
    }

    /**
     * Writes a fresh semaphore with {@code permits} (do this once, before other processes attach).
     *
     * @param segment shared memory, writable
     * @param offset  8-byte aligned offset
     * @param permits initial count, &gt;= 0
     * @return the semaphore
     */
    public static FutexSemaphore initialize(MemorySegment segment, long offset, int permits) {
        SharedWord.check("FutexSemaphore", segment, offset, BYTES, ALIGNMENT);
        if (permits < 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "FutexSemaphore permits must be >= 0, was " + permits);
        }
        SharedWord.INT.setVolatile(segment, offset + WAITERS, 0);
        SharedWord.INT.setRelease(segment, offset, permits);
        return new FutexSemaphore(segment, offset);
    }

    private void checkState() {
        int c = availablePermits();
        if (c < 0) {
            throw SharedWord.corrupt("FutexSemaphore", "count", c);
        }
        int w = (int) SharedWord.INT.getVolatile(segment, offset + WAITERS);
        if (w < 0) {
            throw SharedWord.corrupt("FutexSemaphore", "waiter count", w);
        }
    }

    /** @return the current count */
    public int availablePermits() {
        return (int) SharedWord.INT.getVolatile(segment, offset);
    }

    /** @return true when a permit was taken without waiting */
    public boolean tryAcquire() {
        int c;
        while ((c = (int) SharedWord.INT.getVolatile(segment, offset)) > 0) {
            if (SharedWord.INT.compareAndSet(segment, offset, c, c - 1)) {
                return true;
            }
        }
        if (c < 0) {
            throw SharedWord.corrupt("FutexSemaphore", "count", c);
        }
        return false;
    }

    /**
     * Takes a permit, waiting up to the timeout.
     *
     * @param timeout how long at most (negative: forever)
     * @param unit    its unit
     * @return true when a permit was taken, false on timeout
     * @throws InterruptedException when interrupted (noticed within one {@link WaitSlices slice})
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        if (tryAcquire()) {
            return true;
        }
        long deadline = WaitSlices.deadline(timeout < 0 ? -1 : unit.toNanos(timeout));
        SharedWord.INT.getAndAdd(segment, offset + WAITERS, 1);
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while acquiring a FutexSemaphore");
                }
                if (tryAcquire()) {
                    return true;
                }
                long slice = WaitSlices.next(deadline);
                if (slice == 0) {
                    return false;
                }
                Futex.await(segment, offset, 0, slice);
            }
        } finally {
            SharedWord.INT.getAndAdd(segment, offset + WAITERS, -1);
        }
    }

    /**
     * Takes a permit, waiting as long as needed.
     *
     * @throws InterruptedException when interrupted
     */
    public void acquire() throws InterruptedException {
        tryAcquire(-1, TimeUnit.NANOSECONDS);
    }

    /** Returns one permit. */
    public void release() {
        release(1);
    }

    /**
     * Returns {@code n} permits and wakes up to {@code n} sleepers.
     *
     * @param n permits to add, &gt; 0
     * @throws IpcException INVALID_ARGUMENT when the count would overflow
     */
    public void release(int n) {
        if (n <= 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "release count must be > 0, was " + n);
        }
        int c;
        do {
            c = (int) SharedWord.INT.getVolatile(segment, offset);
            if (c < 0) {
                throw SharedWord.corrupt("FutexSemaphore", "count", c);
            }
            if (c > Integer.MAX_VALUE - n) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "FutexSemaphore count " + c + " + " + n + " overflows");
            }
        } while (!SharedWord.INT.compareAndSet(segment, offset, c, c + n));
        if ((int) SharedWord.INT.getVolatile(segment, offset + WAITERS) != 0) {
            Futex.wake(segment, offset, n);
        }
    }
}
