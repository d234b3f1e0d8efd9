package io.ipc4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@link OutputStream} that forwards UTF-8 bytes to a {@link PrintWriter} line by line, so
 * library code that reports to a {@link PrintStream} (the demo, the harnesses) writes to the
 * command line's own output, which tests capture. Bytes are buffered until a newline or
 * {@link #flush()}; the stream from {@link #printStream} flushes after each whole print, so
 * multi-byte characters are not split. Thread-safe.
 */
public final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private byte[] buf = new byte[256];
    private int len;

    /**
     * @param writer where the text goes
     */
    public WriterOutputStream(PrintWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * @param writer where the text goes
     * @return an auto-flushing UTF-8 print stream writing to {@code writer}
     */
    public static PrintStream printStream(PrintWriter writer) {
        return new PrintStream(new WriterOutputStream(writer), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, len * 2);
        }
        buf[len++] = (byte) b;
        if (b == '\n') {
            drain();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int n) {
        Objects.checkFromIndexSize(off, n, b.length);
        for (int i = off; i < off + n; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() {
        drain();
    }

    @Override
    public void close() {
        flush();
    }

    private void drain() {
        if (len > 0) {
            writer.write(new String(buf, 0, len, StandardCharsets.UTF_8));
            len = 0;
        }
        writer.flush();
    }
}
