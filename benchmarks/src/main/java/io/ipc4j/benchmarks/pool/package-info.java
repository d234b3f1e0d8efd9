/**
 * Measures the worker pool: round trips of small jobs through a one-worker
 * {@link io.ipc4j.workerpool.WorkerPool} ({@link io.ipc4j.benchmarks.pool.PoolEchoLatency}), and the
 * handler its workers run ({@link io.ipc4j.benchmarks.pool.EchoHandler}; the package is exported so
 * workers on the module path can instantiate it).
 */
package io.ipc4j.benchmarks.pool;
