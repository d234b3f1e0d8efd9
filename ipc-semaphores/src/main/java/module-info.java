/**
 * Waiting and waking across processes: futex events (doorbells) and semaphores in shared memory,
 * a robust process mutex, POSIX named semaphores, and idle strategies that spin, then yield, then
 * sleep on a doorbell.
 */
module io.ipc4j.semaphores {
    requires transitive io.ipc4j.shm;
    requires transitive org.agrona;
    exports io.ipc4j.semaphores.futex;
    exports io.ipc4j.semaphores.mutex;
    exports io.ipc4j.semaphores.posix;
    exports io.ipc4j.semaphores.idle;
}
