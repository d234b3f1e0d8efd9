/** Futex events and semaphores, robust process mutex, POSIX named semaphores, idle strategies (issue 3: not built yet). */
module io.ipc4j.semaphores {
    requires transitive io.ipc4j.shm;
}
