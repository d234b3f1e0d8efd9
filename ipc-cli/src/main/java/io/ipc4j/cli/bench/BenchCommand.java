package io.ipc4j.cli.bench;

import io.ipc4j.cli.ParentCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ipc4j bench}: groups the benchmark commands. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks between JVM processes.",
        subcommands = {BenchLatencyCommand.class, BenchCompareCommand.class, BenchIdleCommand.class,
                BenchThroughputCommand.class, BenchPoolCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    public BenchCommand() {
    }

    @Override
    public void run() {
        throw ParentCommands.missingSubcommand(spec);
    }
}
