/**
 * Runnable programs for ipc4j's use cases. For now: {@code share-weights} (one weight store in
 * shared memory mapped read-only by many worker JVMs), which {@code ipc4j demo} runs.
 */
module io.ipc4j.examples {
    requires transitive io.ipc4j.shm;
    exports io.ipc4j.examples.shareweights;
    exports io.ipc4j.examples.quickstart;
}
