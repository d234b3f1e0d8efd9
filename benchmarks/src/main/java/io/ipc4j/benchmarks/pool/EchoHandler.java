package io.ipc4j.benchmarks.pool;

import io.ipc4j.workerpool.Job;
import io.ipc4j.workerpool.JobHandler;

import java.lang.foreign.ValueLayout;

/**
 * Replies with what the job carried: the bytes of input 0 when the job has an input tensor,
 * otherwise its inline payload. (Replies are bounded by {@link Job#maxReplyBytes()}.)
 */
public final class EchoHandler implements JobHandler {
    /** Created by each pool worker. */
    public EchoHandler() {
    }

    @Override
    public void handle(Job job) {
        if (job.inputCount() > 0) {
            job.reply(job.input(0).segment().toArray(ValueLayout.JAVA_BYTE));
        } else {
            job.reply(job.payloadBytes());
        }
    }
}
