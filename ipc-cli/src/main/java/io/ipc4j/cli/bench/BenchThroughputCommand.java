package io.ipc4j.cli.bench;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.throughput.ThroughputResult;
import io.ipc4j.benchmarks.throughput.UdsThroughput;
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
import java.util.concurrent.Callable;

/**
 * {@code ipc4j bench throughput}: one-way streaming of ipc4j frames over a Unix domain socket to a
 * child JVM that checks every frame ({@link UdsThroughput}); prints GB/s.
 */
@Command(name = "throughput",
        mixinStandardHelpOptions = true,
        description = {"Streams framed messages over a Unix domain socket to a child JVM; prints GB/s.",
                "The child checks each frame's index and marks and acknowledges the total."},
        footer = {"", "JSON keys: transport, size, messages, nanos, gb_per_s, gib_per_s, frames_per_s."})
public final class BenchThroughputCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "uds",
            description = "Transport: uds (the only one so far; default: ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1MiB", converter = ByteSizeConverter.class,
            description = "Payload bytes per frame, 8 B to 256 MiB (default: ${DEFAULT-VALUE}).")
    private long size;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "2000",
            description = "Measured frames (default: ${DEFAULT-VALUE}).")
    private long messages;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
            description = "Frames before the clock starts (default: ${DEFAULT-VALUE}).")
    private long warmup;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Fail when no frame goes out for this long (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as one JSON object.")
    private Path json;

    /** Created by picocli. */
    public BenchThroughputCommand() {
    }

    @Override
    public Integer call() throws IOException {
        if (!transport.equals("uds")) {
            throw usage("unknown transport '" + transport + "' (known: uds)");
        }
        if (size < 8 || size > 256L << 20) {
            throw usage("--size must be 8 B..256 MiB, was " + size);
        }
        if (messages < 1 || warmup < 0) {
            throw usage("--messages must be >= 1 and --warmup >= 0");
        }
        if (timeoutSeconds <= 0 || timeoutSeconds > 86_400) {
            throw usage("--timeout must be 1..86400 seconds, was " + timeoutSeconds);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("ipc4j: %s throughput: %d warm-up + %d measured frames of %s ...%n", transport, warmup, messages,
                Bytes.format(size));
        err.flush();
        ThroughputResult r;
        try {
            r = UdsThroughput.run((int) size, messages, warmup, Duration.ofSeconds(timeoutSeconds));
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.INVALID_ARGUMENT) {
                throw usage(e.getMessage());
            }
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(r.table());
        out.flush();
        if (json != null) {
            Files.writeString(json, r.toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
