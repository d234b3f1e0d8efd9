/**
 * One-way streaming throughput between two JVMs ({@link io.ipc4j.benchmarks.throughput.UdsThroughput}):
 * the parent writes ipc4j frames into a Unix domain socket as fast as the child reads and checks them.
 * Latency (one message in flight) is {@link io.ipc4j.benchmarks.latency}'s business.
 */
package io.ipc4j.benchmarks.throughput;
