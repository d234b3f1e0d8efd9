/**
 * A worker pool's counters segment ({@code NAME-stat}, kind COUNTERS): live counters and per-worker
 * heartbeats that any process can read without disturbing the pool, like Aeron's {@code AeronStat}.
 * {@link io.ipc4j.workerpool.stat.PoolCounters} is the layout, writer and reader.
 */
package io.ipc4j.workerpool.stat;
