package io.ipc4j.pipes.framing;

import io.ipc4j.IpcException.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;

/**
 * Reads length-prefixed frames (see the {@linkplain io.ipc4j.pipes.framing package} for the
 * format) from a byte channel, correctly under partial reads.
 *
 * <p>Bytes are read in large chunks into one internal direct buffer, so a stream of small frames
 * costs one {@code read} system call per chunk, not two per frame. The buffer starts at 8 KiB and
 * grows by doubling, only while a frame's bytes actually arrive, never beyond
 * {@code 4 + maxFrameBytes}: a peer that announces a huge frame and sends nothing costs no memory.
 *
 * <p>A returned frame is a read-only view of the internal buffer: its payload lies between its
 * position and limit, in little-endian order, and it is valid only until the next call on this
 * reader. Copy it to keep it. Not thread-safe: one thread reads.
 */
public final class FrameReader implements AutoCloseable {
    /** Bytes of the length prefix. */
    public static final int HEADER_BYTES = 4;
    /** The default maximum payload: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
    /** The largest maximum a reader accepts (a Java buffer must hold header + payload). */
    public static final int LARGEST_MAX_FRAME_BYTES = Integer.MAX_VALUE - 8 - HEADER_BYTES;
    private static final int INITIAL_BUFFER_BYTES = 8 * 1024;

    private final ReadableByteChannel channel;
    private final int maxFrameBytes;
    private ByteBuffer buffer;
    private ByteBuffer view;
    private int start;            // first unconsumed byte
    private int end;              // one past the last byte read
    private int pending = -1;     // payload length of the frame at 'start' once its header is parsed

    /**
     * @param channel       the source; blocking for {@link #readFrame()}, non-blocking for
     *                      {@link #readAvailable()}
     * @param maxFrameBytes the largest payload accepted, 0..{@link #LARGEST_MAX_FRAME_BYTES}
     */
    public FrameReader(ReadableByteChannel channel, int maxFrameBytes) {
        this.channel = java.util.Objects.requireNonNull(channel, "channel");
        this.maxFrameBytes = FrameErrors.checkMax(maxFrameBytes);
        setBuffer(ByteBuffer.allocateDirect((int) Math.min(INITIAL_BUFFER_BYTES, HEADER_BYTES + (long) maxFrameBytes)));
    }

    /**
     * A reader over a stream, e.g. {@link Process#getInputStream()} or {@code System.in}.
     *
     * @param in            the stream (closed with the reader)
     * @param maxFrameBytes the largest payload accepted
     * @return the reader
     */
    public static FrameReader of(InputStream in, int maxFrameBytes) {
        return new FrameReader(Channels.newChannel(in), maxFrameBytes);
    }

    /** @return the largest payload this reader accepts */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** @return the underlying channel */
    public ReadableByteChannel channel() {
        return channel;
    }

    /**
     * Blocks until a whole frame has arrived.
     *
     * @return the payload (a view valid until the next call), or {@code null} when the peer closed
     *         the stream cleanly between frames
     * @throws io.ipc4j.IpcException TOO_LARGE, CORRUPT, PEER_CLOSED (end of stream mid-frame),
     *                               CLOSED or OS_ERROR; the channel is closed
     */
    public ByteBuffer readFrame() {
        while (true) {
            ByteBuffer frame = nextFrame();
            if (frame != null) {
                return frame;
            }
            ReadStatus s = fill(true);
            if (s == ReadStatus.END_OF_STREAM) {
                return null;
            }
        }
    }

    /**
     * Non-blocking step for selector loops: one {@code read} from the channel (none when a
     * complete frame is already buffered).
     *
     * @return whether a frame is ready, more bytes are needed, or the stream ended cleanly
     * @throws io.ipc4j.IpcException as {@link #readFrame()}; the channel is closed
     */
    public ReadStatus readAvailable() {
        parseHeader();
        if (frameReady()) {
            return ReadStatus.FRAME_READY;
        }
        return fill(false);
    }

    /**
     * The next complete frame already buffered, without reading from the channel.
     *
     * @return the payload (a view valid until the next call), or {@code null} when no complete
     *         frame is buffered
     * @throws io.ipc4j.IpcException TOO_LARGE or CORRUPT for a bad length; the channel is closed
     */
    public ByteBuffer nextFrame() {
        parseHeader();
        if (!frameReady()) {
            return null;
        }
        int from = start + HEADER_BYTES;
        int to = from + pending;
        view.limit(to).position(from);
        start = to;
        pending = -1;
        return view;
    }

    /**
     * @return the size of the internal buffer now: 8 KiB at first, grown only while the bytes of
     *         a large frame arrive, never above {@code 4 + maxFrameBytes}
     */
    public int bufferCapacity() {
        return buffer.capacity();
    }

    /** @return bytes buffered but not yet returned as frames */
    public int bufferedBytes() {
        return end - start;
    }

    private boolean frameReady() {
        return pending >= 0 && end - start >= HEADER_BYTES + pending;
    }

    private void parseHeader() {
        if (pending >= 0 || end - start < HEADER_BYTES) {
            return;
        }
        int length = buffer.getInt(start);
        if (length < 0) {
            throw FrameErrors.fail(channel, Reason.CORRUPT, "frame length is negative: " + length
                    + " (0x" + Integer.toHexString(length) + "); not an ipc4j frame stream");
        }
        if (length > maxFrameBytes) {
            throw FrameErrors.fail(channel, Reason.TOO_LARGE, "frame of " + length
                    + " bytes exceeds the maximum of " + maxFrameBytes + " bytes");
        }
        pending = length;
    }

    private ReadStatus fill(boolean blocking) {
        makeRoom();
        int n;
        try {
            buffer.limit(buffer.capacity()).position(end);
            n = channel.read(buffer);
        } catch (IOException e) {
            throw FrameErrors.io(channel, "reading a frame", e);
        }
        if (n < 0) {
            int have = end - start;
            if (have == 0) {
                return ReadStatus.END_OF_STREAM;
            }
            if (have < HEADER_BYTES) {
                throw FrameErrors.fail(channel, Reason.PEER_CLOSED,
                        "peer closed the stream after " + have + " of " + HEADER_BYTES + " length bytes");
            }
            throw FrameErrors.fail(channel, Reason.PEER_CLOSED, "peer closed the stream after "
                    + (have - HEADER_BYTES) + " of " + pending + " payload bytes");
        }
        if (n == 0 && blocking && channel instanceof SelectableChannel sc && !sc.isBlocking()) {
            throw new IllegalStateException("readFrame() needs a blocking channel; use readAvailable() in a selector loop");
        }
        end += n;
        parseHeader();
        return frameReady() ? ReadStatus.FRAME_READY : ReadStatus.NEED_MORE;
    }

    // Ensures the buffer has free space after 'end' for the bytes of the current frame.
    private void makeRoom() {
        if (start == end) {
            start = 0;
            end = 0;
        }
        long needed = pending >= 0 ? HEADER_BYTES + (long) pending : HEADER_BYTES;
        if (end < buffer.capacity() && start + needed <= buffer.capacity()) {
            return;
        }
        if (start > 0) {                          // move the partial frame to the front
            buffer.limit(end).position(start);
            buffer.compact();
            end -= start;
            start = 0;
        }
        if (end == buffer.capacity()) {           // full of one partial frame: grow with what arrived
            int grown = (int) Math.min(needed, Math.max(2L * buffer.capacity(), INITIAL_BUFFER_BYTES));
            ByteBuffer bigger = ByteBuffer.allocateDirect(grown);
            buffer.limit(end).position(0);
            bigger.put(buffer);
            setBuffer(bigger);
        }
    }

    private void setBuffer(ByteBuffer b) {
        buffer = b.order(ByteOrder.LITTLE_ENDIAN);
        view = buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Closes the channel. */
    @Override
    public void close() {
        FrameErrors.closeQuietly(channel);
    }
}
