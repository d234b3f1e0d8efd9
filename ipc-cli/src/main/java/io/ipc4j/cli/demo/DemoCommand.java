package io.ipc4j.cli.demo;

import io.ipc4j.IpcException;
import io.ipc4j.cli.WriterOutputStream;
import io.ipc4j.examples.pooldemo.PoolDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j demo}: the main job ({@link PoolDemo}). A worker pool whose JVMs share one weight
 * matrix read-only runs matrix-vector jobs over its row blocks; memory, start-up, latency,
 * throughput and jobs lost are reported and every result is verified. Exit code 0 when every job
 * completed once with a verified result, 1 otherwise.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Start a worker pool whose JVMs all map one weight matrix in /dev/shm read-only, run matrix-vector",
                "jobs over its row blocks (inputs and outputs in shared memory, never serialized), verify every result,",
                "and report: time until all workers were ready, sum of worker PSS and growth of Shmem next to what",
                "private copies would need, job latency percentiles, throughput, and jobs lost."},
        footer = {"", "Exit code 0 when every job completed exactly once with a verified result, 1 otherwise.",
                "JSON keys: workers, weights_bytes, ready_seconds, pss_total_bytes, shmem_growth_bytes, private_copies_bytes,",
                "jobs, jobs_failed, jobs_lost, jobs_duplicated, results_verified, p50_us, p99_us, p999_us,",
                "throughput_jobs_per_s, workers_killed, restarts, jobs_redispatched.",
                "SIGTERM (kill PID) drains the jobs in flight, stops the workers, removes the segments and exits 0."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "32",
            description = "Worker JVMs, 1..256 (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--weights-mb", paramLabel = "MB", defaultValue = "1024",
            description = "Size of the generated weights in MiB (default: ${DEFAULT-VALUE}).")
    private long weightsMb;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Load this .safetensors file instead (it must hold a 2-D F32 tensor named 'w').")
    private Path weightsFile;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "20000",
            description = "Jobs to run (default: ${DEFAULT-VALUE}).")
    private int jobs;

    @Option(names = "--rows-per-job", paramLabel = "N", defaultValue = "256",
            description = "Weight rows each job multiplies with its vector (default: ${DEFAULT-VALUE}).")
    private int rowsPerJob;

    @Option(names = "--read-all", description = "Every worker maps all weight pages before it reports ready.")
    private boolean readAll;

    @Option(names = "--kill-every", paramLabel = "MS",
            description = "Kill a random worker with SIGKILL every MS milliseconds while the jobs run (the pool restarts it"
                    + " and re-dispatches its jobs).")
    private Long killEveryMillis;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as one JSON object.")
    private Path json;

    /** Created by picocli. */
    public DemoCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        long total;
        try {
            total = weightsFile != null ? Files.size(weightsFile) : weightsMb << 20;
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--weights " + weightsFile + ": cannot read it ("
                    + e.getMessage() + ")");
        }
        if (killEveryMillis != null && killEveryMillis < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kill-every must be at least 1 ms");
        }
        ByteProgress progress = new ByteProgress(weightsFile != null ? "loading weights" : "filling weights", total, err);
        PoolDemo.Options options;
        try {
            options = new PoolDemo.Options(workers, weightsMb, weightsFile, jobs, rowsPerJob, readAll,
                    killEveryMillis == null ? null : Duration.ofMillis(killEveryMillis), progress);
        } catch (IpcException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream out = WriterOutputStream.printStream(spec.commandLine().getOut());
        PoolDemo.Result result = progress.run(() -> PoolDemo.run(options, out), out, json, PoolDemo.Result::toJson);
        if (!result.ok()) {
            err.println("ipc4j: demo: " + result.jobsFailed() + " jobs failed, " + result.jobsLost() + " lost, "
                    + result.duplicated() + " delivered twice, " + result.wrongResults() + " wrong results");
            err.flush();
            return 1;
        }
        return 0;
    }
}
