package io.ipc4j.examples.shareweights;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixMemory;
import io.ipc4j.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.LongConsumer;

/**
 * The deterministic weights of the demo: {@code w[i][j] = ((i*131 + j*7) mod 1024) / 1024}.
 * Every value is a multiple of 2^-10 no larger than 1, so a sum over up to 2^40 elements is exact
 * in a double whatever the order of additions: workers' results are compared for equality with an
 * independent reference computed from the formula, not from the shared memory.
 */
public final class WeightPattern {
    /** Rows repeat with this period (131 * 1024 is 0 mod 1024). */
    public static final int PERIOD = 1024;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private WeightPattern() {
    }

    /**
     * Fills a 2-D F32 tensor with the pattern: one period of rows computed, then bulk-copied
     * (the kernel faults the pages in with one MADV_POPULATE_WRITE call where it can).
     *
     * @param w        the tensor, {@code [rows, cols]} F32
     * @param progress receives the bytes filled so far, or null
     */
    public static void fill(Tensor w, LongConsumer progress) {
        MemorySegment m = w.segment();
        try {
            PosixMemory.madvise(m, PosixMemory.MADV_POPULATE_WRITE);
        } catch (IpcException e) {
            // older kernels: the copy below faults the pages in instead
        }
        long rows = w.dim(0);
        int cols = Math.toIntExact(w.dim(1));
        long rowBytes = cols * 4L;
        long periodRows = Math.min(rows, PERIOD);
        float[] row = new float[cols];
        for (long i = 0; i < periodRows; i++) {
            fillRow(i, row);
            MemorySegment.copy(row, 0, m, F32, i * rowBytes, cols);
        }
        long periodBytes = periodRows * rowBytes;
        long done = periodBytes;
        while (done < m.byteSize()) {
            long n = Math.min(periodBytes, m.byteSize() - done);
            MemorySegment.copy(m, 0, m, done, n);
            done += n;
            if (progress != null) {
                progress.accept(done);
            }
        }
        if (progress != null) {
            progress.accept(m.byteSize());
        }
    }

    /**
     * @param row row index
     * @param col column index
     * @return the weight at (row, col)
     */
    public static float value(long row, long col) {
        return (float) ((row * 131 + col * 7) & (PERIOD - 1)) / PERIOD;
    }

    /**
     * Fills {@code dst} with row {@code row} of a matrix with {@code dst.length} columns.
     *
     * @param row the row
     * @param dst the row's values
     */
    public static void fillRow(long row, float[] dst) {
        for (int j = 0; j < dst.length; j++) {
            dst[j] = value(row, j);
        }
    }

    /**
     * The exact sum of rows {@code [from, to)} of a matrix with {@code cols} columns, from the
     * formula alone.
     *
     * @param from first row
     * @param to   end row (exclusive)
     * @param cols number of columns
     * @return the sum
     */
    public static double blockSum(long from, long to, int cols) {
        double[] rowSums = new double[PERIOD];
        for (int r = 0; r < PERIOD; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += value(r, j);
            }
            rowSums[r] = s;
        }
        double total = 0;
        for (long i = from; i < to; i++) {
            total += rowSums[(int) (i & (PERIOD - 1))];
        }
        return total;
    }
}
