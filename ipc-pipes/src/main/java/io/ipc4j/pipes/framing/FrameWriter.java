package io.ipc4j.pipes.framing;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Writes length-prefixed frames (see the {@linkplain io.ipc4j.pipes.framing package} for the
 * format) to a byte channel, correctly under partial writes.
 *
 * <p>One frame costs one {@code write} system call when the channel takes it whole: payloads up
 * to {@link #COPY_THRESHOLD_BYTES} are copied behind their length into a staging buffer; larger
 * ones go out with a gathering write (header + payload, one {@code writev}) when the channel is a
 * {@link GatheringByteChannel}, or as two writes otherwise.
 *
 * <p>Blocking channels use {@link #writeFrame}. Non-blocking channels (selector loops) use
 * {@link #enqueue} and {@link #flush}: frames are copied into an outbound queue whose unsent tail
 * survives partial writes. A payload larger than the maximum is refused with {@code TOO_LARGE}
 * before a byte is written, so the stream stays usable; an I/O failure closes the channel.
 * Not thread-safe: one thread writes.
 */
public final class FrameWriter implements AutoCloseable {
    /** Payloads up to this size are copied so header and payload leave in one {@code write}. */
    public static final int COPY_THRESHOLD_BYTES = 4096;
    /** Default bound of the outbound queue of {@link #enqueue}. */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 1 << 20;

    private final WritableByteChannel channel;
    private final GatheringByteChannel gathering;
    private final int maxFrameBytes;
    private final int maxQueuedBytes;
    private final ByteBuffer header = ByteBuffer.allocateDirect(FrameReader.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer[] pair = new ByteBuffer[2];
    private final ByteBuffer staging =
            ByteBuffer.allocateDirect(FrameReader.HEADER_BYTES + COPY_THRESHOLD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer queue;     // outbound bytes in [0, position): kept in write mode between calls

    /**
     * @param channel       the destination
     * @param maxFrameBytes the largest payload this writer sends
     */
    public FrameWriter(WritableByteChannel channel, int maxFrameBytes) {
        this(channel, maxFrameBytes, DEFAULT_MAX_QUEUED_BYTES);
    }

    /**
     * @param channel        the destination
     * @param maxFrameBytes  the largest payload this writer sends
     * @param maxQueuedBytes how many unsent bytes {@link #enqueue} may hold (one frame is always
     *                       accepted into an empty queue)
     */
    public FrameWriter(WritableByteChannel channel, int maxFrameBytes, int maxQueuedBytes) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.gathering = channel instanceof GatheringByteChannel g ? g : null;
        this.maxFrameBytes = FrameErrors.checkMax(maxFrameBytes);
        if (maxQueuedBytes < 0) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "negative queue bound " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
        pair[0] = header;
    }

    /**
     * A writer over a stream, e.g. {@link Process#getOutputStream()} or {@code System.out}; the
     * stream is flushed after every frame.
     *
     * @param out           the stream (closed with the writer)
     * @param maxFrameBytes the largest payload this writer sends
     * @return the writer
     */
    public static FrameWriter of(OutputStream out, int maxFrameBytes) {
        return new FrameWriter(StreamChannels.flushing(out, 8192), maxFrameBytes);
    }

    /** @return the largest payload this writer sends */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** @return the underlying channel */
    public WritableByteChannel channel() {
        return channel;
    }

    /**
     * Writes one frame and blocks until all of it is written (after anything still queued).
     *
     * @param payload the bytes between position and limit; consumed (position = limit)
     * @throws IpcException TOO_LARGE (nothing written, channel stays open); PEER_CLOSED, CLOSED or
     *                      OS_ERROR (channel closed)
     */
    public void writeFrame(ByteBuffer payload) {
        int length = checkLength(payload);
        if (queue != null && queue.position() > 0) {
            drainQueueBlocking();
        }
        try {
            if (length <= COPY_THRESHOLD_BYTES) {
                staging.clear();
                staging.putInt(length).put(payload).flip();
                writeFully(staging);
            } else if (gathering != null) {
                header.clear();
                header.putInt(length).flip();
                pair[1] = payload;
                try {
                    while (payload.hasRemaining() || header.hasRemaining()) {
                        if (gathering.write(pair) == 0) {
                            nonBlockingMisuse();
                        }
                    }
                } finally {
                    pair[1] = null;
                }
            } else {
                header.clear();
                header.putInt(length).flip();
                writeFully(header);
                writeFully(payload);
            }
        } catch (IOException e) {
            throw FrameErrors.io(channel, "writing a frame of " + length + " bytes", e);
        }
    }

    /**
     * Copies one frame into the outbound queue (non-blocking channels); send it with
     * {@link #flush()}.
     *
     * @param payload the bytes between position and limit; consumed when accepted
     * @return true when queued, false when the queue already holds {@code maxQueuedBytes}
     *         (back-pressure: flush first; the payload is untouched)
     * @throws IpcException TOO_LARGE when the payload exceeds the maximum frame size
     */
    public boolean enqueue(ByteBuffer payload) {
        int length = checkLength(payload);
        int frameBytes = FrameReader.HEADER_BYTES + length;
        int queued = queue == null ? 0 : queue.position();
        if (queued > 0 && (long) queued + frameBytes > maxQueuedBytes) {
            return false;
        }
        if (queue == null || queue.remaining() < frameBytes) {
            int cap = queue == null ? 4096 : queue.capacity();
            long need = (long) queued + frameBytes;
            while (cap < need) {
                cap = (int) Math.min(Integer.MAX_VALUE - 8, 2L * cap);
            }
            ByteBuffer bigger = ByteBuffer.allocateDirect(cap).order(ByteOrder.LITTLE_ENDIAN);
            if (queue != null) {
                queue.flip();
                bigger.put(queue);
            }
            queue = bigger;
        }
        queue.putInt(length).put(payload);
        return true;
    }

    /**
     * Writes as much of the outbound queue as the channel takes now.
     *
     * @return true when the queue is empty, false when bytes remain (wait for writability)
     * @throws IpcException PEER_CLOSED, CLOSED or OS_ERROR; the channel is closed
     */
    public boolean flush() {
        if (queue == null || queue.position() == 0) {
            return true;
        }
        queue.flip();
        try {
            while (queue.hasRemaining()) {
                if (channel.write(queue) == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw FrameErrors.io(channel, "flushing " + queue.remaining() + " queued bytes", e);
        } finally {
            queue.compact();
        }
        return queue.position() == 0;
    }

    /** @return bytes queued by {@link #enqueue} and not yet written */
    public int queuedBytes() {
        return queue == null ? 0 : queue.position();
    }

    private void drainQueueBlocking() {
        while (!flush()) {
            nonBlockingMisuse();
        }
    }

    private int checkLength(ByteBuffer payload) {
        int length = payload.remaining();
        if (length > maxFrameBytes) {
            throw new IpcException(Reason.TOO_LARGE, "frame of " + length + " bytes exceeds the maximum of "
                    + maxFrameBytes + " bytes; nothing was written");
        }
        return length;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.write(b) == 0) {
                nonBlockingMisuse();
            }
        }
    }

    private void nonBlockingMisuse() {
        if (channel instanceof SelectableChannel sc && !sc.isBlocking()) {
            throw new IllegalStateException("writeFrame() needs a blocking channel; use enqueue()/flush() in a selector loop");
        }
        Thread.onSpinWait();   // a blocking channel that wrote nothing: try again
    }

    /** Closes the channel. */
    @Override
    public void close() {
        FrameErrors.closeQuietly(channel);
    }
}
