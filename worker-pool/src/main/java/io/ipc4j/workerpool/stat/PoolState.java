package io.ipc4j.workerpool.stat;

/** The life-cycle state of a pool as its counters segment records it. */
public enum PoolState {
    /** Workers are being started. */
    STARTING,
    /** Taking jobs. */
    RUNNING,
    /** Closing: no new jobs, in-flight jobs finish. */
    DRAINING,
    /** Workers stopped; segments about to be removed. */
    STOPPED;

    static PoolState of(int code) {
        PoolState[] all = values();
        return code >= 0 && code < all.length ? all[code] : STOPPED;
    }
}
