package io.ipc4j.cli.bench;

import io.ipc4j.benchmarks.latency.LatencyOptions;
import io.ipc4j.benchmarks.latency.LatencyResult;
import io.ipc4j.benchmarks.latency.Transport;
import io.ipc4j.benchmarks.latency.Transports;
import io.ipc4j.benchmarks.report.CompareReport;
import io.ipc4j.cli.ByteSizeConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j bench compare}: latency of several transports, one run after another with the same
 * options ({@link CompareReport}); prints the Markdown table and writes it, one {@code .hgrm} per
 * transport and a percentile plot into {@code --out}.
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        description = {"Runs the latency benchmark for several transports, one after another with the same options, "
                + "prints a Markdown table (p50/p99/p99.9/max in us, ratios against the fastest and against spin) "
                + "and writes into --out: " + CompareReport.MARKDOWN_FILE + ", TRANSPORT.hgrm per transport "
                        + "(HdrHistogram percentile distribution, us) and " + CompareReport.PLOT_FILE
                        + " (all transports, percentile on a log 1/(1-p) axis).",
                "Spinning transports use one core per side: run on an otherwise idle machine."},
        footer = {"", "Example: ipc4j bench compare --transports spin,futex,uds --messages 20000 --out /tmp/cmp"})
public final class BenchCompareCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--transports", paramLabel = "NAME", split = ",", required = true,
            completionCandidates = BenchLatencyCommand.TransportNames.class,
            description = "Transports to compare, in table order: ${COMPLETION-CANDIDATES}.")
    private List<String> transports;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100000",
            description = "Measured round trips per transport (default: ${DEFAULT-VALUE}).")
    private long messages;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Round trips before measuring, not recorded (default: 10%% of --messages, at most 10000).")
    private Long warmup;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", converter = ByteSizeConverter.class,
            description = "Payload bytes per message and direction, e.g. 8, 64B, 4KiB, 64MiB (default: ${DEFAULT-VALUE}).")
    private long size;

    @Option(names = "--rate", paramLabel = "MSG_PER_S",
            description = "Fixed send rate (see 'bench latency --help'); the table and plot then show latencies "
                    + "corrected for coordinated omission, " + CompareReport.MARKDOWN_FILE
                    + " also the uncorrected ones. Default: back to back.")
    private Double rate;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Fail when one answer takes longer (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory for the report files (created if missing; files of the same names are replaced).")
    private Path out;

    /** Created by picocli. */
    public BenchCompareCommand() {
    }

    @Override
    public Integer call() {
        for (String t : transports) {
            if (!Transports.names().contains(t)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown transport '" + t + "' (known: "
                        + String.join(", ", Transports.names()) + ")");
            }
        }
        if (transports.stream().distinct().count() != transports.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--transports lists a transport twice: "
                    + String.join(",", transports));
        }
        for (String t : transports) {
            Transport transport = Transports.byName(t);
            if (transport.needsClassPath() && ClassPathRelaunch.onModulePath()) {
                // e.g. chronicle-queue: the whole comparison runs in one class-path JVM (see ClassPathRelaunch)
                return ClassPathRelaunch.run(transport, spec.root().commandLine().getParseResult().originalArgs());
            }
        }
        LatencyOptions options = BenchLatencyCommand.options(spec, transports.getFirst(), messages, warmup, size, rate,
                timeoutSeconds);
        PrintWriter err = spec.commandLine().getErr();
        CompareReport report = CompareReport.run(transports, options, line -> {
            err.println("ipc4j: " + line);
            err.flush();
        });
        List<Path> files = report.writeTo(out);
        PrintWriter o = spec.commandLine().getOut();
        o.print(report.markdown());
        o.println();
        o.print(LatencyResult.table(report.results()));
        o.flush();
        err.println("ipc4j: wrote " + files.size() + " files to " + out.toAbsolutePath().normalize());
        err.flush();
        return 0;
    }
}
