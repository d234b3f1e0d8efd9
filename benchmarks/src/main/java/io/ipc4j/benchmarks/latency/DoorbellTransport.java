package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.semaphores.futex.WaitSlices;
import io.ipc4j.semaphores.idle.DoorbellIdleStrategy;
import io.ipc4j.shm.header.DescribedSegment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ipc4j.benchmarks.latency.EventLayout.PING_BELL;
import static io.ipc4j.benchmarks.latency.EventLayout.PING_SEQ;
import static io.ipc4j.benchmarks.latency.EventLayout.PONG_BELL;
import static io.ipc4j.benchmarks.latency.EventLayout.PONG_SEQ;
import static io.ipc4j.benchmarks.latency.SpinLayout.LONG;

/**
 * Ping-pong through a shared segment ({@link EventLayout}) where the waiting side is woken by a
 * {@link FutexEvent} doorbell. Two flavours, registered as two transports:
 *
 * <ul>
 *   <li>{@code futex} ({@link #futex()}): the waiting side never spins. It reads the doorbell,
 *       checks the sequence word, and sleeps in {@link FutexEvent#await(int, long, TimeUnit)}; every
 *       message costs the sender a {@code FUTEX_WAKE} and the receiver a {@code FUTEX_WAIT} return.
 *       This is what an idle worker pays, and what the pipe round trip is compared against.</li>
 *   <li>{@code hybrid} ({@link #hybrid()}): the waiting side polls the sequence word under a
 *       {@link DoorbellIdleStrategy}: busy-spin, then {@link Thread#yield()}, then park on the
 *       doorbell. The sender always calls {@link FutexEvent#signal()} after publishing, which is
 *       one atomic add and one load (no system call) while the receiver is still spinning.</li>
 * </ul>
 *
 * <p>Protocol (both): the sender writes the payload, publishes the sequence (release) and signals
 * its direction's doorbell; the receiver sees the sequence (acquire) and copies the payload.
 * Waits are bounded: sleeps last at most one {@link WaitSlices#SLICE_NANOS} slice, after which
 * the peer's liveness and the deadline are checked.
 *
 * <p>Hybrid budgets: {@link #DEFAULT_SPINS} busy-spins then {@link #DEFAULT_YIELDS} yields per
 * wait, overridable in the parent JVM with {@code -Dipc4j.bench.hybrid.spins=N} and
 * {@code -Dipc4j.bench.hybrid.yields=N}; the parent hands its values to the child, so one setting
 * drives both sides.
 */
public final class DoorbellTransport implements Transport {
    /** Name of the never-spinning flavour. */
    public static final String FUTEX = "futex";
    /** Name of the spin-then-park flavour. */
    public static final String HYBRID = "hybrid";

    /**
     * Default busy-spins per wait in {@code hybrid} before yielding: 1000 {@link Thread#onSpinWait()}
     * calls, measured at 30-65 ns each on this machine kind (AMD EPYC guest), so ~30-65 us. That
     * is far more than the peer's normal turn-around (an echo takes ~0.3-0.8 us, the parent's
     * bookkeeping between messages well under 1 us), so a steady ping-pong never leaves the spin
     * phase; a wait longer than that means the peer is not running (descheduled, GC, JIT), and
     * spinning on would steal the CPU it needs on a 2-core machine.
     */
    public static final long DEFAULT_SPINS = 1_000;
    /**
     * Default yields per wait in {@code hybrid} before parking: each is a {@code sched_yield}
     * (~1 us when nothing else is runnable, a hand-over of the core when something is), so 50
     * covers a short preemption of the peer without a futex sleep.
     */
    public static final long DEFAULT_YIELDS = 50;

    /** Spins between two liveness/deadline checks in {@code hybrid} waits (mask). */
    private static final int CHECK_MASK = (1 << 12) - 1;
    /** Returned by the waits instead of a sequence: the deadline passed. */
    private static final long TIMED_OUT = Long.MIN_VALUE;
    /** Returned by the waits instead of a sequence: the peer is gone (or the endpoint closing). */
    private static final long PEER_DEAD = Long.MIN_VALUE + 1;

    private final boolean hybrid;

    private DoorbellTransport(boolean hybrid) {
        this.hybrid = hybrid;
    }

    /** @return the {@code futex} transport: every wait sleeps on a doorbell */
    public static DoorbellTransport futex() {
        return new DoorbellTransport(false);
    }

    /** @return the {@code hybrid} transport: spin, yield, then park on a doorbell */
    public static DoorbellTransport hybrid() {
        return new DoorbellTransport(true);
    }

    @Override
    public String name() {
        return hybrid ? HYBRID : FUTEX;
    }

    @Override
    public String description() {
        return hybrid ? "spin, then yield, then park on a futex doorbell (Agrona idle strategy)"
                : "sleep on a futex doorbell between messages (no spinning)";
    }

    /** @return the spin budget from {@code ipc4j.bench.hybrid.spins}, or the default */
    static long configuredSpins() {
        return Math.max(0, Long.getLong("ipc4j.bench.hybrid.spins", DEFAULT_SPINS));
    }

    /** @return the yield budget from {@code ipc4j.bench.hybrid.yields}, or the default */
    static long configuredYields() {
        return Math.max(0, Long.getLong("ipc4j.bench.hybrid.yields", DEFAULT_YIELDS));
    }

    @Override
    public ParentEndpoint openParent(int payloadSize, Duration timeout) {
        DescribedSegment seg = EventLayout.create(EventLayout.uniqueName(name()), payloadSize);
        try {
            long spins = configuredSpins();
            long yields = configuredYields();
            List<String> args = hybrid ? List.of(seg.name(), Long.toString(spins), Long.toString(yields))
                    : List.of(seg.name());
            return new Endpoint(seg, payloadSize, timeout.toNanos(), hybrid, spins, yields, args);
        } catch (RuntimeException e) {
            seg.close();
            throw e;
        }
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        int expected = hybrid ? 3 : 1;
        if (args.size() != expected) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, name() + " child: expected " + expected
                    + " argument(s) (segment name" + (hybrid ? ", spins, yields" : "") + "), got " + args);
        }
        long spins = 0;
        long yields = 0;
        if (hybrid) {
            try {
                spins = Long.parseLong(args.get(1));
                yields = Long.parseLong(args.get(2));
            } catch (NumberFormatException e) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "hybrid child: bad budgets " + args);
            }
            if (spins < 0 || yields < 0) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "hybrid child: negative budgets " + args);
            }
        }
        String name = args.getFirst();
        long timeoutNanos = idleTimeout.toNanos();
        try (DescribedSegment seg = EventLayout.open(name, name(), idleTimeout); Arena arena = Arena.ofConfined()) {
            MemorySegment mem = seg.payload();
            int payload = EventLayout.messageSize(seg);
            MemorySegment local = arena.allocate(Math.max(1, payload), 64);
            long ping = EventLayout.pingPayload();
            long pong = EventLayout.pongPayload(payload);
            FutexEvent pingBell = FutexEvent.at(mem, PING_BELL);
            FutexEvent pongBell = FutexEvent.at(mem, PONG_BELL);
            DoorbellIdleStrategy idle = hybrid ? new DoorbellIdleStrategy(pingBell, spins, yields, WaitSlices.SLICE_NANOS)
                    : null;
            LONG.setRelease(mem, PONG_SEQ, SpinLayout.READY);
            pongBell.signal();
            long last = 0;
            while (true) {
                long seq = idle == null ? sleepUntilChanged(mem, PING_SEQ, pingBell, last, parent, timeoutNanos, null)
                        : idleUntilChanged(mem, PING_SEQ, idle, last, parent, timeoutNanos, null);
                if (seq == TIMED_OUT) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, name() + " child: no message from the "
                            + parent.description() + " for " + idleTimeout.toMillis() + " ms");
                }
                if (seq == PEER_DEAD) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            name() + " child: the " + parent.description() + " is gone");
                }
                if (seq == SpinLayout.STOP) {
                    return;
                }
                if (payload > 0) {
                    MemorySegment.copy(mem, ping, local, 0, payload);
                    MemorySegment.copy(local, 0, mem, pong, payload);
                }
                LONG.setRelease(mem, PONG_SEQ, seq);
                pongBell.signal();
                last = seq;
            }
        }
    }

    /**
     * Sleeps on {@code bell} until the sequence word at {@code seqOffset} differs from
     * {@code seen}; never spins.
     *
     * @return the new sequence, {@link #TIMED_OUT} or {@link #PEER_DEAD}
     */
    static long sleepUntilChanged(MemorySegment mem, long seqOffset, FutexEvent bell, long seen, Peer peer,
                                  long timeoutNanos, Endpoint closing) {
        long start = 0;
        while (true) {
            // read the doorbell BEFORE the sequence: a publish after this read moves the doorbell
            int bellSeq = bell.sequence();
            long v = (long) LONG.getAcquire(mem, seqOffset);
            if (v != seen) {
                return v;
            }
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            }
            long left = timeoutNanos - (now - start);
            if (left <= 0) {
                return TIMED_OUT;
            }
            boolean rung;
            try {
                rung = bell.await(bellSeq, Math.min(left, WaitSlices.SLICE_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TIMED_OUT;
            }
            if (closing != null && closing.closing) {
                return PEER_DEAD;
            }
            if (!rung && !peer.isAlive()) {
                return PEER_DEAD;
            }
        }
    }

    /**
     * Polls the sequence word at {@code seqOffset} under {@code idle} (spin, yield, park on its
     * doorbell) until it differs from {@code seen}.
     *
     * @return the new sequence, {@link #TIMED_OUT} or {@link #PEER_DEAD}
     */
    static long idleUntilChanged(MemorySegment mem, long seqOffset, DoorbellIdleStrategy idle, long seen, Peer peer,
                                 long timeoutNanos, Endpoint closing) {
        idle.reset();
        long v = (long) LONG.getAcquire(mem, seqOffset);
        if (v != seen) {
            return v;
        }
        long parks = idle.parkCount();
        long waitStart = 0;
        int polls = 0;
        while (true) {
            idle.idle();
            v = (long) LONG.getAcquire(mem, seqOffset);
            if (v != seen) {
                return v;
            }
            // rare: after thousands of spins, or after each park (at most one slice long)
            if ((++polls & CHECK_MASK) == 0 || idle.parkCount() != parks) {
                parks = idle.parkCount();
                long now = System.nanoTime();
                if (waitStart == 0) {
                    waitStart = now;
                } else if (now - waitStart > timeoutNanos) {
                    return TIMED_OUT;
                }
                if ((closing != null && closing.closing) || !peer.isAlive()) {
                    return PEER_DEAD;
                }
            }
        }
    }

    /** The parent's side: owns (and on close unlinks) the segment. */
    static final class Endpoint implements ParentEndpoint {
        private final DescribedSegment segment;
        private final MemorySegment mem;
        private final String transport;
        private final int payload;
        private final long timeoutNanos;
        private final FutexEvent pingBell;
        private final FutexEvent pongBell;
        private final DoorbellIdleStrategy idle;
        private final List<String> childArgs;
        private final Arena localArena = Arena.ofShared();
        private final MemorySegment local;
        private final long ping;
        private final long pong;
        private long lastPong = SpinLayout.READY;
        private Peer child;
        /** Set by {@link #close()}: a parked round trip gives up instead of touching the unmapped segment. */
        volatile boolean closing;

        Endpoint(DescribedSegment segment, int payload, long timeoutNanos, boolean hybrid, long spins, long yields,
                 List<String> childArgs) {
            this.segment = segment;
            this.mem = segment.payload();
            this.transport = hybrid ? HYBRID : FUTEX;
            this.payload = payload;
            this.timeoutNanos = timeoutNanos;
            this.pingBell = FutexEvent.at(mem, PING_BELL);
            this.pongBell = FutexEvent.at(mem, PONG_BELL);
            this.idle = hybrid ? new DoorbellIdleStrategy(pongBell, spins, yields, WaitSlices.SLICE_NANOS) : null;
            this.childArgs = childArgs;
            this.local = localArena.allocate(Math.max(1, payload), 64);
            this.ping = EventLayout.pingPayload();
            this.pong = EventLayout.pongPayload(payload);
            MemorySegment.copy(mem, ping, local, 0, payload);
        }

        @Override
        public List<String> childArgs() {
            return childArgs;
        }

        @Override
        public void awaitReady(Peer child, Duration startupTimeout) {
            this.child = child;
            long start = System.nanoTime();
            while ((long) LONG.getAcquire(mem, PONG_SEQ) != SpinLayout.READY) {
                if (!child.isAlive()) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            transport + ": the " + child.description() + " exited before it was ready");
                }
                if (System.nanoTime() - start > startupTimeout.toNanos()) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, transport + ": the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms");
                }
                try {
                    Thread.sleep(2); // the child JVM is starting: leave it the CPU
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IpcException(IpcException.Reason.TIMEOUT, transport + ": interrupted waiting for the child", e);
                }
            }
            lastPong = SpinLayout.READY;
        }

        @Override
        public Status roundTrip(long sequence) {
            if (payload > 0) {
                MemorySegment.copy(local, 0, mem, ping, payload);
            }
            LONG.setRelease(mem, PING_SEQ, sequence);
            pingBell.signal();
            long v = idle == null ? sleepUntilChanged(mem, PONG_SEQ, pongBell, lastPong, child, timeoutNanos, this)
                    : idleUntilChanged(mem, PONG_SEQ, idle, lastPong, child, timeoutNanos, this);
            if (v == TIMED_OUT) {
                return Status.TIMED_OUT;
            }
            if (v == PEER_DEAD) {
                return Status.PEER_DEAD;
            }
            lastPong = v;
            if (v != sequence) {
                // an echo of something we did not send: the child is broken; report no answer
                return Status.TIMED_OUT;
            }
            if (payload > 0) {
                MemorySegment.copy(mem, pong, local, 0, payload);
            }
            return Status.OK;
        }

        @Override
        public void stop() {
            if (!closing && !segment.segment().isClosed()) {
                LONG.setRelease(mem, PING_SEQ, SpinLayout.STOP);
                pingBell.signal();
            }
        }

        /**
         * Unlinks the segment. From another thread (a shutdown hook) while a round trip is
         * parked: the round trip is woken and gives up; if it is still inside the futex call when
         * the mapping is released, the unmap is left to the exiting JVM (the name is unlinked
         * regardless).
         */
        @Override
        public void close() {
            if (!closing) {
                closing = true;
                try {
                    pongBell.signal();
                } catch (IllegalStateException alreadyClosed) {
                    // unmapped by an earlier close
                }
            }
            try {
                segment.close();
            } catch (IllegalStateException inUseByAParkedThread) {
                // see above: the name is unlinked; the mapping goes with the JVM
            } finally {
                try {
                    localArena.close();
                } catch (IllegalStateException alreadyClosedOrInUse) {
                    // closed by an earlier call (e.g. the shutdown hook)
                }
            }
        }
    }
}
