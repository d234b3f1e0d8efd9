package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.semaphores.futex.WaitSlices;
import io.ipc4j.semaphores.posix.PosixNamedSemaphore;
import io.ipc4j.shm.header.DescribedSegment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static io.ipc4j.benchmarks.latency.EventLayout.PING_SEQ;
import static io.ipc4j.benchmarks.latency.EventLayout.PONG_SEQ;
import static io.ipc4j.benchmarks.latency.SpinLayout.LONG;

/**
 * Ping-pong where each side sleeps on a POSIX named semaphore ({@code sem_open}) between
 * messages: {@code ping} is posted by the parent and waited on by the child, {@code pong} the other
 * way. The sequence words and payloads live in a segment with {@link EventLayout} (its doorbells
 * unused). Sender: write payload, publish sequence (release), {@code sem_post}; receiver:
 * {@code sem_clockwait} in slices of {@link WaitSlices#SLICE_NANOS}, checking the peer's liveness
 * and the deadline between slices, then read the sequence (acquire) and the payload.
 *
 * <p>Names: {@code /dev/shm/sem.ipc4j-bench-psem-PID-NANOS-N-ping} and {@code -pong}, unique per
 * run. The parent unlinks both as soon as the child has opened them (both processes keep their
 * mappings), and again, harmlessly, on {@link ParentEndpoint#close()}; so a parent killed with
 * SIGKILL leaves semaphore names behind only if it dies while the child JVM is starting. Such
 * leftovers ({@code /dev/shm/sem.ipc4j-bench-psem-*}) are not descriptor-headed segments and
 * {@code ipc4j shm gc} does not know them: remove them by hand. The segment is a described
 * segment that {@code gc} removes once its creator is dead.
 */
public final class PosixSemTransport implements Transport {
    /** The name on the command line. */
    public static final String NAME = "posix-sem";

    /** Creates the transport (stateless). */
    public PosixSemTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "sleep on POSIX named semaphores (sem_open/sem_post/sem_clockwait) between messages";
    }

    @Override
    public ParentEndpoint openParent(int payloadSize, Duration timeout) {
        String base = EventLayout.uniqueName("psem");
        DescribedSegment seg = EventLayout.create(base, payloadSize);
        PosixNamedSemaphore ping = null;
        PosixNamedSemaphore pong = null;
        try {
            ping = PosixNamedSemaphore.create(base + "-ping", 0);
            pong = PosixNamedSemaphore.create(base + "-pong", 0);
            return new Endpoint(seg, ping, pong, payloadSize, timeout.toNanos());
        } catch (RuntimeException e) {
            closeAll(pong, ping, seg);
            throw e;
        }
    }

    private static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e); // none of ours declares a checked exception
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        ChildArgs.expect("posix-sem", args, "segment", "ping semaphore", "pong semaphore");
        long timeoutNanos = idleTimeout.toNanos();
        try (DescribedSegment seg = EventLayout.open(args.get(0), NAME, idleTimeout);
             PosixNamedSemaphore ping = PosixNamedSemaphore.open(args.get(1));
             PosixNamedSemaphore pong = PosixNamedSemaphore.open(args.get(2));
             Arena arena = Arena.ofConfined()) {
            MemorySegment mem = seg.payload();
            int payload = EventLayout.messageSize(seg);
            MemorySegment local = arena.allocate(Math.max(1, payload), 64);
            long pingAt = EventLayout.pingPayload();
            long pongAt = EventLayout.pongPayload(payload);
            LONG.setRelease(mem, PONG_SEQ, SpinLayout.READY);
            while (true) {
                int got = acquire(ping, parent, timeoutNanos, null);
                if (got == TIMED_OUT) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, "posix-sem child: no message from the "
                            + parent.description() + " for " + idleTimeout.toMillis() + " ms");
                }
                if (got == PEER_DEAD) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            "posix-sem child: the " + parent.description() + " is gone");
                }
                long seq = (long) LONG.getAcquire(mem, PING_SEQ);
                if (seq == SpinLayout.STOP) {
                    return;
                }
                if (payload > 0) {
                    MemorySegment.copy(mem, pingAt, local, 0, payload);
                    MemorySegment.copy(local, 0, mem, pongAt, payload);
                }
                LONG.setRelease(mem, PONG_SEQ, seq);
                pong.release();
            }
        }
    }

    private static final int ACQUIRED = 0;
    private static final int TIMED_OUT = 1;
    private static final int PEER_DEAD = 2;

    /** Takes one permit, in slices, checking liveness and the deadline between them. */
    static int acquire(PosixNamedSemaphore sem, Peer peer, long timeoutNanos, Endpoint closing) {
        long start = System.nanoTime();
        try {
            while (true) {
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return TIMED_OUT;
                }
                if (sem.tryAcquire(Math.min(left, WaitSlices.SLICE_NANOS), TimeUnit.NANOSECONDS)) {
                    return ACQUIRED;
                }
                if ((closing != null && closing.closing) || !peer.isAlive()) {
                    return PEER_DEAD;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TIMED_OUT;
        }
    }

    /** The parent's side: owns the segment and both semaphores. */
    static final class Endpoint implements ParentEndpoint {
        private final DescribedSegment segment;
        private final PosixNamedSemaphore ping;
        private final PosixNamedSemaphore pong;
        private final MemorySegment mem;
        private final int payload;
        private final long timeoutNanos;
        private final Arena localArena = Arena.ofShared();
        private final MemorySegment local;
        private final long pingAt;
        private final long pongAt;
        /**
         * Held by the thread using the semaphores; {@link #close()} takes it before
         * {@code sem_close} unmaps them, so a round trip never touches an unmapped semaphore.
         */
        private final ReentrantLock inUse = new ReentrantLock();
        private Peer child;
        volatile boolean closing;

        Endpoint(DescribedSegment segment, PosixNamedSemaphore ping, PosixNamedSemaphore pong, int payload,
                 long timeoutNanos) {
            this.segment = segment;
            this.ping = ping;
            this.pong = pong;
            this.mem = segment.payload();
            this.payload = payload;
            this.timeoutNanos = timeoutNanos;
            this.local = localArena.allocate(Math.max(1, payload), 64);
            this.pingAt = EventLayout.pingPayload();
            this.pongAt = EventLayout.pongPayload(payload);
            MemorySegment.copy(mem, pingAt, local, 0, payload);
        }

        @Override
        public List<String> childArgs() {
            return List.of(segment.name(), ping.name(), pong.name());
        }

        @Override
        public void awaitReady(Peer child, Duration startupTimeout) {
            this.child = child;
            long start = System.nanoTime();
            while ((long) LONG.getAcquire(mem, PONG_SEQ) != SpinLayout.READY) {
                if (closing) {
                    throw new IpcException(IpcException.Reason.CLOSED, "posix-sem: endpoint closed");
                }
                if (!child.isAlive()) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            "posix-sem: the " + child.description() + " exited before it was ready");
                }
                if (System.nanoTime() - start > startupTimeout.toNanos()) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, "posix-sem: the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms");
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IpcException(IpcException.Reason.TIMEOUT, "posix-sem: interrupted waiting for the child", e);
                }
            }
            // the child has opened both semaphores: the names are no longer needed, and without
            // them a SIGKILLed parent leaves nothing behind in /dev/shm
            PosixNamedSemaphore.unlink(ping.name());
            PosixNamedSemaphore.unlink(pong.name());
        }

        @Override
        public Status roundTrip(long sequence) {
            inUse.lock();
            try {
                if (closing) {
                    return Status.PEER_DEAD;
                }
                if (payload > 0) {
                    MemorySegment.copy(local, 0, mem, pingAt, payload);
                }
                LONG.setRelease(mem, PING_SEQ, sequence);
                ping.release();
                while (true) {
                    int got = acquire(pong, child, timeoutNanos, this);
                    if (got == TIMED_OUT) {
                        return Status.TIMED_OUT;
                    }
                    if (got == PEER_DEAD || closing) {
                        return Status.PEER_DEAD;
                    }
                    if ((long) LONG.getAcquire(mem, PONG_SEQ) == sequence) {
                        break;
                    }
                    // a permit without the matching echo (a broken child): keep waiting until the deadline
                }
                if (payload > 0) {
                    MemorySegment.copy(mem, pongAt, local, 0, payload);
                }
                return Status.OK;
            } finally {
                inUse.unlock();
            }
        }

        @Override
        public void stop() {
            inUse.lock();
            try {
                if (!closing) {
                    LONG.setRelease(mem, PING_SEQ, SpinLayout.STOP);
                    ping.release();
                }
            } finally {
                inUse.unlock();
            }
        }

        /**
         * Closes (and unlinks) both semaphores and the segment. From another thread while a round
         * trip waits: wakes it, waits up to one second for it to leave, and if it does not, leaves
         * the semaphores mapped (the names are unlinked regardless) rather than unmap memory a
         * thread may still touch.
         */
        @Override
        public void close() {
            closing = true;
            boolean locked = false;
            try {
                if (!inUse.tryLock()) {
                    try {
                        pong.release(); // wake the waiting round trip; it sees `closing` and returns
                    } catch (IpcException alreadyClosed) {
                        // closed by an earlier call
                    }
                    locked = inUse.tryLock(1, TimeUnit.SECONDS);
                } else {
                    locked = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                if (locked) {
                    closeAll(pong, ping);
                } else {
                    PosixNamedSemaphore.unlink(ping.name());
                    PosixNamedSemaphore.unlink(pong.name());
                }
            } finally {
                try {
                    segment.close();
                } finally {
                    if (locked) {
                        inUse.unlock();
                    }
                    try {
                        localArena.close();
                    } catch (IllegalStateException alreadyClosed) {
                        // closed by an earlier call
                    }
                }
            }
        }
    }
}
