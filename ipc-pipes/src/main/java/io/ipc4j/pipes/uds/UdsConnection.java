package io.ipc4j.pipes.uds;

import io.ipc4j.pipes.framing.FramedChannel;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * One connected Unix domain socket with frames on it, from {@link UdsServer#accept()} or
 * {@link UdsClient#connect}. One thread may read while another writes. The raw
 * {@link #channel()} is there for unframed use (baselines); do not mix both on one connection.
 */
public final class UdsConnection implements AutoCloseable {
    private final ByteChannel channel;
    private final FramedChannel framed;
    private final PeerCredentials peer;
    private final UdsAddress address;

    UdsConnection(ByteChannel channel, int maxFrameBytes, PeerCredentials peer, UdsAddress address) {
        this.channel = channel;
        this.framed = FramedChannel.of(channel, maxFrameBytes);
        this.peer = peer;
        this.address = address;
    }

    /** @return the peer's credentials as recorded by the kernel */
    public PeerCredentials peer() {
        return peer;
    }

    /** @return the server address this connection belongs to */
    public UdsAddress address() {
        return address;
    }

    /**
     * Blocks for the next frame; see {@link io.ipc4j.pipes.framing.FrameReader#readFrame()}.
     *
     * @return the payload view (valid until the next read), or {@code null} when the peer closed
     */
    public ByteBuffer readFrame() {
        return framed.readFrame();
    }

    /**
     * Writes one frame; see {@link io.ipc4j.pipes.framing.FrameWriter#writeFrame(ByteBuffer)}.
     *
     * @param payload the bytes between position and limit
     */
    public void writeFrame(ByteBuffer payload) {
        framed.writeFrame(payload);
    }

    /**
     * Writes one frame.
     *
     * @param payload the whole array
     */
    public void writeFrame(byte[] payload) {
        framed.writeFrame(payload);
    }

    /** @return the frame reader and writer */
    public FramedChannel framed() {
        return framed;
    }

    /** @return the blocking byte channel underneath (a {@code SocketChannel} or an {@code FdByteChannel}) */
    public ByteChannel channel() {
        return channel;
    }

    /** @return true until closed (by either side's error or {@link #close()}) */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        framed.close();
    }

    @Override
    public String toString() {
        return "UdsConnection[" + address + ", peer " + peer + "]";
    }
}
