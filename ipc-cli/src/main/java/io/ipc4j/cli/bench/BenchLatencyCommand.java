package io.ipc4j.cli.bench;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.latency.LatencyHarness;
import io.ipc4j.benchmarks.latency.LatencyOptions;
import io.ipc4j.benchmarks.latency.LatencyResult;
import io.ipc4j.benchmarks.latency.Transport;
import io.ipc4j.benchmarks.latency.Transports;
import io.ipc4j.cli.ByteSizeConverter;
import io.ipc4j.shm.Bytes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j bench latency}: round-trip latency between this JVM and a spawned child JVM over
 * one transport ({@link LatencyHarness}). Prints a table to stdout; optionally writes the result
 * as JSON and the full distribution as an {@code .hgrm} file.
 */
@Command(name = "latency",
        mixinStandardHelpOptions = true,
        description = {"Ping-pong between this JVM and a child JVM; prints round-trip percentiles.",
                "Spinning transports use one core per side: run on an otherwise idle machine."},
        footer = {"", "JSON keys: transport, messages, size, p50_ns, p90_ns, p99_ns, p999_ns, max_ns, min_ns, mean_ns, warmup;",
                "with --rate also rate, raw_p50_ns, raw_p90_ns, raw_p99_ns, raw_p999_ns, raw_max_ns (uncorrected)."})
public final class BenchLatencyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "spin", completionCandidates = TransportNames.class,
            description = "Transport: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100000",
            description = "Measured round trips (default: ${DEFAULT-VALUE}).")
    private long messages;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Round trips before measuring, back to back, not recorded "
                    + "(default: 10%% of --messages, at most 10000).")
    private Long warmup;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", converter = ByteSizeConverter.class,
            description = "Payload bytes per message and direction, 0 B to 64 MiB and beyond where the transport "
                    + "allows, e.g. 8, 64B, 4KiB, 64MiB (default: ${DEFAULT-VALUE}).")
    private long size;

    @Option(names = "--rate", paramLabel = "MSG_PER_S",
            description = {"Send at a fixed rate instead of back to back: message i is due at start + i/rate, "
                    + "one in flight; latency counts from the intended send time (corrected for coordinated "
                    + "omission) and the uncorrected figures are shown too.",
                    "The parent parks between sends and spins only for the last 100 us."})
    private Double rate;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Fail when one answer takes longer (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as one JSON object (nanoseconds).")
    private Path json;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Also write HdrHistogram's percentile distribution with values in MICROSECONDS, e.g. spin-us.hgrm.")
    private Path hgrm;

    /** Created by picocli. */
    public BenchLatencyCommand() {
    }

    @Override
    public Integer call() {
        LatencyOptions options = options();
        Transport t = Transports.byName(options.transport());
        if (t.needsClassPath() && ClassPathRelaunch.onModulePath()) {
            // e.g. chronicle-queue: its library cannot run on the module path (see ClassPathRelaunch)
            return ClassPathRelaunch.run(t, spec.root().commandLine().getParseResult().originalArgs());
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("ipc4j: %s latency: %d warm-up + %d measured round trips, %s payload%s ...%n",
                options.transport(), options.warmup(), options.messages(), Bytes.format(options.payloadSize()),
                options.fixedRate() ? String.format(java.util.Locale.ROOT, ", %.0f msg/s", options.rate()) : "");
        err.flush();
        LatencyResult result = new LatencyHarness(options).run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(LatencyResult.table(List.of(result)));
        out.flush();
        if (json != null) {
            result.writeJson(json);
        }
        if (hgrm != null) {
            result.writeHgrm(hgrm);
        }
        return 0;
    }

    /** Checks the options, reporting bad values as usage errors (exit code 2). */
    private LatencyOptions options() {
        if (!Transports.names().contains(transport)) {
            throw usage("unknown transport '" + transport + "' (known: " + String.join(", ", Transports.names()) + ")");
        }
        return options(spec, transport, messages, warmup, size, rate, timeoutSeconds);
    }

    /**
     * The checks {@code bench latency} and {@code bench compare} share; bad values are usage errors.
     *
     * @return the options for {@code transport}
     */
    static LatencyOptions options(CommandSpec spec, String transport, long messages, Long warmup, long size,
                                  Double rate, long timeoutSeconds) {
        if (size > Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size " + size + " is too large");
        }
        if (timeoutSeconds <= 0 || timeoutSeconds > 86_400) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--timeout must be 1..86400 seconds, was " + timeoutSeconds);
        }
        if (rate != null && !(rate > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be > 0 messages/s, was " + rate);
        }
        try {
            return LatencyOptions.of(transport).withMessages(messages)
                    .withWarmup(warmup != null ? warmup : LatencyOptions.defaultWarmup(messages))
                    .withPayloadSize((int) size).withTimeout(Duration.ofSeconds(timeoutSeconds))
                    .withRate(rate == null ? 0 : rate);
        } catch (IpcException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Transport names for help and shell completion. */
    static final class TransportNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Transports.names().iterator();
        }
    }
}
