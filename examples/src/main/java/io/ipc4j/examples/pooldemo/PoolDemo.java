package io.ipc4j.examples.pooldemo;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.posix.PosixProcess;
import io.ipc4j.shm.Bytes;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.LoadOptions;
import io.ipc4j.tensor.store.TensorStore;
import io.ipc4j.examples.shareweights.ShareWeightsDemo;
import io.ipc4j.examples.shareweights.WeightPattern;
import io.ipc4j.workerpool.JobRequest;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.TensorLoan;
import io.ipc4j.workerpool.WorkerPool;
import io.ipc4j.workerpool.stat.PoolCounter;
import io.ipc4j.workerpool.stat.PoolSnapshot;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The main job: a {@link WorkerPool} of worker JVMs that all map one weight matrix read-only and
 * compute matrix-vector products over blocks of its rows ({@link MatVecHandler}).
 *
 * <ol>
 *   <li>creates the weights in shared memory ({@link WeightPattern}, {@code [rows, 1024]} F32) or
 *       loads a {@code .safetensors} file (its first 2-D F32 tensor);</li>
 *   <li>starts the pool and times how long until every worker is ready;</li>
 *   <li>runs the jobs, keeping a bounded number in flight: each loans a vector, writes it in place,
 *       submits it with the block's first row, and gets the block's products back in place;</li>
 *   <li>checks every result against a reference (generated weights: every row of every result,
 *       bit for bit; loaded weights: 8 random rows of every result), optionally while killing
 *       random workers with SIGKILL;</li>
 *   <li>reports the workers' memory (sum of PSS, growth of Shmem) next to what private copies
 *       would need, the job latency percentiles (HdrHistogram), the throughput, and jobs lost.</li>
 * </ol>
 */
public final class PoolDemo {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int COLS = 1024;
    private static final int VECTORS = 16;
    private static final int SAMPLED_ROWS = 8;

    /**
     * Demo settings.
     *
     * @param workers     worker JVMs
     * @param weightsMb   size of generated weights in MiB (ignored with {@code weightsFile})
     * @param weightsFile a {@code .safetensors} file to load instead, or null
     * @param jobs        jobs to run
     * @param rowsPerJob  weight rows each job multiplies
     * @param readAll     every worker maps all weight pages before it reports ready
     * @param killEvery   kill a random worker with SIGKILL this often while jobs run (null: never)
     * @param progress    receives the fill/load progress in bytes, or null
     */
    public record Options(int workers, long weightsMb, Path weightsFile, int jobs, int rowsPerJob, boolean readAll,
                          Duration killEvery, LongConsumer progress) {
        /** Validates the settings. */
        public Options {
            if (workers < 1 || workers > 256) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "workers must be 1..256, was " + workers);
            }
            if (weightsFile == null && (weightsMb < 4 || weightsMb > 1 << 20)) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "weights must be 4 MiB..1 TiB, was " + weightsMb + " MiB");
            }
            if (jobs < 1) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "jobs must be >= 1, was " + jobs);
            }
            if (rowsPerJob < 1 || rowsPerJob > 1 << 16) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "rows per job must be 1..65536, was " + rowsPerJob);
            }
        }
    }

    /**
     * What the demo measured (the JSON keys of {@link #toJson()} are the ones the README lists).
     *
     * @param workers            worker count
     * @param weightsBytes       size of the weights
     * @param readySeconds       from pool start until every worker was ready
     * @param pssTotalBytes      sum of the workers' proportional set sizes after the jobs
     * @param shmemGrowthBytes   growth of the system's {@code Shmem} (weights + pool segments)
     * @param privateCopiesBytes what one private copy of the weights per worker would need
     * @param jobs               jobs submitted
     * @param jobsFailed         jobs whose future failed, plus jobs that could not be submitted
     * @param jobsLost           jobs that never completed either way
     * @param duplicated         jobs whose result was delivered more than once
     * @param resultsVerified    every completed result matched its reference
     * @param wrongResults       results that did not
     * @param p50Us              job round trip, median, µs
     * @param p99Us              99th percentile, µs
     * @param p999Us             99.9th percentile, µs
     * @param throughput         jobs per second
     * @param kills              workers killed by the demo
     * @param restarts           workers the pool restarted
     * @param redispatched       jobs dispatched again after their worker died
     */
    public record Result(int workers, long weightsBytes, double readySeconds, long pssTotalBytes, long shmemGrowthBytes,
                         long privateCopiesBytes, long jobs, long jobsFailed, long jobsLost, long duplicated,
                         boolean resultsVerified, long wrongResults, double p50Us, double p99Us, double p999Us,
                         double throughput, long kills, long restarts, long redispatched) {
        /** @return one JSON object */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"workers\": %d, \"weights_bytes\": %d, \"ready_seconds\": %.3f, "
                            + "\"pss_total_bytes\": %d, \"shmem_growth_bytes\": %d, \"private_copies_bytes\": %d, "
                            + "\"jobs\": %d, \"jobs_failed\": %d, \"jobs_lost\": %d, \"jobs_duplicated\": %d, "
                            + "\"results_verified\": %s, \"p50_us\": %.1f, \"p99_us\": %.1f, \"p999_us\": %.1f, "
                            + "\"throughput_jobs_per_s\": %.1f, \"workers_killed\": %d, \"restarts\": %d, "
                            + "\"jobs_redispatched\": %d}%n",
                    workers, weightsBytes, readySeconds, pssTotalBytes, shmemGrowthBytes, privateCopiesBytes, jobs,
                    jobsFailed, jobsLost, duplicated, resultsVerified, p50Us, p99Us, p999Us, throughput, kills, restarts,
                    redispatched);
        }

        /** @return true when nothing was lost, duplicated, failed or wrong */
        public boolean ok() {
            return resultsVerified && jobsFailed == 0 && jobsLost == 0 && duplicated == 0;
        }
    }

    private PoolDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param options settings
     * @param out     where the report goes
     * @return the measurements
     */
    public static Result run(Options options, PrintStream out) {
        long shmemBefore = ShareWeightsDemo.meminfo("Shmem");
        String storeName = "ipc4j-demo-weights-" + ProcessHandle.current().pid();
        TensorStore store;
        if (options.weightsFile() != null) {
            out.printf("loading %s into /dev/shm/%s%n", options.weightsFile(), storeName);
            store = TensorStore.load(options.weightsFile(), storeName,
                    LoadOptions.defaults().withProgress((done, total) -> report(options.progress(), done)));
        } else {
            long rows = options.weightsMb() * 1024 * 1024 / (COLS * 4L);
            out.printf("creating %s of F32 weights [%d x %d] in /dev/shm/%s%n", Bytes.format(rows * COLS * 4L), rows, COLS,
                    storeName);
            store = TensorStore.builder(storeName).add(MatVecHandler.WEIGHTS, DType.F32, rows, COLS).create();
            try {
                WeightPattern.fill(store.tensor(MatVecHandler.WEIGHTS), options.progress());
                store.publish();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        try (store) {
            return runPool(options, store, shmemBefore, out);
        }
    }

    private static void report(LongConsumer progress, long done) {
        if (progress != null) {
            progress.accept(done);
        }
    }

    private static Result runPool(Options options, TensorStore store, long shmemBefore, PrintStream out) {
        Tensor w = weightsOf(store, options.weightsFile() != null);
        long rows = w.dim(0);
        int cols = Math.toIntExact(w.dim(1));
        int rowsPerJob = (int) Math.min(options.rowsPerJob(), rows);
        long blocks = rows / rowsPerJob;
        int window = 2 * options.workers();          // one job running and one waiting per worker
        int slotBytes = (int) Math.max(4096, ((long) Math.max(cols, rowsPerJob) * 4 + 63) / 64 * 64);
        PoolContext ctx = new PoolContext()
                .handler(MatVecHandler.class)
                .workers(options.workers())
                .weights(store.name())
                .slab(slotBytes, 2 * window + 16)
                .maxInFlightPerWorker(2)
                .maxQueuedJobs(options.workers())
                .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(2))
                .maxJobCrashes(10)
                .exitOnSigterm(true);
        if (options.readAll()) {
            ctx.addWorkerJvmOption("-Dipc4j.demo.readAll=true");
        }
        if (!w.name().equals(MatVecHandler.WEIGHTS)) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "the weights file must name its matrix '" + MatVecHandler.WEIGHTS
                    + "' (found '" + w.name() + "')");
        }
        float[][] xs = vectors(cols);
        float[][] reference = options.weightsFile() == null ? patternReference(w, xs) : null;
        out.printf("starting %d worker JVMs%s%n", options.workers(), options.readAll() ? " (each maps every weight page first)" : "");
        long t0 = System.nanoTime();
        try (WorkerPool pool = WorkerPool.start(ctx)) {
            double readySeconds = (System.nanoTime() - t0) / 1e9;
            out.printf("all %d workers ready after %.2f s%s%n", options.workers(), readySeconds,
                    pool.classDataArchiveInUse() ? "" : " (first run on this class path: no class-data archive yet)");
            out.printf("running %d jobs (%d rows x %d columns each)%s%n", options.jobs(), rowsPerJob, cols,
                    options.killEvery() == null ? "" : ", killing a random worker every " + options.killEvery().toMillis() + " ms");
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicIntegerArray deliveries = new AtomicIntegerArray(options.jobs());
            AtomicLong failed = new AtomicLong();
            AtomicLong wrong = new AtomicLong();
            Semaphore inFlight = new Semaphore(window);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong kills = new AtomicLong();
            Thread killer = options.killEvery() == null ? null
                    : Thread.ofPlatform().daemon().name("demo-killer").start(() -> killLoop(pool, options.killEvery(), running, kills));
            long start = System.nanoTime();
            List<CompletableFuture<?>> all = new ArrayList<>(options.jobs());
            Random rnd = new Random(7);
            int submitted = 0;
            try {
                for (int j = 0; j < options.jobs(); j++, submitted++) {
                    inFlight.acquireUninterruptibly();
                    int job = j;
                    int vector = j % VECTORS;
                    long first = (j % blocks) * rowsPerJob;
                    long[] sample = reference == null ? sampleRows(rnd, first, rowsPerJob) : null;
                    CompletableFuture<JobResult> f;
                    try (TensorLoan x = pool.loan(DType.F32, cols)) {
                        MemorySegment.copy(xs[vector], 0, x.tensor().segment(), F32, 0, cols);
                        f = pool.submit(JobRequest.create().input(x).output(DType.F32, rowsPerJob).payload(payload(first, rowsPerJob)));
                    }
                    all.add(f.whenComplete((r, e) -> {
                        deliveries.incrementAndGet(job);
                        try {
                            if (e != null) {
                                failed.incrementAndGet();
                                out.println("job " + job + " failed: " + (e.getCause() != null ? e.getCause() : e));
                            } else {
                                latency.recordValue(Math.min(r.latencyNanos(), latency.getHighestTrackableValue()));
                                if (!verify(r.output(0), first, xs[vector], reference == null ? null : reference[vector], w, sample)) {
                                    wrong.incrementAndGet();
                                }
                                r.close();
                            }
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(t -> null)
                        .get(10, TimeUnit.MINUTES);
            } catch (Exception e) {
                out.println("stopped after submitting " + submitted + " of " + options.jobs() + " jobs: " + e);
            } finally {
                running.set(false);
                if (killer != null) {
                    killer.interrupt();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long pss = 0;
            for (long pid : pool.workerPids()) {
                pss += ShareWeightsDemo.pss(pid);
            }
            long shmemGrowth = ShareWeightsDemo.meminfo("Shmem") - shmemBefore;
            long delivered = 0;
            long duplicated = 0;
            for (int j = 0; j < submitted; j++) {
                int d = deliveries.get(j);
                delivered += d > 0 ? 1 : 0;
                duplicated += d > 1 ? 1 : 0;
            }
            PoolSnapshot stats = pool.stats();
            long weightsBytes = w.segment().byteSize();
            Result r = new Result(options.workers(), weightsBytes, readySeconds, pss, shmemGrowth,
                    weightsBytes * options.workers(), submitted, failed.get() + (options.jobs() - submitted),
                    submitted - delivered, duplicated,
                    wrong.get() == 0 && delivered - failed.get() > 0, wrong.get(),
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                    latency.getValueAtPercentile(99.9) / 1e3, (delivered - failed.get()) / seconds, kills.get(),
                    stats.get(PoolCounter.RESTARTS), stats.get(PoolCounter.REDISPATCHED));
            print(r, reference != null, out);
            return r;
        }
    }

    private static Tensor weightsOf(TensorStore store, boolean loaded) {
        if (store.contains(MatVecHandler.WEIGHTS)) {
            Tensor t = store.tensor(MatVecHandler.WEIGHTS);
            if (t.dtype() == DType.F32 && t.rank() == 2) {
                return t;
            }
        }
        throw new IpcException(Reason.INVALID_ARGUMENT, (loaded ? "the weights file" : "the store")
                + " has no 2-D F32 tensor named '" + MatVecHandler.WEIGHTS + "' (tensors: " + store.tensorNames() + ")");
    }

    private static byte[] payload(long first, int count) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(first).putInt(count).array();
    }

    /** Small-integer vectors: products with the pattern's weights are exact, results comparable bit for bit. */
    private static float[][] vectors(int cols) {
        float[][] xs = new float[VECTORS][cols];
        Random r = new Random(42);
        for (float[] x : xs) {
            for (int c = 0; c < cols; c++) {
                x[c] = r.nextInt(9) - 4;
            }
        }
        return xs;
    }

    /**
     * The pattern's rows repeat every {@link WeightPattern#PERIOD} rows, so the products of one
     * period with each vector are the reference for every row of every job.
     */
    private static float[][] patternReference(Tensor w, float[][] xs) {
        int period = (int) Math.min(WeightPattern.PERIOD, w.dim(0));
        long rowBytes = w.dim(1) * 4;
        float[][] ref = new float[xs.length][period];
        for (int v = 0; v < xs.length; v++) {
            for (int r = 0; r < period; r++) {
                ref[v][r] = MatVecHandler.dot(w.segment(), r * rowBytes, xs[v]);
            }
        }
        return ref;
    }

    private static long[] sampleRows(Random rnd, long first, int count) {
        long[] s = new long[Math.min(SAMPLED_ROWS, count)];
        for (int i = 0; i < s.length; i++) {
            s[i] = first + rnd.nextInt(count);
        }
        return s;
    }

    private static boolean verify(Tensor y, long first, float[] x, float[] ref, Tensor w, long[] sample) {
        MemorySegment m = y.segment();
        if (ref != null) {
            int period = ref.length;
            for (long i = 0; i < y.elementCount(); i++) {
                if (Float.floatToRawIntBits(m.get(F32, 4 * i)) != Float.floatToRawIntBits(ref[(int) ((first + i) % period)])) {
                    return false;
                }
            }
            return true;
        }
        long rowBytes = w.dim(1) * 4;
        for (long row : sample) {
            float want = MatVecHandler.dot(w.segment(), row * rowBytes, x);
            if (Float.floatToRawIntBits(m.get(F32, 4 * (row - first))) != Float.floatToRawIntBits(want)) {
                return false;
            }
        }
        return true;
    }

    private static void killLoop(WorkerPool pool, Duration every, AtomicBoolean running, AtomicLong kills) {
        Random rnd = new Random();
        try {
            while (running.get()) {
                Thread.sleep(every);
                // only workers that are up and taking jobs: killing them faster than they start would stall any pool
                List<Long> pids = pool.stats().workers().stream()
                        .filter(w -> w.state() == io.ipc4j.workerpool.stat.WorkerState.READY && w.pid() > 0)
                        .map(PoolSnapshot.WorkerRow::pid).toList();
                if (running.get() && !pids.isEmpty()
                        && PosixProcess.kill(Math.toIntExact(pids.get(rnd.nextInt(pids.size()))), PosixProcess.SIGKILL)) {
                    kills.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            // done
        }
    }

    private static void print(Result r, boolean fullCheck, PrintStream out) {
        out.println();
        out.printf("  workers                        %d%n", r.workers());
        out.printf("  weights (one shared copy)      %s%n", Bytes.format(r.weightsBytes()));
        out.printf("  all workers ready after        %.2f s%n", r.readySeconds());
        out.printf("  sum of worker PSS              %s (%s per worker beyond the weights)%n", Bytes.format(r.pssTotalBytes()),
                Bytes.format(Math.max(0, r.pssTotalBytes() - r.weightsBytes()) / r.workers()));
        out.printf("  growth of Shmem                %s%n", Bytes.format(r.shmemGrowthBytes()));
        out.printf("  %3d private copies would need  %s%n", r.workers(), Bytes.format(r.privateCopiesBytes()));
        out.printf("  jobs                           %d (%.0f jobs/s)%n", r.jobs(), r.throughput());
        out.printf("  job round trip p50/p99/p99.9   %.1f / %.1f / %.1f us%n", r.p50Us(), r.p99Us(), r.p999Us());
        if (r.kills() > 0) {
            out.printf("  workers killed (SIGKILL)       %d; restarted %d; jobs re-dispatched %d%n", r.kills(), r.restarts(),
                    r.redispatched());
        }
        out.printf("  jobs failed / lost / twice     %d / %d / %d%n", r.jobsFailed(), r.jobsLost(), r.duplicated());
        out.printf("  results verified               %s%n", r.resultsVerified()
                ? (fullCheck ? "yes (every row of every result, bit for bit)" : "yes (" + SAMPLED_ROWS + " random rows of every result, bit for bit)")
                : "NO: " + r.wrongResults() + " wrong");
    }
}
