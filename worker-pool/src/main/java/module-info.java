/** Supervisor, worker JVMs and the zero-copy job queue (issue 5: not built yet). */
module io.ipc4j.workerpool {
    requires transitive io.ipc4j.shm;
    requires io.ipc4j.semaphores;
    requires io.ipc4j.pipes;
}
