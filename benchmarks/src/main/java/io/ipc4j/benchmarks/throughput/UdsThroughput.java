package io.ipc4j.benchmarks.throughput;

import io.ipc4j.IpcException;
import io.ipc4j.pipes.uds.PeerPolicy;
import io.ipc4j.pipes.uds.UdsAddress;
import io.ipc4j.pipes.uds.UdsConnection;
import io.ipc4j.pipes.uds.UdsServer;
import io.ipc4j.process.JvmCommand;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One-way streaming throughput of ipc4j frames over a Unix domain socket between this JVM and a
 * child JVM ({@link UdsThroughputChild}).
 *
 * <pre>{@code
 * ThroughputResult r = UdsThroughput.run(1 << 20, 2000, 200, Duration.ofSeconds(10));
 * System.out.printf("%.2f GB/s%n", r.gbPerSecond());
 * }</pre>
 *
 * <p>The parent binds a {@link UdsServer} in a private temporary directory, starts the child,
 * and writes {@code warmup + frames} frames of {@code frameBytes} back to back from one buffer
 * (allocated once). Each frame carries marks the child checks: its index in the first 8 bytes and
 * {@link #mark} of it in the middle and at the end (so a lost, repeated or torn frame fails the run
 * without the child reading every byte). After the last frame the child answers with the count and
 * the sum of the marks, which the parent verifies; the clock runs from the first measured frame to
 * that answer, so bytes still in the socket buffer are not counted as moved.
 *
 * <p>Bounded: a guard thread ends the run ({@code TIMEOUT}) when no frame went out and no answer
 * came for {@code timeout}, or ({@code PEER_CLOSED}) when the child dies; the child is always
 * killed and the socket and directory removed. Call from a thread that outlives the run (the
 * child's parent-death signal fires when the spawning thread exits).
 */
public final class UdsThroughput {
    /** Prefix of the child's one-line error message. */
    static final String CHILD_ERROR_PREFIX = "ipc4j throughput child: ";
    /** Prefix of the temporary directory holding the socket. */
    static final String DIR_PREFIX = "ipc4j-bench-thr-";
    /** Bytes of the child's answer: frames read, sum of marks. */
    static final int ACK_BYTES = 16;
    /** Child JVM options: small heap, serial collector. */
    static final List<String> CHILD_JVM_OPTIONS = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC");

    private UdsThroughput() {
    }

    /** @return the mark of frame {@code index}: a cheap mix the child can recompute */
    static long mark(long index) {
        long z = index * 0x9E37_79B9_7F4A_7C15L;
        return z ^ (z >>> 31);
    }

    /**
     * Checks frame {@code index} as the child sees it.
     *
     * @return its mark
     * @throws IpcException CORRUPT when the size, index or marks are wrong
     */
    static long check(ByteBuffer f, long index, int frameBytes) {
        int p = f.position();
        if (f.remaining() != frameBytes || f.getLong(p) != index
                || (frameBytes >= 24 && (f.getLong(p + middle(frameBytes)) != mark(index)
                || f.getLong(p + frameBytes - Long.BYTES) != mark(index)))) {
            throw new IpcException(IpcException.Reason.CORRUPT, "frame " + index + " is wrong (" + f.remaining()
                    + " bytes, index field " + (f.remaining() >= 8 ? f.getLong(p) : -1) + ")");
        }
        return mark(index);
    }

    /** @return the frame maximum for both directions: the data frames, and the 16-byte answer */
    static int maxFrame(int frameBytes) {
        return Math.max(ACK_BYTES, frameBytes);
    }

    private static int middle(int frameBytes) {
        return frameBytes / 2 & ~7;
    }

    /**
     * Streams frames to a child JVM and measures the rate.
     *
     * @param frameBytes payload bytes per frame, 8..256 MiB
     * @param frames     measured frames, &gt;= 1
     * @param warmup     frames sent before the clock starts, &gt;= 0
     * @param timeout    the longest the run may go without progress
     * @return the result
     * @throws IpcException INVALID_ARGUMENT for bad numbers; TIMEOUT, PEER_CLOSED, CORRUPT when the
     *                      child stalls, dies or reports a wrong count
     */
    public static ThroughputResult run(int frameBytes, long frames, long warmup, Duration timeout) {
        if (frameBytes < Long.BYTES || frameBytes > 256 << 20 || frames < 1 || warmup < 0
                || frames > Long.MAX_VALUE / 4 - warmup || timeout.isNegative() || timeout.isZero()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "throughput: size must be 8 B..256 MiB, "
                    + "messages >= 1, warmup >= 0, timeout > 0; got " + frameBytes + ", " + frames + ", " + warmup
                    + ", " + timeout);
        }
        Path dir;
        Path log;
        try {
            dir = Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
            log = Files.createTempFile(DIR_PREFIX + "child-", ".log");
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "throughput: cannot create temporary files: " + e, e);
        }
        Process child = null;
        Guard guard = null;
        Path socket = dir.resolve("s");
        try (UdsServer server = UdsServer.bind(UdsAddress.path(socket), PeerPolicy.sameUser(), maxFrame(frameBytes))) {
            long total = warmup + frames;
            List<String> cmd = JvmCommand.forMain(UdsThroughputChild.class).jvmOptions(CHILD_JVM_OPTIONS)
                    .args(socket.toString(), Integer.toString(frameBytes), Long.toString(total),
                            Long.toString(ProcessHandle.current().pid())).build();
            child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            guard = new Guard(child, timeout.toNanos(), server);
            UdsConnection c = guard.watch(server.accept());
            try (c) {
                ByteBuffer frame = ByteBuffer.allocateDirect(frameBytes).order(ByteOrder.LITTLE_ENDIAN);
                long start = 0;
                for (long i = 0; i < total; i++) {
                    if (i == warmup) {
                        start = System.nanoTime();
                    }
                    frame.clear().putLong(0, i);
                    if (frameBytes >= 24) {
                        frame.putLong(middle(frameBytes), mark(i)).putLong(frameBytes - Long.BYTES, mark(i));
                    }
                    c.writeFrame(frame);
                    guard.progress();
                }
                ByteBuffer ack = c.readFrame();
                long nanos = System.nanoTime() - start;
                long sum = 0;
                for (long i = 0; i < total; i++) {
                    sum += mark(i);
                }
                if (ack == null || ack.remaining() != ACK_BYTES || ack.getLong(ack.position()) != total
                        || ack.getLong(ack.position() + 8) != sum) {
                    throw new IpcException(IpcException.Reason.CORRUPT, "throughput: the child's answer does not match "
                            + total + " frames");
                }
                return new ThroughputResult("uds", frameBytes, frames, nanos);
            }
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "throughput: cannot start the child JVM: " + e, e);
        } catch (IpcException e) {
            if (guard != null && guard.verdict != null) {
                throw new IpcException(guard.verdict, "throughput: " + (guard.verdict == IpcException.Reason.TIMEOUT
                        ? "no progress for " + timeout.toMillis() + " ms" : "the child JVM died") + childSaid(log), e);
            }
            throw new IpcException(e.reason(), e.getMessage() + childSaid(log), e);
        } finally {
            if (guard != null) {
                guard.stop();
            }
            if (child != null) {
                try {
                    if (!child.waitFor(5, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                        child.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    child.destroyForcibly();
                }
            }
            try {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(dir);
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // temporary files; not worth failing the run
            }
        }
    }

    private static String childSaid(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            for (String line : text.lines().toList().reversed()) {
                if (line.startsWith(CHILD_ERROR_PREFIX)) {
                    return "; child said: " + line;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no log
        }
        return "";
    }

    /** Closes the server and the connection when the run makes no progress or the child dies. */
    private static final class Guard {
        private final Process child;
        private final long limitNanos;
        private final UdsServer server;
        private final Thread thread;
        private volatile UdsConnection connection;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean stopped;
        volatile IpcException.Reason verdict;

        Guard(Process child, long limitNanos, UdsServer server) {
            this.child = child;
            this.limitNanos = limitNanos;
            this.server = server;
            this.thread = Thread.ofPlatform().daemon().name("ipc4j-throughput-guard").start(this::watch);
        }

        UdsConnection watch(UdsConnection c) {
            connection = c;
            if (verdict != null) {
                c.close();
            }
            progress();
            return c;
        }

        void progress() {
            lastProgress = System.nanoTime();
        }

        private void watch() {
            while (!stopped) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                if (stopped) {
                    return;
                }
                if (!child.isAlive()) {
                    trip(IpcException.Reason.PEER_CLOSED);
                    return;
                }
                if (System.nanoTime() - lastProgress > limitNanos) {
                    trip(IpcException.Reason.TIMEOUT);
                    child.destroyForcibly();
                    return;
                }
            }
        }

        private void trip(IpcException.Reason why) {
            verdict = why;
            server.close();
            UdsConnection c = connection;
            if (c != null) {
                c.close();
            }
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }
    }
}
