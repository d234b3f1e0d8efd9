/**
 * The worker pool: a supervisor ({@link io.ipc4j.workerpool.WorkerPool}) that starts worker JVMs
 * sharing one read-only weight region, feeds them jobs whose tensors live in a shared slab (only
 * descriptors cross the rings), survives their crashes and shuts down cleanly. Workers run a
 * {@link io.ipc4j.workerpool.JobHandler}; callers loan, write, submit and read results in place.
 */
package io.ipc4j.workerpool;
