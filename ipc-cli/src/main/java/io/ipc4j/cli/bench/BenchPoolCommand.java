package io.ipc4j.cli.bench;

import io.ipc4j.benchmarks.latency.LatencyHarness;
import io.ipc4j.benchmarks.latency.LatencyOptions;
import io.ipc4j.benchmarks.latency.LatencyResult;
import io.ipc4j.benchmarks.pool.PoolEchoLatency;
import io.ipc4j.benchmarks.pool.PoolHandoffLatency;
import io.ipc4j.cli.ByteSizeConverter;
import io.ipc4j.cli.Json;
import io.ipc4j.cli.TextTable;
import io.ipc4j.cli.WriterOutputStream;
import io.ipc4j.examples.serialization.ReplaceSerializationQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j bench pool}: the worker pool's two headline figures in one run. (1) A big job's
 * round trip through a one-worker pool against the same job sent through a serialization queue
 * ({@link ReplaceSerializationQueue}); target: the pool at least {@value #BIG_TARGET}x faster.
 * (2) A 64-byte job's round trip through the pool ({@link PoolEchoLatency}) against the latency
 * harness's {@code futex} transport at 64 B; target: at most {@value #SMALL_TARGET}x slower.
 * (3) A zero-copy hand-off of a tensor of the big job's size ({@link PoolHandoffLatency}: the worker
 * gets the tensor by reference and answers, nothing is copied or read) against the latency
 * harness's {@code java-serialization} transport echoing a message of that size; target: at least
 * {@value #HANDOFF_TARGET}x faster.
 */
@Command(name = "pool",
        mixinStandardHelpOptions = true,
        description = {"Worker-pool round trips: a 4 MiB job (pool vs a serialization queue over a Unix socket),",
                "a 64-byte job (pool vs the futex transport of 'bench latency') and a zero-copy hand-off of a 4 MiB",
                "tensor (pool vs the java-serialization transport at 4 MiB), each against its target."},
        footer = {"", "JSON keys: big_job {jobs, warmup, size, serialization_p50_ns, serialization_p99_ns, pool_p50_ns,",
                "pool_p99_ns, ratio, target_min_ratio, met, verified}, small_job {messages, warmup, size, pool_p50_ns,",
                "pool_p99_ns, futex_p50_ns, futex_p99_ns, ratio, target_max_ratio, met}, handoff {messages, size,",
                "pool_p50_ns, pool_p99_ns, serialization_p50_ns, serialization_p99_ns, ratio, target_min_ratio, met}."})
public final class BenchPoolCommand implements Callable<Integer> {
    /** The big job's target: the pool at least this many times faster than serialization (p50). */
    static final int BIG_TARGET = 50;
    /** The small job's target: the pool at most this many times slower than the futex transport (p50). */
    static final int SMALL_TARGET = 2;
    /** The hand-off's target: the pool at least this many times faster than java-serialization (p50). */
    static final int HANDOFF_TARGET = 100;
    private static final int SMALL_SIZE = 64;

    @Spec
    private CommandSpec spec;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "" + ReplaceSerializationQueue.DEFAULT_JOBS,
            description = "Measured big jobs per side (half as many, at least 10, warm up; default: ${DEFAULT-VALUE}).")
    private int jobs;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "4MiB", converter = ByteSizeConverter.class,
            description = "Input bytes of a big job, a multiple of 4 up to 256 MiB (default: ${DEFAULT-VALUE}).")
    private long size;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "20000",
            description = "Measured 64-byte jobs, and futex round trips (default: ${DEFAULT-VALUE}).")
    private long messages;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5000",
            description = "64-byte jobs and futex round trips before measuring (default: ${DEFAULT-VALUE}).")
    private long warmup;

    @Option(names = "--handoff-messages", paramLabel = "N", defaultValue = "2000",
            description = "Measured zero-copy hand-offs (a quarter as many warm up; default: ${DEFAULT-VALUE}).")
    private long handoffMessages;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as one JSON object (nanoseconds).")
    private Path json;

    /** Created by picocli. */
    public BenchPoolCommand() {
    }

    @Override
    public Integer call() throws IOException {
        if (jobs < 1) {
            throw usage("--jobs must be >= 1, was " + jobs);
        }
        if (size < 4 || size % 4 != 0 || size > 256L << 20) {
            throw usage("--size must be a multiple of 4 bytes, 4 B..256 MiB, was " + size);
        }
        if (messages < 1 || warmup < 0 || handoffMessages < 1) {
            throw usage("--messages must be >= 1 and --warmup >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintStream report = WriterOutputStream.printStream(out);

        ReplaceSerializationQueue.Result big = ReplaceSerializationQueue.run(jobs, (int) size, report);
        out.println();
        err.printf("ipc4j: %d-byte jobs through a one-worker pool: %d warm-up + %d measured ...%n", SMALL_SIZE, warmup,
                messages);
        err.flush();
        LatencyResult pool = PoolEchoLatency.run(messages, warmup, SMALL_SIZE);
        err.printf("ipc4j: futex transport at %d B: %d warm-up + %d measured round trips ...%n", SMALL_SIZE, warmup,
                messages);
        err.flush();
        LatencyResult futex = new LatencyHarness(LatencyOptions.of("futex").withMessages(messages).withWarmup(warmup)
                .withPayloadSize(SMALL_SIZE)).run();
        err.printf("ipc4j: zero-copy hand-off of %s through a one-worker pool: %d measured ...%n", sizeText(size),
                handoffMessages);
        err.flush();
        LatencyResult handoff = PoolHandoffLatency.run(handoffMessages, handoffMessages / 4, (int) size);
        err.printf("ipc4j: java-serialization transport at %s: %d measured round trips ...%n", sizeText(size), jobs);
        err.flush();
        LatencyResult jser = new LatencyHarness(LatencyOptions.of("java-serialization").withMessages(jobs)
                .withWarmup(Math.max(10, jobs / 2)).withPayloadSize((int) size)).run();
        out.print(LatencyResult.table(List.of(pool, futex, handoff, jser)));
        out.println();

        double smallRatio = (double) pool.p50Ns() / Math.max(1, futex.p50Ns());
        boolean bigMet = big.ratio() >= BIG_TARGET;
        boolean smallMet = smallRatio <= SMALL_TARGET;
        double handoffRatio = (double) jser.p50Ns() / Math.max(1, handoff.p50Ns());
        boolean handoffMet = handoffRatio >= HANDOFF_TARGET;
        TextTable t = new TextTable("figure", "ipc4j p50 us", "baseline p50 us", "ratio", "target", "met")
                .rightAlign(1, 2, 3);
        t.row(sizeText(size) + " job: pool vs serialization queue", us(big.poolP50Ns()), us(big.serializationP50Ns()),
                String.format(Locale.ROOT, "%.1fx faster", big.ratio()), ">= " + BIG_TARGET + "x faster", yes(bigMet));
        t.row(SMALL_SIZE + " B job: pool vs futex transport", us(pool.p50Ns()), us(futex.p50Ns()),
                String.format(Locale.ROOT, "%.2fx slower", smallRatio), "<= " + SMALL_TARGET + "x slower", yes(smallMet));
        t.row(sizeText(size) + " hand-off: pool vs java-serialization", us(handoff.p50Ns()), us(jser.p50Ns()),
                String.format(Locale.ROOT, "%.0fx faster", handoffRatio), ">= " + HANDOFF_TARGET + "x faster", yes(handoffMet));
        out.print(t.render());
        out.println("results verified: " + yes(big.verified()) + " (timings are indicative on a shared machine)");
        out.flush();

        if (json != null) {
            Json doc = Json.object()
                    .put("big_job", Json.object().put("jobs", big.jobs()).put("warmup", big.warmup())
                            .put("size", big.sizeBytes())
                            .put("serialization_p50_ns", big.serializationP50Ns())
                            .put("serialization_p99_ns", big.serializationP99Ns())
                            .put("pool_p50_ns", big.poolP50Ns()).put("pool_p99_ns", big.poolP99Ns())
                            .put("ratio", big.ratio()).put("target_min_ratio", BIG_TARGET).put("met", bigMet)
                            .put("verified", big.verified()))
                    .put("small_job", Json.object().put("messages", messages).put("warmup", warmup)
                            .put("size", SMALL_SIZE)
                            .put("pool_p50_ns", pool.p50Ns()).put("pool_p99_ns", pool.p99Ns())
                            .put("futex_p50_ns", futex.p50Ns()).put("futex_p99_ns", futex.p99Ns())
                            .put("ratio", smallRatio).put("target_max_ratio", SMALL_TARGET).put("met", smallMet))
                    .put("handoff", Json.object().put("messages", handoffMessages).put("size", size)
                            .put("pool_p50_ns", handoff.p50Ns()).put("pool_p99_ns", handoff.p99Ns())
                            .put("serialization_p50_ns", jser.p50Ns()).put("serialization_p99_ns", jser.p99Ns())
                            .put("ratio", handoffRatio).put("target_min_ratio", HANDOFF_TARGET).put("met", handoffMet));
            Files.writeString(json, doc + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        return big.verified() ? 0 : 1;
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static String sizeText(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " B";
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
