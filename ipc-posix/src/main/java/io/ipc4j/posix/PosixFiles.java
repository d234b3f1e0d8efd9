package io.ipc4j.posix;

import io.ipc4j.posix.internal.Arch;
import io.ipc4j.posix.internal.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_LONG;
import static io.ipc4j.posix.internal.Native.C_POINTER;

/**
 * File-descriptor calls: {@code open}, {@code close}, {@code ftruncate}, {@code fallocate},
 * {@code posix_fallocate}, {@code fstat}, {@code fstatvfs}, {@code mkfifo}, {@code unlink},
 * {@code renameat2}. Each failure throws a {@link PosixException} naming the call and errno;
 * {@code EINTR} is retried where the call is restartable.
 */
public final class PosixFiles {
    /** {@code fallocate} mode: keep the file size (reserve only). */
    public static final int FALLOC_FL_KEEP_SIZE = 1;
    /** {@code renameat2} flag: fail with EEXIST instead of replacing the target. */
    public static final int RENAME_NOREPLACE = 1;
    private static final int AT_FDCWD = -100;

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class Open {
        static final MethodHandle H = Native.errnoHandle("open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
    }
    private static final class Close {
        static final MethodHandle H = Native.errnoHandle("close", FunctionDescriptor.of(C_INT, C_INT));
    }
    private static final class Ftruncate {
        static final MethodHandle H = Native.errnoHandle("ftruncate", FunctionDescriptor.of(C_INT, C_INT, C_LONG));
    }
    private static final class Fallocate {
        static final MethodHandle H = Native.errnoHandle("fallocate", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_LONG, C_LONG));
    }
    private static final class PosixFallocate {
        static final MethodHandle H = Native.handle("posix_fallocate", FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG));
    }
    private static final class Fstat {
        static final MethodHandle H = Native.errnoHandle("fstat", FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    }
    private static final class Fstatvfs {
        static final MethodHandle H = Native.errnoHandle("fstatvfs", FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    }
    private static final class Statvfs {
        static final MethodHandle H = Native.errnoHandle("statvfs", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }
    private static final class Mkfifo {
        static final MethodHandle H = Native.errnoHandle("mkfifo", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    }
    private static final class Unlink {
        static final MethodHandle H = Native.errnoHandle("unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    }
    private static final class Renameat2 {
        static final MethodHandle H = Native.errnoHandle("renameat2", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT));
    }

    private PosixFiles() {
    }

    /**
     * {@code open(path, flags, mode)}.
     *
     * @param path  file path
     * @param flags {@link OpenFlags} ored together
     * @param mode  permission bits used when creating
     * @return the file descriptor
     */
    public static int open(String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment p = a.allocateFrom(path);
            while (true) {
                int fd = (int) Open.H.invokeExact(err, p, flags, mode);
                if (fd >= 0) {
                    return fd;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new PosixException("open", e, path);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code close(fd)}; EINTR is not retried (Linux has released the descriptor already).
     *
     * @param fd the descriptor
     */
    public static void close(int fd) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Close.H.invokeExact(err, fd);
            if (r != 0 && Native.errno(err) != Errno.EINTR) {
                throw new PosixException("close", Native.errno(err), "fd " + fd);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code ftruncate(fd, length)}.
     *
     * @param fd     the descriptor
     * @param length the new size in bytes
     */
    public static void ftruncate(int fd, long length) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                int r = (int) Ftruncate.H.invokeExact(err, fd, length);
                if (r == 0) {
                    return;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new PosixException("ftruncate", e, "fd " + fd + ", " + length + " bytes");
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code fallocate(fd, mode, offset, length)}: reserves blocks so later writes through a
     * mapping cannot fail with SIGBUS on a full file system.
     *
     * @param fd     the descriptor
     * @param mode   0 or {@link #FALLOC_FL_KEEP_SIZE}
     * @param offset first byte
     * @param length number of bytes
     */
    public static void fallocate(int fd, int mode, long offset, long length) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                int r = (int) Fallocate.H.invokeExact(err, fd, mode, offset, length);
                if (r == 0) {
                    return;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new PosixException("fallocate", e, "fd " + fd + ", " + length + " bytes at " + offset);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code posix_fallocate(fd, offset, length)} (returns its error directly, not via errno).
     *
     * @param fd     the descriptor
     * @param offset first byte
     * @param length number of bytes
     */
    public static void posixFallocate(int fd, long offset, long length) {
        try {
            while (true) {
                int r = (int) PosixFallocate.H.invokeExact(fd, offset, length);
                if (r == 0) {
                    return;
                }
                if (r != Errno.EINTR) {
                    throw new PosixException("posix_fallocate", r, "fd " + fd + ", " + length + " bytes at " + offset);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code fstat(fd)}.
     *
     * @param fd the descriptor
     * @return size, mode, owner and allocation
     */
    public static FileStat fstat(int fd) {
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment st = Native.scratch();
            int r = (int) Fstat.H.invokeExact(err, fd, st);
            if (r != 0) {
                throw new PosixException("fstat", Native.errno(err), "fd " + fd);
            }
            return new FileStat(
                    st.get(ValueLayout.JAVA_LONG, Arch.STAT_SIZE_OFFSET),
                    st.get(ValueLayout.JAVA_INT, Arch.STAT_MODE_OFFSET),
                    st.get(ValueLayout.JAVA_INT, Arch.STAT_UID_OFFSET),
                    st.get(ValueLayout.JAVA_LONG, Arch.STAT_BLOCKS_OFFSET) * 512L,
                    st.get(ValueLayout.JAVA_LONG, Arch.STAT_MTIME_OFFSET));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code fstatvfs(fd)}: the free space of the file system holding {@code fd}.
     *
     * @param fd the descriptor
     * @return block size, total and available bytes
     */
    public static FsStat fstatvfs(int fd) {
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment st = Native.scratch();
            int r = (int) Fstatvfs.H.invokeExact(err, fd, st);
            if (r != 0) {
                throw new PosixException("fstatvfs", Native.errno(err), "fd " + fd);
            }
            return fsStat(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code statvfs(path)}.
     *
     * @param path any path on the file system
     * @return block size, total and available bytes
     */
    public static FsStat statvfs(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment st = Native.scratch();
            int r = (int) Statvfs.H.invokeExact(err, a.allocateFrom(path), st);
            if (r != 0) {
                throw new PosixException("statvfs", Native.errno(err), path);
            }
            return fsStat(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // struct statvfs (LP64): f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, ... (unsigned long each)
    private static FsStat fsStat(MemorySegment st) {
        long frsize = st.get(ValueLayout.JAVA_LONG, 8);
        long blocks = st.get(ValueLayout.JAVA_LONG, 16);
        long bavail = st.get(ValueLayout.JAVA_LONG, 32);
        return new FsStat(frsize, blocks * frsize, bavail * frsize);
    }

    /**
     * {@code mkfifo(path, mode)}.
     *
     * @param path the FIFO's path
     * @param mode permission bits (e.g. 0600)
     */
    public static void mkfifo(String path, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Mkfifo.H.invokeExact(err, a.allocateFrom(path), mode);
            if (r != 0) {
                throw new PosixException("mkfifo", Native.errno(err), path);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code unlink(path)}.
     *
     * @param path the path
     */
    public static void unlink(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Unlink.H.invokeExact(err, a.allocateFrom(path));
            if (r != 0) {
                throw new PosixException("unlink", Native.errno(err), path);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code renameat2(AT_FDCWD, from, AT_FDCWD, to, flags)}: with {@link #RENAME_NOREPLACE} an
     * atomic publish that never replaces an existing name (EEXIST instead).
     *
     * @param from  current path
     * @param to    new path
     * @param flags 0 or {@link #RENAME_NOREPLACE}
     */
    public static void rename(String from, String to, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Renameat2.H.invokeExact(err, AT_FDCWD, a.allocateFrom(from), AT_FDCWD, a.allocateFrom(to), flags);
            if (r != 0) {
                throw new PosixException("renameat2", Native.errno(err), from + " -> " + to);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
