package io.ipc4j.posix;

import io.ipc4j.IpcException;
import io.ipc4j.posix.internal.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static io.ipc4j.posix.internal.Native.C_INT;
import static io.ipc4j.posix.internal.Native.C_LONG;
import static io.ipc4j.posix.internal.Native.C_POINTER;

/**
 * Unix domain sockets: {@code socket}, {@code socketpair}, {@code bind}, {@code connect},
 * {@code listen}, {@code accept4}, {@code shutdown}, {@code sendmsg}/{@code recvmsg} with
 * {@code SCM_RIGHTS} descriptor passing and {@code getsockopt(SO_PEERCRED)}: the one socket binding
 * of ipc4j. Addresses are {@link UnixAddress}es. Wait for a socket with {@link PosixIo#poll},
 * read and write its bytes with {@link PosixIo#read}/{@link PosixIo#write} (or {@link FdByteChannel}),
 * duplicate it with {@link PosixIo#dup}, close it with {@link PosixFiles#close(int)}.
 *
 * <p>Every failure throws a {@link PosixException} naming the call and errno. {@code EINTR} is
 * retried. {@code EAGAIN} (a non-blocking socket or {@link #MSG_DONTWAIT} with nothing to do) is
 * not: {@link #accept} returns {@link PosixIo#WOULD_BLOCK} for it (as {@link PosixIo#read} does);
 * {@link #connect}, {@link #sendmsg} and {@link #recvmsg} throw a {@code PosixException} whose
 * {@link PosixException#errno()} is {@link Errno#EAGAIN}.
 *
 * <h2>Message layout (LP64 Linux: x86_64 and aarch64)</h2>
 * <pre>
 * struct msghdr {                       struct iovec {            struct cmsghdr {
 *   0  void   *msg_name;                  0 void  *iov_base;        0 size_t cmsg_len;   // CMSG_LEN(n)
 *   8  int     msg_namelen; (+4 pad)      8 size_t iov_len;         8 int    cmsg_level; // SOL_SOCKET
 *  16  iovec  *msg_iov;                 };            // 16 bytes  12 int    cmsg_type;  // SCM_RIGHTS
 *  24  size_t  msg_iovlen;                                          16 int    fds[n];     // the data
 *  32  void   *msg_control;                                       };
 *  40  size_t  msg_controllen;  // CMSG_SPACE(n) for one message
 *  48  int     msg_flags;  (+4 pad)
 * };                  // 56 bytes
 *
 * CMSG_ALIGN(x) = (x + 7) &amp; ~7           (aligned to sizeof(size_t))
 * CMSG_LEN(b)   = CMSG_ALIGN(16) + b      = 16 + b          (b = 4 * number of fds)
 * CMSG_SPACE(b) = CMSG_ALIGN(16) + CMSG_ALIGN(b)            (room one cmsghdr takes, with padding)
 * CMSG_NXTHDR   : next header at CMSG_ALIGN(cmsg_len) from this one, while it fits in msg_controllen
 * </pre>
 * The kernel fits {@code (msg_controllen - 16) / 4} descriptors into a receive buffer; when a
 * message carries more, it installs as many as fit, drops the rest and sets {@link #MSG_CTRUNC}.
 *
 * <h2>sockaddr_un</h2>
 * {@code { sa_family_t sun_family; char sun_path[108]; }} (110 bytes, family 2 bytes). A path is
 * written NUL-terminated and passed with length {@code 2 + strlen + 1}; an abstract name is
 * written after a leading NUL byte and passed with length {@code 2 + 1 + strlen} (the length,
 * not a terminator, ends it). {@link UnixAddress} is the one encoder.
 */
public final class PosixSockets {
    /** Address family of Unix domain sockets. */
    public static final int AF_UNIX = 1;
    /** Byte stream type (no message boundaries). */
    public static final int SOCK_STREAM = 1;
    /** Datagram type. */
    public static final int SOCK_DGRAM = 2;
    /** Connection-oriented, reliable, message-boundary-preserving type. */
    public static final int SOCK_SEQPACKET = 5;
    /** {@code socket}/{@code accept4} type flag: non-blocking. */
    public static final int SOCK_NONBLOCK = 04000;
    /** {@code socket}/{@code accept4} type flag: close on exec. */
    public static final int SOCK_CLOEXEC = 02000000;
    /** Socket-level options and control messages. */
    public static final int SOL_SOCKET = 1;
    /** Control message type: passing descriptors. */
    public static final int SCM_RIGHTS = 1;
    /** Socket option: credentials of the peer ({@code struct ucred}). */
    public static final int SO_PEERCRED = 17;
    /** {@code recvmsg}: look at the next message without taking it. */
    public static final int MSG_PEEK = 0x2;
    /** {@code recvmsg} result flag: control data was truncated (descriptors were lost). */
    public static final int MSG_CTRUNC = 0x8;
    /** {@code recvmsg} result flag: the packet was longer than the buffer. */
    public static final int MSG_TRUNC = 0x20;
    /** Per-call non-blocking operation. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code sendmsg}: no SIGPIPE when the peer is gone (EPIPE instead). */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code recvmsg}: mark received descriptors close-on-exec atomically. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code shutdown}: no more receptions. */
    public static final int SHUT_RD = 0;
    /** {@code shutdown}: no more transmissions (the peer reads end of stream). */
    public static final int SHUT_WR = 1;
    /** {@code shutdown}: both. */
    public static final int SHUT_RDWR = 2;
    /** Most descriptors one {@code SCM_RIGHTS} message may carry (the kernel's {@code SCM_MAX_FD}). */
    public static final int SCM_MAX_FD = 253;

    // struct msghdr field offsets (LP64)
    private static final long MSG_NAME = 0;
    private static final long MSG_NAMELEN = 8;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSG_FLAGS = 48;
    private static final long MSGHDR_SIZE = 56;
    // struct iovec
    private static final long IOV_BASE = 0;
    private static final long IOV_LEN = 8;
    private static final long IOVEC_SIZE = 16;
    // struct cmsghdr
    private static final long CMSG_LEN_OFFSET = 0;
    private static final long CMSG_LEVEL_OFFSET = 8;
    private static final long CMSG_TYPE_OFFSET = 12;
    private static final long CMSG_HEADER = 16; // CMSG_ALIGN(sizeof(struct cmsghdr))

    // One lazy holder per downcall handle: a handle is linked on first use, not when this class
    // initialises, and stays a static final constant for the JIT.
    private static final class Socket {
        static final MethodHandle H = Native.errnoHandle("socket", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    }
    private static final class Socketpair {
        static final MethodHandle H = Native.errnoHandle("socketpair", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    }
    private static final class Bind {
        static final MethodHandle H = Native.errnoHandle("bind", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    }
    private static final class Connect {
        static final MethodHandle H = Native.errnoHandle("connect", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    }
    private static final class Listen {
        static final MethodHandle H = Native.errnoHandle("listen", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }
    private static final class Accept4 {
        static final MethodHandle H = Native.errnoHandle("accept4", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT));
    }
    private static final class Shutdown {
        static final MethodHandle H = Native.errnoHandle("shutdown", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }
    private static final class Sendmsg {
        static final MethodHandle H = Native.errnoHandle("sendmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    }
    private static final class Recvmsg {
        static final MethodHandle H = Native.errnoHandle("recvmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    }
    private static final class Getsockopt {
        static final MethodHandle H = Native.errnoHandle("getsockopt", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));
    }
    private static final class Geteuid {
        static final MethodHandle H = Native.handle("geteuid", FunctionDescriptor.of(C_INT));
    }

    private PosixSockets() {
    }

    /** {@code CMSG_ALIGN}: rounds up to a multiple of {@code sizeof(size_t)}. */
    static long cmsgAlign(long length) {
        return (length + 7) & ~7L;
    }

    /**
     * {@code CMSG_LEN(4 * fdCount)}: the {@code cmsg_len} of a header carrying that many descriptors.
     *
     * @param fdCount number of descriptors
     * @return bytes
     */
    public static long cmsgLen(int fdCount) {
        return CMSG_HEADER + 4L * fdCount;
    }

    /**
     * {@code CMSG_SPACE(4 * fdCount)}: the control-buffer room one such header takes, padding included.
     *
     * @param fdCount number of descriptors
     * @return bytes
     */
    public static long cmsgSpace(int fdCount) {
        return CMSG_HEADER + cmsgAlign(4L * fdCount);
    }

    /**
     * {@code socket(AF_UNIX, type, 0)}.
     *
     * @param type {@link #SOCK_STREAM}, {@link #SOCK_SEQPACKET} or {@link #SOCK_DGRAM}, optionally
     *             ored with {@link #SOCK_CLOEXEC} and {@link #SOCK_NONBLOCK}
     * @return the socket descriptor
     */
    public static int socket(int type) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int fd = (int) Socket.H.invokeExact(err, AF_UNIX, type, 0);
            if (fd < 0) {
                throw new PosixException("socket", Native.errno(err), "AF_UNIX, type 0x" + Integer.toHexString(type));
            }
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code socketpair(AF_UNIX, type, 0)}: two connected sockets.
     *
     * @param type as for {@link #socket(int)}
     * @return the two descriptors
     */
    public static int[] socketpair(int type) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment sv = a.allocate(ValueLayout.JAVA_INT, 2);
            int r = (int) Socketpair.H.invokeExact(err, AF_UNIX, type, 0, sv);
            if (r != 0) {
                throw new PosixException("socketpair", Native.errno(err), "AF_UNIX, type 0x" + Integer.toHexString(type));
            }
            return new int[] {sv.getAtIndex(ValueLayout.JAVA_INT, 0), sv.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code bind(fd, address)}. A path address creates a socket file (EADDRINUSE when the path
     * exists); remove it with {@link PosixFiles#unlink} when done. An abstract name creates no file.
     *
     * @param fd      the socket
     * @param address where
     */
    public static void bind(int fd, UnixAddress address) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment sa = a.allocate(UnixAddress.SOCKADDR_UN_SIZE, 8);
            int len = address.writeTo(sa);
            int r = (int) Bind.H.invokeExact(err, fd, sa, len);
            if (r != 0) {
                throw new PosixException("bind", Native.errno(err), address.toString());
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code connect(fd, address)}. On a blocking socket this waits while the listener's backlog
     * is full; on a non-blocking one that is {@code EAGAIN}. Nobody listening: {@code ECONNREFUSED}
     * (or {@code ENOENT} for a missing path).
     *
     * @param fd      the socket
     * @param address where
     */
    public static void connect(int fd, UnixAddress address) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment sa = a.allocate(UnixAddress.SOCKADDR_UN_SIZE, 8);
            int len = address.writeTo(sa);
            boolean interrupted = false;
            while (true) {
                int r = (int) Connect.H.invokeExact(err, fd, sa, len);
                if (r == 0) {
                    return;
                }
                int e = Native.errno(err);
                if (e == Errno.EINTR) {
                    interrupted = true;
                    continue;
                }
                if (e == Errno.EISCONN && interrupted) {
                    return; // the interrupted attempt completed in the background
                }
                throw new PosixException("connect", e, address.toString());
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code listen(fd, backlog)}.
     *
     * @param fd      a bound socket
     * @param backlog pending connections the kernel queues
     */
    public static void listen(int fd, int backlog) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Listen.H.invokeExact(err, fd, backlog);
            if (r != 0) {
                throw new PosixException("listen", Native.errno(err), "fd " + fd);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code accept4(fd, NULL, NULL, flags)}.
     *
     * @param fd    a listening socket
     * @param flags {@link #SOCK_CLOEXEC} and/or {@link #SOCK_NONBLOCK} for the new socket
     * @return the connected socket, or {@link PosixIo#WOULD_BLOCK} when the listening socket is
     *         non-blocking and no connection is pending ({@code EAGAIN})
     */
    public static int accept(int fd, int flags) {
        try {
            MemorySegment err = Native.errnoBuffer();
            while (true) {
                int c = (int) Accept4.H.invokeExact(err, fd, MemorySegment.NULL, MemorySegment.NULL, flags);
                if (c >= 0) {
                    return c;
                }
                int e = Native.errno(err);
                if (e == Errno.EAGAIN) {
                    return PosixIo.WOULD_BLOCK;
                }
                // ECONNABORTED: a pending connection went away before we took it; take the next one
                if (e != Errno.EINTR && e != Errno.ECONNABORTED) {
                    throw new PosixException("accept4", e, "fd " + fd);
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code shutdown(fd, how)}.
     *
     * @param fd  a connected socket
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     */
    public static void shutdown(int fd, int how) {
        try {
            MemorySegment err = Native.errnoBuffer();
            int r = (int) Shutdown.H.invokeExact(err, fd, how);
            if (r != 0) {
                throw new PosixException("shutdown", Native.errno(err), "fd " + fd);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code sendmsg} of {@code data} with {@code fds} attached as one {@code SCM_RIGHTS} control
     * message. The descriptors stay open here: the receiver gets duplicates. Send at least one byte
     * of data with descriptors (a stream socket drops descriptors sent with no data).
     *
     * @param fd    a connected socket
     * @param data  native memory holding the bytes to send (its whole size)
     * @param fds   descriptors to pass, at most {@link #SCM_MAX_FD}; may be empty
     * @param flags e.g. {@link #MSG_NOSIGNAL} (recommended: EPIPE instead of SIGPIPE), {@link #MSG_DONTWAIT}
     * @return bytes sent (a stream socket may send fewer than asked; descriptors go with the first byte)
     */
    public static long sendmsg(int fd, MemorySegment data, int[] fds, int flags) {
        if (!data.isNative()) {
            throw new IllegalArgumentException("sendmsg needs native memory, got a heap segment");
        }
        if (fds.length > SCM_MAX_FD) {
            throw new IpcException(IpcException.Reason.TOO_LARGE,
                    "sendmsg: " + fds.length + " descriptors in one message; the kernel takes at most " + SCM_MAX_FD);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment msg = a.allocate(MSGHDR_SIZE + IOVEC_SIZE, 8);
            MemorySegment iov = msg.asSlice(MSGHDR_SIZE, IOVEC_SIZE);
            iov.set(ValueLayout.ADDRESS, IOV_BASE, data);
            iov.set(ValueLayout.JAVA_LONG, IOV_LEN, data.byteSize());
            msg.set(ValueLayout.ADDRESS, MSG_IOV, iov);
            msg.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1L);
            if (fds.length > 0) {
                long space = cmsgSpace(fds.length);
                MemorySegment control = a.allocate(space, 8); // zeroed: padding bytes are 0
                control.set(ValueLayout.JAVA_LONG, CMSG_LEN_OFFSET, cmsgLen(fds.length));
                control.set(ValueLayout.JAVA_INT, CMSG_LEVEL_OFFSET, SOL_SOCKET);
                control.set(ValueLayout.JAVA_INT, CMSG_TYPE_OFFSET, SCM_RIGHTS);
                MemorySegment.copy(fds, 0, control, ValueLayout.JAVA_INT, CMSG_HEADER, fds.length);
                msg.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
                msg.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, space);
            }
            while (true) {
                long n = (long) Sendmsg.H.invokeExact(err, fd, msg, flags);
                if (n >= 0) {
                    return n;
                }
                int e = Native.errno(err);
                if (e != Errno.EINTR) {
                    throw new PosixException("sendmsg", e, "fd " + fd + ", " + data.byteSize() + " bytes, "
                            + fds.length + " fds");
                }
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code recvmsg} into {@code buffer}, accepting up to {@code maxFds} passed descriptors.
     *
     * <p>If a message carried more descriptors than {@code maxFds} (the kernel then sets
     * {@link #MSG_CTRUNC} and drops what did not fit), every descriptor that did arrive is closed
     * and an {@link IpcException} with reason {@link IpcException.Reason#TOO_LARGE} is thrown: a
     * partial set is never handed out. A packet longer than the buffer is reported through
     * {@link ReceivedMessage#isTruncated()} (datagram and seqpacket sockets); the caller decides.
     *
     * @param fd     a connected socket
     * @param buffer native memory to receive into (up to its size)
     * @param maxFds most descriptors accepted, 0 to {@link #SCM_MAX_FD}
     * @param flags  e.g. {@link #MSG_CMSG_CLOEXEC} (recommended), {@link #MSG_DONTWAIT}
     * @return the data length, descriptors and result flags; length 0 at end of stream
     */
    public static ReceivedMessage recvmsg(int fd, MemorySegment buffer, int maxFds, int flags) {
        if (!buffer.isNative() || buffer.isReadOnly()) {
            throw new IllegalArgumentException("recvmsg needs writable native memory");
        }
        if (maxFds < 0 || maxFds > SCM_MAX_FD) {
            throw new IllegalArgumentException("maxFds must be 0.." + SCM_MAX_FD + ", was " + maxFds);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment msg = a.allocate(MSGHDR_SIZE + IOVEC_SIZE, 8);
            MemorySegment iov = msg.asSlice(MSGHDR_SIZE, IOVEC_SIZE);
            iov.set(ValueLayout.ADDRESS, IOV_BASE, buffer);
            iov.set(ValueLayout.JAVA_LONG, IOV_LEN, buffer.byteSize());
            // room for maxFds, and never less than one header: a stray SCM_RIGHTS message then
            // shows up as MSG_CTRUNC instead of vanishing silently
            long space = cmsgSpace(Math.max(maxFds, 1));
            MemorySegment control = a.allocate(space, 8);
            while (true) {
                msg.set(ValueLayout.ADDRESS, MSG_NAME, MemorySegment.NULL);
                msg.set(ValueLayout.JAVA_INT, MSG_NAMELEN, 0);
                msg.set(ValueLayout.ADDRESS, MSG_IOV, iov);
                msg.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1L);
                msg.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
                msg.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, space);
                msg.set(ValueLayout.JAVA_INT, MSG_FLAGS, 0);
                long n = (long) Recvmsg.H.invokeExact(err, fd, msg, flags);
                if (n < 0) {
                    int e = Native.errno(err);
                    if (e == Errno.EINTR) {
                        continue;
                    }
                    throw new PosixException("recvmsg", e, "fd " + fd);
                }
                int resultFlags = msg.get(ValueLayout.JAVA_INT, MSG_FLAGS);
                long controlLength = msg.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN);
                int[] fds = parseRights(control, Math.min(controlLength, space));
                if ((resultFlags & MSG_CTRUNC) != 0 || fds.length > maxFds) {
                    closeAll(fds);
                    throw new IpcException(IpcException.Reason.TOO_LARGE, "recvmsg(fd " + fd + "): the message carried more "
                            + "descriptors than the " + maxFds + " accepted; closed the " + fds.length + " that arrived");
                }
                return new ReceivedMessage(n, fds, resultFlags);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Walks the control buffer (CMSG_FIRSTHDR / CMSG_NXTHDR) collecting SCM_RIGHTS descriptors. */
    private static int[] parseRights(MemorySegment control, long length) {
        int[] fds = new int[0];
        long off = 0;
        while (off + CMSG_HEADER <= length) {
            long len = control.get(ValueLayout.JAVA_LONG, off + CMSG_LEN_OFFSET);
            if (len < CMSG_HEADER || off + len > length) {
                break;
            }
            int level = control.get(ValueLayout.JAVA_INT, off + CMSG_LEVEL_OFFSET);
            int type = control.get(ValueLayout.JAVA_INT, off + CMSG_TYPE_OFFSET);
            if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                int n = (int) ((len - CMSG_HEADER) / 4);
                int[] more = new int[fds.length + n];
                System.arraycopy(fds, 0, more, 0, fds.length);
                MemorySegment.copy(control, ValueLayout.JAVA_INT, off + CMSG_HEADER, more, fds.length, n);
                fds = more;
            }
            off += cmsgAlign(len);
        }
        return fds;
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            try {
                PosixFiles.close(fd);
            } catch (RuntimeException ignored) {
                // already failing; close the rest
            }
        }
    }

    /**
     * {@code getsockopt(fd, SOL_SOCKET, SO_PEERCRED)}: who is at the other end.
     *
     * @param fd a connected socket (or one of a socket pair)
     * @return the peer's pid, uid and gid as recorded at connect time
     */
    public static PeerCredentials peerCredentials(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer();
            MemorySegment ucred = a.allocate(12, 4); // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 12);
            int r = (int) Getsockopt.H.invokeExact(err, fd, SOL_SOCKET, SO_PEERCRED, ucred, len);
            if (r != 0) {
                throw new PosixException("getsockopt", Native.errno(err), "fd " + fd + ", SO_PEERCRED");
            }
            return new PeerCredentials(ucred.get(ValueLayout.JAVA_INT, 0), ucred.get(ValueLayout.JAVA_INT, 4),
                    ucred.get(ValueLayout.JAVA_INT, 8));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @return this process's effective user id ({@code geteuid}): what a peer's {@link PeerCredentials#uid()} shows for it */
    public static int effectiveUid() {
        try {
            return (int) Geteuid.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
