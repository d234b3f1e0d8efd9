/**
 * Runnable programs for ipc4j's use cases: the worker-pool demo ({@code ipc4j demo}: jobs over
 * shared weights), {@code share-weights} (one weight store mapped read-only by many worker JVMs,
 * memory measured), {@code quickstart}, {@code replace-serialization-queue} (a serialization job
 * queue next to an ipc4j worker pool) and {@code latency-histograms} (IPC latency recorded with
 * HdrHistogram, hgrm files and a percentile plot).
 */
module io.ipc4j.examples {
    requires transitive io.ipc4j.shm;
    // static: the pool demo's workers load this module; they must not resolve the benchmarks' module
    // graph (AWT, Aeron, Chronicle). latency-histograms runs where the benchmarks are present.
    requires static io.ipc4j.benchmarks;
    requires transitive HdrHistogram;
    requires transitive io.ipc4j.workerpool;
    exports io.ipc4j.examples.shareweights;
    exports io.ipc4j.examples.quickstart;
    exports io.ipc4j.examples.histograms;
    exports io.ipc4j.examples.pooldemo;
    exports io.ipc4j.examples.serialization;
}
