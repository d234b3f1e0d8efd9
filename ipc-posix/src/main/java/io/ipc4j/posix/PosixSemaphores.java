package io.ipc4j.posix;

import io.ipc4j.posix.internal.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_POINTER;

/**
 * POSIX named semaphores ({@code /dev/shm/sem.NAME}): {@code sem_open}, {@code sem_post},
 * {@code sem_trywait}, {@code sem_clockwait} (monotonic timeouts), {@code sem_getvalue},
 * {@code sem_close}, {@code sem_unlink}. A semaphore handle is the {@code sem_t*} address.
 */
public final class PosixSemaphores {
    /** {@link #timedWait}: the semaphore was decremented. */
    public static final int ACQUIRED = 0;
    /** {@link #timedWait}: the timeout elapsed. */
    public static final int TIMED_OUT = 1;
    /** {@link #timedWait}: a signal interrupted the wait. */
    public static final int INTERRUPTED = 2;
    private static final int CLOCK_MONOTONIC = 1;

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class SemOpen {
        static final MethodHandle H = Native.errnoHandle("sem_open", FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
    }
    private static final class SemClose {
        static final MethodHandle H = Native.errnoHandle("sem_close", FunctionDescriptor.of(C_INT, C_POINTER));
    }
    private static final class SemUnlink {
        static final MethodHandle H = Native.errnoHandle("sem_unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    }
    private static final class SemPost {
        static final MethodHandle H = Native.errnoHandle("sem_post", FunctionDescriptor.of(C_INT, C_POINTER));
    }
    private static final class SemTrywait {
        static final MethodHandle H = Native.errnoHandle("sem_trywait", FunctionDescriptor.of(C_INT, C_POINTER));
    }
    private static final class SemClockwait {
        static final MethodHandle H = Native.errnoHandle("sem_clockwait", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER));
    }
    private static final class SemGetvalue {
        static final MethodHandle H = Native.errnoHandle("sem_getvalue", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }
    private static final class ClockGettime {
        static final MethodHandle H = Native.errnoHandle("clock_gettime", FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    }

    private PosixSemaphores() {
    }

    /**
     * {@code sem_open(name, flags, mode, value)}.
     *
     * @param name  POSIX name starting with {@code /}
     * @param flags 0, {@code O_CREAT} or {@code O_CREAT|O_EXCL}
     * @param mode  permission bits when creating
     * @param value initial value when creating
     * @return the {@code sem_t*}
     */
    public static MemorySegment open(String name, int flags, int mode, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment sem = (MemorySegment) SemOpen.H.invokeExact(err, a.allocateFrom(name), flags, mode, value);
            if (sem.address() == 0L) {
                throw new PosixException("sem_open", Native.errno(err), name);
            }
            return sem;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code sem_close(sem)}.
     *
     * @param sem a handle from {@link #open}
     */
    public static void close(MemorySegment sem) {
        call(SemClose.H, "sem_close", sem);
    }

    /**
     * {@code sem_unlink(name)}.
     *
     * @param name POSIX name starting with {@code /}
     */
    public static void unlink(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) SemUnlink.H.invokeExact(err, a.allocateFrom(name));
            if (r != 0) {
                throw new PosixException("sem_unlink", Native.errno(err), name);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code sem_post(sem)}.
     *
     * @param sem a handle from {@link #open}
     */
    public static void post(MemorySegment sem) {
        call(SemPost.H, "sem_post", sem);
    }

    /**
     * {@code sem_trywait(sem)}.
     *
     * @param sem a handle from {@link #open}
     * @return true when decremented, false when the value was 0
     */
    public static boolean tryWait(MemorySegment sem) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                int r = (int) SemTrywait.H.invokeExact(err, sem);
                if (r == 0) {
                    return true;
                }
                int e = Native.errno(err);
                if (e == Errno.EAGAIN) {
                    return false;
                }
                if (e != Errno.EINTR) {
                    throw new PosixException("sem_trywait", e, null);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code sem_clockwait(sem, CLOCK_MONOTONIC, now + timeout)}.
     *
     * @param sem          a handle from {@link #open}
     * @param timeoutNanos relative timeout
     * @return {@link #ACQUIRED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}
     */
    public static int timedWait(MemorySegment sem, long timeoutNanos) {
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment ts = Native.scratch();
            int r = (int) ClockGettime.H.invokeExact(err, CLOCK_MONOTONIC, ts);
            if (r != 0) {
                throw new PosixException("clock_gettime", Native.errno(err), null);
            }
            long nanos = ts.get(ValueLayout.JAVA_LONG, 8) + Math.max(0, timeoutNanos);
            ts.set(ValueLayout.JAVA_LONG, 0, ts.get(ValueLayout.JAVA_LONG, 0) + nanos / 1_000_000_000L);
            ts.set(ValueLayout.JAVA_LONG, 8, nanos % 1_000_000_000L);
            r = (int) SemClockwait.H.invokeExact(err, sem, CLOCK_MONOTONIC, ts);
            if (r == 0) {
                return ACQUIRED;
            }
            int e = Native.errno(err);
            return switch (e) {
                case Errno.ETIMEDOUT -> TIMED_OUT;
                case Errno.EINTR -> INTERRUPTED;
                default -> throw new PosixException("sem_clockwait", e, null);
            };
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code sem_getvalue(sem)}.
     *
     * @param sem a handle from {@link #open}
     * @return the current value
     */
    public static int value(MemorySegment sem) {
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment out = Native.scratch();
            int r = (int) SemGetvalue.H.invokeExact(err, sem, out);
            if (r != 0) {
                throw new PosixException("sem_getvalue", Native.errno(err), null);
            }
            return out.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void call(MethodHandle h, String name, MemorySegment sem) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) h.invokeExact(err, sem);
            if (r != 0) {
                throw new PosixException(name, Native.errno(err), null);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
