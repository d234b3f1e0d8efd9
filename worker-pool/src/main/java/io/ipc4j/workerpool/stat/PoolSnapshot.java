package io.ipc4j.workerpool.stat;

import java.util.List;

/**
 * One reading of a pool's counters segment.
 *
 * @param name                 the pool's name
 * @param supervisorPid        the supervisor's pid
 * @param supervisorAlive      whether the supervisor still runs (pid and start time checked)
 * @param state                the pool's life-cycle state
 * @param startedAtMillis      when the pool was created (epoch ms)
 * @param counters             value of each {@link PoolCounter}, by ordinal
 * @param workers              one row per worker slot
 */
public record PoolSnapshot(String name, long supervisorPid, boolean supervisorAlive, PoolState state,
                           long startedAtMillis, long[] counters, List<WorkerRow> workers) {
    /** Copies the arrays. */
    public PoolSnapshot {
        counters = counters.clone();
        workers = List.copyOf(workers);
    }

    /**
     * @param c a counter
     * @return its value
     */
    public long get(PoolCounter c) {
        return counters[c.ordinal()];
    }

    @Override
    public long[] counters() {
        return counters.clone();
    }

    /**
     * One worker slot.
     *
     * @param index           slot index
     * @param pid             pid of its current (or last) process, 0 if none yet
     * @param state           slot state
     * @param incarnation     how many processes this slot has had
     * @param heartbeatMillis the last heartbeat the worker wrote (epoch ms), 0 if none
     * @param jobsDone        jobs this slot's processes completed (all incarnations)
     */
    public record WorkerRow(int index, long pid, WorkerState state, int incarnation, long heartbeatMillis,
                            long jobsDone) {
    }
}
