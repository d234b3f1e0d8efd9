package io.ipc4j.workerpool;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.Tensor;

/**
 * A completed job: its output tensors, which are read-only views of the pool's shared slab (the
 * worker wrote them in place; nothing was copied back), and the worker's small reply.
 * {@link #close()} returns the output slots to the slab; until then they count as used. Not
 * thread-safe.
 */
public final class JobResult implements AutoCloseable {
    private final WorkerPool pool;
    private final long jobId;
    private final int attempts;
    private final int worker;
    private final Tensor[] outputs;
    private final long[] handles;
    private final byte[] reply;
    private final long latencyNanos;
    private boolean closed;

    JobResult(WorkerPool pool, long jobId, int attempts, int worker, Tensor[] outputs, long[] handles, byte[] reply,
              long latencyNanos) {
        this.pool = pool;
        this.jobId = jobId;
        this.attempts = attempts;
        this.worker = worker;
        this.outputs = outputs;
        this.handles = handles;
        this.reply = reply;
        this.latencyNanos = latencyNanos;
    }

    /** @return the job's id */
    public long jobId() {
        return jobId;
    }

    /** @return how many times the job was dispatched (more than 1 when a worker died running it) */
    public int attempts() {
        return attempts;
    }

    /** @return the slot index of the worker that completed it */
    public int worker() {
        return worker;
    }

    /** @return nanoseconds from submit to the completion being read by the supervisor */
    public long latencyNanos() {
        return latencyNanos;
    }

    /** @return number of output tensors */
    public int outputCount() {
        return outputs.length;
    }

    /**
     * @param index 0 to {@code outputCount() - 1}
     * @return that output, read-only, valid until {@link #close()}
     * @throws IpcException CLOSED after close
     */
    public Tensor output(int index) {
        if (closed) {
            throw new IpcException(Reason.CLOSED, "job " + jobId + "'s result was closed");
        }
        return outputs[index];
    }

    /** @return a copy of the worker's reply bytes (empty when it set none) */
    public byte[] reply() {
        return reply.clone();
    }

    /** Returns the output slots to the pool. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (long h : handles) {
                pool.freeSlot(h);
            }
        }
    }
}
