package io.ipc4j.posix;

import io.ipc4j.posix.internal.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_LONG;
import static io.ipc4j.posix.internal.Native.C_POINTER;

/**
 * Memory mapping: {@code mmap}, {@code munmap}, {@code mprotect}, {@code madvise}. A mapping is
 * returned as a {@link MemorySegment} bound to an {@link Arena}: closing the arena unmaps it,
 * so nothing waits for the garbage collector.
 */
public final class PosixMemory {
    /** Pages may be read. */
    public static final int PROT_READ = 1;
    /** Pages may be written. */
    public static final int PROT_WRITE = 2;
    /** Pages may not be accessed. */
    public static final int PROT_NONE = 0;
    /** Share the mapping with other processes mapping the same object. */
    public static final int MAP_SHARED = 1;
    /** Private copy-on-write mapping. */
    public static final int MAP_PRIVATE = 2;
    /** Do not reserve swap. */
    public static final int MAP_NORESERVE = 0x4000;
    /** Pre-fault the page tables. */
    public static final int MAP_POPULATE = 0x8000;
    /** No special treatment. */
    public static final int MADV_NORMAL = 0;
    /** Expect random access. */
    public static final int MADV_RANDOM = 1;
    /** Expect sequential access. */
    public static final int MADV_SEQUENTIAL = 2;
    /** Expect access soon: read ahead. */
    public static final int MADV_WILLNEED = 3;
    /** Drop the pages (shared mappings: the next access refaults them from the object). */
    public static final int MADV_DONTNEED = 4;
    /** Enable transparent huge pages for the range. */
    public static final int MADV_HUGEPAGE = 14;
    /** Populate (prefault) page tables readable. */
    public static final int MADV_POPULATE_READ = 22;
    /** Populate (prefault) page tables writable. */
    public static final int MADV_POPULATE_WRITE = 23;

    private static final long MAP_FAILED = -1L;

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class Mmap {
        static final MethodHandle H = Native.errnoHandle("mmap", FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG));
    }
    private static final class Munmap {
        static final MethodHandle H = Native.errnoHandle("munmap", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    }
    private static final class Mprotect {
        static final MethodHandle H = Native.errnoHandle("mprotect", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    }
    private static final class Madvise {
        static final MethodHandle H = Native.errnoHandle("madvise", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    }
    private static final int SC_PAGESIZE = 30;

    /** The page size, asked of {@code sysconf} on first use. */
    private static final class PageSize {
        static final long VALUE;

        static {
            MethodHandle sysconf = Native.handle("sysconf", FunctionDescriptor.of(C_LONG, C_INT));
            try {
                VALUE = (long) sysconf.invokeExact(SC_PAGESIZE);
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }
    }

    private PosixMemory() {
    }

    /** @return the system page size in bytes */
    public static long pageSize() {
        return PageSize.VALUE;
    }

    /**
     * Maps {@code size} bytes of {@code fd} from {@code offset}. The returned segment is
     * read-only (in Java as well as in the page tables) unless {@code prot} has
     * {@link #PROT_WRITE}, and is unmapped when {@code arena} closes.
     *
     * @param fd     the descriptor (may be closed after mapping)
     * @param size   bytes to map, &gt; 0
     * @param prot   {@link #PROT_READ} and/or {@link #PROT_WRITE}
     * @param flags  {@link #MAP_SHARED} (and optionally {@link #MAP_POPULATE})
     * @param offset page-aligned offset in the object
     * @param arena  the mapping's lifetime
     * @return the mapped memory
     */
    public static MemorySegment mmap(int fd, long size, int prot, int flags, long offset, Arena arena) {
        if (size <= 0) {
            throw new IllegalArgumentException("mmap size must be > 0, was " + size);
        }
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment addr = (MemorySegment) Mmap.H.invokeExact(err, MemorySegment.NULL, size, prot, flags, fd, offset);
            if (addr.address() == MAP_FAILED) {
                throw new PosixException("mmap", Native.errno(err), "fd " + fd + ", " + size + " bytes");
            }
            final long length = size;
            MemorySegment mapped = Native.reinterpret(addr, size, arena, s -> munmapQuietly(s.address(), length));
            return (prot & PROT_WRITE) == 0 ? mapped.asReadOnly() : mapped;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void munmapQuietly(long address, long size) {
        try {
            int r = (int) Munmap.H.invokeExact(Native.errnoBuffer(), MemorySegment.ofAddress(address), size);
            assert r == 0 : "munmap failed";
        } catch (Throwable t) {
            // an arena cleanup must not throw; munmap of a range we mapped cannot fail
        }
    }

    /**
     * {@code mprotect} over a whole mapped segment (or page-aligned slice of one).
     *
     * @param segment page-aligned mapped memory
     * @param prot    new protection
     */
    public static void mprotect(MemorySegment segment, int prot) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Mprotect.H.invokeExact(err, segment, segment.byteSize(), prot);
            if (r != 0) {
                throw new PosixException("mprotect", Native.errno(err), segment.byteSize() + " bytes");
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code madvise} over a page-aligned mapped range.
     *
     * @param segment page-aligned mapped memory
     * @param advice  one of the {@code MADV_} constants
     */
    public static void madvise(MemorySegment segment, int advice) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Madvise.H.invokeExact(err, segment, segment.byteSize(), advice);
            if (r != 0) {
                throw new PosixException("madvise", Native.errno(err), "advice " + advice + ", " + segment.byteSize() + " bytes");
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
