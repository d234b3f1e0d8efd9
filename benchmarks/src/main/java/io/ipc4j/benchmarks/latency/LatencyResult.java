package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Round-trip latencies of one run, in nanoseconds. Percentiles are HdrHistogram's (3 significant
 * digits: each value is within 0.1% of the true one).
 *
 * <p>In a fixed-rate run ({@code rate > 0}) the percentiles and {@link #histogram()} are the
 * <b>corrected</b> latencies (from each message's intended send time, see
 * {@link FixedRateSchedule}); {@link #uncorrected()} holds the latencies from the actual send
 * times. In a back-to-back run both are the same histogram.
 *
 * @param transport transport name
 * @param messages  measured round trips (the histogram's total count)
 * @param size      payload bytes per direction
 * @param p50Ns     median round trip
 * @param p90Ns     90th percentile
 * @param p99Ns     99th percentile
 * @param p999Ns    99.9th percentile
 * @param maxNs     slowest round trip
 * @param minNs     fastest round trip
 * @param meanNs    mean round trip
 * @param warmup    round trips done before measuring
 * @param histogram every measured round trip in nanoseconds (do not modify); corrected for
 *                  coordinated omission in a fixed-rate run
 * @param rate      messages per second of a fixed-rate run, 0 for back-to-back round trips
 * @param uncorrected the same round trips timed from their actual send (do not modify); the same
 *                  object as {@code histogram} when {@code rate == 0}
 */
public record LatencyResult(String transport, long messages, int size, long p50Ns, long p90Ns, long p99Ns,
                            long p999Ns, long maxNs, long minNs, double meanNs, long warmup, Histogram histogram,
                            double rate, Histogram uncorrected) {
    /** Scaling of {@link #writeHgrm} output: values are printed in microseconds. */
    public static final double HGRM_UNIT_RATIO_NS_PER_US = 1000.0;

    /** Checks the components. */
    public LatencyResult {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(histogram, "histogram");
        Objects.requireNonNull(uncorrected, "uncorrected");
    }

    /**
     * Summarises a histogram of round trips.
     *
     * @param transport transport name
     * @param size      payload bytes
     * @param warmup    warm-up round trips
     * @param histogram recorded round trips in nanoseconds
     * @return the result
     */
    public static LatencyResult of(String transport, int size, long warmup, Histogram histogram) {
        return of(transport, size, warmup, 0, histogram, histogram);
    }

    /**
     * Summarises a fixed-rate run.
     *
     * @param transport   transport name
     * @param size        payload bytes
     * @param warmup      warm-up round trips
     * @param rate        messages per second (0: back-to-back, then both histograms are one)
     * @param corrected   latencies from the intended send times, nanoseconds
     * @param uncorrected latencies from the actual send times, nanoseconds
     * @return the result, its percentiles those of {@code corrected}
     */
    public static LatencyResult of(String transport, int size, long warmup, double rate, Histogram corrected,
                                   Histogram uncorrected) {
        return new LatencyResult(transport, corrected.getTotalCount(), size,
                corrected.getValueAtPercentile(50.0), corrected.getValueAtPercentile(90.0),
                corrected.getValueAtPercentile(99.0), corrected.getValueAtPercentile(99.9),
                corrected.getMaxValue(), corrected.getMinValue(), corrected.getMean(), warmup, corrected, rate,
                uncorrected);
    }

    /** @return true for a fixed-rate run (then {@link #uncorrected()} differs from {@link #histogram()}) */
    public boolean fixedRate() {
        return rate > 0;
    }

    /**
     * The result as one JSON object. The first keys are, in order: {@code transport, messages,
     * size, p50_ns, p90_ns, p99_ns, p999_ns, max_ns}; then {@code min_ns, mean_ns, warmup}; for a
     * fixed-rate run also {@code rate} and the uncorrected {@code raw_p50_ns, raw_p90_ns, raw_p99_ns,
     * raw_p999_ns, raw_max_ns}.
     *
     * @return JSON text (one line)
     */
    public String toJson() {
        return "{\"transport\":" + jsonString(transport)
                + ",\"messages\":" + messages
                + ",\"size\":" + size
                + ",\"p50_ns\":" + p50Ns
                + ",\"p90_ns\":" + p90Ns
                + ",\"p99_ns\":" + p99Ns
                + ",\"p999_ns\":" + p999Ns
                + ",\"max_ns\":" + maxNs
                + ",\"min_ns\":" + minNs
                + ",\"mean_ns\":" + String.format(Locale.ROOT, "%.1f", meanNs)
                + ",\"warmup\":" + warmup
                + (fixedRate() ? ",\"rate\":" + String.format(Locale.ROOT, "%.1f", rate)
                        + ",\"raw_p50_ns\":" + uncorrected.getValueAtPercentile(50.0)
                        + ",\"raw_p90_ns\":" + uncorrected.getValueAtPercentile(90.0)
                        + ",\"raw_p99_ns\":" + uncorrected.getValueAtPercentile(99.0)
                        + ",\"raw_p999_ns\":" + uncorrected.getValueAtPercentile(99.9)
                        + ",\"raw_max_ns\":" + uncorrected.getMaxValue() : "")
                + "}";
    }

    /**
     * Writes {@link #toJson()} and a newline to a file (replacing it).
     *
     * @param file where
     * @throws IpcException OS_ERROR when the file cannot be written
     */
    public void writeJson(Path file) {
        try {
            Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "write JSON result to " + file + ": " + e, e);
        }
    }

    /**
     * Writes HdrHistogram's percentile distribution ({@code .hgrm}, the format its plotter reads)
     * with values in <b>microseconds</b>.
     *
     * @param out where
     */
    public void writeHgrm(PrintStream out) {
        histogram.outputPercentileDistribution(out, HGRM_UNIT_RATIO_NS_PER_US);
    }

    /**
     * Writes {@link #writeHgrm(PrintStream)} to a file (replacing it); values in microseconds.
     *
     * @param file where
     * @throws IpcException OS_ERROR when the file cannot be written
     */
    public void writeHgrm(Path file) {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            writeHgrm(out);
            if (out.checkError()) {
                throw new IOException("write error");
            }
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "write histogram to " + file + ": " + e, e);
        }
    }

    /**
     * Formats results as a table for people, latencies in microseconds. A fixed-rate result gets a
     * second row, {@code NAME (uncorrected)}, with the latencies from the actual send times.
     *
     * @param results rows
     * @return the table, one line per row after a header, each line ending in a newline
     */
    public static String table(List<LatencyResult> results) {
        int width = 16;
        for (LatencyResult r : results) {
            width = Math.max(width, r.transport.length() + (r.fixedRate() ? UNCORRECTED_SUFFIX.length() : 0));
        }
        String fmt = "%-" + width + "s %10s %10s %10s %10s %10s %10s %10s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "transport", "size B", "messages",
                "p50 us", "p90 us", "p99 us", "p99.9 us", "max us"));
        for (LatencyResult r : results) {
            sb.append(String.format(Locale.ROOT, fmt, r.transport, r.size, r.messages,
                    us(r.p50Ns), us(r.p90Ns), us(r.p99Ns), us(r.p999Ns), us(r.maxNs)));
            if (r.fixedRate()) {
                Histogram u = r.uncorrected;
                sb.append(String.format(Locale.ROOT, fmt, r.transport + UNCORRECTED_SUFFIX, r.size, u.getTotalCount(),
                        us(u.getValueAtPercentile(50)), us(u.getValueAtPercentile(90)),
                        us(u.getValueAtPercentile(99)), us(u.getValueAtPercentile(99.9)), us(u.getMaxValue())));
            }
        }
        return sb.toString();
    }

    /** Appended to the transport name on the uncorrected row of {@link #table}. */
    private static final String UNCORRECTED_SUFFIX = " (uncorrected)";

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1000.0);
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
