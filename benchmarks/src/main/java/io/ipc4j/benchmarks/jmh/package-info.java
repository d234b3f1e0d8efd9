/**
 * JMH micro-benchmarks. They run from the class path (JMH's generated harness classes live in
 * {@code io.ipc4j.benchmarks.jmh.jmh_generated}); this package is deliberately not exported.
 * Run them with the launcher: {@code ./ipc4j jmh TensorSum} (any JMH arguments work).
 */
package io.ipc4j.benchmarks.jmh;
