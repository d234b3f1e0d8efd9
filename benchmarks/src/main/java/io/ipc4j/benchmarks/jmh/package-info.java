/**
 * JMH micro-benchmarks (run with {@code org.openjdk.jmh.Main} from the benchmarks jar and
 * {@code target/lib}).
 */
package io.ipc4j.benchmarks.jmh;
