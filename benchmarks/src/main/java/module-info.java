/**
 * Benchmarks: JMH micro-benchmarks ({@code io.ipc4j.benchmarks.jmh}, run from the class path
 * with {@code org.openjdk.jmh.Main}) and multi-process latency harnesses.
 */
module io.ipc4j.benchmarks {
    requires io.ipc4j.shm;
    requires static jmh.core;
    requires HdrHistogram;
}
