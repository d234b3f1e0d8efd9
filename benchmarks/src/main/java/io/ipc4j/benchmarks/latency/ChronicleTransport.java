package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ping-pong through two <a href="https://github.com/OpenHFT/Chronicle-Queue">Chronicle Queue</a>s
 * (memory-mapped, persisted message logs), a peer library to compare ipc4j with.
 *
 * <p><b>Set-up.</b> The parent creates a private directory ({@code /dev/shm/ipc4j-bench-chronicle-PID-...},
 * see {@link PeerDirs}; deleted on close) holding two queues, {@code ping} and {@code pong}, with an
 * appender on {@code ping} and a tailer on {@code pong}; the child (given the directory) opens the
 * same two queues the other way round. Each message is one excerpt of {@code max(8, size)} raw
 * bytes (no Wire encoding) with the sequence number (little-endian) in the first 8; the child reads
 * it into a byte array and appends that array to {@code pong}. Both tailers busy-poll
 * ({@link ExcerptTailer#readingDocument()} with {@link Thread#onSpinWait()}): one spinning thread
 * per side, and Chronicle starts no other busy thread here.
 *
 * <p><b>JVM requirements.</b> Chronicle reaches into JDK internals: both JVMs need
 * {@link #JVM_OPTIONS} (the harness passes them to the child through {@link #jvmOptions()};
 * {@code ./ipc4j} runs this transport's parent side in a class-path JVM started with them). Chronicle
 * reports usage to its vendor unless {@code chronicle.analytics.disable} is {@code true} before the
 * first Chronicle class loads: this class sets it in its static initializer (the registry
 * {@link Transports} creates it before any Chronicle class is touched) and passes it to the child.
 *
 * <p><b>Limits.</b> {@link #MAX_PAYLOAD} is 64 MiB; each queue's block size is at least 8 times the
 * message (16 MiB minimum). A queue is a persisted log: every message lands on pages never touched
 * before (tmpfs allocates and zeroes them), and a new cycle file starts every second; both show in
 * the latency, as they would in any use of Chronicle Queue as a transport.
 */
public final class ChronicleTransport implements Transport {
    /** The name on the command line. */
    public static final String NAME = "chronicle-queue";
    /** Largest payload per direction. */
    public static final int MAX_PAYLOAD = 64 << 20;
    /** The system property that keeps Chronicle from sending usage analytics. */
    public static final String ANALYTICS_PROPERTY = "chronicle.analytics.disable";

    /**
     * The options a JVM running Chronicle Queue needs on JDK 25 (class path): the opens and exports
     * of JDK internals Chronicle uses, no analytics, and SLF4J's "no provider" notice silenced.
     */
    public static final List<String> JVM_OPTIONS = List.of(
            // without it: IllegalAccessException on sun.nio.ch.UnixFileDispatcherImpl.map0 (mapping the queue files)
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            // without it: a warning, and Chronicle cannot free direct buffers through the JDK's cleaner
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            // jffi (under Chronicle's posix module) calls sun.misc.Unsafe memory methods: JDK 25 warns otherwise
            "--sun-misc-unsafe-memory-access=allow",
            "-D" + ANALYTICS_PROPERTY + "=true",
            "-Dslf4j.internal.verbosity=ERROR");

    static {
        System.setProperty(ANALYTICS_PROPERTY, "true");
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private static final String PING = "ping";
    private static final String PONG = "pong";
    private static final int MIN_BLOCK = 16 << 20;
    private static final int CHECK_MASK = SpinTransport.CHECK_MASK;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Creates the transport (stateless). */
    public ChronicleTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Chronicle Queue: two memory-mapped queues in /dev/shm, busy-polling tailers (a peer library)";
    }

    @Override
    public List<String> jvmOptions() {
        return JVM_OPTIONS;
    }

    @Override
    public boolean needsClassPath() {
        return true;
    }

    /** @return the block size of both queues for messages of {@code bytes} */
    static long blockSize(int bytes) {
        return Math.max(MIN_BLOCK, Long.highestOneBit(Math.max(1L, (long) bytes * 8 - 1)) << 1);
    }

    /**
     * Opens (or creates) one of the two queues. Cycle files roll every second
     * ({@link TestRollCycles#TEST_SECONDLY}); the process that tails a queue ({@code tailed}) deletes
     * each cycle file as soon as its tailer has left it, so /dev/shm holds about two seconds of
     * traffic per queue instead of the whole run (100,000 round trips of 4 MiB would be 800 GB).
     * Deleting is safe here: with one message in flight, a tailer leaves a cycle only after it
     * read its last excerpt, and the writer, one message ahead at most, has moved on already.
     */
    private static ChronicleQueue openQueue(Path dir, String name, int bytes, boolean tailed) {
        SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(dir.resolve(name))
                .blockSize(blockSize(bytes))
                .rollCycle(TestRollCycles.TEST_SECONDLY);
        if (tailed) {
            b.storeFileListener((cycle, file) -> file.delete());
        }
        return b.build();
    }

    @Override
    public ParentEndpoint openParent(int payloadSize, Duration timeout) {
        if (payloadSize < 0 || payloadSize > MAX_PAYLOAD) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    NAME + ": payload size must be 0.." + MAX_PAYLOAD + " bytes, was " + payloadSize);
        }
        int bytes = FifoTransport.messageBytes(payloadSize);
        Path dir = PeerDirs.create("chronicle");
        Endpoint ep = new Endpoint(dir, bytes, timeout.toNanos());
        return Endpoints.opened(ep, ep::open);
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        ChildArgs.expect(NAME, args, "queue directory", "message bytes");
        Path dir = Path.of(args.get(0));
        int bytes = ChildArgs.size(NAME, args, 1, "message size", Long.BYTES, MAX_PAYLOAD);
        long timeoutNanos = idleTimeout.toNanos();
        byte[] echo = new byte[bytes];
        try (ChronicleQueue ping = openQueue(dir, PING, bytes, true); ChronicleQueue pong = openQueue(dir, PONG, bytes, false);
             ExcerptTailer in = ping.createTailer(); ExcerptAppender out = pong.createAppender()) {
            LONG_LE.set(echo, 0, SpinLayout.READY);
            append(out, echo);
            while (true) {
                int spins = 0;
                long waitStart = 0;
                int length;
                while ((length = read(in, echo)) < 0) {
                    Thread.onSpinWait();
                    if ((++spins & CHECK_MASK) == 0) {
                        long now = System.nanoTime();
                        if (waitStart == 0) {
                            waitStart = now;
                        } else if (now - waitStart > timeoutNanos) {
                            throw new IpcException(IpcException.Reason.TIMEOUT, NAME + " child: no message from the "
                                    + parent.description() + " for " + idleTimeout.toMillis() + " ms");
                        }
                        if (!parent.isAlive()) {
                            throw new IpcException(IpcException.Reason.PEER_CLOSED,
                                    NAME + " child: the " + parent.description() + " is gone");
                        }
                    }
                }
                if (length != bytes) {
                    throw new IpcException(IpcException.Reason.CORRUPT, NAME + " child: a message of " + length
                            + " bytes, expected " + bytes);
                }
                if ((long) LONG_LE.get(echo, 0) == SpinLayout.STOP) {
                    return;
                }
                append(out, echo);
            }
        }
    }

    /** Appends {@code message} as one excerpt of raw bytes. */
    private static void append(ExcerptAppender appender, byte[] message) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(message, 0, message.length);
        }
    }

    /**
     * Reads the next excerpt into {@code into} (at most its length).
     *
     * @return the excerpt's length, or -1 when there is none yet
     */
    private static int read(ExcerptTailer tailer, byte[] into) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return -1;
            }
            Bytes<?> b = dc.wire().bytes();
            long n = b.readRemaining();
            b.read(into, 0, (int) Math.min(n, into.length));
            return (int) Math.min(n, Integer.MAX_VALUE);
        }
    }

    /** The parent's side: owns the two queues and their directory. */
    static final class Endpoint implements ParentEndpoint {
        private final Path dir;
        private final int bytes;
        private final long timeoutNanos;
        private final byte[] out;
        private final byte[] reply;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean closing;
        private ChronicleQueue ping;
        private ChronicleQueue pong;
        private ExcerptAppender appender;
        private ExcerptTailer tailer;
        private Peer child;
        private int replyLength = -1;

        Endpoint(Path dir, int bytes, long timeoutNanos) {
            this.dir = dir;
            this.bytes = bytes;
            this.timeoutNanos = timeoutNanos;
            this.out = new byte[bytes];
            this.reply = new byte[bytes];
            for (int i = Long.BYTES; i < bytes; i++) {
                out[i] = (byte) i; // a recognisable payload after the sequence
            }
        }

        void open() {
            try {
                ping = openQueue(dir, PING, bytes, false);
                pong = openQueue(dir, PONG, bytes, true);
                appender = ping.createAppender();
                tailer = pong.createTailer();
            } catch (RuntimeException | LinkageError e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, NAME + ": cannot create the queues in " + dir
                        + ": " + e, e);
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
            while ((replyLength = read(tailer, reply)) < 0) {
                if (!child.isAlive()) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            NAME + ": the " + child.description() + " exited before it was ready");
                }
                if (System.nanoTime() - start > startupTimeout.toNanos()) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, NAME + ": the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms");
                }
                try {
                    Thread.sleep(2); // the child JVM is starting: leave it the CPU
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IpcException(IpcException.Reason.TIMEOUT, NAME + ": interrupted waiting for the child", e);
                }
            }
            if (replyLength != bytes || (long) LONG_LE.get(reply, 0) != SpinLayout.READY) {
                throw new IpcException(IpcException.Reason.CORRUPT, NAME + ": the " + child.description() + " sent "
                        + replyLength + " bytes instead of its ready message");
            }
        }

        @Override
        public Status roundTrip(long sequence) {
            LONG_LE.set(out, 0, sequence);
            append(appender, out);
            int spins = 0;
            long waitStart = 0;
            while ((replyLength = read(tailer, reply)) < 0) {
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
            return replyLength == bytes && (long) LONG_LE.get(reply, 0) == sequence ? Status.OK : Status.TIMED_OUT;
        }

        /** @return a copy of the last message the child sent back */
        byte[] lastReply() {
            return java.util.Arrays.copyOf(reply, Math.max(0, replyLength));
        }

        @Override
        public void stop() {
            if (closed.get() || appender == null) {
                return;
            }
            LONG_LE.set(out, 0, SpinLayout.STOP);
            try {
                append(appender, out);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }

        /** Closes both queues and deletes their directory. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            closing = true;
            try {
                closeQuietly(tailer);
                closeQuietly(appender);
                closeQuietly(ping);
                closeQuietly(pong);
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
                // releasing (Chronicle may refuse a close from another thread); the directory goes anyway
            }
        }
    }
}
