package io.ipc4j.workerpool;

import io.ipc4j.workerpool.wire.JobCodec.TensorRef;

import java.util.concurrent.CompletableFuture;

/** A job accepted and not completed yet. Guarded by the pool's lock (the future completes outside it). */
final class PendingJob {
    final long id;
    final TensorRef[] inputs;
    final TensorRef[] outputs;
    final byte[] payload;
    final CompletableFuture<JobResult> future = new CompletableFuture<>();
    final long submittedNanos;
    int attempt;          // of the latest dispatch; 0 while never dispatched
    int crashes;          // workers that died while running it
    int worker = -1;      // where the latest dispatch went, -1 while queued
    long journalId;       // its id in the journal, 0 when not journaled

    PendingJob(long id, TensorRef[] inputs, TensorRef[] outputs, byte[] payload, long submittedNanos) {
        this.id = id;
        this.inputs = inputs;
        this.outputs = outputs;
        this.payload = payload;
        this.submittedNanos = submittedNanos;
    }

    int recordLength() {
        return io.ipc4j.workerpool.wire.JobCodec.jobLength(inputs.length + outputs.length, payload.length);
    }
}
