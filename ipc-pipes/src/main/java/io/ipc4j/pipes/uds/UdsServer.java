package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.pipes.framing.FrameReader;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.FdByteChannel;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixIo;
import io.ipc4j.posix.PosixSockets;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A blocking Unix domain socket server: {@link #accept()} returns one framed
 * {@link UdsConnection} per peer that passes the {@link PeerPolicy}. Serve each connection on
 * its own thread (or use {@link UdsFrameServer} for many peers on one thread).
 *
 * <pre>{@code
 * try (UdsServer server = UdsServer.bind(UdsAddress.of("@ipc4j-control"))) {
 *     try (UdsConnection c = server.accept()) {          // same user only, by default
 *         ByteBuffer request = c.readFrame();
 *         c.writeFrame(request);
 *     }
 * }
 * }</pre>
 *
 * Path sockets replace stale files and unlink their file on close (see the
 * {@linkplain io.ipc4j.pipes.uds package notes}); abstract names vanish by themselves.
 */
public final class UdsServer implements AutoCloseable {
    /** Accept queue length used by {@link #bind(UdsAddress)}. */
    public static final int DEFAULT_BACKLOG = 128;

    private final UdsAddress address;
    private final PeerPolicy policy;
    private final int maxFrameBytes;
    private final ServerSocketChannel nio;     // path sockets
    private final Object fileKey;
    private final int listenFd;                // abstract names
    private final Object acceptLock = new Object();
    private volatile boolean closed;

    private UdsServer(UdsAddress address, PeerPolicy policy, int maxFrameBytes, ServerSocketChannel nio,
                      Object fileKey, int listenFd) {
        this.address = address;
        this.policy = policy;
        this.maxFrameBytes = maxFrameBytes;
        this.nio = nio;
        this.fileKey = fileKey;
        this.listenFd = listenFd;
    }

    /**
     * Binds with the defaults: same-user peers only, 1 MiB frames.
     *
     * @param address a path or {@code @name}
     * @return the listening server
     */
    public static UdsServer bind(UdsAddress address) {
        return bind(address, PeerPolicy.sameUser(), FrameReader.DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * @param address       a path or {@code @name}
     * @param policy        which peers to keep
     * @param maxFrameBytes the largest frame in either direction
     * @return the listening server
     * @throws IpcException ALREADY_EXISTS (a live server, a non-socket file, or a taken abstract
     *                      name), INVALID_NAME, OS_ERROR
     */
    public static UdsServer bind(UdsAddress address, PeerPolicy policy, int maxFrameBytes) {
        Objects.requireNonNull(policy, "policy");
        if (maxFrameBytes < 0 || maxFrameBytes > FrameReader.LARGEST_MAX_FRAME_BYTES) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "maximum frame size " + maxFrameBytes + " out of range");
        }
        if (!address.isAbstract()) {
            SocketFiles.Bound b = SocketFiles.bind(address.path(), DEFAULT_BACKLOG);
            return new UdsServer(address, policy, maxFrameBytes, b.channel(), b.fileKey(), -1);
        }
        try {
            int fd = StreamSockets.listen(address.unixAddress(), DEFAULT_BACKLOG);
            return new UdsServer(address, policy, maxFrameBytes, null, null, fd);
        } catch (PosixException e) {
            if (e.errno() == Errno.EADDRINUSE) {
                throw new IpcException(Reason.ALREADY_EXISTS, "bind Unix socket " + address
                        + ": the abstract name is in use by a live socket", e.errno(), e);
            }
            throw e;
        }
    }

    /** @return where the server listens */
    public UdsAddress address() {
        return address;
    }

    /** @return the policy peers are checked against */
    public PeerPolicy policy() {
        return policy;
    }

    /**
     * Waits for the next peer.
     *
     * @return the connection, after the peer passed the policy
     * @throws IpcException PERMISSION_DENIED when the peer was rejected (its connection is closed,
     *                      the server keeps listening: call again); CLOSED when the server was
     *                      closed, also from another thread while waiting
     */
    public UdsConnection accept() {
        if (nio != null) {
            SocketChannel ch;
            try {
                ch = nio.accept();
            } catch (ClosedChannelException e) {
                throw new IpcException(Reason.CLOSED, "accept on " + address + ": the server was closed", e);
            } catch (IOException e) {
                throw new IpcException(Reason.OS_ERROR, "accept on " + address + ": " + e.getMessage(), e);
            }
            PeerCredentials peer;
            try {
                peer = new PeerCredentials(ch.getOption(ExtendedSocketOptions.SO_PEERCRED), OptionalInt.empty());
            } catch (IOException e) {
                SocketFiles.closeQuietly(ch);
                throw new IpcException(Reason.OS_ERROR, "SO_PEERCRED on " + address + ": " + e.getMessage(), e);
            }
            check(peer, ch);
            return new UdsConnection(ch, maxFrameBytes, peer, address);
        }
        FdByteChannel ch = acceptAbstract();
        PeerCredentials peer;
        try {
            peer = Identity.of(PosixSockets.peerCredentials(ch.fd()));
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
        check(peer, ch);
        return new UdsConnection(ch, maxFrameBytes, peer, address);
    }

    private FdByteChannel acceptAbstract() {
        synchronized (acceptLock) {
            while (true) {
                if (closed) {
                    throw new IpcException(Reason.CLOSED, "accept on " + address + ": the server was closed");
                }
                int fd = StreamSockets.accept(listenFd);
                if (fd >= 0) {
                    return new FdByteChannel(fd, "Unix socket " + address + " (accepted)");
                }
                PosixIo.poll(listenFd, PosixIo.POLLIN, FdByteChannel.POLL_SLICE_MILLIS);
            }
        }
    }

    private void check(PeerCredentials peer, java.nio.channels.Channel ch) {
        if (!policy.accepts(peer)) {
            SocketFiles.closeQuietly(ch);
            throw new IpcException(Reason.PERMISSION_DENIED, "connection on " + address + " from " + peer
                    + " rejected (policy: " + policy + "); closed it");
        }
    }

    /** Stops listening and unlinks the socket file if it is still ours. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (nio != null) {
            SocketFiles.closeQuietly(nio);
            SocketFiles.unlinkIfOurs(address.path(), fileKey);
        } else {
            synchronized (acceptLock) {          // an accept in progress leaves within one poll slice
                PosixFiles.close(listenFd);
            }
        }
    }

    @Override
    public String toString() {
        return "UdsServer[" + address + ", policy " + policy + (closed ? ", closed" : "") + "]";
    }
}
