package io.ipc4j.cli.demo;

import io.ipc4j.IpcException;
import io.ipc4j.cli.WriterOutputStream;
import io.ipc4j.examples.shareweights.ShareWeightsDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j example share-weights}: one weight matrix in shared memory mapped read-only by many worker JVMs
 * ({@link ShareWeightsDemo}). Shows a progress bar while the weights are filled, the demo's report
 * on stdout, and optionally writes {@link ShareWeightsDemo.Result#toJson()} to a file.
 * Exit code 0 when every worker's result was verified, 1 otherwise.
 */
@Command(name = "share-weights",
        mixinStandardHelpOptions = true,
        description = {"Share one weight matrix in /dev/shm with many worker JVMs: each maps it read-only and sums its rows.",
                "Reports memory (sum of PSS, Shmem growth) against private copies, and verifies every sum."},
        footer = {"", "Exit code 0 when every result is verified, 1 otherwise.",
                "JSON keys: workers, weights_bytes, fill_seconds, ready_seconds, compute_seconds, pss_total_bytes,",
                "shmem_growth_bytes, private_copies_bytes, results_verified, workers_failed."})
public final class ShareWeightsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "32",
            description = "Worker JVMs, 1..256 (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--weights-mb", paramLabel = "MB", defaultValue = "1024",
            description = "Size of the weights in MiB (default: ${DEFAULT-VALUE}).")
    private long weightsMb;

    @Option(names = "--read-all", description = "Every worker reads all the weights, not only its rows.")
    private boolean readAll;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as one JSON object.")
    private Path json;

    /** Created by picocli. */
    public ShareWeightsCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ByteProgress progress = new ByteProgress("filling weights", weightsMb << 20, err);
        ShareWeightsDemo.Options options;
        try {
            options = new ShareWeightsDemo.Options(workers, weightsMb, readAll, progress);
        } catch (IpcException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        ShareWeightsDemo.Result result = progress.run(() -> ShareWeightsDemo.run(options, out), out, json, ShareWeightsDemo.Result::toJson);
        if (!result.resultsVerified()) {
            err.println("ipc4j: " + spec.name() + ": " + result.failedWorkers() + " of " + result.workers()
                    + " workers reported a wrong sum");
            err.flush();
            return 1;
        }
        return 0;
    }
}
