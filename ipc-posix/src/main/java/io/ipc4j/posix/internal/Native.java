package io.ipc4j.posix.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place where libc symbols are looked up and downcall handles are made. Handles are
 * created once, lazily (each in its own tiny holder class in the caller, initialised on the
 * handle's first use), and reused.
 *
 * <p>Every handle made with {@link #errnoHandle} takes a leading capture-state segment as its
 * first argument; {@link #errnoBuffer()} hands out one per thread, so no call allocates.
 */
public final class Native {
    /** The platform linker. */
    public static final Linker LINKER = Linker.nativeLinker();
    /** libc's symbols (the linker's default lookup). */
    public static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** C {@code int}. */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** C {@code long} / {@code size_t} / {@code off_t} on LP64. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** C pointer. */
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    private static final ThreadLocal<MemorySegment> ERRNO_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(256, 16));

    private Native() {
    }

    /**
     * A downcall handle whose first parameter is the errno capture segment.
     *
     * @param name    libc symbol
     * @param fd      the C signature (without the capture segment)
     * @param options extra linker options (e.g. first variadic argument)
     * @return the handle
     */
    public static MethodHandle errnoHandle(String name, FunctionDescriptor fd, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), fd, all);
    }

    /**
     * A downcall handle for a function whose failures are not reported through errno.
     *
     * @param name    libc symbol
     * @param fd      the C signature
     * @param options extra linker options
     * @return the handle
     */
    public static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), fd, options);
    }

    /**
     * @param name a libc symbol
     * @return its address
     * @throws UnsatisfiedLinkError when libc lacks it
     */
    public static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** @return this thread's errno capture segment (reused by every call on the thread) */
    public static MemorySegment errnoBuffer() {
        return ERRNO_BUFFER.get();
    }

    /**
     * @param buffer a segment from {@link #errnoBuffer()} after a call
     * @return the errno the call left
     */
    public static int errno(MemorySegment buffer) {
        return (int) ERRNO.get(buffer, 0L);
    }

    /**
     * A per-thread 256-byte scratch buffer for small out-parameters (timespec, stat, statvfs).
     * Valid until the next call on the same thread that uses it.
     *
     * @return the zeroed scratch buffer
     */
    public static MemorySegment scratch() {
        MemorySegment s = SCRATCH.get();
        s.fill((byte) 0);
        return s;
    }

    /**
     * Turns a memory address returned by native code into a segment of the given size, bound to
     * an arena: the restricted operation lives here so only this module needs native access.
     *
     * @param address the address
     * @param size    the number of bytes behind it
     * @param arena   the lifetime
     * @param cleanup run when the arena closes, or null
     * @return the segment
     */
    public static MemorySegment reinterpret(MemorySegment address, long size, Arena arena,
                                            java.util.function.Consumer<MemorySegment> cleanup) {
        return address.reinterpret(size, arena, cleanup);
    }

    /**
     * Sneaky rethrow of what {@code invokeExact} declares, keeping runtime exceptions as they are.
     *
     * @param t the throwable
     * @return never returns normally
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
