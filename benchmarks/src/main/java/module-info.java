/**
 * JMH micro-benchmarks and multi-process harnesses for ipc4j. JMH runs them from the class path
 * ({@code benchmarks/target/lib}); this descriptor keeps the module graph honest.
 */
module io.ipc4j.benchmarks {
    requires transitive io.ipc4j.shm;
    requires io.ipc4j.semaphores;
    requires static jmh.core;
    requires HdrHistogram;
    exports io.ipc4j.benchmarks.idle;
}
