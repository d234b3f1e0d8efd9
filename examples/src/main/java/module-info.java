/**
 * Runnable programs for ipc4j's use cases. For now: {@code share-weights} (one weight store in
 * shared memory mapped read-only by many worker JVMs), which {@code ipc4j demo} runs;
 * {@code replace-serialization-queue} (a serialization job queue next to an ipc4j worker pool).
 */
module io.ipc4j.examples {
    requires transitive io.ipc4j.shm;
    requires transitive io.ipc4j.workerpool;
    requires HdrHistogram;
    exports io.ipc4j.examples.shareweights;
    exports io.ipc4j.examples.quickstart;
    exports io.ipc4j.examples.serialization;
}
