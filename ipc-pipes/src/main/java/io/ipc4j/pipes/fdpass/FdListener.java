package io.ipc4j.pipes.fdpass;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.PeerCredentials;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixIo;
import io.ipc4j.posix.PosixSockets;
import io.ipc4j.posix.ReceivedMessage;
import io.ipc4j.posix.UnixAddress;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A listening Unix domain socket that hands out {@link FdChannel}s.
 *
 * <p><b>Addresses.</b> A path address creates a socket file (mode as the umask allows; put it in
 * a directory only the intended users can enter). A socket file left behind by a process that
 * died is detected (nobody accepts on it) and replaced; a live listener on the path is
 * {@link IpcException.Reason#ALREADY_EXISTS}; a file that is not a socket is never removed.
 * {@link #close()} removes the socket file if it is still the one this listener created. An
 * abstract name ({@link UnixAddress#abstractName}) leaves no file and is released when the
 * listener closes or its process dies.
 *
 * <p><b>Who may connect.</b> {@link #accept(Duration)} admits only processes running as this
 * process's effective user ({@code SO_PEERCRED}, which the peer cannot forge); other peers are
 * disconnected and the wait goes on. {@link #accept(Duration, Predicate)} takes any rule.
 */
public final class FdListener implements AutoCloseable {
    private static final int BACKLOG = 16;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final int fd;
    private final UnixAddress address;
    private final Object socketFileKey;
    private final Object acceptLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();

    private FdListener(int fd, UnixAddress address, Object socketFileKey) {
        this.fd = fd;
        this.address = address;
        this.socketFileKey = socketFileKey;
    }

    /**
     * Binds and listens on {@code address}.
     *
     * @param address a path or abstract name
     * @return the listener
     * @throws IpcException ALREADY_EXISTS (someone listens there, or a non-socket file has the
     *                      path), NOT_FOUND (missing directory), PERMISSION_DENIED, ...
     */
    public static FdListener listen(UnixAddress address) {
        Objects.requireNonNull(address, "address");
        int s = PosixSockets.socket(FdChannel.SOCKET_TYPE);
        try {
            try {
                PosixSockets.bind(s, address);
            } catch (PosixException e) {
                if (e.errno() != Errno.EADDRINUSE || address.isAbstract() || !removeIfStale(address)) {
                    throw new IpcException(e.errno() == Errno.EADDRINUSE ? IpcException.Reason.ALREADY_EXISTS : e.reason(),
                            "listen on " + address + ": " + e.getMessage()
                                    + (e.errno() == Errno.EADDRINUSE ? " (another process listens there)" : ""), e.errno(), e);
                }
                PosixSockets.bind(s, address);
            }
            Object key = address.isAbstract() ? null : fileKey(Path.of(address.name()));
            try {
                PosixSockets.listen(s, BACKLOG);
            } catch (RuntimeException e) {
                if (!address.isAbstract()) {
                    deleteQuietly(Path.of(address.name()));
                }
                throw e;
            }
            return new FdListener(s, address, key);
        } catch (PosixException e) {
            PosixFiles.close(s);
            throw new IpcException(e.reason(), "listen on " + address + ": " + e.getMessage(), e.errno(), e);
        } catch (RuntimeException e) {
            PosixFiles.close(s);
            throw e;
        }
    }

    /**
     * A socket file nobody accepts on is what a dead listener leaves behind: remove it.
     *
     * @return true when it was stale and is gone; false when someone listens or it is no socket
     */
    private static boolean removeIfStale(UnixAddress address) {
        Path path = Path.of(address.name());
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        int probe = PosixSockets.socket(FdChannel.SOCKET_TYPE);
        try {
            PosixSockets.connect(probe, address);
            return false; // alive
        } catch (PosixException e) {
            if (e.errno() != Errno.ECONNREFUSED) {
                return false; // EAGAIN: alive with a full backlog
            }
        } finally {
            PosixFiles.close(probe);
        }
        return deleteQuietly(path);
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean deleteQuietly(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the address this listener is bound to */
    public UnixAddress address() {
        return address;
    }

    /**
     * Waits up to {@code timeout} for a connection from a process of this user.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} to take only a pending connection
     * @return the connected channel
     * @throws IpcException TIMEOUT (its message counts peers that were turned away), CLOSED
     */
    public FdChannel accept(Duration timeout) {
        int me = PosixSockets.effectiveUid();
        return accept(timeout, peer -> peer.uid() == me);
    }

    /**
     * Waits up to {@code timeout} for a connection whose peer {@code admit} accepts; others are
     * disconnected at once and the wait continues.
     *
     * @param timeout how long to wait
     * @param admit   decides on the peer's pid, uid and gid
     * @return the connected channel
     * @throws IpcException TIMEOUT, CLOSED
     */
    public FdChannel accept(Duration timeout, Predicate<PeerCredentials> admit) {
        Objects.requireNonNull(admit, "admit");
        long deadline = FdChannel.deadline(timeout);
        int rejected = 0;
        PeerCredentials lastRejected = null;
        synchronized (acceptLock) {
            while (true) {
                if (closed.get()) {
                    throw new IpcException(IpcException.Reason.CLOSED, "accept on " + address + ": the listener is closed");
                }
                int c = PosixSockets.accept(fd, PosixSockets.SOCK_CLOEXEC | PosixSockets.SOCK_NONBLOCK);
                if (c >= 0) {
                    if (isGhost(c)) {
                        PosixFiles.close(c);
                        continue;
                    }
                    PeerCredentials peer;
                    try {
                        peer = PosixSockets.peerCredentials(c);
                    } catch (RuntimeException e) {
                        PosixFiles.close(c);
                        throw e;
                    }
                    if (admit.test(peer)) {
                        return new FdChannel(c, peer, "connection on " + address + " from pid " + peer.pid());
                    }
                    PosixFiles.close(c);
                    rejected++;
                    lastRejected = peer;
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, "accept on " + address + ": no admissible "
                            + "connection within " + timeout + (rejected == 0 ? "" : "; turned away " + rejected
                            + " peer(s), the last " + lastRejected));
                }
                int events = PosixIo.poll(fd, PosixIo.POLLIN, FdChannel.toMillis(left));
                if ((events & (PosixIo.POLLNVAL | PosixIo.POLLHUP)) != 0 && closed.get()) {
                    throw new IpcException(IpcException.Reason.CLOSED, "accept on " + address + ": the listener is closed");
                }
            }
        }
    }

    /**
     * A connection whose peer closed it again without sending anything, such as the probe another
     * {@link #listen} makes to tell a live listener from a stale socket file: not worth handing out.
     * (A peer that sent a message and then closed is kept: the message is still to be read.)
     */
    private static boolean isGhost(int c) {
        if ((PosixIo.poll(c, PosixIo.POLLIN, 0) & PosixIo.POLLHUP) == 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            ReceivedMessage peek = PosixSockets.recvmsg(c, a.allocate(1), FdChannel.MAX_FDS,
                    PosixSockets.MSG_PEEK | PosixSockets.MSG_DONTWAIT | PosixSockets.MSG_CMSG_CLOEXEC);
            for (int fd : peek.fds()) {
                PosixFiles.close(fd); // peeking duplicates passed descriptors
            }
            return peek.isEndOfStream();
        } catch (RuntimeException e) {
            return false; // let the channel report whatever is wrong
        }
    }

    /** @return true after {@link #close()} */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops listening, wakes a thread waiting in {@code accept} (it gets CLOSED), and removes the
     * socket file if it is still the one this listener created. Channels already accepted stay
     * open. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            PosixSockets.shutdown(fd, PosixSockets.SHUT_RDWR); // wakes poll() in an accepting thread
        } catch (RuntimeException ignored) {
            // nothing to wake
        }
        synchronized (acceptLock) {
            try {
                if (!address.isAbstract()) {
                    Path path = Path.of(address.name());
                    Object key = fileKey(path);
                    if (key != null && key.equals(socketFileKey)) {
                        deleteQuietly(path);
                    }
                }
            } finally {
                PosixFiles.close(fd);
            }
        }
    }

    @Override
    public String toString() {
        return "FdListener[" + address + (closed.get() ? ", closed" : "") + "]";
    }
}
