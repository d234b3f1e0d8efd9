package io.ipc4j.benchmarks.report;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.latency.LatencyHarness;
import io.ipc4j.benchmarks.latency.LatencyOptions;
import io.ipc4j.benchmarks.latency.LatencyResult;
import io.ipc4j.benchmarks.latency.SpinTransport;
import io.ipc4j.benchmarks.latency.Transports;
import io.ipc4j.shm.Bytes;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Latency runs of several transports with the same options, side by side: what
 * {@code ipc4j bench compare} prints and writes.
 *
 * <p>{@link #writeTo(Path)} writes into a directory:
 * <ul>
 *   <li>{@value #MARKDOWN_FILE}: a Markdown table (transport, p50, p99, p99.9, max in µs, and the
 *       p50 and p99 ratios against the fastest transport, i.e. the one with the lowest p50, and
 *       against {@code spin} when it is among them); a fixed-rate run adds a second table of the
 *       uncorrected latencies;</li>
 *   <li>{@code TRANSPORT.hgrm} per transport ({@link HgrmWriter}, µs), plus
 *       {@code TRANSPORT-uncorrected.hgrm} in a fixed-rate run;</li>
 *   <li>{@value #PLOT_FILE}: all transports in one {@link PercentilePlot}.</li>
 * </ul>
 */
public final class CompareReport {
    /** The Markdown table's file name. */
    public static final String MARKDOWN_FILE = "compare.md";
    /** The plot's file name. */
    public static final String PLOT_FILE = "latency.png";
    /** Suffix (before {@code .hgrm}) of the uncorrected histograms of a fixed-rate run. */
    public static final String UNCORRECTED_SUFFIX = "-uncorrected";

    private final List<LatencyResult> results;

    private CompareReport(List<LatencyResult> results) {
        this.results = results;
    }

    /**
     * @param results one result per transport, all with the same options, in table order
     * @return the report
     * @throws IpcException INVALID_ARGUMENT when empty or when a transport appears twice
     */
    public static CompareReport of(List<LatencyResult> results) {
        List<LatencyResult> copy = List.copyOf(results);
        if (copy.isEmpty()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "compare: no results");
        }
        Set<String> seen = new HashSet<>();
        for (LatencyResult r : copy) {
            if (!seen.add(r.transport())) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "compare: transport '" + r.transport()
                        + "' appears twice");
            }
        }
        return new CompareReport(copy);
    }

    /**
     * Runs {@link LatencyHarness} for each transport, one after another, with the same options.
     *
     * @param transports transport names (see {@link Transports}), each at most once
     * @param options    the options of every run (its {@link LatencyOptions#transport()} is ignored)
     * @param progress   receives one line before each run (e.g. {@code System.err::println})
     * @return the report, in the order given
     * @throws IpcException INVALID_ARGUMENT for an unknown or repeated transport (before running
     *                      anything), or whatever a run throws
     */
    public static CompareReport run(List<String> transports, LatencyOptions options, Consumer<String> progress) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        if (transports.isEmpty()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "compare: no transports given");
        }
        if (new HashSet<>(transports).size() != transports.size()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "compare: a transport is listed twice: "
                    + transports);
        }
        for (String t : transports) {
            Transports.byName(t); // fail before the first run
        }
        List<LatencyResult> results = new ArrayList<>();
        int i = 0;
        for (String t : transports) {
            i++;
            progress.accept(String.format(Locale.ROOT, "[%d/%d] %s: %d warm-up + %d measured, %s%s", i,
                    transports.size(), t, options.warmup(), options.messages(), Bytes.format(options.payloadSize()),
                    options.fixedRate() ? String.format(Locale.ROOT, ", %.0f msg/s", options.rate()) : ""));
            results.add(new LatencyHarness(options.withTransport(t)).run());
        }
        return of(results);
    }

    /** @return the results, in table order */
    public List<LatencyResult> results() {
        return results;
    }

    /** @return the result with the lowest p50 (the first of equals) */
    public LatencyResult fastest() {
        return results.stream().min(Comparator.comparingLong(LatencyResult::p50Ns)).orElseThrow();
    }

    /** @return the {@code spin} result, if spin was run */
    public Optional<LatencyResult> spin() {
        return results.stream().filter(r -> r.transport().equals(SpinTransport.NAME)).findFirst();
    }

    /**
     * The report as Markdown: a heading, one line describing the run, the table of corrected (or,
     * back to back, the only) latencies, and for a fixed-rate run the uncorrected table.
     *
     * @return Markdown text ending in a newline
     */
    public String markdown() {
        LatencyResult first = results.getFirst();
        StringBuilder sb = new StringBuilder("# ipc4j round-trip latency\n\n");
        sb.append(String.format(Locale.ROOT, "%d messages of %s per transport after %d warm-up; ",
                first.messages(), Bytes.format(first.size()), first.warmup()));
        if (first.fixedRate()) {
            sb.append(String.format(Locale.ROOT, "fixed rate %.0f msg/s, one message in flight; latencies measured "
                    + "from each message's intended send time (corrected for coordinated omission). ", first.rate()));
        } else {
            sb.append("back-to-back round trips (one message in flight). ");
        }
        sb.append("Latencies in µs; ratios against the fastest transport (lowest p50: ")
                .append(fastest().transport()).append(')');
        if (spin().isPresent()) {
            sb.append(" and against spin");
        }
        sb.append(".\n\n");
        table(sb, false);
        if (first.fixedRate()) {
            sb.append("\nUncorrected (from the actual send time, hides stalls):\n\n");
            table(sb, true);
        }
        return sb.toString();
    }

    private void table(StringBuilder sb, boolean uncorrected) {
        boolean withSpin = spin().isPresent();
        sb.append("| transport | p50 | p99 | p99.9 | max | p50 × fastest | p99 × fastest |");
        sb.append(withSpin ? " p50 × spin | p99 × spin |\n" : "\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|").append(withSpin ? "---:|---:|\n" : "\n");
        Histogram fast = pick(fastest(), uncorrected);
        Histogram spin = spin().map(r -> pick(r, uncorrected)).orElse(null);
        for (LatencyResult r : results) {
            Histogram h = pick(r, uncorrected);
            long p50 = h.getValueAtPercentile(50);
            long p99 = h.getValueAtPercentile(99);
            sb.append("| ").append(r.transport())
                    .append(" | ").append(us(p50))
                    .append(" | ").append(us(p99))
                    .append(" | ").append(us(h.getValueAtPercentile(99.9)))
                    .append(" | ").append(us(h.getMaxValue()))
                    .append(" | ").append(ratio(p50, fast.getValueAtPercentile(50)))
                    .append(" | ").append(ratio(p99, fast.getValueAtPercentile(99))).append(" |");
            if (spin != null) {
                sb.append(' ').append(ratio(p50, spin.getValueAtPercentile(50)))
                        .append(" | ").append(ratio(p99, spin.getValueAtPercentile(99))).append(" |");
            }
            sb.append('\n');
        }
    }

    private static Histogram pick(LatencyResult r, boolean uncorrected) {
        return uncorrected ? r.uncorrected() : r.histogram();
    }

    /**
     * Writes {@value #MARKDOWN_FILE}, one {@code .hgrm} per transport and {@value #PLOT_FILE} into
     * {@code dir} (created if missing; files of the same names are replaced).
     *
     * @param dir the output directory
     * @return the files written
     * @throws IpcException OS_ERROR when something cannot be written
     */
    public List<Path> writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "compare: cannot create " + dir + ": " + e, e);
        }
        List<Path> written = new ArrayList<>();
        Path md = dir.resolve(MARKDOWN_FILE);
        try {
            Files.writeString(md, markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "compare: write " + md + ": " + e, e);
        }
        written.add(md);
        Map<String, Histogram> series = new LinkedHashMap<>();
        for (LatencyResult r : results) {
            String base = fileName(r.transport());
            Path h = dir.resolve(base + HgrmWriter.SUFFIX);
            HgrmWriter.write(r.histogram(), h);
            written.add(h);
            if (r.fixedRate()) {
                Path u = dir.resolve(base + UNCORRECTED_SUFFIX + HgrmWriter.SUFFIX);
                HgrmWriter.write(r.uncorrected(), u);
                written.add(u);
            }
            series.put(r.transport(), r.histogram());
        }
        Path png = dir.resolve(PLOT_FILE);
        PercentilePlot.write(png, plotTitle(), series);
        written.add(png);
        return written;
    }

    private String plotTitle() {
        LatencyResult first = results.getFirst();
        String mode = first.fixedRate()
                ? String.format(Locale.ROOT, "%.0f msg/s, corrected for coordinated omission", first.rate())
                : "back-to-back";
        return String.format(Locale.ROOT, "ipc4j round trip, %s payload, %d messages, %s",
                Bytes.format(first.size()), first.messages(), mode);
    }

    /** @return {@code name} with anything but letters, digits, '.', '_' and '-' replaced by '_' */
    static String fileName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.2f", ns / 1000.0);
    }

    private static String ratio(long value, long reference) {
        return reference <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", value / (double) reference);
    }
}
