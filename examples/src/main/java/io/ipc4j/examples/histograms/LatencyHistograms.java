package io.ipc4j.examples.histograms;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.latency.LatencyHarness;
import io.ipc4j.benchmarks.latency.LatencyOptions;
import io.ipc4j.benchmarks.latency.LatencyResult;
import io.ipc4j.benchmarks.report.HgrmWriter;
import io.ipc4j.benchmarks.report.PercentilePlot;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures round-trip latency between this JVM and a child JVM over a few transports, records every
 * round trip in an HdrHistogram, and writes what HdrHistogram users expect:
 *
 * <ul>
 *   <li>{@code TRANSPORT.hgrm} per transport: the percentile distribution in microseconds (paste it
 *       into HdrHistogram's online plotter, or diff two runs);</li>
 *   <li>{@code latency.png}: all transports in one percentile plot (log "1/(1-p)" x axis);</li>
 *   <li>a short summary on {@code out}.</li>
 * </ul>
 *
 * <pre>
 *   java ... io.ipc4j.examples.histograms.LatencyHistograms [OUT_DIR [MESSAGES [TRANSPORT,...]]]
 * </pre>
 *
 * <p>Defaults: {@code ./latency-histograms}, 20,000 messages of 64 bytes, transports
 * {@code spin,futex,uds}: the shared-memory floor, a futex doorbell and a Unix domain socket.
 */
public final class LatencyHistograms {
    /** Transports measured when none are given. */
    public static final List<String> DEFAULT_TRANSPORTS = List.of("spin", "futex", "uds");
    /** Round trips measured per transport when not given. */
    public static final long DEFAULT_MESSAGES = 20_000;
    /** Payload bytes per message and direction. */
    public static final int PAYLOAD_BYTES = 64;
    /** The plot's file name in the output directory. */
    public static final String PLOT_FILE = "latency.png";

    private LatencyHistograms() {
    }

    /**
     * What one run produced.
     *
     * @param results one per transport, in order; {@link LatencyResult#histogram()} holds nanoseconds
     * @param files   every file written ({@code .hgrm} files, then the plot)
     */
    public record Summary(List<LatencyResult> results, List<Path> files) {
        /** Copies the lists. */
        public Summary {
            results = List.copyOf(results);
            files = List.copyOf(files);
        }
    }

    /**
     * Runs the example.
     *
     * @param outDir     where to write the files (created if missing)
     * @param transports transport names, e.g. {@link #DEFAULT_TRANSPORTS}
     * @param messages   measured round trips per transport
     * @param out        where the summary goes
     * @return the results and the files written
     * @throws IpcException when a run fails or a file cannot be written
     */
    public static Summary run(Path outDir, List<String> transports, long messages, PrintStream out) {
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "cannot create " + outDir + ": " + e, e);
        }
        List<LatencyResult> results = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Map<String, Histogram> plot = new LinkedHashMap<>();
        for (String transport : transports) {
            // 1. ping-pong with a child JVM; every round trip lands in an HdrHistogram (nanoseconds)
            LatencyOptions options = LatencyOptions.of(transport)
                    .withMessages(messages)
                    .withWarmup(LatencyOptions.defaultWarmup(messages))
                    .withPayloadSize(PAYLOAD_BYTES);
            LatencyResult result = new LatencyHarness(options).run();
            Histogram histogram = result.histogram();

            // 2. the percentile distribution, in microseconds, as HdrHistogram writes it
            Path hgrm = outDir.resolve(transport + HgrmWriter.SUFFIX);
            HgrmWriter.write(histogram, hgrm);

            results.add(result);
            files.add(hgrm);
            plot.put(transport, histogram);
            out.printf(Locale.ROOT, "%-8s p50 %9.2f us   p99 %9.2f us   p99.9 %9.2f us   max %10.2f us   (%d round trips)%n",
                    transport, us(histogram.getValueAtPercentile(50)), us(histogram.getValueAtPercentile(99)),
                    us(histogram.getValueAtPercentile(99.9)), us(histogram.getMaxValue()), histogram.getTotalCount());
        }

        // 3. every transport in one plot
        Path png = outDir.resolve(PLOT_FILE);
        PercentilePlot.write(png, "round trip between two JVMs, " + PAYLOAD_BYTES + " B payload", plot);
        files.add(png);
        out.println("wrote " + files.size() + " files to " + outDir.toAbsolutePath().normalize());
        return new Summary(results, files);
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    /**
     * Entry point.
     *
     * @param args {@code [OUT_DIR [MESSAGES [TRANSPORT,...]]]}
     */
    public static void main(String[] args) {
        Path outDir = Path.of(args.length > 0 ? args[0] : "latency-histograms");
        long messages;
        try {
            messages = args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_MESSAGES;
        } catch (NumberFormatException e) {
            System.err.println("latency-histograms: MESSAGES must be a number, not '" + args[1] + "'");
            System.exit(2);
            return;
        }
        List<String> transports = args.length > 2 ? List.of(args[2].split(",")) : DEFAULT_TRANSPORTS;
        try {
            run(outDir, transports, messages, System.out);
        } catch (io.ipc4j.IpcException e) {
            System.err.println("latency-histograms: " + e.getMessage());
            System.exit(1);
        }
    }
}
