/**
 * JMH micro-benchmarks and multi-process harnesses for ipc4j: the latency harness
 * ({@link io.ipc4j.benchmarks.latency}), the idle-CPU harness ({@link io.ipc4j.benchmarks.idle}) and
 * the streaming throughput harness ({@link io.ipc4j.benchmarks.throughput}), the worker pool's round trips
 * ({@link io.ipc4j.benchmarks.pool}), and reports of latency
 * runs: hgrm files, percentile plots and transport comparisons ({@link io.ipc4j.benchmarks.report}).
 * JMH runs from the class path ({@code benchmarks/target/lib}); its package is not exported.
 */
module io.ipc4j.benchmarks {
    requires transitive io.ipc4j.shm;
    requires io.ipc4j.semaphores;
    requires io.ipc4j.pipes;
    requires io.ipc4j.workerpool;
    requires static jmh.core;
    requires HdrHistogram;
    requires org.agrona;
    requires java.desktop;
    requires org.jfree.jfreechart;
    // peer libraries for the latency harness (automatic modules)
    requires io.aeron.client;
    requires io.aeron.driver;
    requires chronicle.queue;
    requires chronicle.bytes;
    requires chronicle.wire;
    requires chronicle.core;
    exports io.ipc4j.benchmarks.latency;
    exports io.ipc4j.benchmarks.idle;
    exports io.ipc4j.benchmarks.throughput;
    exports io.ipc4j.benchmarks.report;
    exports io.ipc4j.benchmarks.pool;
}
