/**
 * Measures what idle ipc4j consumers cost: many worker JVMs parked on a doorbell
 * ({@link io.ipc4j.semaphores.idle.DoorbellIdleStrategy}), their CPU time summed over a quiet
 * interval from {@code /proc/PID/task/TID/schedstat} (nanosecond resolution).
 */
package io.ipc4j.benchmarks.idle;
