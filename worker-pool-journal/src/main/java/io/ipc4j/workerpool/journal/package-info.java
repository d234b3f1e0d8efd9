/**
 * A durable journal of a worker pool's accepted and completed jobs on Chronicle Queue
 * ({@link io.ipc4j.workerpool.journal.ChronicleJobJournal}): a supervisor started again after a
 * crash re-runs the jobs that never completed.
 */
package io.ipc4j.workerpool.journal;
