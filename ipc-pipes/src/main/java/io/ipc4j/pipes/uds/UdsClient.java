package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.pipes.framing.FrameReader;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.FdByteChannel;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixSockets;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.OptionalInt;

/** Connects to a {@link UdsServer} (or any Unix stream socket speaking ipc4j frames). */
public final class UdsClient {
    /** How long a connect to an abstract name retries while the server's accept queue is full. */
    public static final java.time.Duration BUSY_SERVER_WAIT = java.time.Duration.ofSeconds(10);

    private UdsClient() {
    }

    /**
     * Connects with 1 MiB frames, accepting a server run by any user.
     *
     * @param address a path or {@code @name}
     * @return the connection
     */
    public static UdsConnection connect(UdsAddress address) {
        return connect(address, PeerPolicy.anyUser(), FrameReader.DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * @param address       a path or {@code @name}
     * @param serverPolicy  who the server must be (e.g. {@link PeerPolicy#sameUser()})
     * @param maxFrameBytes the largest frame in either direction
     * @return the connection
     * @throws IpcException NOT_FOUND (no such socket file, or nobody listening: a stale file or an
     *                      unused abstract name), PERMISSION_DENIED (file permissions, or the
     *                      server failed {@code serverPolicy}), OS_ERROR
     */
    public static UdsConnection connect(UdsAddress address, PeerPolicy serverPolicy, int maxFrameBytes) {
        java.nio.channels.ByteChannel ch;
        PeerCredentials peer;
        if (!address.isAbstract()) {
            SocketChannel sc;
            try {
                sc = SocketChannel.open(UnixDomainSocketAddress.of(address.path()));
            } catch (IOException e) {
                throw connectFailed(address, e);
            }
            try {
                peer = new PeerCredentials(sc.getOption(ExtendedSocketOptions.SO_PEERCRED), OptionalInt.empty());
            } catch (IOException e) {
                SocketFiles.closeQuietly(sc);
                throw new IpcException(Reason.OS_ERROR, "SO_PEERCRED on " + address + ": " + e.getMessage(), e);
            }
            ch = sc;
        } else {
            int fd = connectAbstract(address);
            FdByteChannel fc = new FdByteChannel(fd, "Unix socket " + address + " (client)");
            try {
                peer = Identity.of(PosixSockets.peerCredentials(fd));
            } catch (RuntimeException e) {
                fc.close();
                throw e;
            }
            ch = fc;
        }
        if (!serverPolicy.accepts(peer)) {
            SocketFiles.closeQuietly(ch);
            throw new IpcException(Reason.PERMISSION_DENIED, "connect to " + address + ": server " + peer
                    + " rejected (policy: " + serverPolicy + ")");
        }
        return new UdsConnection(ch, maxFrameBytes, peer, address);
    }

    // EAGAIN: the server's accept queue is full; retry for a while (a blocking NIO connect would wait too)
    private static int connectAbstract(UdsAddress address) {
        long deadline = System.nanoTime() + BUSY_SERVER_WAIT.toNanos();
        while (true) {
            try {
                return StreamSockets.connect(address.unixAddress());
            } catch (PosixException e) {
                if (e.errno() == Errno.ECONNREFUSED) {
                    throw new IpcException(Reason.NOT_FOUND, "connect to " + address + ": no server listens on that abstract name",
                            e.errno(), e);
                }
                if (e.errno() != Errno.EAGAIN) {
                    throw e;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IpcException(Reason.TIMEOUT, "connect to " + address + ": the server's accept queue stayed full for "
                            + BUSY_SERVER_WAIT.toSeconds() + " s", e.errno(), e);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    private static IpcException connectFailed(UdsAddress address, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (!Files.exists(address.path(), LinkOption.NOFOLLOW_LINKS)) {
            return new IpcException(Reason.NOT_FOUND, "connect to " + address + ": no such socket file", e);
        }
        if (m.contains("refused")) {
            return new IpcException(Reason.NOT_FOUND, "connect to " + address
                    + ": nobody listens there (a stale socket file of a crashed server?)", e);
        }
        if (m.contains("ermission")) {
            return new IpcException(Reason.PERMISSION_DENIED, "connect to " + address + ": " + m, e);
        }
        return new IpcException(Reason.OS_ERROR, "connect to " + address + ": " + m, e);
    }
}
