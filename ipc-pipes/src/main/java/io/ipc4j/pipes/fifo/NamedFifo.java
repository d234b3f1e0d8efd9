package io.ipc4j.pipes.fifo;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.FileStat;
import io.ipc4j.posix.OpenFlags;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A named pipe on the file system: {@link #create} makes it (mode 0600) and owns it (closing the
 * {@code NamedFifo} unlinks it); the static {@link #openRead(Path)} / {@link #openWrite(Path, Duration)}
 * open either end of any FIFO without ever blocking in {@code open(2)} (see the
 * {@linkplain io.ipc4j.pipes.fifo package table}).
 *
 * <pre>{@code
 * try (NamedFifo fifo = NamedFifo.create(dir.resolve("commands"));
 *      FifoChannel in = fifo.openRead()) {                       // returns at once
 *     // a peer: NamedFifo.openWrite(path, Duration.ofSeconds(5))
 *     FrameReader frames = new FrameReader(in, 64 * 1024);
 * }
 * }</pre>
 *
 * <p>Opens use {@code O_NOFOLLOW} (a symbolic link in place of the FIFO is refused) and check
 * that what was opened is a FIFO; everything is close-on-exec.
 */
public final class NamedFifo implements AutoCloseable {
    /** Default permission bits: owner read/write only. */
    public static final int DEFAULT_MODE = 0600;
    private static final long MAX_RETRY_SLEEP_NANOS = 20_000_000L;

    private final Path path;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NamedFifo(Path path) {
        this.path = path;
    }

    /**
     * {@code mkfifo(path, 0600)}.
     *
     * @param path where to create it
     * @return the owner; closing it unlinks the FIFO
     * @throws IpcException ALREADY_EXISTS when anything exists at {@code path}, NOT_FOUND when
     *                      the directory does not, PERMISSION_DENIED
     */
    public static NamedFifo create(Path path) {
        return create(path, DEFAULT_MODE);
    }

    /**
     * {@code mkfifo(path, mode)} (the process umask still applies).
     *
     * @param path where to create it
     * @param mode permission bits, e.g. {@code 0600}
     * @return the owner; closing it unlinks the FIFO
     */
    public static NamedFifo create(Path path, int mode) {
        Objects.requireNonNull(path, "path");
        if ((mode & ~0777) != 0) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "FIFO mode 0" + Integer.toOctalString(mode)
                    + " has bits outside 0777");
        }
        PosixFiles.mkfifo(path.toString(), mode);
        return new NamedFifo(path);
    }

    /** @return the FIFO's path */
    public Path path() {
        return path;
    }

    /**
     * Opens the read end of this FIFO; see {@link #openRead(Path)}.
     *
     * @return the read end
     */
    public FifoChannel openRead() {
        return openRead(path);
    }

    /**
     * Opens the write end of this FIFO; see {@link #openWrite(Path, Duration)}.
     *
     * @param timeout how long to wait for a reader
     * @return the write end
     */
    public FifoChannel openWrite(Duration timeout) {
        return openWrite(path, timeout);
    }

    /**
     * Opens the read end of a FIFO. Never blocks: a reader needs no writer to open. Reads then
     * wait for a writer (no false end of stream before the first one) and return end of stream
     * after the last writer has closed.
     *
     * @param path an existing FIFO
     * @return the read end
     * @throws IpcException NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT (not a FIFO, or a link)
     */
    public static FifoChannel openRead(Path path) {
        int fd = PosixFiles.open(path.toString(),
                OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC | OpenFlags.O_NOFOLLOW, 0);
        return new FifoChannel(checkFifo(fd, path), path, true);
    }

    /**
     * Opens the write end of a FIFO, waiting at most {@code timeout} for a reader. Linux refuses
     * a non-blocking writer without a reader ({@code ENXIO}); this retries, sleeping 1 ms growing
     * to 20 ms, until a reader has opened the FIFO.
     *
     * @param path    an existing FIFO
     * @param timeout how long to wait for a reader (zero: try once)
     * @return the write end
     * @throws IpcException TIMEOUT when no reader came in time; NOT_FOUND, PERMISSION_DENIED,
     *                      INVALID_ARGUMENT (not a FIFO, or a link)
     */
    public static FifoChannel openWrite(Path path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 1_000_000L;
        while (true) {
            try {
                int fd = PosixFiles.open(path.toString(),
                        OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC | OpenFlags.O_NOFOLLOW, 0);
                return new FifoChannel(checkFifo(fd, path), path, false);
            } catch (PosixException e) {
                if (e.errno() != Errno.ENXIO) {
                    throw e;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IpcException(Reason.TIMEOUT, "open FIFO " + path + " for writing: no reader opened it within "
                            + timeout.toMillis() + " ms", Errno.ENXIO, e);
                }
                LockSupport.parkNanos(Math.min(sleep, left));
                sleep = Math.min(2 * sleep, MAX_RETRY_SLEEP_NANOS);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new IpcException(Reason.CLOSED, "open FIFO " + path + " for writing: interrupted");
                }
            }
        }
    }

    private static int checkFifo(int fd, Path path) {
        FileStat st;
        try {
            st = PosixFiles.fstat(fd);
        } catch (RuntimeException e) {
            PosixFiles.close(fd);
            throw e;
        }
        if (!st.isFifo()) {
            PosixFiles.close(fd);
            throw new IpcException(Reason.INVALID_ARGUMENT, path + " is not a FIFO (mode 0"
                    + Integer.toOctalString(st.mode()) + ")");
        }
        return fd;
    }

    /** Unlinks the FIFO (open ends keep working). Idempotent; a FIFO already gone is fine. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                PosixFiles.unlink(path.toString());
            } catch (PosixException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "NamedFifo[" + path + (closed.get() ? ", unlinked" : "") + "]";
    }
}
