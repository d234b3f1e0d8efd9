package io.ipc4j.pipes.framing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * A test channel over a byte array that moves at most {@code step} bytes per read or write, to
 * exercise partial reads and writes. Reads come from the given bytes; writes are collected.
 */
class TrickleChannel implements ByteChannel {
    private final byte[] in;
    private final int step;
    private int readPos;
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private boolean open = true;
    int reads;
    int bytesRead;
    int writes;

    TrickleChannel(byte[] in, int step) {
        this.in = in;
        this.step = step;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        reads++;
        if (readPos == in.length) {
            return -1;
        }
        int n = Math.min(step, Math.min(dst.remaining(), in.length - readPos));
        dst.put(in, readPos, n);
        readPos += n;
        bytesRead += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        writes++;
        int n = Math.min(step, src.remaining());
        for (int i = 0; i < n; i++) {
            out.write(src.get());
        }
        return n;
    }

    byte[] written() {
        return out.toByteArray();
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
