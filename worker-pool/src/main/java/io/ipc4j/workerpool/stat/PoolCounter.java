package io.ipc4j.workerpool.stat;

/**
 * The pool-wide counters in a pool's counters segment, in slot order. The supervisor is their
 * only writer; any process may read them ({@code ipc4j stat}). Slots are never renumbered; new
 * counters get new slots.
 */
public enum PoolCounter {
    /** Worker processes running (started, not yet exited). */
    WORKERS_ALIVE("workers alive"),
    /** Workers that reported ready and take jobs. */
    WORKERS_READY("workers ready"),
    /** Workers started again after one exited or was killed. */
    RESTARTS("restarts"),
    /** Jobs accepted by {@code submit}. */
    SUBMITTED("jobs submitted"),
    /** Jobs whose future completed normally. */
    COMPLETED("jobs completed"),
    /** Jobs whose future completed with an error (handler failure, poison, shutdown). */
    FAILED("jobs failed"),
    /** Jobs dispatched again because the worker running them died. */
    REDISPATCHED("jobs re-dispatched"),
    /** Completions ignored because the job had already been re-dispatched or completed. */
    STALE_COMPLETIONS("stale completions ignored"),
    /** Jobs waiting for a worker. */
    QUEUED("jobs queued"),
    /** Jobs handed to a worker and not completed yet. */
    IN_FLIGHT("jobs in flight"),
    /** Slab slots in use (loans, job inputs and outputs, results not closed yet). */
    SLAB_USED("slab slots used"),
    /** Slab slots in all. */
    SLAB_SLOTS("slab slots"),
    /** Jobs failed because workers kept dying while running them. */
    POISONED("jobs poisoned"),
    /** Submissions refused because the queue stayed full until the timeout. */
    REJECTED("submits rejected");

    private final String label;

    PoolCounter(String label) {
        this.label = label;
    }

    /** @return what {@code ipc4j stat} prints for it */
    public String label() {
        return label;
    }
}
