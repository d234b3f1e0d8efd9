package io.ipc4j.workerpool;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;

/**
 * An input tensor lent by {@link WorkerPool#loan}: a slot of the pool's shared slab to fill in
 * place, then hand to a job with {@link JobRequest#input(TensorLoan)} (loan &rarr; write &rarr;
 * submit). The workers read these very bytes: nothing is copied or serialized.
 *
 * <p>Closing a loan that was not submitted returns its slot; closing a submitted loan does
 * nothing (the job owns the slot and frees it when it completes). Not thread-safe.
 */
public final class TensorLoan implements AutoCloseable {
    private final WorkerPool pool;
    private final long handle;
    private final Tensor tensor;
    private final DType dtype;
    private final long[] shape;
    private int state;                 // 0 open, 1 submitted, 2 closed

    TensorLoan(WorkerPool pool, long handle, Tensor tensor, DType dtype, long[] shape) {
        this.pool = pool;
        this.handle = handle;
        this.tensor = tensor;
        this.dtype = dtype;
        this.shape = shape.clone();
    }

    /**
     * @return the tensor to write (a view of the shared slot)
     * @throws IpcException CLOSED once the loan was submitted or closed
     */
    public Tensor tensor() {
        checkOpen();
        return tensor;
    }

    /** @return its element type */
    public DType dtype() {
        return dtype;
    }

    /** @return its shape */
    public long[] shape() {
        return shape.clone();
    }

    /** @return whether it was handed to a job */
    public boolean isSubmitted() {
        return state == 1;
    }

    long handle() {
        return handle;
    }

    long[] shapeRef() {
        return shape;
    }

    WorkerPool pool() {
        return pool;
    }

    void checkOpen() {
        if (state != 0) {
            throw new IpcException(Reason.CLOSED, "this tensor loan was " + (state == 1 ? "submitted" : "closed"));
        }
    }

    void markSubmitted() {
        state = 1;
    }

    /** Returns the slot unless the loan was submitted. Idempotent. */
    @Override
    public void close() {
        if (state == 0) {
            state = 2;
            pool.freeSlot(handle);
        }
    }
}
