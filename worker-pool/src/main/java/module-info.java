/**
 * Supervisor, worker JVMs sharing one weight region, and the zero-copy job queue
 * ({@link io.ipc4j.workerpool.WorkerPool}); live counters of a running pool
 * ({@link io.ipc4j.workerpool.stat.PoolCounters}).
 */
module io.ipc4j.workerpool {
    requires transitive io.ipc4j.shm;
    requires io.ipc4j.semaphores;
    requires io.ipc4j.pipes;
    requires jdk.unsupported;
    exports io.ipc4j.workerpool;
    exports io.ipc4j.workerpool.stat;
}
