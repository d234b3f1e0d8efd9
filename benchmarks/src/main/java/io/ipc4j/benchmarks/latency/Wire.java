package io.ipc4j.benchmarks.latency;

import io.ipc4j.pipes.framing.FramedChannel;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * How a {@link StreamTransport} puts messages on a blocking byte stream: as ipc4j frames
 * ({@link Framed}, a 4-byte length before each message) or bare ({@link Raw}: fixed-size messages
 * read with a read-fully loop, the C-style baseline). Not thread-safe: one thread sends and
 * receives.
 */
interface Wire {
    /**
     * Sends one message and blocks until it is written.
     *
     * @param message the bytes between position and limit; consumed
     * @throws IOException on a failed write (the raw wire)
     * @throws io.ipc4j.IpcException on a failed write (the framed wire)
     */
    void send(ByteBuffer message) throws IOException;

    /**
     * Blocks for the next message.
     *
     * @return the message between position and limit, little-endian, valid until the next call;
     *         {@code null} when the peer closed the stream between messages
     * @throws IOException on a failed read or end of stream inside a message (the raw wire)
     * @throws io.ipc4j.IpcException the same for the framed wire, or a malformed frame
     */
    ByteBuffer receive() throws IOException;

    /**
     * @param framed whether to frame messages
     * @param in     where messages come from
     * @param out    where they go
     * @param bytes  the size of every message (the frame maximum for the framed wire)
     * @return the wire; closing the channels is the caller's business
     */
    static Wire of(boolean framed, ReadableByteChannel in, WritableByteChannel out, int bytes) {
        return framed ? new Framed(FramedChannel.of(in, out, bytes)) : new Raw(in, out, bytes);
    }

    /** ipc4j frames through a {@link FramedChannel}: the reader's view is returned as is. */
    final class Framed implements Wire {
        private final FramedChannel channel;

        Framed(FramedChannel channel) {
            this.channel = channel;
        }

        @Override
        public void send(ByteBuffer message) {
            channel.writeFrame(message);
        }

        @Override
        public ByteBuffer receive() {
            return channel.readFrame();
        }
    }

    /** Fixed-size messages without any header: write-fully, read-fully into one buffer. */
    final class Raw implements Wire {
        private final ReadableByteChannel in;
        private final WritableByteChannel out;
        private final ByteBuffer buffer;

        Raw(ReadableByteChannel in, WritableByteChannel out, int bytes) {
            this.in = in;
            this.out = out;
            this.buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            while (message.hasRemaining()) {
                out.write(message);
            }
        }

        @Override
        public ByteBuffer receive() throws IOException {
            buffer.clear();
            while (buffer.hasRemaining()) {
                if (in.read(buffer) < 0) {
                    if (buffer.position() == 0) {
                        return null;
                    }
                    throw new EOFException("end of stream after " + buffer.position() + " of " + buffer.capacity()
                            + " message bytes");
                }
            }
            return buffer.flip();
        }
    }
}
