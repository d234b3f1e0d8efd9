package io.ipc4j.pipes.fifo;

import io.ipc4j.posix.FdByteChannel;
import io.ipc4j.posix.PosixIo;

import java.nio.file.Path;

/**
 * One end of a FIFO opened by {@link NamedFifo}: readable or writable, never both. Blocking
 * semantics as in the {@linkplain io.ipc4j.pipes.fifo package table}; closing it from another
 * thread ends a blocked read or write.
 */
public final class FifoChannel extends FdByteChannel {
    private final Path path;
    private final boolean readSide;

    FifoChannel(int fd, Path path, boolean readSide) {
        super(fd, "fifo " + path + (readSide ? " (read end)" : " (write end)"));
        this.path = path;
        this.readSide = readSide;
    }

    /** @return the FIFO's path */
    public Path path() {
        return path;
    }

    /** @return true for the read end, false for the write end */
    public boolean isReadSide() {
        return readSide;
    }

    /**
     * {@code read(2)} returns 0 both when every writer has gone and when no writer has come yet.
     * Linux tells them apart in {@code poll}: {@code POLLHUP} is reported to a reader only after
     * a writer it could have seen has left. Without it, keep waiting for the first writer.
     */
    @Override
    protected boolean endOfStream() {
        return (PosixIo.poll(fd(), PosixIo.POLLIN, 0) & PosixIo.POLLHUP) != 0;
    }

    @Override
    public int read(java.nio.ByteBuffer dst) throws java.io.IOException {
        if (!readSide) {
            throw new java.nio.channels.NonReadableChannelException();
        }
        return super.read(dst);
    }

    @Override
    public int write(java.nio.ByteBuffer src) throws java.io.IOException {
        if (readSide) {
            throw new java.nio.channels.NonWritableChannelException();
        }
        return super.write(src);
    }
}
