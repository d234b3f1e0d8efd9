/** Runnable programs for the three use cases (issue 6: not built yet). */
module io.ipc4j.examples {
    requires io.ipc4j.shm;
}
