package io.ipc4j.cli.bench;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.throughput.ThroughputResult;
import io.ipc4j.benchmarks.throughput.Throughputs;
import io.ipc4j.cli.ByteSizeConverter;
import io.ipc4j.shm.Bytes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j bench throughput}: one-way streaming to a child JVM that checks every message, for
 * each size and transport ({@link Throughputs}: a shared-memory ring, a Unix domain socket); prints
 * messages/s and GB/s.
 */
@Command(name = "throughput",
        mixinStandardHelpOptions = true,
        description = {"Streams messages one way to a child JVM that copies and checks each one; prints messages/s "
                + "and GB/s per transport and size.",
                "shm-ring: copies through a one-to-one ring in shared memory (both sides spin); "
                        + "uds: ipc4j frames over a Unix domain socket."},
        footer = {"", "JSON (--json): an array of objects with keys transport, size, messages, nanos, gb_per_s, "
                + "gib_per_s, frames_per_s."})
public final class BenchThroughputCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"--transports", "--transport"}, paramLabel = "NAME", split = ",", defaultValue = "shm-ring,uds",
            completionCandidates = Names.class,
            description = "Transports: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private List<String> transports;

    @Option(names = {"--sizes", "--size"}, paramLabel = "BYTES", split = ",", defaultValue = "64,4KiB,1MiB",
            converter = ByteSizeConverter.class,
            description = "Payload bytes per message, e.g. 64,4KiB,1MiB; at least 8 B; uds up to 256 MiB, "
                    + "shm-ring up to 32 MiB (default: ${DEFAULT-VALUE}).")
    private List<Long> sizes;

    @Option(names = "--messages", paramLabel = "N",
            description = "Measured messages per run (default: enough for 512 MiB, 2000 to 1000000).")
    private Long messages;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Messages before the clock starts (default: 10%% of the measured ones).")
    private Long warmup;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Fail when no message goes out for this long (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as a JSON array.")
    private Path json;

    /** Created by picocli. */
    public BenchThroughputCommand() {
    }

    @Override
    public Integer call() throws IOException {
        for (String t : transports) {
            if (!Throughputs.NAMES.contains(t)) {
                throw usage("unknown transport '" + t + "' (known: " + String.join(", ", Throughputs.NAMES) + ")");
            }
            for (long size : sizes) {
                if (size < 8 || size > Throughputs.maxMessage(t)) {
                    throw usage(t + " streams messages of 8 B.." + Bytes.format(Throughputs.maxMessage(t))
                            + ", --sizes has " + size);
                }
            }
        }
        if ((messages != null && messages < 1) || (warmup != null && warmup < 0)) {
            throw usage("--messages must be >= 1 and --warmup >= 0");
        }
        if (timeoutSeconds <= 0 || timeoutSeconds > 86_400) {
            throw usage("--timeout must be 1..86400 seconds, was " + timeoutSeconds);
        }
        PrintWriter err = spec.commandLine().getErr();
        List<ThroughputResult> results = new ArrayList<>();
        for (long size : sizes) {
            for (String t : transports) {
                long n = messages != null ? messages : Throughputs.defaultMessages((int) size);
                long w = warmup != null ? warmup : Math.max(1, n / 10);
                err.printf("ipc4j: %s throughput: %d warm-up + %d measured messages of %s ...%n", t, w, n,
                        Bytes.format(size));
                err.flush();
                try {
                    results.add(Throughputs.run(t, (int) size, n, w, Duration.ofSeconds(timeoutSeconds)));
                } catch (IpcException e) {
                    if (e.reason() == IpcException.Reason.INVALID_ARGUMENT) {
                        throw usage(e.getMessage());
                    }
                    throw e;
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(ThroughputResult.table(results));
        out.flush();
        if (json != null) {
            Files.writeString(json, ThroughputResult.toJson(results) + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Transport names for help and completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Throughputs.NAMES.iterator();
        }
    }
}
