/**
 * Runnable programs for ipc4j's use cases. For now: {@code share-weights} (one weight store in
 * shared memory mapped read-only by many worker JVMs), which {@code ipc4j demo} runs;
 * {@code quickstart}; and {@code latency-histograms} (IPC latency recorded with HdrHistogram, hgrm
 * files and a percentile plot).
 */
module io.ipc4j.examples {
    requires transitive io.ipc4j.shm;
    requires transitive io.ipc4j.benchmarks;
    requires transitive HdrHistogram;
    exports io.ipc4j.examples.shareweights;
    exports io.ipc4j.examples.quickstart;
    exports io.ipc4j.examples.histograms;
}
