package io.ipc4j.posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking {@link ByteChannel} over a raw file descriptor (pipe, FIFO, socket) that it owns.
 *
 * <p>The descriptor is switched to {@code O_NONBLOCK}; blocking is done in {@link PosixIo#poll}
 * in slices of {@link #POLL_SLICE_MILLIS}, so {@link #close()} from another thread ends a blocked
 * {@link #read}/{@link #write} (with {@link AsynchronousCloseException}) within one slice, and the
 * descriptor number is released only after the last call using it has returned (no fd-reuse race).
 * Reads return as soon as some bytes are there; writes return only when every byte is written.
 *
 * <p>One reading thread and one writing thread may use the channel at the same time. Errors of
 * the OS arrive as {@link IOException}s whose cause is the {@link PosixException} (so
 * {@code EPIPE}/{@code ECONNRESET} carry reason {@code PEER_CLOSED}). Thread interrupts are not
 * observed: close the channel to stop a blocked call.
 */
public class FdByteChannel implements ByteChannel {
    /** How long one poll waits before checking whether the channel was closed. */
    public static final int POLL_SLICE_MILLIS = 100;
    private static final int BOUNCE_BYTES = 64 * 1024;

    private final int fd;
    private final String description;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean closed;
    // heap buffers cannot reach native code: they go through this (one per direction, GC-managed)
    private MemorySegment readBounce;
    private MemorySegment writeBounce;

    /**
     * Takes ownership of {@code fd} and makes it non-blocking.
     *
     * @param fd          an open descriptor
     * @param description what it is, for messages (e.g. {@code "fifo /tmp/x (read)"})
     */
    public FdByteChannel(int fd, String description) {
        this.fd = fd;
        this.description = description;
        PosixIo.setNonBlocking(fd, true);
    }

    /** @return the descriptor (valid while the channel is open) */
    public int fd() {
        return fd;
    }

    /** @return what the descriptor is, as given at construction */
    public String description() {
        return description;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        enter();
        try {
            if (!dst.hasRemaining()) {
                return 0;
            }
            while (true) {
                long n;
                if (dst.isDirect()) {
                    n = PosixIo.read(fd, MemorySegment.ofBuffer(dst));
                    if (n > 0) {
                        dst.position(dst.position() + (int) n);
                    }
                } else {
                    if (readBounce == null) {
                        readBounce = Arena.ofAuto().allocate(BOUNCE_BYTES);
                    }
                    MemorySegment b = readBounce.asSlice(0, Math.min(BOUNCE_BYTES, dst.remaining()));
                    n = PosixIo.read(fd, b);
                    if (n > 0) {
                        dst.put(b.asSlice(0, n).asByteBuffer());
                    }
                }
                if (n > 0) {
                    return (int) n;
                }
                if (n == 0 && endOfStream()) {
                    return -1;
                }
                await(PosixIo.POLLIN);
            }
        } catch (io.ipc4j.IpcException e) {
            throw new IOException(description + ": " + e.getMessage(), e);
        } finally {
            leave();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        enter();
        try {
            int total = 0;
            while (src.hasRemaining()) {
                long n;
                if (src.isDirect()) {
                    n = PosixIo.write(fd, MemorySegment.ofBuffer(src));
                    if (n > 0) {
                        src.position(src.position() + (int) n);
                    }
                } else {
                    if (writeBounce == null) {
                        writeBounce = Arena.ofAuto().allocate(BOUNCE_BYTES);
                    }
                    int chunk = Math.min(BOUNCE_BYTES, src.remaining());
                    MemorySegment b = writeBounce.asSlice(0, chunk);
                    b.copyFrom(MemorySegment.ofBuffer(src.slice(src.position(), chunk)));
                    n = PosixIo.write(fd, b);
                    if (n > 0) {
                        src.position(src.position() + (int) n);
                    }
                }
                if (n > 0) {
                    total += (int) n;
                } else {
                    await(PosixIo.POLLOUT);
                }
            }
            return total;
        } catch (io.ipc4j.IpcException e) {
            throw new IOException(description + ": " + e.getMessage(), e);
        } finally {
            leave();
        }
    }

    /**
     * Called when {@code read(2)} returned 0: is that really the end of the stream? Pipes and
     * sockets say yes (the default); a FIFO reader opened before any writer says no and waits.
     *
     * @return true to report end of stream, false to wait for data and read again
     */
    protected boolean endOfStream() {
        return true;
    }

    private void await(int events) throws AsynchronousCloseException {
        while (true) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            if (PosixIo.poll(fd, events, POLL_SLICE_MILLIS) != 0) {
                return;
            }
        }
    }

    private void enter() throws ClosedChannelException {
        inFlight.incrementAndGet();
        if (closed) {
            leave();
            throw new ClosedChannelException();
        }
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0 && closed) {
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            PosixFiles.close(fd);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Closes the channel; the descriptor is closed once no call uses it any more. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (inFlight.get() == 0) {
            release();
        }
    }

    @Override
    public String toString() {
        return "FdByteChannel[" + description + ", fd " + fd + (closed ? ", closed" : "") + "]";
    }
}
