/**
 * An optional durable {@link io.ipc4j.workerpool.JobJournal} for the worker pool on Chronicle
 * Queue ({@link io.ipc4j.workerpool.journal.ChronicleJobJournal}). Chronicle and the JVM flags it
 * needs are required only by applications that use this module.
 */
module io.ipc4j.workerpool.journal {
    requires transitive io.ipc4j.workerpool;
    requires chronicle.queue;
    requires chronicle.bytes;
    requires chronicle.wire;
    requires chronicle.core;
    exports io.ipc4j.workerpool.journal;
}
