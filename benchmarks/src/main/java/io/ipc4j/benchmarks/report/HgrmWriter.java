package io.ipc4j.benchmarks.report;

import io.ipc4j.IpcException;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a histogram of nanoseconds as HdrHistogram's percentile distribution text (the
 * {@code .hgrm} format its online plotter and {@code HistogramLogAnalyzer} read), values in
 * <b>microseconds</b>: a header line {@code Value Percentile TotalCount 1/(1-Percentile)}, one
 * line per percentile step (five per halving of the distance to 100%), then the mean, standard
 * deviation, max and total count as {@code #[...]} lines.
 */
public final class HgrmWriter {
    /** Nanoseconds per microsecond: the output unit ratio. */
    public static final double NS_PER_US = 1000.0;
    /** Percentile lines per halving of the distance to 100% (HdrHistogram's usual 5). */
    public static final int TICKS_PER_HALF_DISTANCE = 5;
    /** File name suffix. */
    public static final String SUFFIX = ".hgrm";

    private HgrmWriter() {
    }

    /**
     * Writes the distribution to a stream (not closed).
     *
     * @param histogram values in nanoseconds
     * @param out       where
     */
    public static void write(Histogram histogram, PrintStream out) {
        histogram.outputPercentileDistribution(out, TICKS_PER_HALF_DISTANCE, NS_PER_US);
    }

    /**
     * Writes the distribution to a file, replacing it.
     *
     * @param histogram values in nanoseconds
     * @param file      where
     * @throws IpcException OS_ERROR when the file cannot be written
     */
    public static void write(Histogram histogram, Path file) {
        try (OutputStream os = Files.newOutputStream(file);
             PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8)) {
            write(histogram, out);
            out.flush();
            if (out.checkError()) {
                throw new IOException("write error");
            }
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "write histogram to " + file + ": " + e, e);
        }
    }
}
