package io.ipc4j.workerpool.wire;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.shm.ring.ManyToOneRing;
import io.ipc4j.shm.ring.OneToOneRing;
import io.ipc4j.shm.ring.RingBufferLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The payload of a pool's control segment ({@code SegmentKind.POOL}, payload version
 * {@link #PAYLOAD_VERSION}): doorbells and rings shared by the supervisor and its workers. All
 * integers little-endian; every region starts on its own cache line.
 *
 * <pre>
 *  payload offset                     size                       what
 *  0                                  64                         header: workers int, dispatch capacity int,
 *                                                                completion capacity int, reserved
 *  64                                 64                         supervisor doorbell (FutexEvent): workers ring it
 *                                                                after each completion record
 *  128                                64 x workers               worker doorbells: the supervisor rings worker i's
 *                                                                after each dispatch record (and to stop it)
 *  completionOffset()                 completion + trailer       completion ring, MANY-to-one: every worker
 *                                                                produces, the supervisor consumes
 *  dispatchOffset(i)                  dispatch + trailer, each   dispatch ring of worker i, ONE-to-one: the
 *                                                                supervisor produces, worker i consumes
 * </pre>
 *
 * <p>Why these ring kinds: dispatch is per worker so the supervisor always knows which jobs sit
 * with which worker (the basis of re-dispatch when it dies) and can balance by in-flight count;
 * a one-to-one ring is the cheapest ring and a dead worker's ring is simply re-initialised for its
 * successor. Completions come from many processes into one, so they share one many-to-one ring
 * whose slot a dying worker claimed but never committed is freed by
 * {@link ManyToOneRing#unblock()}.
 */
public final class PoolLayout {
    /** Payload layout version stored in the descriptor header. */
    public static final int PAYLOAD_VERSION = 1;
    /** Offset of the worker-count int. */
    public static final int WORKERS_OFFSET = 0;
    /** Offset of the dispatch-ring capacity int. */
    public static final int DISPATCH_CAPACITY_OFFSET = 4;
    /** Offset of the completion-ring capacity int. */
    public static final int COMPLETION_CAPACITY_OFFSET = 8;
    /** Offset of the supervisor doorbell. */
    public static final int SUPERVISOR_DOORBELL_OFFSET = 64;
    /** Offset of worker 0's doorbell. */
    public static final int WORKER_DOORBELLS_OFFSET = 128;
    /** Most workers one pool can have. */
    public static final int MAX_WORKERS = 1024;

    private static final int RING_ALIGNMENT = 128;

    private final int workers;
    private final int dispatchCapacity;
    private final int completionCapacity;

    /**
     * @param workers            number of workers, 1..{@value #MAX_WORKERS}
     * @param dispatchCapacity   data bytes of each dispatch ring (a power of two)
     * @param completionCapacity data bytes of the completion ring (a power of two)
     * @throws IpcException INVALID_ARGUMENT for values out of range
     */
    public PoolLayout(int workers, int dispatchCapacity, int completionCapacity) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "workers must be 1.." + MAX_WORKERS + ", not " + workers);
        }
        this.workers = workers;
        this.dispatchCapacity = RingBufferLayout.checkCapacity(dispatchCapacity);
        this.completionCapacity = RingBufferLayout.checkCapacity(completionCapacity);
    }

    /**
     * Reads and checks the layout a control segment's header records.
     *
     * @param payload the control segment's payload
     * @return the layout
     * @throws IpcException CORRUPT when the recorded sizes do not fit the payload
     */
    public static PoolLayout read(MemorySegment payload) {
        if (payload.byteSize() < WORKER_DOORBELLS_OFFSET) {
            throw new IpcException(Reason.TRUNCATED, "pool control segment payload has " + payload.byteSize() + " bytes");
        }
        int w = payload.get(ValueLayout.JAVA_INT_UNALIGNED, WORKERS_OFFSET);
        int d = payload.get(ValueLayout.JAVA_INT_UNALIGNED, DISPATCH_CAPACITY_OFFSET);
        int c = payload.get(ValueLayout.JAVA_INT_UNALIGNED, COMPLETION_CAPACITY_OFFSET);
        PoolLayout layout;
        try {
            layout = new PoolLayout(w, d, c);
        } catch (IpcException e) {
            throw new IpcException(Reason.CORRUPT, "pool control segment header: " + e.getMessage());
        }
        if (layout.payloadBytes() > payload.byteSize()) {
            throw new IpcException(Reason.TRUNCATED, "pool control segment needs " + layout.payloadBytes()
                    + " payload bytes for " + w + " workers, has " + payload.byteSize());
        }
        return layout;
    }

    /**
     * Writes the header fields of this layout (creator only, before the segment is marked ready).
     *
     * @param payload the control segment's payload
     */
    public void writeHeader(MemorySegment payload) {
        payload.set(ValueLayout.JAVA_INT_UNALIGNED, WORKERS_OFFSET, workers);
        payload.set(ValueLayout.JAVA_INT_UNALIGNED, DISPATCH_CAPACITY_OFFSET, dispatchCapacity);
        payload.set(ValueLayout.JAVA_INT_UNALIGNED, COMPLETION_CAPACITY_OFFSET, completionCapacity);
    }

    /** @return number of workers */
    public int workers() {
        return workers;
    }

    /** @return data bytes of each dispatch ring */
    public int dispatchCapacity() {
        return dispatchCapacity;
    }

    /** @return data bytes of the completion ring */
    public int completionCapacity() {
        return completionCapacity;
    }

    /** @return offset of the completion ring */
    public long completionOffset() {
        return align(WORKER_DOORBELLS_OFFSET + (long) workers * FutexEvent.PADDED_BYTES);
    }

    /**
     * @param worker a worker index
     * @return offset of its dispatch ring
     */
    public long dispatchOffset(int worker) {
        long first = align(completionOffset() + RingBufferLayout.requiredBytes(completionCapacity));
        return first + (long) worker * align(RingBufferLayout.requiredBytes(dispatchCapacity));
    }

    /** @return payload bytes of the whole control segment */
    public long payloadBytes() {
        return dispatchOffset(workers);
    }

    /**
     * @param payload the control segment's payload
     * @return the supervisor's doorbell
     */
    public FutexEvent supervisorDoorbell(MemorySegment payload) {
        return FutexEvent.at(payload, SUPERVISOR_DOORBELL_OFFSET);
    }

    /**
     * @param payload the control segment's payload
     * @param worker  a worker index
     * @return that worker's doorbell
     */
    public FutexEvent workerDoorbell(MemorySegment payload, int worker) {
        return FutexEvent.at(payload, WORKER_DOORBELLS_OFFSET + (long) checkWorker(worker) * FutexEvent.PADDED_BYTES);
    }

    /**
     * @param payload the control segment's payload
     * @return the completion ring (not re-initialised)
     */
    public ManyToOneRing completionRing(MemorySegment payload) {
        return ManyToOneRing.wrap(payload, completionOffset(), completionCapacity);
    }

    /**
     * @param payload the control segment's payload
     * @param worker  a worker index
     * @return that worker's dispatch ring (not re-initialised)
     */
    public OneToOneRing dispatchRing(MemorySegment payload, int worker) {
        return OneToOneRing.wrap(payload, dispatchOffset(checkWorker(worker)), dispatchCapacity);
    }

    /**
     * Empties worker {@code worker}'s dispatch ring (supervisor only, while no process consumes it).
     *
     * @param payload the control segment's payload
     * @param worker  a worker index
     * @return the empty ring
     */
    public OneToOneRing resetDispatchRing(MemorySegment payload, int worker) {
        return OneToOneRing.initialize(payload, dispatchOffset(checkWorker(worker)), dispatchCapacity);
    }

    private int checkWorker(int worker) {
        if (worker < 0 || worker >= workers) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "worker index " + worker + " is not in 0.." + (workers - 1));
        }
        return worker;
    }

    private static long align(long v) {
        return (v + RING_ALIGNMENT - 1) & -RING_ALIGNMENT;
    }
}
