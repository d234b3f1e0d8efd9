package io.ipc4j.workerpool.stat;

/** What a worker slot holds, as a pool's counters segment records it. */
public enum WorkerState {
    /** No process (not started yet, or waiting for its restart back-off). */
    EMPTY,
    /** Process started, not ready yet. */
    STARTING,
    /** Ready and taking jobs. */
    READY,
    /** Asked to stop. */
    STOPPING,
    /** Exited or killed; a restart may follow. */
    DEAD;

    static WorkerState of(int code) {
        WorkerState[] all = values();
        return code >= 0 && code < all.length ? all[code] : DEAD;
    }
}
