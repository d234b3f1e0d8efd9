package io.ipc4j.posix;

import io.ipc4j.posix.internal.Arch;
import io.ipc4j.posix.internal.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_LONG;
import static io.ipc4j.posix.internal.Native.C_POINTER;

/**
 * Process-shared futexes ({@code syscall(SYS_futex, ...)} without {@code FUTEX_PRIVATE_FLAG}):
 * a 32-bit word in shared memory that threads of any process mapping it can sleep on.
 *
 * <p>A hot path: results are status codes, not exceptions.
 */
public final class Futex {
    /** {@link #await}: woken by {@link #wake} (or spuriously: re-check the word). */
    public static final int WOKEN = 0;
    /** {@link #await}: the word did not hold the expected value, so it did not sleep. */
    public static final int VALUE_CHANGED = 1;
    /** {@link #await}: the timeout elapsed. */
    public static final int TIMED_OUT = 2;
    /** {@link #await}: a signal interrupted the sleep. */
    public static final int INTERRUPTED = 3;

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class Syscall {
        static final MethodHandle H = Native.errnoHandle("syscall", FunctionDescriptor.of(C_LONG, C_LONG, C_POINTER, C_INT, C_INT, C_POINTER, C_POINTER, C_INT), Linker.Option.firstVariadicArg(1));
    }

    private Futex() {
    }

    /**
     * Sleeps while the 4-byte-aligned word at {@code offset} holds {@code expected}.
     *
     * @param segment      shared memory holding the word
     * @param offset       the word's offset, a multiple of 4
     * @param expected     the value seen before deciding to sleep
     * @param timeoutNanos relative timeout (monotonic), or a negative value to wait forever
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}
     */
    public static int await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        MemorySegment word = wordAt(segment, offset);
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment ts = MemorySegment.NULL;
            if (timeoutNanos >= 0) {
                ts = Native.scratch();
                ts.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
                ts.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            }
            long r = (long) Syscall.H.invokeExact(err, Arch.SYS_FUTEX, word, FUTEX_WAIT, expected, ts,
                    MemorySegment.NULL, 0);
            if (r == 0) {
                return WOKEN;
            }
            int e = Native.errno(err);
            return switch (e) {
                case Errno.EAGAIN -> VALUE_CHANGED;
                case Errno.ETIMEDOUT -> TIMED_OUT;
                case Errno.EINTR -> INTERRUPTED;
                default -> throw new PosixException("futex(FUTEX_WAIT)", e, "offset " + offset);
            };
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Wakes up to {@code count} sleepers on the word at {@code offset}.
     *
     * @param segment shared memory holding the word
     * @param offset  the word's offset, a multiple of 4
     * @param count   how many to wake ({@link Integer#MAX_VALUE} for all)
     * @return how many were woken
     */
    public static int wake(MemorySegment segment, long offset, int count) {
        MemorySegment word = wordAt(segment, offset);
        try {
            MemorySegment err = Native.errnoBuffer();
            long r = (long) Syscall.H.invokeExact(err, Arch.SYS_FUTEX, word, FUTEX_WAKE, count, MemorySegment.NULL,
                    MemorySegment.NULL, 0);
            if (r < 0) {
                throw new PosixException("futex(FUTEX_WAKE)", Native.errno(err), "offset " + offset);
            }
            return (int) r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static MemorySegment wordAt(MemorySegment segment, long offset) {
        if (offset < 0 || offset + 4 > segment.byteSize()) {
            throw new IndexOutOfBoundsException("futex word at " + offset + " outside segment of " + segment.byteSize() + " bytes");
        }
        MemorySegment word = segment.asSlice(offset, 4);
        if ((word.address() & 3) != 0) {
            throw new IllegalArgumentException("futex word at offset " + offset + " is not 4-byte aligned");
        }
        if (!word.isNative()) {
            throw new IllegalArgumentException("futex word must be in native (shared) memory");
        }
        return word;
    }
}
