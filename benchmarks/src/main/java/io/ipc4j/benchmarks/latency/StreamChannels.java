package io.ipc4j.benchmarks.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Byte channels over a child process's standard streams ({@link Process#getInputStream()},
 * {@link Process#getOutputStream()}), which offer no channel of their own. Each adapter copies
 * through one heap array allocated up front (never per message), and the writer flushes after
 * every write because the process streams are buffered. The framed and the raw pipe transports
 * use the same adapters, so they differ only in framing.
 */
final class StreamChannels {
    /** The largest copy chunk. */
    static final int MAX_CHUNK = 1 << 20;

    private StreamChannels() {
    }

    /** @return the chunk size for messages of {@code bytes} (plus a frame header) */
    static int chunkFor(int bytes) {
        return (int) Math.min(MAX_CHUNK, Math.max(8192L, bytes + 4L));
    }

    /** A readable channel over an input stream. */
    static final class In implements ReadableByteChannel {
        private final InputStream in;
        private final byte[] chunk;
        private volatile boolean open = true;

        In(InputStream in, int chunkBytes) {
            this.in = in;
            this.chunk = new byte[chunkBytes];
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int want = Math.min(dst.remaining(), chunk.length);
            if (want == 0) {
                return 0;
            }
            int n = in.read(chunk, 0, want);
            if (n > 0) {
                dst.put(chunk, 0, n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            in.close();
        }
    }

    /** A writable channel over an output stream, flushed after every write. */
    static final class Out implements WritableByteChannel {
        private final OutputStream out;
        private final byte[] chunk;
        private volatile boolean open = true;

        Out(OutputStream out, int chunkBytes) {
            this.out = out;
            this.chunk = new byte[chunkBytes];
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int n = src.remaining();
            while (src.hasRemaining()) {
                int k = Math.min(chunk.length, src.remaining());
                src.get(chunk, 0, k);
                out.write(chunk, 0, k);
            }
            out.flush();
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            out.close();
        }
    }
}
