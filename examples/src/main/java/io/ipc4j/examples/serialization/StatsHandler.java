package io.ipc4j.examples.serialization;

import io.ipc4j.workerpool.Job;
import io.ipc4j.workerpool.JobHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The pool side of the example: computes {@link Stats} straight from the job's input tensor (the
 * caller's loaned slab slot, mapped in this worker too: no copy, no deserialization) and replies
 * with {@link Stats#toBytes()}. The job id is the 8-byte little-endian payload.
 */
public final class StatsHandler implements JobHandler {
    /** Created by each pool worker. */
    public StatsHandler() {
    }

    @Override
    public void handle(Job job) {
        long id = ByteBuffer.wrap(job.payloadBytes()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        job.reply(Stats.of(id, job.input(0).segment()).toBytes());
    }
}
