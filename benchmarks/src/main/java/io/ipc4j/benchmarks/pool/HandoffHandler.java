package io.ipc4j.benchmarks.pool;

import io.ipc4j.workerpool.Job;
import io.ipc4j.workerpool.JobHandler;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A worker of {@link PoolHandoffLatency}: replies the first and the last 8 bytes of input 0 (the
 * caller's markers), proving it sees the caller's bytes without reading or copying the rest.
 */
public final class HandoffHandler implements JobHandler {
    /** Created by each pool worker. */
    public HandoffHandler() {
    }

    @Override
    public void handle(Job job) {
        MemorySegment in = job.input(0).segment();
        byte[] reply = new byte[16];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 0, reply, 0, 8);
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, in.byteSize() - 8, reply, 8, 8);
        job.reply(reply);
    }
}
