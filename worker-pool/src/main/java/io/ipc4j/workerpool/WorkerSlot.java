package io.ipc4j.workerpool;

import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.shm.ring.OneToOneRing;
import io.ipc4j.workerpool.stat.WorkerState;

import java.util.LinkedHashMap;
import java.util.Map;

/** The supervisor's record of one worker slot. Guarded by the pool's lock. */
final class WorkerSlot {
    final int index;
    final FutexEvent doorbell;
    OneToOneRing ring;
    Process process;
    int incarnation;
    WorkerState state = WorkerState.EMPTY;
    long readySinceNanos;
    long restartAtNanos;
    int consecutiveFailures;
    String startFailure;
    /** The current process's slab owner id (for outputs it allocates), 0 when unknown. */
    int slabOwner;
    /** Jobs dispatched to this worker's current process and not completed, in dispatch order. */
    final Map<Long, PendingJob> inFlight = new LinkedHashMap<>();

    WorkerSlot(int index, FutexEvent doorbell, OneToOneRing ring) {
        this.index = index;
        this.doorbell = doorbell;
        this.ring = ring;
    }

    boolean takesJobs(int maxInFlight) {
        return state == WorkerState.READY && inFlight.size() < maxInFlight;
    }
}
