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
 * Calls that work on any file descriptor (pipe, FIFO, socket, memfd): {@code read}, {@code write},
 * {@code fcntl} (status flags, {@code F_DUPFD_CLOEXEC}) and single-descriptor {@code poll}. This is
 * the one binding of {@code read}, {@code write}, {@code fcntl} and {@code poll} in ipc4j; socket
 * calls are in {@link PosixSockets}, {@code close} in {@link PosixFiles}.
 *
 * <p>errno handling: {@code EINTR} is retried ({@link #poll} with the time that is left);
 * {@code EAGAIN} from {@link #read} and {@link #write} on a non-blocking descriptor is returned as
 * {@link #WOULD_BLOCK} instead of thrown; every other failure throws a {@link PosixException}
 * naming the call ({@code EPIPE} becomes reason {@code PEER_CLOSED}: the JVM ignores SIGPIPE, so a
 * write to a pipe without a reader fails with {@code EPIPE} instead of killing the process).
 * No call allocates.
 */
public final class PosixIo {
    /** Returned by {@link #read} and {@link #write} when a non-blocking descriptor is not ready. */
    public static final int WOULD_BLOCK = -1;
    /** {@code fcntl} command: get the file status flags. */
    public static final int F_GETFL = 3;
    /** {@code fcntl} command: set the file status flags. */
    public static final int F_SETFL = 4;
    private static final int F_DUPFD_CLOEXEC = 1030;

    /** {@code poll} event: data to read (or end of stream, or a connection to accept). */
    public static final int POLLIN = 0x1;
    /** {@code poll} event: writing will not block. */
    public static final int POLLOUT = 0x4;
    /** {@code poll} result: error condition (e.g. the read end of a pipe went away). */
    public static final int POLLERR = 0x8;
    /** {@code poll} result: hang up (every peer closed, or a socket was shut down both ways). */
    public static final int POLLHUP = 0x10;
    /** {@code poll} result: the descriptor is not open. */
    public static final int POLLNVAL = 0x20;
    /** {@code poll} event: the stream peer shut down its writing half. */
    public static final int POLLRDHUP = 0x2000;

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class Read {
        static final MethodHandle H = Native.errnoHandle("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    }
    private static final class Write {
        static final MethodHandle H = Native.errnoHandle("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    }
    private static final class Fcntl {
        static final MethodHandle H = Native.errnoHandle("fcntl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
    }
    private static final class Poll {
        static final MethodHandle H = Native.errnoHandle("poll", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    }

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
                long n = (long) Read.H.invokeExact(err, fd, dst, dst.byteSize());
                if (n >= 0) {
                    return n;
                }
                if (wouldBlock(Native.errno(err), "read", fd)) {
                    return WOULD_BLOCK;
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
                long n = (long) Write.H.invokeExact(err, fd, src, src.byteSize());
                if (n >= 0) {
                    return n;
                }
                if (wouldBlock(Native.errno(err), "write", fd)) {
                    return WOULD_BLOCK;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The errno policy of {@link #read} and {@link #write}.
     *
     * @return true for {@code EAGAIN}, false for {@code EINTR} (call again)
     * @throws PosixException for every other errno
     */
    private static boolean wouldBlock(int errno, String call, int fd) {
        if (errno == Errno.EAGAIN) {
            return true;
        }
        if (errno != Errno.EINTR) {
            throw new PosixException(call, errno, "fd " + fd);
        }
        return false;
    }

    /**
     * {@code fcntl(fd, F_GETFL)}.
     *
     * @param fd the descriptor
     * @return its file status flags ({@link OpenFlags})
     */
    public static int getFlags(int fd) {
        return fcntlOrThrow(fd, F_GETFL, 0, "F_GETFL");
    }

    /**
     * {@code fcntl(fd, F_SETFL, flags)}.
     *
     * @param fd    the descriptor
     * @param flags the new file status flags
     */
    public static void setFlags(int fd, int flags) {
        fcntlOrThrow(fd, F_SETFL, flags, "F_SETFL 0x" + Integer.toHexString(flags));
    }

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC, 0)}: a second descriptor for the same open file, close-on-exec.
     *
     * @param fd the descriptor
     * @return the new descriptor (the lowest free one)
     */
    public static int dup(int fd) {
        return fcntlOrThrow(fd, F_DUPFD_CLOEXEC, 0, "F_DUPFD_CLOEXEC");
    }

    /**
     * {@code fcntl(fd, cmd, arg)} for the integer-argument commands: the one {@code fcntl}
     * binding of the package ({@link PosixShm} seals go through it too).
     *
     * @return the result (&gt;= 0), or minus the errno on failure
     */
    static int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                int r = (int) Fcntl.H.invokeExact(err, fd, cmd, arg);
                if (r >= 0) {
                    return r;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    return -e;
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@link #fcntl} that throws {@code PosixException("fcntl", errno, "fd N, what")} on failure. */
    static int fcntlOrThrow(int fd, int cmd, int arg, String what) {
        int r = fcntl(fd, cmd, arg);
        if (r < 0) {
            throw new PosixException("fcntl", -r, "fd " + fd + ", " + what);
        }
        return r;
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
     * {@code poll} on one descriptor. {@code EINTR} is retried with the time that is left, so 0
     * means the time ran out (never "a signal came").
     *
     * @param fd            the descriptor
     * @param events        the events to wait for ({@link #POLLIN}, {@link #POLLOUT}, {@link #POLLRDHUP})
     * @param timeoutMillis how long to wait: 0 = just look, negative = without limit
     * @return the events that happened ({@code revents}, which may also hold {@link #POLLHUP},
     *         {@link #POLLERR} and {@link #POLLNVAL}); 0 when the time ran out
     */
    public static int poll(int fd, int events, long timeoutMillis) {
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment pfd = Native.scratch();     // struct pollfd { int fd; short events; short revents; }
            long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
            long wait = timeoutMillis;
            while (true) {
                pfd.set(ValueLayout.JAVA_INT, 0, fd);
                pfd.set(ValueLayout.JAVA_SHORT, 4, (short) events);
                pfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                int ms = wait < 0 ? -1 : (int) Math.min(wait, Integer.MAX_VALUE);
                int r = (int) Poll.H.invokeExact(err, pfd, 1L, ms);
                if (r > 0) {
                    return pfd.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
                }
                if (r == 0) {
                    return 0;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new PosixException("poll", e, "fd " + fd);
                }
                if (timeoutMillis > 0) {
                    wait = Math.max(0, (deadline - System.nanoTime() + 999_999) / 1_000_000L);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
