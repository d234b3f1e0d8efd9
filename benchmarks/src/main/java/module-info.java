/**
 * Benchmarks: multi-process latency harnesses ({@link io.ipc4j.benchmarks.latency}) and JMH
 * micro-benchmarks.
 */
module io.ipc4j.benchmarks {
    requires transitive io.ipc4j.shm;
    requires static jmh.core;
    requires HdrHistogram;

    exports io.ipc4j.benchmarks.latency;
}
