package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.shm.SharedSegment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.ipc4j.benchmarks.latency.SpinLayout.LONG;
import static io.ipc4j.benchmarks.latency.SpinLayout.PING_SEQ;
import static io.ipc4j.benchmarks.latency.SpinLayout.PONG_SEQ;

/**
 * Busy-spinning ping-pong through a shared segment ({@link SpinLayout}): each side publishes a
 * sequence number with a release store and polls the other's with acquire loads and
 * {@link Thread#onSpinWait()}. No system call on the hot path: the floor for every other
 * transport. It burns one core per side, so it is only meaningful with at least two cores.
 */
public final class SpinTransport implements Transport {
    /** The name on the command line. */
    public static final String NAME = "spin";
    /** The name of the payload-free variant: sequence words only, the shared-cache-line floor. */
    public static final String FLOOR_NAME = "spin-floor";

    private final boolean floor;

    /** Spins between two liveness/deadline checks (a power of two minus one, used as a mask). */
    static final int CHECK_MASK = (1 << 12) - 1;

    private static final AtomicLong COUNTER = new AtomicLong();

    /** Creates the transport (stateless). */
    public SpinTransport() {
        this(false);
    }

    private SpinTransport(boolean floor) {
        this.floor = floor;
    }

    /**
     * @return the variant that carries no payload whatever the size asked for: two sequence words
     *         on their own cache lines, ping-ponged; the floor of any shared-memory transport
     */
    public static SpinTransport floor() {
        return new SpinTransport(true);
    }

    @Override
    public String name() {
        return floor ? FLOOR_NAME : NAME;
    }

    @Override
    public String description() {
        return floor ? "sequence words only, no payload: the raw shared-cache-line floor"
                : "busy-spin on sequence words in a shared segment, payload copied in and out";
    }

    @Override
    public ParentEndpoint openParent(int requestedPayload, Duration timeout) {
        int payloadSize = floor ? 0 : requestedPayload;
        long size = SpinLayout.segmentSize(payloadSize);
        String name = "ipc4j-bench-spin-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                + "-" + COUNTER.incrementAndGet();
        SharedSegment segment = SharedSegment.create(name, size);
        try {
            SpinLayout.writeHeader(segment.memory(), payloadSize);
            return new Endpoint(segment, payloadSize, timeout.toNanos());
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        if (args.size() != 1) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "spin child: expected 1 argument (segment name), got " + args);
        }
        String name = args.getFirst();
        long timeoutNanos = idleTimeout.toNanos();
        try (SharedSegment segment = SharedSegment.open(name)) {
            MemorySegment mem = segment.memory();
            int payload = SpinLayout.readHeader(mem, name);
            long ping = SpinLayout.pingPayload();
            long pong = SpinLayout.pongPayload(payload);
            LONG.setRelease(mem, PONG_SEQ, SpinLayout.READY);
            long last = 0;
            while (true) {
                long seq;
                int spins = 0;
                long waitStart = 0;
                while ((seq = (long) LONG.getAcquire(mem, PING_SEQ)) == last) {
                    Thread.onSpinWait();
                    if ((++spins & CHECK_MASK) == 0) {
                        long now = System.nanoTime();
                        if (waitStart == 0) {
                            waitStart = now;
                        } else if (now - waitStart > timeoutNanos) {
                            throw new IpcException(IpcException.Reason.TIMEOUT, "spin child: no message from the "
                                    + parent.description() + " for " + idleTimeout.toMillis() + " ms");
                        }
                        if (!parent.isAlive()) {
                            throw new IpcException(IpcException.Reason.PEER_CLOSED,
                                    "spin child: the " + parent.description() + " is gone");
                        }
                    }
                }
                if (seq == SpinLayout.STOP) {
                    return;
                }
                if (payload > 0) {
                    MemorySegment.copy(mem, ping, mem, pong, payload);      // the echo: one copy
                }
                LONG.setRelease(mem, PONG_SEQ, seq);
                last = seq;
            }
        }
    }

    /** The parent's side: owns (and on close unlinks) the segment. */
    private static final class Endpoint implements ParentEndpoint {
        private final SharedSegment segment;
        private final MemorySegment mem;
        private final int payload;
        private final long timeoutNanos;
        private final Arena localArena = Arena.ofShared();
        private final MemorySegment local;
        private final long ping;
        private final long pong;
        private Peer child;

        Endpoint(SharedSegment segment, int payload, long timeoutNanos) {
            this.segment = segment;
            this.mem = segment.memory();
            this.payload = payload;
            this.timeoutNanos = timeoutNanos;
            this.local = localArena.allocate(Math.max(1, payload), 64);
            // a recognisable, non-zero payload
            for (long i = 0; i < local.byteSize(); i++) {
                local.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            this.ping = SpinLayout.pingPayload();
            this.pong = SpinLayout.pongPayload(payload);
        }

        @Override
        public List<String> childArgs() {
            return List.of(segment.name());
        }

        @Override
        public void awaitReady(Peer child, Duration startupTimeout) {
            this.child = child;
            long start = System.nanoTime();
            while ((long) LONG.getAcquire(mem, PONG_SEQ) != SpinLayout.READY) {
                if (!child.isAlive()) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            "spin: the " + child.description() + " exited before it was ready");
                }
                if (System.nanoTime() - start > startupTimeout.toNanos()) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, "spin: the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms");
                }
                try {
                    Thread.sleep(2); // the child JVM is starting: leave it the CPU
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IpcException(IpcException.Reason.TIMEOUT, "spin: interrupted waiting for the child", e);
                }
            }
        }

        @Override
        public Status roundTrip(long sequence) {
            if (payload > 0) {
                MemorySegment.copy(local, 0, mem, ping, payload);
            }
            LONG.setRelease(mem, PING_SEQ, sequence);
            int spins = 0;
            long waitStart = 0;
            while ((long) LONG.getAcquire(mem, PONG_SEQ) != sequence) {
                Thread.onSpinWait();
                if ((++spins & CHECK_MASK) == 0) {
                    // rare: a normal round trip is far shorter than CHECK_MASK spins
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
            if (payload > 0) {
                MemorySegment.copy(mem, pong, local, 0, payload);
            }
            return Status.OK;
        }

        @Override
        public void stop() {
            if (!segment.isClosed()) {
                LONG.setRelease(mem, PING_SEQ, SpinLayout.STOP);
            }
        }

        @Override
        public void close() {
            try {
                segment.close();
            } finally {
                try {
                    localArena.close();
                } catch (IllegalStateException alreadyClosed) {
                    // closed by an earlier call (e.g. the shutdown hook)
                }
            }
        }
    }
}
