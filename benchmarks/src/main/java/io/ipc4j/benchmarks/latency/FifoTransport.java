package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ping-pong over two named FIFOs ({@code mkfifo}) in a private temporary directory: {@code ping}
 * carries parent to child, {@code pong} child to parent. Each message is {@code max(8, size)}
 * bytes, the sequence number (little-endian) in the first 8; the child writes back what it read.
 * Plain blocking {@code read}/{@code write} through {@link FileChannel} and direct buffers: the
 * kernel-wake baseline the futex transport is compared against. No framing beyond fixed sizes.
 *
 * <p><b>Opening without the FIFO trap.</b> {@code open(O_RDONLY)} of a FIFO blocks until a writer
 * opens it, and vice versa, so two processes opening in the wrong order deadlock, and a peer that
 * dies before opening hangs the other forever. Instead each side first opens a <i>keeper</i>
 * {@code O_RDWR} (on Linux this never blocks and counts as both a reader and a writer), then its
 * real end (which now finds a counterpart and does not block either), and closes the keeper once
 * the other side is known to be connected: the parent after the child's ready message, the child
 * right after opening. From then on only the real ends remain, so a peer's death shows as
 * end-of-file (reader) or {@code EPIPE} (writer).
 *
 * <p><b>Bounded waits.</b> A blocking read has no timeout, so an {@link IoWatchdog} closes the
 * channel when a read lasts longer than the timeout or the peer dies while it waits (the only
 * case end-of-file cannot report: the parent while it still holds its keeper during start-up,
 * or a peer that hangs without dying).
 *
 * <p>{@link ParentEndpoint#close()} closes every channel and deletes both FIFOs and the
 * directory ({@code $TMPDIR/ipc4j-bench-fifo-*}); a SIGKILLed parent leaves that directory behind.
 */
public final class FifoTransport implements Transport {
    /** The name on the command line. */
    public static final String NAME = "fifo";
    /** Prefix of the temporary directory holding the two FIFOs. */
    static final String DIR_PREFIX = "ipc4j-bench-fifo-";

    /** Creates the transport (stateless). */
    public FifoTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "blocking read/write over two named FIFOs (mkfifo): the kernel-wake baseline";
    }

    /** @return bytes on the wire per message and direction */
    static int messageBytes(int payload) {
        return Math.max(Long.BYTES, payload);
    }

    @Override
    public ParentEndpoint openParent(int payloadSize, Duration timeout) {
        SpinLayout.checkPayload(payloadSize);
        Path dir;
        try {
            dir = Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "fifo: cannot create a temporary directory: " + e, e);
        }
        Endpoint ep = new Endpoint(dir, messageBytes(payloadSize), timeout.toNanos());
        return Endpoints.opened(ep, ep::open);
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        ChildArgs.expect("fifo", args, "ping FIFO", "pong FIFO", "message bytes");
        int bytes = ChildArgs.size("fifo", args, 2, "message size", Long.BYTES, SpinLayout.MAX_PAYLOAD);
        Path pingPath = Path.of(args.get(0));
        Path pongPath = Path.of(args.get(1));
        FileChannel in;
        FileChannel out;
        try {
            in = openWithKeeper(pingPath, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "fifo child: cannot open " + pingPath + ": " + e, e);
        }
        try {
            out = openWithKeeper(pongPath, StandardOpenOption.WRITE);
        } catch (IOException e) {
            closeQuietly(in);
            throw new IpcException(IpcException.Reason.OS_ERROR, "fifo child: cannot open " + pongPath + ": " + e, e);
        }
        long timeoutNanos = idleTimeout.toNanos();
        ByteBuffer buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try (in; out; IoWatchdog watchdog = new IoWatchdog("ipc4j-fifo-child-watchdog", in, parent)) {
            buf.putLong(0, SpinLayout.READY);
            writeFully(out, buf);
            while (true) {
                buf.clear();
                watchdog.begin(timeoutNanos);
                boolean eof;
                try {
                    eof = !readFully(in, buf);
                } catch (ClosedChannelException e) {
                    if (watchdog.verdict() == IoWatchdog.Verdict.TIMED_OUT) {
                        throw new IpcException(IpcException.Reason.TIMEOUT, "fifo child: no message from the "
                                + parent.description() + " for " + idleTimeout.toMillis() + " ms");
                    }
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            "fifo child: the " + parent.description() + " is gone");
                } finally {
                    watchdog.end();
                }
                if (eof) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            "fifo child: the " + parent.description() + " closed the FIFO");
                }
                if (buf.getLong(0) == SpinLayout.STOP) {
                    return;
                }
                buf.flip();
                writeFully(out, buf);
            }
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.PEER_CLOSED, "fifo child: " + e, e);
        }
    }

    /**
     * Opens the real end {@code mode} of a FIFO without blocking: a keeper opened read-write first
     * (never blocks on Linux) supplies the missing counterpart, and is closed again at once.
     */
    private static FileChannel openWithKeeper(Path fifo, StandardOpenOption mode) throws IOException {
        if (!Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new IOException(fifo + " is not a FIFO");
        }
        try (FileChannel keeper = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return FileChannel.open(fifo, mode);
        }
    }

    /** @return false on end-of-file before the buffer was full */
    static boolean readFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // releasing after a failure
        }
    }

    /** The parent's side: owns the directory, both FIFOs and the channels. */
    static final class Endpoint implements ParentEndpoint {
        private final Path dir;
        private final Path pingPath;
        private final Path pongPath;
        private final int bytes;
        private final long timeoutNanos;
        private final ByteBuffer out;
        private final ByteBuffer in;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile FileChannel pingOut;
        private volatile FileChannel pongIn;
        private volatile FileChannel pingKeeper;
        private volatile FileChannel pongKeeper;
        private volatile IoWatchdog watchdog;

        Endpoint(Path dir, int bytes, long timeoutNanos) {
            this.dir = dir;
            this.pingPath = dir.resolve("ping");
            this.pongPath = dir.resolve("pong");
            this.bytes = bytes;
            this.timeoutNanos = timeoutNanos;
            this.out = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.in = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = Long.BYTES; i < bytes; i++) {
                out.put(i, (byte) i); // a recognisable payload after the sequence
            }
        }

        /** Makes the FIFOs and opens the parent's ends (and keepers) without blocking. */
        void open() {
            try {
                PosixFiles.mkfifo(pingPath.toString(), 0600);
                PosixFiles.mkfifo(pongPath.toString(), 0600);
            } catch (PosixException e) {
                throw new IpcException(e.reason(), "fifo: mkfifo in " + dir + ": " + e.getMessage(), e.errno(), e);
            }
            try {
                pingKeeper = FileChannel.open(pingPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
                pingOut = FileChannel.open(pingPath, StandardOpenOption.WRITE);
                pongKeeper = FileChannel.open(pongPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
                pongIn = FileChannel.open(pongPath, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, "fifo: cannot open the FIFOs in " + dir + ": " + e, e);
            }
        }

        @Override
        public List<String> childArgs() {
            return List.of(pingPath.toString(), pongPath.toString(), Integer.toString(bytes));
        }

        /** @return the last message read back from the child (position 0, limit = message bytes) */
        ByteBuffer lastReply() {
            return in.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void awaitReady(Peer child, Duration startupTimeout) {
            if (closed.get()) {
                throw new IpcException(IpcException.Reason.CLOSED, "fifo: endpoint closed");
            }
            watchdog = new IoWatchdog("ipc4j-fifo-parent-watchdog", pongIn, child);
            in.clear();
            watchdog.begin(startupTimeout.toNanos());
            boolean full;
            try {
                full = readFully(pongIn, in);
            } catch (IOException e) {
                IoWatchdog.Verdict v = watchdog.verdict();
                if (v == IoWatchdog.Verdict.TIMED_OUT) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, "fifo: the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms", e);
                }
                if (v == IoWatchdog.Verdict.PEER_DEAD) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            "fifo: the " + child.description() + " exited before it was ready", e);
                }
                throw new IpcException(IpcException.Reason.CLOSED, "fifo: waiting for the child: " + e, e);
            } finally {
                watchdog.end();
            }
            if (!full || in.getLong(0) != SpinLayout.READY) {
                throw new IpcException(IpcException.Reason.CORRUPT, "fifo: the " + child.description()
                        + " sent " + (full ? "0x" + Long.toHexString(in.getLong(0)) : "a short message")
                        + " instead of its ready message");
            }
            // the child holds its ends now: drop the keepers so its death reads as EOF / EPIPE
            closeQuietly(pingKeeper);
            closeQuietly(pongKeeper);
        }

        @Override
        public Status roundTrip(long sequence) {
            out.clear();
            out.putLong(0, sequence);
            in.clear();
            try {
                writeFully(pingOut, out);
                watchdog.begin(timeoutNanos);
                try {
                    if (!readFully(pongIn, in)) {
                        return Status.PEER_DEAD;
                    }
                } finally {
                    watchdog.end();
                }
            } catch (IOException e) {
                // EPIPE (child gone), or the watchdog / close() closed the channel
                return watchdog.verdict() == IoWatchdog.Verdict.TIMED_OUT ? Status.TIMED_OUT : Status.PEER_DEAD;
            }
            return in.getLong(0) == sequence ? Status.OK : Status.TIMED_OUT;
        }

        @Override
        public void stop() {
            if (closed.get()) {
                return;
            }
            out.clear();
            out.putLong(0, SpinLayout.STOP);
            try {
                writeFully(pingOut, out);
            } catch (IOException ignored) {
                // best effort: the child may be gone already
            }
        }

        /** Closes every channel (unblocking a reader), deletes both FIFOs and the directory. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            IoWatchdog w = watchdog;
            if (w != null) {
                w.close();
            }
            closeQuietly(pongIn);
            closeQuietly(pingOut);
            closeQuietly(pingKeeper);
            closeQuietly(pongKeeper);
            try {
                Files.deleteIfExists(pingPath);
                Files.deleteIfExists(pongPath);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, "fifo: cannot remove " + dir + ": " + e, e);
            }
        }
    }
}
