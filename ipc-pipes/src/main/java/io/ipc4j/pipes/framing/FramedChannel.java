package io.ipc4j.pipes.framing;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channel;
import java.util.Objects;

/**
 * A bidirectional frame stream: a {@link FrameReader} and a {@link FrameWriter} over one
 * {@link ByteChannel} (a socket) or over two one-way channels (a child process's stdout and
 * stdin, a pair of pipes). One thread may read while another writes.
 *
 * <pre>{@code
 * Process p = new ProcessBuilder(cmd).start();
 * try (FramedChannel child = FramedChannel.of(p.getInputStream(), p.getOutputStream(), 1 << 20)) {
 *     child.writeFrame(ByteBuffer.wrap(request));
 *     ByteBuffer reply = child.readFrame();      // null: the child closed its stdout
 * }
 * }</pre>
 */
public final class FramedChannel implements AutoCloseable {
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Channel[] channels;

    private FramedChannel(FrameReader reader, FrameWriter writer, Channel... channels) {
        this.reader = reader;
        this.writer = writer;
        this.channels = channels;
    }

    /**
     * @param channel       a blocking two-way channel (socket); closed with this object
     * @param maxFrameBytes the largest payload in either direction
     * @return the framed channel
     */
    public static FramedChannel of(ByteChannel channel, int maxFrameBytes) {
        Objects.requireNonNull(channel, "channel");
        return new FramedChannel(new FrameReader(channel, maxFrameBytes), new FrameWriter(channel, maxFrameBytes), channel);
    }

    /**
     * @param in            where frames come from (e.g. a child's stdout)
     * @param out           where frames go (e.g. a child's stdin); flushed after every frame
     * @param maxFrameBytes the largest payload in either direction
     * @return the framed channel; closing it closes both streams
     */
    public static FramedChannel of(InputStream in, OutputStream out, int maxFrameBytes) {
        FrameReader r = FrameReader.of(in, maxFrameBytes);
        FrameWriter w = FrameWriter.of(out, maxFrameBytes);
        return new FramedChannel(r, w, r.channel(), w.channel());
    }

    /**
     * @param in            a blocking readable channel
     * @param out           a blocking writable channel
     * @param maxFrameBytes the largest payload in either direction
     * @return the framed channel; closing it closes both channels
     */
    public static FramedChannel of(java.nio.channels.ReadableByteChannel in, java.nio.channels.WritableByteChannel out,
                                   int maxFrameBytes) {
        return new FramedChannel(new FrameReader(in, maxFrameBytes), new FrameWriter(out, maxFrameBytes), in, out);
    }

    /**
     * Blocks for the next frame; see {@link FrameReader#readFrame()}.
     *
     * @return the payload view (valid until the next read), or {@code null} at a clean end of stream
     */
    public ByteBuffer readFrame() {
        return reader.readFrame();
    }

    /**
     * Writes one frame; see {@link FrameWriter#writeFrame(ByteBuffer)}.
     *
     * @param payload the bytes between position and limit
     */
    public void writeFrame(ByteBuffer payload) {
        writer.writeFrame(payload);
    }

    /**
     * Writes one frame from an array.
     *
     * @param payload the whole array is the payload
     */
    public void writeFrame(byte[] payload) {
        writer.writeFrame(ByteBuffer.wrap(payload));
    }

    /** @return the reading half */
    public FrameReader reader() {
        return reader;
    }

    /** @return the writing half */
    public FrameWriter writer() {
        return writer;
    }

    /** @return true while every underlying channel is open */
    public boolean isOpen() {
        for (Channel c : channels) {
            if (!c.isOpen()) {
                return false;
            }
        }
        return true;
    }

    /** Closes the underlying channel(s). Idempotent. */
    @Override
    public void close() {
        for (Channel c : channels) {
            FrameErrors.closeQuietly(c);
        }
    }
}
