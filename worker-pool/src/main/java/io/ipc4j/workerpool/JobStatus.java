package io.ipc4j.workerpool;

/** Why a job did not complete normally (see {@link JobException#status()}). */
public enum JobStatus {
    /** The handler threw; the message names the exception. Not retried. */
    HANDLER_FAILED,
    /** Workers kept dying while running this job ({@link PoolContext#maxJobCrashes}); not retried further. */
    POISON,
    /** The job queue stayed full until the submit timeout. Nothing was accepted. */
    QUEUE_FULL,
    /** No slab slot became free until the timeout. Nothing was allocated. */
    SLAB_FULL,
    /** The pool was closed before the job completed (or before it was submitted). */
    POOL_CLOSED,
    /** The job does not fit: too many tensors, a tensor larger than a slab slot, a payload too long. */
    TOO_LARGE
}
