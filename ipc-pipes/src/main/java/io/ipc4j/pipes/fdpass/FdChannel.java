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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One end of a connected Unix domain socket ({@code SOCK_SEQPACKET}) that carries messages with
 * open file descriptors attached.
 *
 * <pre>{@code
 * // process A
 * try (FdListener listener = FdListener.listen(UnixAddress.abstractName("my-app-" + id));
 *      FdChannel ch = listener.accept(Duration.ofSeconds(10));        // same uid only
 *      MemfdSegment seg = MemfdSegment.create("frames", 1 << 20)) {
 *     ch.send("frames".getBytes(UTF_8), seg.fd());
 * }
 * // process B
 * try (FdChannel ch = FdChannel.connect(UnixAddress.abstractName("my-app-" + id), Duration.ofSeconds(10));
 *      FdMessage m = ch.receive(Duration.ofSeconds(10));
 *      MemfdSegment seg = MemfdSegment.fromFd(m.fds().claim(0), true)) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Messages.</b> Each {@link #send} is one message of 1 to {@value #MAX_MESSAGE_BYTES} bytes
 * (the kernel drops descriptors sent without data, and an empty message would look like the end
 * of the stream) with 0 to {@value #MAX_FDS} descriptors. The sender's descriptors stay open; the
 * receiver gets new ones (close-on-exec) that it owns (see {@link ReceivedFds}). A message longer
 * than {@value #MAX_MESSAGE_BYTES} bytes or with more than {@value #MAX_FDS} descriptors from a
 * foreign sender is refused with {@link IpcException.Reason#TOO_LARGE}, its descriptors closed.
 *
 * <p><b>Waits and failures.</b> {@link #receive} waits at most its timeout
 * ({@link IpcException.Reason#TIMEOUT}); {@link #send} waits at most {@link #sendTimeout()} for
 * room when the peer does not read. A peer that closed or died, even by SIGKILL, shows up as
 * {@link IpcException.Reason#PEER_CLOSED}. {@link #close()} wakes threads waiting in this
 * channel; they get {@link IpcException.Reason#CLOSED}.
 *
 * <p><b>Threads.</b> One thread may send while another receives; concurrent senders (or
 * receivers) take turns.
 */
public final class FdChannel implements AutoCloseable {
    /** Most descriptors per message. */
    public static final int MAX_FDS = 16;
    /** Most data bytes per message. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Socket type: message boundaries kept, close-on-exec, non-blocking (waits use poll). */
    static final int SOCKET_TYPE = PosixSockets.SOCK_SEQPACKET | PosixSockets.SOCK_CLOEXEC | PosixSockets.SOCK_NONBLOCK;
    private static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

    private final int fd;
    private final PeerCredentials peer;
    private final String description;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendBuffer;
    private final MemorySegment receiveBuffer;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

    /**
     * A pair of connected channels ({@code socketpair}), e.g. for two threads or a test.
     *
     * @param first  one end
     * @param second the other end
     */
    public record Pair(FdChannel first, FdChannel second) implements AutoCloseable {
        /** Closes both ends. */
        @Override
        public void close() {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }

    FdChannel(int fd, PeerCredentials peer, String description) {
        this.fd = fd;
        this.peer = peer;
        this.description = description;
        this.sendBuffer = arena.allocate(MAX_MESSAGE_BYTES, 8);
        this.receiveBuffer = arena.allocate(MAX_MESSAGE_BYTES, 8);
    }

    /**
     * Connects to an {@link FdListener}, waiting up to {@code timeout} for it to appear and to take
     * the connection (a listener that does not exist yet, refuses, or has a full backlog is retried).
     * Check {@link #peer()} to see who answered.
     *
     * @param address the listener's path or abstract name
     * @param timeout how long to keep trying; {@link Duration#ZERO} for one attempt
     * @return the connected channel
     * @throws IpcException NOT_FOUND / PEER_CLOSED (one attempt failed), TIMEOUT, ...
     */
    public static FdChannel connect(UnixAddress address, Duration timeout) {
        Objects.requireNonNull(address, "address");
        long deadline = deadline(timeout);
        while (true) {
            int s = PosixSockets.socket(SOCKET_TYPE);
            try {
                PosixSockets.connect(s, address);
                return new FdChannel(s, PosixSockets.peerCredentials(s), "channel to " + address);
            } catch (PosixException e) {
                PosixFiles.close(s);
                int errno = e.errno();
                boolean retry = errno == Errno.ENOENT || errno == Errno.ECONNREFUSED || errno == Errno.EAGAIN;
                if (!retry) {
                    throw new IpcException(e.reason(), "connect to " + address + ": " + e.getMessage(), errno, e);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (timeout.isZero()) {
                        throw new IpcException(e.reason(), "connect to " + address + ": " + e.getMessage(), errno, e);
                    }
                    throw new IpcException(IpcException.Reason.TIMEOUT, "connect to " + address + ": nobody accepted within "
                            + timeout + " (last: " + e.getMessage() + ")", errno, e);
                }
                sleepMillis(Math.min(10, Math.max(1, left / 1_000_000)));
            } catch (RuntimeException e) {
                PosixFiles.close(s);
                throw e;
            }
        }
    }

    /**
     * Two connected channels ({@code socketpair}); each one's {@link #peer()} is this process.
     *
     * @return the pair
     */
    public static Pair pair() {
        int[] sv = PosixSockets.socketpair(SOCKET_TYPE);
        PeerCredentials me = PosixSockets.peerCredentials(sv[0]);
        return new Pair(new FdChannel(sv[0], me, "socket pair end 0"), new FdChannel(sv[1], me, "socket pair end 1"));
    }

    /** @return the credentials of the process at the other end, recorded when the connection was made */
    public PeerCredentials peer() {
        return peer;
    }

    /** @return how long {@link #send} waits for room in the socket buffer */
    public Duration sendTimeout() {
        return sendTimeout;
    }

    /**
     * @param timeout how long {@link #send} waits for room in the socket buffer (a peer that does
     *                not read); at least zero
     * @return this
     */
    public FdChannel sendTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("send timeout must not be negative: " + timeout);
        }
        this.sendTimeout = timeout;
        return this;
    }

    /**
     * Sends {@code data} with {@code fds} as one message.
     *
     * @param data 1 to {@value #MAX_MESSAGE_BYTES} bytes
     * @param fds  0 to {@value #MAX_FDS} open descriptors (they stay open here)
     * @throws IpcException INVALID_ARGUMENT (empty data, a bad descriptor), TOO_LARGE, PEER_CLOSED,
     *                      TIMEOUT (the peer did not read within {@link #sendTimeout()}), CLOSED
     */
    public void send(byte[] data, int... fds) {
        send(ByteBuffer.wrap(data), fds);
    }

    /**
     * Sends the remaining bytes of {@code data} with {@code fds} as one message, advancing its
     * position when sent.
     *
     * @param data 1 to {@value #MAX_MESSAGE_BYTES} remaining bytes
     * @param fds  0 to {@value #MAX_FDS} open descriptors (they stay open here)
     * @throws IpcException as for {@link #send(byte[], int...)}
     */
    public void send(ByteBuffer data, int... fds) {
        int length = data.remaining();
        if (length == 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "send on " + description
                    + ": a message needs at least 1 byte of data (descriptors cannot travel alone)");
        }
        if (length > MAX_MESSAGE_BYTES) {
            throw new IpcException(IpcException.Reason.TOO_LARGE, "send on " + description + ": " + length
                    + " bytes; a message carries at most " + MAX_MESSAGE_BYTES);
        }
        if (fds.length > MAX_FDS) {
            throw new IpcException(IpcException.Reason.TOO_LARGE, "send on " + description + ": " + fds.length
                    + " descriptors; a message carries at most " + MAX_FDS);
        }
        for (int f : fds) {
            if (f < 0) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "send on " + description
                        + ": invalid descriptor " + f);
            }
        }
        synchronized (sendLock) {
            checkOpen();
            MemorySegment.copy(MemorySegment.ofBuffer(data), 0, sendBuffer, 0, length);
            MemorySegment message = sendBuffer.asSlice(0, length);
            Duration timeout = sendTimeout;
            long deadline = deadline(timeout);
            while (true) {
                try {
                    long n = PosixSockets.sendmsg(fd, message, fds, PosixSockets.MSG_NOSIGNAL | PosixSockets.MSG_DONTWAIT);
                    if (n != length) {
                        throw new IpcException(IpcException.Reason.OS_ERROR, "send on " + description + ": sent "
                                + n + " of " + length + " bytes of a message");
                    }
                    data.position(data.position() + length);
                    return;
                } catch (PosixException e) {
                    if (closed.get()) {
                        throw closedException("send");
                    }
                    if (e.errno() != Errno.EAGAIN) {
                        throw failure("send", e);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, "send on " + description + ": the peer (pid "
                            + peer.pid() + ") did not make room within " + timeout);
                }
                int events = PosixIo.poll(fd, PosixIo.POLLOUT, toMillis(left));
                if (closed.get()) {
                    throw closedException("send");
                }
                if ((events & PosixIo.POLLNVAL) != 0) {
                    throw closedException("send");
                }
            }
        }
    }

    /**
     * Sends a UTF-8 string with descriptors.
     *
     * @param text 1 to {@value #MAX_MESSAGE_BYTES} bytes once encoded
     * @param fds  0 to {@value #MAX_FDS} descriptors
     */
    public void send(String text, int... fds) {
        send(text.getBytes(StandardCharsets.UTF_8), fds);
    }

    /**
     * Waits up to {@code timeout} for the next message.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} to just look
     * @return the message; its descriptors are the caller's (see {@link ReceivedFds})
     * @throws IpcException TIMEOUT, PEER_CLOSED (the peer closed or died), TOO_LARGE (a foreign
     *                      sender's message exceeded the limits; its descriptors were closed), CLOSED
     */
    public FdMessage receive(Duration timeout) {
        long deadline = deadline(timeout);
        synchronized (receiveLock) {
            checkOpen();
            while (true) {
                long left = Math.max(0, deadline - System.nanoTime());
                int events = PosixIo.poll(fd, PosixIo.POLLIN, toMillis(left));
                if (closed.get() || (events & PosixIo.POLLNVAL) != 0) {
                    throw closedException("receive");
                }
                if (events == 0) {
                    if (deadline - System.nanoTime() > 0) {
                        continue; // poll rounds to milliseconds
                    }
                    throw new IpcException(IpcException.Reason.TIMEOUT, "receive on " + description
                            + ": no message within " + timeout);
                }
                ReceivedMessage m;
                try {
                    m = PosixSockets.recvmsg(fd, receiveBuffer, MAX_FDS,
                            PosixSockets.MSG_CMSG_CLOEXEC | PosixSockets.MSG_DONTWAIT);
                } catch (PosixException e) {
                    if (e.errno() == Errno.EAGAIN) {
                        continue;
                    }
                    throw failure("receive", e);
                } catch (IpcException e) {
                    throw new IpcException(e.reason(), "receive on " + description + ": " + e.getMessage(), e);
                }
                ReceivedFds fds = new ReceivedFds(m.fds());
                if (closed.get()) {
                    fds.close();
                    throw closedException("receive");
                }
                if (m.isEndOfStream()) {
                    fds.close();
                    throw new IpcException(IpcException.Reason.PEER_CLOSED, "receive on " + description
                            + ": the peer (pid " + peer.pid() + ") closed the connection or exited");
                }
                if (m.isTruncated()) {
                    fds.close();
                    throw new IpcException(IpcException.Reason.TOO_LARGE, "receive on " + description
                            + ": a message longer than " + MAX_MESSAGE_BYTES + " bytes was dropped (and its "
                            + m.fds().length + " descriptors closed)");
                }
                byte[] data = new byte[(int) m.bytes()];
                MemorySegment.copy(receiveBuffer, ValueLayout.JAVA_BYTE, 0, data, 0, data.length);
                return new FdMessage(data, fds);
            }
        }
    }

    /** @return true after {@link #close()} */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes the connection: the peer reads {@link IpcException.Reason#PEER_CLOSED}; threads
     * waiting here wake up with {@link IpcException.Reason#CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            PosixSockets.shutdown(fd, PosixSockets.SHUT_RDWR); // wakes poll() in other threads
        } catch (RuntimeException ignored) {
            // not connected any more: nothing to wake
        }
        synchronized (receiveLock) {
            synchronized (sendLock) {
                try {
                    PosixFiles.close(fd);
                } finally {
                    arena.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "FdChannel[" + description + ", peer " + peer + (closed.get() ? ", closed" : "") + "]";
    }

    private void checkOpen() {
        if (closed.get()) {
            throw closedException("use");
        }
    }

    private IpcException closedException(String what) {
        return new IpcException(IpcException.Reason.CLOSED, what + " on " + description + ": the channel is closed");
    }

    private IpcException failure(String what, PosixException e) {
        String who = e.reason() == IpcException.Reason.PEER_CLOSED
                ? ": the peer (pid " + peer.pid() + ") is gone: " : ": ";
        return new IpcException(e.reason(), what + " on " + description + who + e.getMessage(), e.errno(), e);
    }

    static long deadline(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 4;
        }
        return System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
    }

    static long toMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(IpcException.Reason.TIMEOUT, "interrupted while waiting", e);
        }
    }
}
