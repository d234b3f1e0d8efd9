package io.ipc4j.posix;

import io.ipc4j.IpcException;
import io.ipc4j.posix.internal.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_POINTER;

/**
 * Stream Unix domain sockets through libc, for what Java NIO cannot do: Linux
 * <em>abstract</em> addresses ({@code @name}: no file, the name vanishes with the last socket
 * bound to it; {@code java.net.UnixDomainSocketAddress} rejects the leading NUL), exact errno
 * values on connect (stale-socket detection), and {@code SO_PEERCRED} with the peer's pid.
 *
 * <p>Addresses are strings: {@code "@name"} is the abstract name {@code name}, anything else is
 * a file system path. Either form holds at most {@link #MAX_ADDRESS_BYTES} bytes (UTF-8, without
 * the {@code @}). Every descriptor returned here is close-on-exec and non-blocking; pair it with
 * {@link PosixIo#poll} (or {@link FdChannel}) to wait.
 */
public final class UnixDomainSockets {
    /** The longest name or path that fits {@code sockaddr_un.sun_path} (108 bytes with a NUL). */
    public static final int MAX_ADDRESS_BYTES = 107;

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = OpenFlags.O_NONBLOCK;
    private static final int SOCK_CLOEXEC = OpenFlags.O_CLOEXEC;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final long SOCKADDR_UN_SIZE = 110;
    private static final int ECONNABORTED = 103;

    private static final MethodHandle SOCKET = Native.errnoHandle("socket",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final MethodHandle BIND = Native.errnoHandle("bind",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle LISTEN = Native.errnoHandle("listen",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle ACCEPT4 = Native.errnoHandle("accept4",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT));
    private static final MethodHandle CONNECT = Native.errnoHandle("connect",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle GETSOCKOPT = Native.errnoHandle("getsockopt",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));

    /**
     * The credentials the kernel recorded for the peer process when the connection was made.
     *
     * @param pid the peer's process id
     * @param uid its effective user id
     * @param gid its effective group id
     */
    public record PeerCredentials(int pid, int uid, int gid) {
    }

    private UnixDomainSockets() {
    }

    /**
     * {@code socket + bind + listen}.
     *
     * @param address {@code "@name"} or a path
     * @param backlog the accept queue length
     * @return the listening descriptor (non-blocking)
     * @throws PosixException with {@code EADDRINUSE} (reason OS_ERROR) when the address is taken
     */
    public static int listen(String address, int backlog) {
        int fd = socket();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment sa = a.allocate(SOCKADDR_UN_SIZE, 8);
            int len = sockaddr(address, sa);
            if ((int) BIND.invokeExact(err, fd, sa, len) != 0) {
                throw new PosixException("bind", Native.errno(err), address);
            }
            if ((int) LISTEN.invokeExact(err, fd, backlog) != 0) {
                throw new PosixException("listen", Native.errno(err), address);
            }
            return fd;
        } catch (Throwable t) {
            PosixFiles.close(fd);
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)}.
     *
     * @param listenFd a descriptor from {@link #listen}
     * @return the connected descriptor (non-blocking), or {@link PosixIo#WOULD_BLOCK} when no
     *         connection is waiting
     */
    public static int accept(int listenFd) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                int fd = (int) ACCEPT4.invokeExact(err, listenFd, MemorySegment.NULL, MemorySegment.NULL,
                        SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd >= 0) {
                    return fd;
                }
                int e = Native.errno(err);
                if (e == Errno.EAGAIN) {
                    return PosixIo.WOULD_BLOCK;
                }
                if (e != Errno.EINTR && e != ECONNABORTED) {     // a connection that died in the queue: take the next
                    throw new PosixException("accept4", e, "fd " + listenFd);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code socket + connect}, non-blocking: a Unix stream connect completes at once or fails,
     * it never blocks; when the server's accept queue is full it fails with {@code EAGAIN}
     * (someone is listening, but busy) instead of waiting.
     *
     * @param address {@code "@name"} or a path
     * @return the connected descriptor (non-blocking)
     * @throws PosixException {@code ECONNREFUSED} (nobody listens: a stale socket file or an
     *                        unused abstract name), {@code ENOENT} (no such path),
     *                        {@code EAGAIN} (accept queue full), ...
     */
    public static int connect(String address) {
        int fd = socket();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment sa = a.allocate(SOCKADDR_UN_SIZE, 8);
            int len = sockaddr(address, sa);
            while ((int) CONNECT.invokeExact(err, fd, sa, len) != 0) {
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new PosixException("connect", e, address);
                }
            }
            return fd;
        } catch (Throwable t) {
            PosixFiles.close(fd);
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code getsockopt(SO_PEERCRED)}.
     *
     * @param fd a connected Unix domain socket
     * @return the peer's pid, uid and gid as recorded at connect time
     */
    public static PeerCredentials peerCredentials(int fd) {
        try {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment s = Native.scratch();          // struct ucred at 0 (12 bytes), socklen_t at 16
            s.set(ValueLayout.JAVA_INT, 16, 12);
            int r = (int) GETSOCKOPT.invokeExact(err, fd, SOL_SOCKET, SO_PEERCRED, s, s.asSlice(16));
            if (r != 0) {
                throw new PosixException("getsockopt(SO_PEERCRED)", Native.errno(err), "fd " + fd);
            }
            return new PeerCredentials(s.get(ValueLayout.JAVA_INT, 0), s.get(ValueLayout.JAVA_INT, 4),
                    s.get(ValueLayout.JAVA_INT, 8));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static int socket() {
        try {
            MemorySegment err = Native.errnoBuffer();
            int fd = (int) SOCKET.invokeExact(err, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new PosixException("socket(AF_UNIX)", Native.errno(err), null);
            }
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // struct sockaddr_un { sa_family_t sun_family (u16); char sun_path[108]; }
    // abstract: sun_path[0] = 0, then the name, NOT NUL-terminated; the length passed says where it ends.
    private static int sockaddr(String address, MemorySegment sa) {
        boolean abstractName = address.startsWith("@");
        byte[] bytes = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_ADDRESS_BYTES) {
            throw new IpcException(IpcException.Reason.INVALID_NAME, "Unix socket address '" + address
                    + "': needs 1 to " + MAX_ADDRESS_BYTES + " bytes, has " + bytes.length);
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new IpcException(IpcException.Reason.INVALID_NAME, "Unix socket address '" + address + "' contains NUL");
            }
        }
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, sa, ValueLayout.JAVA_BYTE, abstractName ? 3 : 2, bytes.length);
        return abstractName ? 2 + 1 + bytes.length : 2 + bytes.length + 1;
    }
}
