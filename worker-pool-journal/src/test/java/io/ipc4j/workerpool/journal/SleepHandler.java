package io.ipc4j.workerpool.journal;

import io.ipc4j.tensor.Tensor;
import io.ipc4j.workerpool.Job;
import io.ipc4j.workerpool.JobHandler;
import io.ipc4j.workerpool.WorkerContext;

import java.nio.charset.StandardCharsets;

/**
 * The journal tests' worker handler. Payload {@code sleep:MS:TAG}: sleeps MS ms, writes 2 x input
 * 0 into output 0 when the job has tensors, and replies TAG. A worker started with
 * {@code -Djournaltest.stallFrom=N} instead sleeps ten minutes on jobs whose TAG is N or more
 * (so a test knows exactly which jobs cannot have completed when it kills the supervisor).
 */
public final class SleepHandler implements JobHandler {
    private final long stallFrom = Long.getLong("journaltest.stallFrom", Long.MAX_VALUE);

    /** Created by the worker. */
    public SleepHandler() {
    }

    @Override
    public void init(WorkerContext ctx) {
        // no weights
    }

    @Override
    public void handle(Job job) throws Exception {
        String[] cmd = new String(job.payloadBytes(), StandardCharsets.UTF_8).split(":");
        if (cmd.length != 3 || !cmd[0].equals("sleep")) {
            throw new IllegalArgumentException("expected sleep:MS:TAG");
        }
        long tag = Long.parseLong(cmd[2]);
        Thread.sleep(tag >= stallFrom ? 600_000 : Long.parseLong(cmd[1]));
        if (job.inputCount() > 0) {
            Tensor in = job.input(0);
            Tensor out = job.output(0);
            for (long i = 0; i < in.elementCount(); i++) {
                out.setFloat(i, 2 * in.getFloat(i));
            }
        }
        job.reply(cmd[2].getBytes(StandardCharsets.UTF_8));
    }
}
