package io.ipc4j.examples.shareweights;

/**
 * The deterministic weights of the demo: {@code w[i][j] = ((i*131 + j*7) mod 1024) / 1024}.
 * Every value is a multiple of 2^-10 no larger than 1, so a sum over up to 2^40 elements is exact
 * in a double whatever the order of additions: workers' results are compared for equality with an
 * independent reference computed from the formula, not from the shared memory.
 */
public final class WeightPattern {
    /** Rows repeat with this period (131 * 1024 is 0 mod 1024). */
    public static final int PERIOD = 1024;

    private WeightPattern() {
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
