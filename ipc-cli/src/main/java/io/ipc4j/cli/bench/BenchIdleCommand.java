package io.ipc4j.cli.bench;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.idle.IdleCpuHarness;
import io.ipc4j.cli.WriterOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j bench idle}: what parked consumers cost ({@link IdleCpuHarness}): starts N JVMs
 * that idle on one futex doorbell and sums the CPU time of all their threads over a quiet
 * interval. The goal: 32 parked JVMs under 1% of one core.
 */
@Command(name = "idle",
        mixinStandardHelpOptions = true,
        description = {"CPU cost of idle consumers: N JVMs parked on a futex doorbell, all their threads' CPU time summed.",
                "Goal: 32 processes under 1% of one core."},
        footer = {"", "JSON keys: processes, seconds, cpu_ns, percent_of_one_core."})
public final class BenchIdleCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--processes", paramLabel = "N", defaultValue = "32",
            description = "Idle JVMs to start, 1..512 (default: ${DEFAULT-VALUE}).")
    private int processes;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "Measured interval in seconds, after the settling time (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--settle", paramLabel = "S", defaultValue = "2",
            description = "Seconds the parked JVMs idle before measuring (default: ${DEFAULT-VALUE}); a few hundred "
                    + "shows the steady state once the JIT has compiled the wake-up path.")
    private double settle;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as one JSON object.")
    private Path json;

    /** Created by picocli. */
    public BenchIdleCommand() {
    }

    @Override
    public Integer call() {
        if (processes < 1 || processes > 512) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--processes must be 1..512, was " + processes);
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be in (0, 3600], was " + seconds);
        }
        if (!(settle >= 0 && settle <= 3600)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--settle must be in [0, 3600], was " + settle);
        }
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        IdleCpuHarness.Result r = IdleCpuHarness.run(processes, settle, seconds, out);
        out.flush();
        if (json != null) {
            try {
                Files.writeString(json, r.toJson());
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, "write " + json + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }
}
