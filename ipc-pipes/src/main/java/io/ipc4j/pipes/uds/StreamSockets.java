package io.ipc4j.pipes.uds;

import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixIo;
import io.ipc4j.posix.PosixSockets;
import io.ipc4j.posix.UnixAddress;

/**
 * The package's FFM side: Unix stream sockets through {@link PosixSockets}, for what Java NIO
 * cannot do (abstract names, exact errno values on connect for the stale-file probe, the peer's
 * pid). Every descriptor made here is non-blocking and close-on-exec; on failure nothing stays
 * open. Errors are {@link io.ipc4j.posix.PosixException}s naming the failed call.
 */
final class StreamSockets {
    private static final int TYPE = PosixSockets.SOCK_STREAM | PosixSockets.SOCK_NONBLOCK | PosixSockets.SOCK_CLOEXEC;

    private StreamSockets() {
    }

    /**
     * {@code socket + bind + listen}.
     *
     * @return the listening descriptor
     * @throws io.ipc4j.posix.PosixException {@code EADDRINUSE} when the address is taken
     */
    static int listen(UnixAddress address, int backlog) {
        int fd = PosixSockets.socket(TYPE);
        try {
            PosixSockets.bind(fd, address);
            PosixSockets.listen(fd, backlog);
            return fd;
        } catch (RuntimeException e) {
            PosixFiles.close(fd);
            throw e;
        }
    }

    /**
     * {@code accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)}.
     *
     * @return the connected descriptor, or {@link PosixIo#WOULD_BLOCK} when none is waiting
     */
    static int accept(int listenFd) {
        return PosixSockets.accept(listenFd, PosixSockets.SOCK_NONBLOCK | PosixSockets.SOCK_CLOEXEC);
    }

    /**
     * {@code socket + connect}. A Unix stream connect completes at once or fails, it never
     * blocks: when the server's accept queue is full it fails with {@code EAGAIN} (someone
     * listens, but is busy) instead of waiting.
     *
     * @return the connected descriptor
     * @throws io.ipc4j.posix.PosixException {@code ECONNREFUSED} (nobody listens: a stale socket
     *                                       file or an unused abstract name), {@code ENOENT} (no
     *                                       such path), {@code EAGAIN} (accept queue full), ...
     */
    static int connect(UnixAddress address) {
        int fd = PosixSockets.socket(TYPE);
        try {
            PosixSockets.connect(fd, address);
            return fd;
        } catch (RuntimeException e) {
            PosixFiles.close(fd);
            throw e;
        }
    }
}
