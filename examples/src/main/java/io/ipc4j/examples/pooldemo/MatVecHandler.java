package io.ipc4j.examples.pooldemo;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixMemory;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.workerpool.Job;
import io.ipc4j.workerpool.JobHandler;
import io.ipc4j.workerpool.WorkerContext;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The demo's worker: a matrix-vector product over a block of rows of the shared weights.
 * Job: input 0 is the vector {@code x} (F32, one value per weight column), the 12-byte payload
 * holds the first row (long) and the row count (int), output 0 receives
 * {@code y[i] = sum_c w[first + i][c] * x[c]} (F32). The weights are never copied: the handler
 * reads the read-only mapping every worker shares.
 *
 * <p>With the system property {@code ipc4j.demo.readAll=true} the worker maps every page of the
 * weights ({@code MADV_POPULATE_READ}) in {@link #init} before it reports ready.
 */
public final class MatVecHandler implements JobHandler {
    /** Name of the weight tensor. */
    public static final String WEIGHTS = "w";
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MemorySegment w;
    private long rows;
    private int cols;
    private float[] x = new float[0];

    /** Created by the worker. */
    public MatVecHandler() {
    }

    @Override
    public void init(WorkerContext context) {
        Tensor t = context.weight(WEIGHTS);
        if (t.dtype() != DType.F32 || t.rank() != 2) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "weights '" + WEIGHTS + "' must be a 2-D F32 tensor, not "
                    + t.dtype() + " of rank " + t.rank());
        }
        w = t.segment();
        rows = t.dim(0);
        cols = Math.toIntExact(t.dim(1));
        if (Boolean.getBoolean("ipc4j.demo.readAll")) {
            // the whole store's mapping (page-aligned, as madvise wants), not the tensor's slice of it
            PosixMemory.madvise(context.weights().orElseThrow().segment(), PosixMemory.MADV_POPULATE_READ);
        }
    }

    @Override
    public void handle(Job job) {
        ByteBuffer p = ByteBuffer.wrap(job.payloadBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long first = p.getLong();
        int count = p.getInt();
        Tensor in = job.input(0);
        Tensor out = job.output(0);
        if (in.elementCount() != cols || out.elementCount() != count || first < 0 || first + count > rows) {
            throw new IllegalArgumentException("job asks for rows " + first + "+" + count + " of " + rows
                    + " with a vector of " + in.elementCount() + " (weights have " + cols + " columns)");
        }
        if (x.length != cols) {
            x = new float[cols];
        }
        MemorySegment.copy(in.segment(), F32, 0, x, 0, cols);
        MemorySegment y = out.segment();
        for (int i = 0; i < count; i++) {
            y.set(F32, 4L * i, dot(w, (first + i) * cols * 4, x));
        }
    }

    /**
     * One row times the vector, summed in column order (the supervisor's check uses the same
     * function, so the results are bit-for-bit comparable).
     *
     * @param w      the weights
     * @param offset byte offset of the row
     * @param x      the vector
     * @return the dot product
     */
    public static float dot(MemorySegment w, long offset, float[] x) {
        float acc = 0;
        for (int c = 0; c < x.length; c++) {
            acc += w.get(F32, offset + 4L * c) * x[c];
        }
        return acc;
    }
}
