package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.UnixAddress;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Binding socket files: stale detection before, unlinking after (see the package notes). */
final class SocketFiles {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {
    }

    /**
     * A bound NIO server channel on {@code path} and the identity of the file it created.
     *
     * @param channel the listening channel (blocking)
     * @param fileKey the socket file's inode key, to unlink only our own file later
     */
    record Bound(ServerSocketChannel channel, Object fileKey) {
    }

    static Bound bind(Path path, int backlog) {
        replaceIfStale(path);
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path), backlog);
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new Bound(ch, key);
        } catch (IOException e) {
            closeQuietly(ch);
            if (e instanceof BindException) {
                throw new IpcException(Reason.ALREADY_EXISTS, "bind Unix socket " + path
                        + ": the address was taken meanwhile (another server started): " + e.getMessage(), e);
            }
            throw new IpcException(Reason.OS_ERROR, "bind Unix socket " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Nothing there: fine. A socket that refuses connections: stale, unlinked. A live socket,
     * or anything that is not a socket: ALREADY_EXISTS, never deleted.
     */
    static void replaceIfStale(Path path) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "bind Unix socket " + path + ": cannot inspect the existing file: " + e, e);
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IpcException(Reason.ALREADY_EXISTS, "bind Unix socket " + path + ": the path exists and is not a socket ("
                    + kind(mode) + "); refusing to replace it");
        }
        try {
            int fd = StreamSockets.connect(UnixAddress.path(path));
            PosixFiles.close(fd);
            throw new IpcException(Reason.ALREADY_EXISTS, "bind Unix socket " + path + ": a live server is listening there");
        } catch (PosixException e) {
            if (e.errno() == Errno.EAGAIN) {        // a listener with a full accept queue: alive
                throw new IpcException(Reason.ALREADY_EXISTS, "bind Unix socket " + path
                        + ": a live (busy) server is listening there", e.errno(), e);
            }
            if (e.errno() != Errno.ECONNREFUSED) {
                throw new IpcException(e.reason(), "bind Unix socket " + path
                        + ": cannot tell whether the existing socket file is stale: " + e.getMessage(), e.errno(), e);
            }
        }
        try {                                       // ECONNREFUSED: nobody listens; a crashed server's leftover
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "unlink stale Unix socket " + path + ": " + e, e);
        }
    }

    /** Unlinks {@code path} if it is still the file we bound (same inode). */
    static void unlinkIfOurs(Path path, Object fileKey) {
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (now != null && now.equals(fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // gone already, or replaced by someone else's file: leave it
        }
    }

    static void closeQuietly(java.nio.channels.Channel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static String kind(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> "a regular file";
            case 0040000 -> "a directory";
            case 0120000 -> "a symbolic link";
            case 0010000 -> "a FIFO";
            default -> "mode 0" + Integer.toOctalString(mode);
        };
    }
}
