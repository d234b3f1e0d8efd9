package io.ipc4j.posix;

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
 * Byte I/O on raw file descriptors: {@code read}, {@code write}, {@code fcntl(F_GETFL/F_SETFL)}
 * and single-descriptor {@code poll}. Meant for non-blocking descriptors (pipes, FIFOs, sockets):
 * {@link #read} and {@link #write} return {@link #WOULD_BLOCK} on {@code EAGAIN} instead of
 * throwing, retry {@code EINTR}, and throw a {@link PosixException} for every other error
 * ({@code EPIPE} becomes reason {@code PEER_CLOSED}: the JVM ignores SIGPIPE, so a write to a pipe
 * without a reader fails with {@code EPIPE} instead of killing the process).
 */
public final class PosixIo {
    /** Returned by {@link #read} and {@link #write} when a non-blocking descriptor is not ready. */
    public static final int WOULD_BLOCK = -1;
    /** errno: no such device or address (a FIFO opened for writing with O_NONBLOCK has no reader). */
    public static final int ENXIO = 6;
    /** {@code fcntl} command: get the file status flags. */
    public static final int F_GETFL = 3;
    /** {@code fcntl} command: set the file status flags. */
    public static final int F_SETFL = 4;
    /** {@code poll} event: data to read (or end of stream). */
    public static final int POLLIN = 0x1;
    /** {@code poll} event: writing will not block. */
    public static final int POLLOUT = 0x4;
    /** {@code poll} event: error condition (e.g. the read end of a pipe went away). */
    public static final int POLLERR = 0x8;
    /** {@code poll} event: hang up (every peer closed). */
    public static final int POLLHUP = 0x10;
    /** {@code poll} event: the descriptor is not open. */
    public static final int POLLNVAL = 0x20;
    /** {@code poll} event: the stream peer shut down its writing half. */
    public static final int POLLRDHUP = 0x2000;

    private static final MethodHandle READ = Native.errnoHandle("read",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle WRITE = Native.errnoHandle("write",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle FCNTL = Native.errnoHandle("fcntl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = Native.errnoHandle("poll",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));

    private PosixIo() {
    }

    /**
     * {@code read(fd, dst, dst.byteSize())}.
     *
     * @param fd  the descriptor
     * @param dst native memory to fill
     * @return bytes read (0 = end of stream), or {@link #WOULD_BLOCK}
     */
    public static long read(int fd, MemorySegment dst) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                long n = (long) READ.invokeExact(err, fd, dst, dst.byteSize());
                if (n >= 0) {
                    return n;
                }
                int e = Native.errno(err);
                if (e == Errno.EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (e != Errno.EINTR) {
                    throw new PosixException("read", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code write(fd, src, src.byteSize())}.
     *
     * @param fd  the descriptor
     * @param src native memory to send
     * @return bytes written (possibly fewer than asked), or {@link #WOULD_BLOCK}
     */
    public static long write(int fd, MemorySegment src) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                long n = (long) WRITE.invokeExact(err, fd, src, src.byteSize());
                if (n >= 0) {
                    return n;
                }
                int e = Native.errno(err);
                if (e == Errno.EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (e != Errno.EINTR) {
                    throw new PosixException("write", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code fcntl(fd, F_GETFL)}.
     *
     * @param fd the descriptor
     * @return its file status flags ({@link OpenFlags})
     */
    public static int getFlags(int fd) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) FCNTL.invokeExact(err, fd, F_GETFL, 0);
            if (r < 0) {
                throw new PosixException("fcntl(F_GETFL)", Native.errno(err), "fd " + fd);
            }
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code fcntl(fd, F_SETFL, flags)}.
     *
     * @param fd    the descriptor
     * @param flags the new file status flags
     */
    public static void setFlags(int fd, int flags) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) FCNTL.invokeExact(err, fd, F_SETFL, flags);
            if (r < 0) {
                throw new PosixException("fcntl(F_SETFL)", Native.errno(err), "fd " + fd);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Turns {@code O_NONBLOCK} on or off.
     *
     * @param fd          the descriptor
     * @param nonBlocking the wanted mode
     */
    public static void setNonBlocking(int fd, boolean nonBlocking) {
        int flags = getFlags(fd);
        int wanted = nonBlocking ? flags | OpenFlags.O_NONBLOCK : flags & ~OpenFlags.O_NONBLOCK;
        if (wanted != flags) {
            setFlags(fd, wanted);
        }
    }

    /**
     * {@code poll} on one descriptor.
     *
     * @param fd            the descriptor
     * @param events        the events to wait for ({@link #POLLIN}, {@link #POLLOUT}, ...)
     * @param timeoutMillis how long to wait: 0 = just look, negative = forever
     * @return the events that happened ({@code revents}); 0 on timeout or when a signal interrupted
     *         the wait (the caller loops anyway)
     */
    public static int poll(int fd, int events, int timeoutMillis) {
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment pfd = Native.scratch();     // struct pollfd { int fd; short events; short revents; }
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) events);
            int r = (int) POLL.invokeExact(err, pfd, 1L, timeoutMillis);
            if (r < 0) {
                int e = Native.errno(err);
                if (e == Errno.EINTR) {
                    return 0;
                }
                throw new PosixException("poll", e, "fd " + fd);
            }
            return r == 0 ? 0 : pfd.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
