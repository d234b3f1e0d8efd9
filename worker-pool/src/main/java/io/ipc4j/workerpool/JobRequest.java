package io.ipc4j.workerpool;

import io.ipc4j.tensor.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a job carries: input tensors (loans already filled), the outputs the worker is to write
 * (dtype and shape; the pool allocates them in the slab at submit) and an optional small inline
 * byte payload.
 *
 * <pre>{@code
 * try (TensorLoan x = pool.loan(DType.F32, 1024)) {
 *     x.tensor().copyFrom(input);
 *     CompletableFuture<JobResult> f = pool.submit(JobRequest.create().input(x).output(DType.F32, 4096));
 *     try (JobResult r = f.join()) { float y0 = r.output(0).getFloat(0); }
 * }
 * }</pre>
 */
public final class JobRequest {
    final List<TensorLoan> inputs = new ArrayList<>();
    final List<DType> outputTypes = new ArrayList<>();
    final List<long[]> outputShapes = new ArrayList<>();
    byte[] payload = new byte[0];

    private JobRequest() {
    }

    /** @return an empty request */
    public static JobRequest create() {
        return new JobRequest();
    }

    /**
     * @param loan a filled loan of the pool the job goes to; submitting moves it into the job
     * @return this
     */
    public JobRequest input(TensorLoan loan) {
        inputs.add(Objects.requireNonNull(loan, "loan"));
        return this;
    }

    /**
     * @param dtype element type of an output tensor
     * @param shape its shape
     * @return this
     */
    public JobRequest output(DType dtype, long... shape) {
        outputTypes.add(Objects.requireNonNull(dtype, "dtype"));
        outputShapes.add(shape.clone());
        return this;
    }

    /**
     * @param bytes a small inline payload (see {@link WorkerPool#maxPayloadBytes}), copied now
     * @return this
     */
    public JobRequest payload(byte[] bytes) {
        payload = bytes.clone();
        return this;
    }
}
