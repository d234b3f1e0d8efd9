/**
 * Replace a serialization queue: the same job pipeline written the usual way (a worker JVM reading
 * {@link java.io.Serializable} jobs from a Unix domain socket through object streams) and with
 * ipc4j (a {@link io.ipc4j.workerpool.WorkerPool} worker reading the caller's loaned tensor in place),
 * both verified and timed ({@link io.ipc4j.examples.serialization.ReplaceSerializationQueue}).
 * The package is exported so pool workers on the module path can instantiate
 * {@link io.ipc4j.examples.serialization.StatsHandler}.
 */
package io.ipc4j.examples.serialization;
