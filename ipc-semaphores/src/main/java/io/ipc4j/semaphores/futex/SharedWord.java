package io.ipc4j.semaphores.futex;

import io.ipc4j.IpcException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Validation and atomic access helpers for primitives that sit at an offset in a segment.
 * {@link #INT} is a {@code (MemorySegment, long offset)} var handle for aligned native ints.
 */
public final class SharedWord {
    /** Atomic access to an aligned {@code int}: coordinates {@code (MemorySegment, long)}. */
    public static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** Atomic access to an aligned {@code long}: coordinates {@code (MemorySegment, long)}. */
    public static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private SharedWord() {
    }

    /**
     * Checks that {@code [offset, offset + length)} lies in {@code segment}, that the address is
     * aligned, and that the memory is native and writable.
     *
     * @param what      the primitive's name, for messages
     * @param segment   the memory
     * @param offset    its offset
     * @param length    its byte length
     * @param alignment required alignment of the address
     * @return {@code segment}
     */
    public static MemorySegment check(String what, MemorySegment segment, long offset, long length, int alignment) {
        if (!segment.isNative()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, what + " must live in native (shared) memory");
        }
        if (segment.isReadOnly()) {
            throw new IpcException(IpcException.Reason.PERMISSION_DENIED, what + " needs writable memory; the segment is read-only");
        }
        if (offset < 0 || offset > segment.byteSize() - length) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, what + " at offset " + offset + " needs " + length
                    + " bytes but the segment has " + segment.byteSize());
        }
        if (((segment.address() + offset) & (alignment - 1)) != 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, what + " at offset " + offset
                    + " is not " + alignment + "-byte aligned");
        }
        return segment;
    }

    /**
     * @param what  the primitive's name
     * @param field the field that holds an impossible value
     * @param value the value
     * @return the exception to throw
     */
    public static IpcException corrupt(String what, String field, long value) {
        return new IpcException(IpcException.Reason.CORRUPT, what + ": " + field + " holds " + value
                + ", which no valid state has (wrong offset, or memory overwritten)");
    }
}
