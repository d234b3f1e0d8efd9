package io.ipc4j.benchmarks.latency;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.ipc4j.IpcException;
import org.agrona.BitUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ping-pong through <a href="https://github.com/aeron-io/aeron">Aeron</a> IPC ({@code aeron:ipc}),
 * the best-known JVM messaging library, as a peer to compare ipc4j with.
 *
 * <p><b>Set-up.</b> The parent launches an embedded {@link MediaDriver} in a private directory
 * ({@code /dev/shm/ipc4j-bench-aeron-PID-...}, see {@link PeerDirs}; deleted on close), connects an
 * {@link Aeron} client to it and adds an exclusive publication on stream {@value #PING_STREAM} and
 * a subscription on stream {@value #PONG_STREAM}. The child gets the directory as its argument,
 * connects its own client to the same driver and does the reverse. Each message is
 * {@code max(8, size)} bytes with the sequence number (little-endian) in the first 8, like the
 * stream transports; messages longer than the MTU travel as fragments and are put back together by
 * a {@link FragmentAssembler}. The child copies each message out and offers the copy back.
 *
 * <p><b>Threads and cores.</b> Both endpoints busy-poll (offer and poll with
 * {@link Thread#onSpinWait()}), so they take the machine's two cores between them. The driver
 * must therefore not spin: it runs in {@link ThreadingMode#SHARED} (one thread for conductor,
 * sender and receiver) with a {@link BackoffIdleStrategy} that spins {@value #DRIVER_SPINS} times,
 * yields {@value #DRIVER_YIELDS} times, then parks from 1 µs up to {@value #DRIVER_MAX_PARK_US} µs.
 * That thread is idle almost all the time: IPC data goes straight from the publisher's log buffer to
 * the subscriber without the driver; the driver only moves the publication's flow-control limit
 * and keeps the clients alive, so a parked driver costs at most one park period when a publisher
 * reaches its limit. The term length (see {@link #termLength}) keeps the flow-control window
 * far ahead of what a round trip consumes, so that practically never happens. (The
 * {@code INVOKER} mode, where the parent's thread would run the driver's duty cycle itself, would
 * put driver work on the measured path; the clients' conductor threads sleep between their duty
 * cycles by default.)
 *
 * <p><b>Limits.</b> Aeron caps one message at 16 MiB and at an eighth of the term length, so
 * {@link #MAX_PAYLOAD} is 16 MiB; the term length grows with the payload (16 MiB up to 128 MiB per
 * term, three terms per direction, pre-allocated in the driver's directory).
 */
public final class AeronTransport implements Transport {
    /** The name on the command line. */
    public static final String NAME = "aeron-ipc";
    /** The channel both streams use. */
    static final String CHANNEL = "aeron:ipc";
    /** Parent to child. */
    static final int PING_STREAM = 1001;
    /** Child to parent. */
    static final int PONG_STREAM = 1002;
    /** Largest payload: Aeron's largest message. */
    public static final int MAX_PAYLOAD = 16 << 20;
    static final int DRIVER_SPINS = 10;
    static final int DRIVER_YIELDS = 5;
    static final long DRIVER_MAX_PARK_US = 1000;
    private static final int MIN_TERM_LENGTH = 16 << 20;
    private static final int CHECK_MASK = SpinTransport.CHECK_MASK;
    /** How long a closing parent client waits before unmapping (lets a thread still polling notice). */
    private static final long CLOSE_LINGER_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Creates the transport (stateless). */
    public AeronTransport() {
    }

    @Override
    public int maxPayloadSize() {
        return MAX_PAYLOAD;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Aeron " + io.aeron.AeronVersion.VERSION + " aeron:ipc, embedded media driver"
                + " (SHARED, backoff idle): a peer library";
    }

    /**
     * @param messageBytes bytes per message
     * @return the term length: a power of two &gt;= 16 MiB and &gt;= 8 times the message
     */
    static int termLength(int messageBytes) {
        return Math.max(MIN_TERM_LENGTH, BitUtil.findNextPositivePowerOfTwo(messageBytes * 8));
    }

    private static void checkPayload(long payload) {
        if (payload < 0 || payload > MAX_PAYLOAD) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    NAME + ": payload size must be 0.." + MAX_PAYLOAD + " bytes (Aeron's largest message), was " + payload);
        }
    }

    @Override
    public ParentEndpoint openParent(int payloadSize, Duration timeout) {
        checkPayload(payloadSize);
        int bytes = FifoTransport.messageBytes(payloadSize);
        Path dir = PeerDirs.create("aeron");
        Endpoint ep = new Endpoint(dir, bytes, timeout.toNanos());
        return Endpoints.opened(ep, ep::open);
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        ChildArgs.expect(NAME, args, "aeron directory", "message bytes");
        String dir = args.get(0);
        int bytes = ChildArgs.size(NAME, args, 1, "message size", Long.BYTES, MAX_PAYLOAD);
        long timeoutNanos = idleTimeout.toNanos();
        UnsafeBuffer echo = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes));
        int[] length = {-1};
        FragmentHandler copy = (buffer, offset, len, header) -> {
            int n = Math.min(len, bytes);
            echo.putBytes(0, buffer, offset, n);
            length[0] = len;
        };
        FragmentAssembler assembler = new FragmentAssembler(copy, bytes);
        Aeron.Context ctx = new Aeron.Context().aeronDirectoryName(dir);
        try (Aeron aeron = Aeron.connect(ctx);
             Subscription ping = aeron.addSubscription(CHANNEL, PING_STREAM);
             ExclusivePublication pong = aeron.addExclusivePublication(CHANNEL + "?term-length=" + termLength(bytes),
                     PONG_STREAM)) {
            long start = System.nanoTime();
            while (!ping.isConnected() || !pong.isConnected()) {
                if (!parent.isAlive()) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED, NAME + " child: the " + parent.description() + " is gone");
                }
                if (System.nanoTime() - start > timeoutNanos) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, NAME + " child: the streams did not connect within "
                            + idleTimeout.toMillis() + " ms");
                }
                sleepMillis(1);
            }
            echo.putLong(0, SpinLayout.READY, ByteOrder.LITTLE_ENDIAN);
            offer(pong, echo, bytes, parent, timeoutNanos, "child: ready message");
            while (true) {
                length[0] = -1;
                int spins = 0;
                long waitStart = 0;
                while (ping.poll(assembler, 1) == 0 || length[0] < 0) {
                    Thread.onSpinWait();
                    if ((++spins & CHECK_MASK) == 0) {
                        long now = System.nanoTime();
                        if (waitStart == 0) {
                            waitStart = now;
                        } else if (now - waitStart > timeoutNanos) {
                            throw new IpcException(IpcException.Reason.TIMEOUT, NAME + " child: no message from the "
                                    + parent.description() + " for " + idleTimeout.toMillis() + " ms");
                        }
                        if (!parent.isAlive() || ping.isClosed()) {
                            throw new IpcException(IpcException.Reason.PEER_CLOSED,
                                    NAME + " child: the " + parent.description() + " is gone");
                        }
                    }
                }
                if (length[0] != bytes) {
                    throw new IpcException(IpcException.Reason.CORRUPT, NAME + " child: a message of " + length[0]
                            + " bytes, expected " + bytes);
                }
                if (echo.getLong(0, ByteOrder.LITTLE_ENDIAN) == SpinLayout.STOP) {
                    return;
                }
                offer(pong, echo, bytes, parent, timeoutNanos, "child: echo");
            }
        }
    }

    /** Offers until accepted (the child's side; throws instead of returning a status). */
    private static void offer(ExclusivePublication pub, UnsafeBuffer buffer, int bytes, Peer peer, long timeoutNanos,
                              String what) {
        int spins = 0;
        long waitStart = 0;
        long r;
        while ((r = pub.offer(buffer, 0, bytes)) < 0) {
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new IpcException(IpcException.Reason.CLOSED, NAME + " " + what + ": publication closed (" + r + ")");
            }
            Thread.onSpinWait();
            if ((++spins & CHECK_MASK) == 0) {
                long now = System.nanoTime();
                if (waitStart == 0) {
                    waitStart = now;
                } else if (now - waitStart > timeoutNanos) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, NAME + " " + what + ": not accepted within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (" + r + ")");
                }
                if (!peer.isAlive()) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED, NAME + " " + what + ": the "
                            + peer.description() + " is gone");
                }
            }
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(IpcException.Reason.TIMEOUT, NAME + ": interrupted", e);
        }
    }

    /** The parent's side: owns the media driver, its directory, the parent's client and streams. */
    static final class Endpoint implements ParentEndpoint {
        private final Path dir;
        private final int bytes;
        private final long timeoutNanos;
        private final UnsafeBuffer out;
        private final UnsafeBuffer reply;
        private final FragmentAssembler assembler;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean closing;
        private MediaDriver driver;
        private Aeron aeron;
        private ExclusivePublication ping;
        private Subscription pong;
        private Peer child;
        private int replyLength = -1;

        Endpoint(Path dir, int bytes, long timeoutNanos) {
            this.dir = dir;
            this.bytes = bytes;
            this.timeoutNanos = timeoutNanos;
            this.out = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes));
            this.reply = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes));
            for (int i = Long.BYTES; i < bytes; i++) {
                out.putByte(i, (byte) i); // a recognisable payload after the sequence
            }
            this.assembler = new FragmentAssembler((buffer, offset, len, header) -> {
                reply.putBytes(0, buffer, offset, Math.min(len, this.bytes));
                replyLength = len;
            }, bytes);
        }

        /** Launches the driver, connects the parent's client, adds the two streams. */
        void open() {
            MediaDriver.Context dc = new MediaDriver.Context()
                    .aeronDirectoryName(dir.toString())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .warnIfDirectoryExists(false)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(DRIVER_SPINS, DRIVER_YIELDS,
                            TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(DRIVER_MAX_PARK_US)));
            try {
                driver = MediaDriver.launch(dc);
                aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString())
                        .closeLingerDurationNs(CLOSE_LINGER_NS));
                ping = aeron.addExclusivePublication(CHANNEL + "?term-length=" + termLength(bytes), PING_STREAM);
                pong = aeron.addSubscription(CHANNEL, PONG_STREAM);
            } catch (IpcException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, NAME + ": cannot start the embedded media driver in "
                        + dir + ": " + e, e);
            }
        }

        @Override
        public List<String> childArgs() {
            return List.of(dir.toString(), Integer.toString(bytes));
        }

        @Override
        public void awaitReady(Peer child, Duration startupTimeout) {
            if (closed.get()) {
                throw new IpcException(IpcException.Reason.CLOSED, NAME + ": endpoint closed");
            }
            this.child = child;
            long start = System.nanoTime();
            while (true) {
                replyLength = -1;
                if (pong.poll(assembler, 1) > 0 && replyLength >= 0) {
                    if (replyLength != bytes || reply.getLong(0, ByteOrder.LITTLE_ENDIAN) != SpinLayout.READY) {
                        throw new IpcException(IpcException.Reason.CORRUPT, NAME + ": the " + child.description()
                                + " sent " + replyLength + " bytes instead of its ready message");
                    }
                    return;
                }
                if (!child.isAlive()) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            NAME + ": the " + child.description() + " exited before it was ready");
                }
                if (System.nanoTime() - start > startupTimeout.toNanos()) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, NAME + ": the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms");
                }
                sleepMillis(2); // the child JVM is starting: leave it the CPU
            }
        }

        @Override
        public Status roundTrip(long sequence) {
            out.putLong(0, sequence, ByteOrder.LITTLE_ENDIAN);
            int spins = 0;
            long waitStart = 0;
            long r;
            while ((r = ping.offer(out, 0, bytes)) < 0) {
                if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED || closing) {
                    return Status.PEER_DEAD;
                }
                Thread.onSpinWait();
                if ((++spins & CHECK_MASK) == 0) {
                    long now = System.nanoTime();
                    if (waitStart == 0) {
                        waitStart = now;
                    } else if (now - waitStart > timeoutNanos) {
                        return Status.TIMED_OUT;
                    }
                    if (!child.isAlive()) {
                        return Status.PEER_DEAD;
                    }
                }
            }
            replyLength = -1;
            spins = 0;
            waitStart = 0;
            while (pong.poll(assembler, 1) == 0 || replyLength < 0) {
                Thread.onSpinWait();
                if ((++spins & CHECK_MASK) == 0) {
                    if (closing) {
                        return Status.PEER_DEAD;
                    }
                    long now = System.nanoTime();
                    if (waitStart == 0) {
                        waitStart = now;
                    } else if (now - waitStart > timeoutNanos) {
                        return Status.TIMED_OUT;
                    }
                    if (!child.isAlive()) {
                        return Status.PEER_DEAD;
                    }
                }
            }
            return replyLength == bytes && reply.getLong(0, ByteOrder.LITTLE_ENDIAN) == sequence ? Status.OK
                    : Status.TIMED_OUT;
        }

        /** @return a copy of the last message the child sent back */
        byte[] lastReply() {
            byte[] b = new byte[Math.max(0, replyLength)];
            reply.getBytes(0, b);
            return b;
        }

        @Override
        public void stop() {
            if (closed.get() || ping == null || child == null) {
                return;
            }
            out.putLong(0, SpinLayout.STOP, ByteOrder.LITTLE_ENDIAN);
            long start = System.nanoTime();
            // best effort, bounded: the child may be gone already
            while (ping.offer(out, 0, bytes) < 0 && !closing && System.nanoTime() - start < timeoutNanos
                    && child.isAlive()) {
                Thread.onSpinWait();
            }
        }

        /** Closes the streams, the client and the driver, then deletes the directory. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            closing = true;
            try {
                closeQuietly(ping);
                closeQuietly(pong);
                closeQuietly(aeron); // lingers CLOSE_LINGER_NS so that a thread still polling sees `closing` first
                closeQuietly(driver);
            } finally {
                PeerDirs.delete(dir);
            }
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (Exception ignored) {
                // releasing; the directory goes anyway
            }
        }
    }
}
