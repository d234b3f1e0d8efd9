package io.ipc4j.workerpool;

import io.ipc4j.tensor.DType;

import java.util.List;

/**
 * A durable record of accepted and completed jobs, so that a supervisor started again after a
 * crash re-runs the jobs that never completed ({@link PoolContext#journal}, {@link WorkerPool#recovered()}).
 * The pool calls {@link #accepted} in {@code submit} before the job can run, and {@link #completed}
 * once its outcome is final (done, handler failure or poison; not when a closing pool gives up
 * on it). Implementations: {@code io.ipc4j.workerpool.journal.ChronicleJobJournal} (Chronicle Queue),
 * in the optional {@code worker-pool-journal} module, so Chronicle and its JVM flags are needed
 * only when a journal is used.
 *
 * <p>Called from any thread that submits and from the pool's completion thread: implementations
 * must be thread-safe.
 */
public interface JobJournal extends AutoCloseable {
    /**
     * A job as the journal keeps it: everything needed to run it again.
     *
     * @param jobId   its id in the journal (stable across supervisor restarts)
     * @param inputs  input tensors with their bytes
     * @param outputs output tensors to allocate
     * @param payload inline payload
     */
    record Entry(long jobId, List<TensorData> inputs, List<TensorSpec> outputs, byte[] payload) {
        /** Copies the lists. */
        public Entry {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /**
     * An output tensor's type and shape.
     *
     * @param dtype element type
     * @param shape shape
     */
    record TensorSpec(DType dtype, long[] shape) {
        /** Copies the shape. */
        public TensorSpec {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /**
     * An input tensor with its bytes.
     *
     * @param dtype element type
     * @param shape shape
     * @param bytes its data, little-endian, {@code Tensor.byteSize(dtype, shape)} bytes
     */
    record TensorData(DType dtype, long[] shape, byte[] bytes) {
        /** Copies the arrays. */
        public TensorData {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /**
     * Records an accepted job durably (returns once it would survive a crash of this process).
     *
     * @param entry the job
     */
    void accepted(Entry entry);

    /**
     * Records that a job's outcome is final.
     *
     * @param jobId the {@link Entry#jobId()}
     */
    void completed(long jobId);

    /** @return jobs accepted and never completed, in acceptance order */
    List<Entry> unfinished();

    /** @return the highest job id ever recorded, 0 for an empty journal */
    long lastJobId();

    /** Closes the journal (the pool does, when it closes). */
    @Override
    void close();
}
