package io.ipc4j.examples.shareweights;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixMemory;
import io.ipc4j.process.JvmCommand;
import io.ipc4j.shm.Bytes;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.TensorStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * One weight matrix in shared memory, mapped read-only by many worker JVMs.
 *
 * <ol>
 *   <li>creates a {@link TensorStore} holding an F32 matrix {@code w} of the requested size and
 *       fills it with {@link WeightPattern};</li>
 *   <li>spawns the workers ({@link DemoWorker}) with small-footprint JVM flags; each maps the store
 *       read-only and sums its block of rows;</li>
 *   <li>checks every sum against the formula, measures each worker's PSS and the growth of the
 *       system's {@code Shmem}, and reports them next to what private copies would need.</li>
 * </ol>
 */
public final class ShareWeightsDemo {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int COLS = 1024;

    /**
     * Demo settings.
     *
     * @param workers   worker JVMs to start
     * @param weightsMb size of the weight matrix in MiB (a multiple of 4 KiB rows of 1024 F32)
     * @param readAll   every worker reads all weights (not only its rows)
     * @param progress  receives the fill progress in bytes, or null
     */
    public record Options(int workers, long weightsMb, boolean readAll, LongConsumer progress) {
        /** Validates the settings. */
        public Options {
            if (workers < 1 || workers > 256) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "workers must be 1..256, was " + workers);
            }
            if (weightsMb < 1 || weightsMb > 1 << 20) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "weights must be 1 MiB..1 TiB, was " + weightsMb + " MiB");
            }
        }
    }

    /**
     * What the demo measured.
     *
     * @param workers          worker count
     * @param weightsBytes     size of the weights
     * @param fillSeconds      time to create and fill the store
     * @param readySeconds     from the first spawn until every worker had mapped the store
     * @param computeSeconds   from the first spawn until every result was in
     * @param pssTotalBytes    sum of the workers' proportional set sizes
     * @param shmemGrowthBytes growth of the system's {@code Shmem} while the demo ran
     * @param privateCopiesBytes what one private copy per worker would take (weights only)
     * @param resultsVerified  every worker's sum equals the reference
     * @param failedWorkers    workers that did not report a correct result
     */
    public record Result(int workers, long weightsBytes, double fillSeconds, double readySeconds, double computeSeconds,
                         long pssTotalBytes, long shmemGrowthBytes, long privateCopiesBytes, boolean resultsVerified,
                         int failedWorkers) {
        /** @return the result as a JSON object */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"workers\": %d, \"weights_bytes\": %d, \"fill_seconds\": %.3f, "
                            + "\"ready_seconds\": %.3f, \"compute_seconds\": %.3f, \"pss_total_bytes\": %d, "
                            + "\"shmem_growth_bytes\": %d, \"private_copies_bytes\": %d, \"results_verified\": %s, "
                            + "\"workers_failed\": %d}%n",
                    workers, weightsBytes, fillSeconds, readySeconds, computeSeconds, pssTotalBytes, shmemGrowthBytes,
                    privateCopiesBytes, resultsVerified, failedWorkers);
        }
    }

    private ShareWeightsDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param options settings
     * @param out     where the report goes
     * @return the measurements
     */
    public static Result run(Options options, PrintStream out) {
        long rows = options.weightsMb() * 1024 * 1024 / (COLS * 4L);
        long weightsBytes = rows * COLS * 4L;
        String storeName = "ipc4j-demo-weights-" + ProcessHandle.current().pid();
        long shmemBefore = meminfo("Shmem");
        long t0 = System.nanoTime();
        out.printf("creating %s of F32 weights [%d x %d] in /dev/shm/%s%n", Bytes.format(weightsBytes), rows, COLS, storeName);
        try (TensorStore store = TensorStore.builder(storeName).add("w", DType.F32, new long[] {rows, COLS}).create()) {
            WeightPattern.fill(store.tensor("w"), options.progress());
            store.publish();
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf("weights ready in %.2f s; starting %d worker JVMs%n", fillSeconds, options.workers());
            return runWorkers(options, storeName, rows, weightsBytes, fillSeconds, shmemBefore, out);
        }
    }

    private record Worker(Process process, BufferedReader stdout, long from, long to) {
    }

    private static Result runWorkers(Options options, String storeName, long rows, long weightsBytes,
                                     double fillSeconds, long shmemBefore, PrintStream out) {
        int n = options.workers();
        List<Worker> workers = new ArrayList<>();
        String parentPid = Long.toString(ProcessHandle.current().pid());
        Path archive = WorkerArchive.path();
        try {
            if (!Files.exists(archive)) {
                // One worker runs first and dumps the classes it loaded into a CDS archive; the
                // real workers map that archive instead of loading and verifying each class.
                out.println("creating the workers' class-data archive " + archive + " (first run only)");
                Worker probe = spawn(storeName, parentPid, 0, Math.min(rows, 1), false,
                        List.of("-XX:ArchiveClassesAtExit=" + archive));
                expect(probe, "READY");
                expect(probe, "RESULT");
                stopAll(List.of(probe));
            }
            long spawnStart = System.nanoTime();
            for (int k = 0; k < n; k++) {
                long from = rows * k / n;
                long to = rows * (k + 1) / n;
                List<String> cds = Files.exists(archive)
                        ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
                workers.add(spawn(storeName, parentPid, from, to, options.readAll(), cds));
            }
            for (Worker w : workers) {
                expect(w, "READY");
            }
            double readySeconds = (System.nanoTime() - spawnStart) / 1e9;
            out.printf("all %d workers mapped the weights after %.2f s%n", n, readySeconds);
            int failed = 0;
            double reference = options.readAll() ? WeightPattern.blockSum(0, rows, COLS) : Double.NaN;
            for (Worker w : workers) {
                String line = expect(w, "RESULT");
                double got = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(7), 16));
                double want = options.readAll() ? reference : WeightPattern.blockSum(w.from(), w.to(), COLS);
                if (got != want) {
                    failed++;
                    out.printf("worker %d: sum %s, expected %s%n", w.process().pid(), got, want);
                }
            }
            double computeSeconds = (System.nanoTime() - spawnStart) / 1e9;
            long pss = 0;
            for (Worker w : workers) {
                pss += pss(w.process().pid());
            }
            long shmemGrowth = meminfo("Shmem") - shmemBefore;
            long privateCopies = weightsBytes * n;
            Result r = new Result(n, weightsBytes, fillSeconds, readySeconds, computeSeconds, pss, shmemGrowth,
                    privateCopies, failed == 0, failed);
            report(r, out);
            return r;
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "demo workers: " + e.getMessage(), e);
        } finally {
            stopAll(workers);
        }
    }

    /** Small-footprint flags for many worker JVMs on few cores. */
    static final List<String> WORKER_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx32m",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss256k", "-XX:ReservedCodeCacheSize=16m",
            "-XX:MaxMetaspaceSize=48m", "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private static Worker spawn(String storeName, String parentPid, long from, long to, boolean readAll,
                                List<String> extraJvmOptions) throws IOException {
        List<String> cmd = JvmCommand.forMain(DemoWorker.class)
                .jvmOptions(WORKER_JVM_OPTIONS)
                .jvmOptions(extraJvmOptions)
                .args(parentPid, storeName, Long.toString(from), Long.toString(to), readAll ? "all" : "own")
                .build();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new Worker(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)), from, to);
    }

    private static String expect(Worker w, String prefix) throws IOException {
        String line = w.stdout().readLine();
        if (line == null || !line.startsWith(prefix)) {
            throw new IpcException(IpcException.Reason.PEER_CLOSED, "worker " + w.process().pid() + " sent "
                    + (line == null ? "nothing (exited with " + exitCode(w.process()) + ")" : "'" + line + "'")
                    + " instead of " + prefix);
        }
        return line;
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static void stopAll(List<Worker> workers) {
        for (Worker w : workers) {
            try (OutputStream in = w.process().getOutputStream()) {
                in.write("EXIT\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // already gone
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Worker w : workers) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!w.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    w.process().destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                w.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void report(Result r, PrintStream out) {
        out.println();
        out.printf("  workers                      %d%n", r.workers());
        out.printf("  weights (one shared copy)    %s%n", Bytes.format(r.weightsBytes()));
        out.printf("  all workers ready after      %.2f s%n", r.readySeconds());
        out.printf("  all results in after         %.2f s%n", r.computeSeconds());
        out.printf("  sum of worker PSS            %s (%s per worker beyond the weights)%n", Bytes.format(r.pssTotalBytes()),
                Bytes.format(Math.max(0, r.pssTotalBytes() - r.weightsBytes()) / r.workers()));
        out.printf("  growth of Shmem              %s%n", Bytes.format(r.shmemGrowthBytes()));
        out.printf("  %d private copies would need %s%n", r.workers(), Bytes.format(r.privateCopiesBytes()));
        out.printf("  results verified             %s%n", r.resultsVerified() ? "yes (every sum exact)" : "NO: " + r.failedWorkers() + " wrong");
    }

    /**
     * @param pid a process
     * @return its proportional set size in bytes (0 when it is gone)
     */
    public static long pss(long pid) {
        return kbField(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }

    /**
     * @param field a {@code /proc/meminfo} field such as {@code Shmem}
     * @return its value in bytes
     */
    public static long meminfo(String field) {
        return kbField(Path.of("/proc/meminfo"), field + ":");
    }

    private static long kbField(Path file, String prefix) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(prefix)) {
                    String v = line.substring(prefix.length()).trim();
                    return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
