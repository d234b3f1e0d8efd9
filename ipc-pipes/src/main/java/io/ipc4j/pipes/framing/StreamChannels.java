package io.ipc4j.pipes.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Byte channels over plain streams such as a child process's standard streams
 * ({@link Process#getInputStream()}, {@link Process#getOutputStream()}), which have no channel of
 * their own. Each adapter copies through one heap array allocated up front (never per call); the
 * writer flushes after every write because process streams are buffered. Either may be closed
 * from another thread, which also closes the stream.
 */
public final class StreamChannels {
    private StreamChannels() {
    }

    /**
     * @param in         the stream (closed with the channel)
     * @param chunkBytes the largest single read, &gt; 0
     * @return a readable channel over {@code in}
     */
    public static ReadableByteChannel readable(InputStream in, int chunkBytes) {
        return new In(in, chunkBytes);
    }

    /**
     * @param out        the stream (closed with the channel)
     * @param chunkBytes the largest single write to the stream, &gt; 0
     * @return a writable channel over {@code out} that flushes after every write
     */
    public static WritableByteChannel flushing(OutputStream out, int chunkBytes) {
        return new Out(out, chunkBytes);
    }

    private static final class In implements ReadableByteChannel {
        private final InputStream in;
        private final byte[] chunk;
        private volatile boolean open = true;

        In(InputStream in, int chunkBytes) {
            this.in = Objects.requireNonNull(in, "in");
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

    private static final class Out implements WritableByteChannel {
        private final OutputStream out;
        private final byte[] chunk;
        private volatile boolean open = true;

        Out(OutputStream out, int chunkBytes) {
            this.out = Objects.requireNonNull(out, "out");
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
