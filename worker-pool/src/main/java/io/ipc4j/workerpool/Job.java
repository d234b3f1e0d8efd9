package io.ipc4j.workerpool;

import io.ipc4j.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * One job as a worker's {@link JobHandler#handle} sees it. The tensors are views of the pool's
 * shared slab (no copy was made to get them here), valid only during {@code handle}.
 */
public interface Job {
    /** @return the job's id, unique within its pool */
    long id();

    /** @return 1 for the first execution, higher when a worker died running it before */
    int attempt();

    /** @return number of input tensors */
    int inputCount();

    /**
     * @param index 0 to {@code inputCount() - 1}
     * @return that input, read-only
     */
    Tensor input(int index);

    /** @return number of output tensors */
    int outputCount();

    /**
     * @param index 0 to {@code outputCount() - 1}
     * @return that output, to write in place
     */
    Tensor output(int index);

    /** @return the inline byte payload (read-only, possibly empty) */
    MemorySegment payload();

    /** @return a copy of the inline byte payload */
    byte[] payloadBytes();

    /**
     * Sets the small reply the caller gets as {@link JobResult#reply()}.
     *
     * @param bytes at most {@link #maxReplyBytes()} bytes
     * @throws io.ipc4j.IpcException TOO_LARGE when longer
     */
    void reply(byte[] bytes);

    /** @return the longest reply accepted */
    int maxReplyBytes();
}
