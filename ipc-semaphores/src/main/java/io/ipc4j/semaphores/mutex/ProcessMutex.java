package io.ipc4j.semaphores.mutex;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Futex;
import io.ipc4j.posix.PosixProcess;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.semaphores.futex.SharedWord;
import io.ipc4j.semaphores.futex.WaitSlices;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A robust mutual-exclusion lock in shared memory, across processes and threads.
 *
 * <pre>
 *  offset + 0        + 4        + 8                  + 16                 + 24
 *         +----------+----------+---------------------------------+--------------------+
 *         |  owner   | waiters  | owner record: pid (bits 0-21) | | reserved (0)       |
 *         |  tid     |          | start ticks (bits 22-63), 0 = none |                  |
 *         +----------+----------+---------------------------------+--------------------+
 * </pre>
 *
 * <p>The lock word holds the kernel thread id of the holder (0 when free), so threads of one
 * process exclude each other too. Right after winning the word the holder records its process
 * (pid and start time, since pids are reused) in ONE 64-bit word, so a reader never pairs one
 * holder's pid with another's start time; {@link #unlock()} clears that record before releasing
 * the word. A contender that finds the lock held checks, when it starts waiting and after every sleep
 * slice, whether the holder's process is still alive; if it is not, it takes the lock over with a
 * CAS and gets {@link LockResult#OWNER_DIED}. Waiters sleep at most {@link #OWNER_CHECK_NANOS}
 * at a time, so a dead holder is taken over within about 100 ms.
 *
 * <p>Not reentrant. A thread that dies holding the lock inside a process that lives on is not
 * detected (as with Java's own locks). Unlock from the thread that locked.
 */
public final class ProcessMutex {
    /** Bytes used at the offset. */
    public static final int BYTES = 24;
    /** Required alignment. */
    public static final int ALIGNMENT = 8;

    private static final long WAITERS = 4;
    private static final long OWNER_RECORD = 8;
    private static final int PID_BITS = 22;
    private static final long PID_MASK = (1L << PID_BITS) - 1;
    private static final int MAX_TID = 1 << 22; // PID_MAX_LIMIT on 64-bit Linux
    /** Longest single sleep of a waiter before it checks whether the holder died (100 ms). */
    public static final long OWNER_CHECK_NANOS = 100_000_000L;

    private final MemorySegment segment;
    private final long offset;
    private final ThreadLocal<Integer> heldWith = new ThreadLocal<>();

    private ProcessMutex(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
    }

    /**
     * Attaches to a mutex at {@code offset}; zeroed memory is an unlocked mutex.
     *
     * @param segment shared memory, writable
     * @param offset  8-byte aligned offset with {@link #BYTES} bytes available
     * @return the mutex
     * @throws IpcException INVALID_ARGUMENT for a bad offset, CORRUPT for impossible contents
     */
    public static ProcessMutex at(MemorySegment segment, long offset) {
        SharedWord.check("ProcessMutex", segment, offset, BYTES, ALIGNMENT);
        ProcessMutex m = new ProcessMutex(segment, offset);
        int owner = m.ownerTid();
        if (owner < 0 || owner > MAX_TID) {
            throw SharedWord.corrupt("ProcessMutex", "owner thread id", owner);
        }
        int w = (int) SharedWord.INT.getVolatile(segment, offset + WAITERS);
        if (w < 0) {
            throw SharedWord.corrupt("ProcessMutex", "waiter count", w);
        }
        return m;
    }

    /** @return the thread id holding the lock, 0 when free */
    public int ownerTid() {
        return (int) SharedWord.INT.getVolatile(segment, offset);
    }

    /** @return the pid of the process holding the lock, 0 when free or not yet recorded */
    public long ownerPid() {
        return (long) SharedWord.LONG.getVolatile(segment, offset + OWNER_RECORD) & PID_MASK;
    }

    /** @return true when the calling thread holds the lock through this object */
    public boolean isHeldByCurrentThread() {
        Integer tid = heldWith.get();
        return tid != null && ownerTid() == tid;
    }

    /**
     * Takes the lock without waiting (a dead holder is taken over).
     *
     * @return {@link LockResult#ACQUIRED}, {@link LockResult#OWNER_DIED} or {@link LockResult#TIMED_OUT} when held
     */
    public LockResult tryLock() {
        int me = PosixProcess.gettid();
        checkNotHeld(me);
        if (SharedWord.INT.compareAndSet(segment, offset, 0, me)) {
            return won(me, LockResult.ACQUIRED);
        }
        return takeOverIfDead(me);
    }

    /**
     * Takes the lock, waiting as long as needed.
     *
     * @return {@link LockResult#ACQUIRED} or {@link LockResult#OWNER_DIED}
     * @throws InterruptedException when interrupted while waiting
     */
    public LockResult lock() throws InterruptedException {
        return lock(-1, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes the lock, waiting up to the timeout.
     *
     * @param timeout how long at most (negative: forever)
     * @param unit    its unit
     * @return {@link LockResult#ACQUIRED}, {@link LockResult#OWNER_DIED} or {@link LockResult#TIMED_OUT}
     * @throws InterruptedException when interrupted while waiting
     */
    public LockResult lock(long timeout, TimeUnit unit) throws InterruptedException {
        int me = PosixProcess.gettid();
        checkNotHeld(me);
        if (SharedWord.INT.compareAndSet(segment, offset, 0, me)) {
            return won(me, LockResult.ACQUIRED);
        }
        long deadline = WaitSlices.deadline(timeout < 0 ? -1 : unit.toNanos(timeout));
        SharedWord.INT.getAndAdd(segment, offset + WAITERS, 1);
        try {
            boolean checkOwner = true;
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for a ProcessMutex");
                }
                int owner = (int) SharedWord.INT.getVolatile(segment, offset);
                if (owner == 0) {
                    if (SharedWord.INT.compareAndSet(segment, offset, 0, me)) {
                        return won(me, LockResult.ACQUIRED);
                    }
                    continue;
                }
                if (checkOwner) {
                    LockResult r = takeOverIfDead(me);
                    if (r != LockResult.TIMED_OUT) {
                        return r;
                    }
                }
                long slice = Math.min(WaitSlices.next(deadline), OWNER_CHECK_NANOS);
                if (slice == 0) {
                    return LockResult.TIMED_OUT;
                }
                // sleep while the word still names this owner; a full slice without a wake-up
                // means the owner may have died: check it on the next pass
                checkOwner = Futex.await(segment, offset, owner, slice) == Futex.TIMED_OUT;
            }
        } finally {
            SharedWord.INT.getAndAdd(segment, offset + WAITERS, -1);
        }
    }

    /**
     * Releases the lock and wakes one waiter.
     *
     * @throws IllegalMonitorStateException when the calling thread does not hold it
     */
    public void unlock() {
        Integer tid = heldWith.get();
        if (tid == null || ownerTid() != tid) {
            throw new IllegalMonitorStateException("ProcessMutex is not held by this thread (owner tid "
                    + ownerTid() + ")");
        }
        SharedWord.LONG.setVolatile(segment, offset + OWNER_RECORD, 0L);
        heldWith.remove();
        if (!SharedWord.INT.compareAndSet(segment, offset, tid, 0)) {
            throw new IllegalMonitorStateException("ProcessMutex was taken over while held by this thread");
        }
        if ((int) SharedWord.INT.getVolatile(segment, offset + WAITERS) != 0) {
            Futex.wake(segment, offset, 1);
        }
    }

    private void checkNotHeld(int me) {
        Integer tid = heldWith.get();
        if (tid != null && ownerTid() == tid) {
            throw new IllegalStateException("ProcessMutex is not reentrant: this thread already holds it");
        }
    }

    private LockResult won(int me, LockResult result) {
        ProcessIdentity self = ProcessIdentity.current();
        SharedWord.LONG.setVolatile(segment, offset + OWNER_RECORD, record(self));
        heldWith.set(me);
        return result;
    }

    /** @return the holder record of a process: pid in the low 22 bits, start ticks above (never 0) */
    private static long record(ProcessIdentity p) {
        return (p.pid() & PID_MASK) | (p.startTicks() << PID_BITS) | (p.startTicks() == 0 ? 1L << 63 : 0L);
    }

    /**
     * Takes the lock over when its holder is dead; {@link LockResult#TIMED_OUT} when it lives.
     * The holder's process is read from one 64-bit record (pid + start time), so the pair is always
     * one holder's. The taker first clears that exact record (CAS), then CASes the word: a holder
     * that re-locked meanwhile wrote its record again, but then it was alive and never judged dead.
     */
    private LockResult takeOverIfDead(int me) {
        int owner = (int) SharedWord.INT.getVolatile(segment, offset);
        if (owner == 0) {
            return SharedWord.INT.compareAndSet(segment, offset, 0, me) ? won(me, LockResult.ACQUIRED) : LockResult.TIMED_OUT;
        }
        long rec = (long) SharedWord.LONG.getVolatile(segment, offset + OWNER_RECORD);
        if (owner != (int) SharedWord.INT.getVolatile(segment, offset)) {
            return LockResult.TIMED_OUT; // changed hands while we looked
        }
        boolean alive = rec == 0
                // no record: the holder is between winning the word and recording itself (or a
                // taker cleared it): alive while its thread exists
                ? ProcessIdentity.of(owner).isPresent()
                : new ProcessIdentity(rec & PID_MASK, (rec & Long.MAX_VALUE) >>> PID_BITS).isAlive();
        if (alive) {
            return LockResult.TIMED_OUT;
        }
        if (rec != 0 && !SharedWord.LONG.compareAndSet(segment, offset + OWNER_RECORD, rec, 0L)) {
            return LockResult.TIMED_OUT; // another taker is ahead of us, or the record changed
        }
        if (SharedWord.INT.compareAndSet(segment, offset, owner, me)) {
            return won(me, LockResult.OWNER_DIED);
        }
        return LockResult.TIMED_OUT;
    }
}
