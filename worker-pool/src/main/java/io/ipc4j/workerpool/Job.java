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

    /**
     * Allocates one more output in the shared slab, for results whose size only the handler knows.
     * The caller gets it as {@code JobResult.output(outputCount() + k)} for the k-th call. Until the
     * job completes the slot belongs to this worker process: if the worker dies, the slab takes it
     * back ({@code SharedSlab.reclaimDeadOwners()}), and if the handler throws, it is freed.
     *
     * @param dtype element type
     * @param shape shape (at most 8 dimensions, at most one slab slot of bytes)
     * @return the tensor to write
     * @throws io.ipc4j.IpcException TOO_LARGE when it does not fit a slot or the job has too many
     *                               tensors, NO_SPACE when no slot frees up within a second
     */
    Tensor allocateOutput(io.ipc4j.tensor.DType dtype, long... shape);

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
