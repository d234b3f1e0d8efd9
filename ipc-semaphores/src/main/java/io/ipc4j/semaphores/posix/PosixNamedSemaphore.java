package io.ipc4j.semaphores.posix;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.OpenFlags;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixSemaphores;
import io.ipc4j.semaphores.futex.WaitSlices;
import io.ipc4j.shm.SegmentName;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A POSIX named semaphore ({@code sem_open}; it appears as {@code /dev/shm/sem.NAME}). Slower than
 * {@link io.ipc4j.semaphores.futex.FutexSemaphore} (glibc's {@code sem_t} is a futex too, plus a
 * mapping per semaphore), but any program that speaks {@code sem_open} can share it.
 *
 * <p>The creator owns it and unlinks the name on {@link #close()} unless {@link #persist()} was
 * called; others only close their handle. Timeouts use {@code CLOCK_MONOTONIC}
 * ({@code sem_clockwait}); waits sleep in slices so {@link Thread#interrupt()} is noticed.
 */
public final class PosixNamedSemaphore implements AutoCloseable {
    private final String name;
    private final MemorySegment sem;
    private volatile boolean owner;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PosixNamedSemaphore(String name, MemorySegment sem, boolean owner) {
        this.name = name;
        this.sem = sem;
        this.owner = owner;
    }

    /**
     * Creates a new semaphore ({@code O_CREAT|O_EXCL}, mode 0600).
     *
     * @param name    a name following {@link SegmentName}'s rules (without {@code sem.} or {@code /})
     * @param permits initial value, &gt;= 0
     * @return the owned semaphore
     * @throws IpcException ALREADY_EXISTS, INVALID_NAME, ...
     */
    public static PosixNamedSemaphore create(String name, int permits) {
        SegmentName.validate(name);
        if (permits < 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "semaphore permits must be >= 0, was " + permits);
        }
        try {
            return new PosixNamedSemaphore(name, PosixSemaphores.open("/" + name,
                    OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600, permits), true);
        } catch (PosixException e) {
            throw new IpcException(e.reason(), "create semaphore '" + name + "': " + e.getMessage(), e.errno(), e);
        }
    }

    /**
     * Opens an existing semaphore.
     *
     * @param name its name
     * @return the semaphore (not owned)
     * @throws IpcException NOT_FOUND when there is none
     */
    public static PosixNamedSemaphore open(String name) {
        SegmentName.validate(name);
        try {
            return new PosixNamedSemaphore(name, PosixSemaphores.open("/" + name, 0, 0, 0), false);
        } catch (PosixException e) {
            String what = e.errno() == Errno.ENOENT ? "semaphore '" + name + "' does not exist" : "open semaphore '" + name + "'";
            throw new IpcException(e.reason(), what + ": " + e.getMessage(), e.errno(), e);
        }
    }

    /**
     * Removes a semaphore's name.
     *
     * @param name its name
     * @return true when removed, false when it did not exist
     */
    public static boolean unlink(String name) {
        SegmentName.validate(name);
        try {
            PosixSemaphores.unlink("/" + name);
            return true;
        } catch (PosixException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw new IpcException(e.reason(), "unlink semaphore '" + name + "': " + e.getMessage(), e.errno(), e);
        }
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** Increments the semaphore, waking a waiter. */
    public void release() {
        checkOpen();
        PosixSemaphores.post(sem);
    }

    /** @return true when decremented without waiting */
    public boolean tryAcquire() {
        checkOpen();
        return PosixSemaphores.tryWait(sem);
    }

    /**
     * Decrements the semaphore, waiting up to the timeout.
     *
     * @param timeout how long at most (negative: forever)
     * @param unit    its unit
     * @return true when decremented, false on timeout
     * @throws InterruptedException when interrupted (noticed within one slice)
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        checkOpen();
        if (PosixSemaphores.tryWait(sem)) {
            return true;
        }
        long deadline = WaitSlices.deadline(timeout < 0 ? -1 : unit.toNanos(timeout));
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting on semaphore '" + name + "'");
            }
            long slice = WaitSlices.next(deadline);
            if (slice == 0) {
                return false;
            }
            if (PosixSemaphores.timedWait(sem, slice) == PosixSemaphores.ACQUIRED) {
                return true;
            }
        }
    }

    /**
     * Decrements the semaphore, waiting as long as needed.
     *
     * @throws InterruptedException when interrupted
     */
    public void acquire() throws InterruptedException {
        tryAcquire(-1, TimeUnit.NANOSECONDS);
    }

    /** @return the current value */
    public int availablePermits() {
        checkOpen();
        return PosixSemaphores.value(sem);
    }

    /**
     * Leaves the name in place after {@link #close()}.
     *
     * @return this
     */
    public PosixNamedSemaphore persist() {
        owner = false;
        return this;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IpcException(IpcException.Reason.CLOSED, "semaphore '" + name + "' is closed");
        }
    }

    /** Closes the handle; the owner also unlinks the name. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            PosixSemaphores.close(sem);
        } finally {
            if (owner) {
                unlink(name);
            }
        }
    }
}
