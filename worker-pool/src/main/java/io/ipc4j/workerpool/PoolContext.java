package io.ipc4j.workerpool;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.SegmentName;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.ring.RingBufferLayout;
import io.ipc4j.tensor.store.TensorStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The settings of a {@link WorkerPool}, set fluently and validated once by {@link #conclude()}
 * (which {@link WorkerPool#start} calls). Defaults suit many small workers on few cores; the
 * {@code ipc4j.pool.*} system properties override some defaults, never an explicit setting.
 *
 * <pre>{@code
 * PoolContext ctx = new PoolContext()
 *         .handler(MatVec.class)
 *         .workers(32)
 *         .weights("model-weights")          // a TensorStore in /dev/shm (or weightsFile(path))
 *         .slab(4 << 20, 64);                // 64 slots of 4 MiB for inputs and outputs
 * try (WorkerPool pool = WorkerPool.start(ctx)) { ... }
 * }</pre>
 *
 * <p>Not thread-safe; after {@code conclude()} every setter throws.
 */
public final class PoolContext {
    /**
     * JVM options for many small worker JVMs: serial GC, small heap and code cache, no perf-data
     * file, and the JDK's class-data archive mapped at its base address without relocation
     * ({@code ArchiveRelocationMode=0}: since JDK 20 the default relocates it, which makes every
     * worker write, and so privately own, ~10 MiB of archive pages). C2 stays on: handlers with hot
     * loops over big tensors need it ({@code -XX:TieredStopAtLevel=1} saves ~4 MiB per worker more
     * at about a third of the speed).
     */
    public static final List<String> SMALL_WORKER_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m",
            "-XX:CICompilerCount=2", "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=64m",
            "-XX:-UsePerfData", "-Xshare:auto", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private static final AtomicInteger POOLS = new AtomicInteger();

    private boolean concluded;
    private String name;
    private ShmDirectory directory = ShmDirectory.defaultDirectory();
    private int workers = Integer.getInteger("ipc4j.pool.workers", Runtime.getRuntime().availableProcessors());
    private Class<? extends JobHandler> handler;
    private String weightsStore;
    private Path weightsFile;
    private final List<String> workerJvmOptions = new ArrayList<>(defaultWorkerJvmOptions());
    private boolean classDataSharing = true;
    private int dispatchRingCapacity = 64 * 1024;
    private int completionRingCapacity = 1 << 20;
    private int slabSlotSize = 1 << 20;
    private int slabSlots = 64;
    private int maxInFlightPerWorker = 4;
    private int maxQueuedJobs = 4096;
    private Duration submitTimeout = Duration.ofSeconds(30);
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration heartbeatTimeout = Duration.ofSeconds(10);
    private Duration restartBackoffMin = Duration.ofMillis(100);
    private Duration restartBackoffMax = Duration.ofSeconds(5);
    private int maxJobCrashes = 3;
    private Duration readyTimeout = Duration.ofSeconds(60);
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Duration stopGrace = Duration.ofSeconds(5);
    private long workerSpins = 1_000;
    private long workerYields = 10;
    private boolean exitOnSigterm;
    private boolean inheritWorkerOutput = true;
    private JobJournal journal;

    /** {@link #SMALL_WORKER_JVM_OPTIONS}, or the {@code ;}-separated {@code ipc4j.pool.workerJvmOptions} property. */
    private static List<String> defaultWorkerJvmOptions() {
        String p = System.getProperty("ipc4j.pool.workerJvmOptions");
        return p == null || p.isBlank() ? SMALL_WORKER_JVM_OPTIONS
                : java.util.Arrays.stream(p.split(";")).map(String::trim).filter(o -> !o.isEmpty()).toList();
    }

    /** Creates a context with the defaults. */
    public PoolContext() {
    }

    /**
     * @param poolName the pool's name: its segments are {@code NAME}, {@code NAME-slab},
     *                 {@code NAME-stat} (default {@code ipc4j-pool-PID-N})
     * @return this
     */
    public PoolContext name(String poolName) {
        check();
        this.name = Objects.requireNonNull(poolName, "poolName");
        return this;
    }

    /**
     * @param dir where the pool's segments live (default {@code /dev/shm})
     * @return this
     */
    public PoolContext directory(ShmDirectory dir) {
        check();
        this.directory = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * @param n worker processes, 1..1024 (default: available processors, {@code ipc4j.pool.workers})
     * @return this
     */
    public PoolContext workers(int n) {
        check();
        this.workers = n;
        return this;
    }

    /**
     * @param handlerClass the class each worker instantiates (public, public no-argument constructor)
     * @return this
     */
    public PoolContext handler(Class<? extends JobHandler> handlerClass) {
        check();
        this.handler = Objects.requireNonNull(handlerClass, "handlerClass");
        return this;
    }

    /**
     * Shares an existing tensor store with the workers (they map it read-only; the pool does not
     * remove it).
     *
     * @param storeName the store's name in the pool's directory
     * @return this
     */
    public PoolContext weights(String storeName) {
        check();
        this.weightsStore = Objects.requireNonNull(storeName, "storeName");
        this.weightsFile = null;
        return this;
    }

    /**
     * Shares a tensor store this process created or opened.
     *
     * @param store the store (must stay open while the pool runs)
     * @return this
     */
    public PoolContext weights(TensorStore store) {
        return weights(store.name());
    }

    /**
     * Loads a {@code .safetensors} file into shared memory at start ({@code NAME-weights}, removed
     * when the pool closes) and shares it with the workers.
     *
     * @param file the file
     * @return this
     */
    public PoolContext weightsFile(Path file) {
        check();
        this.weightsFile = Objects.requireNonNull(file, "file");
        this.weightsStore = null;
        return this;
    }

    /**
     * @param options JVM options for the workers, replacing {@link #SMALL_WORKER_JVM_OPTIONS}
     * @return this
     */
    public PoolContext workerJvmOptions(List<String> options) {
        check();
        workerJvmOptions.clear();
        workerJvmOptions.addAll(options);
        return this;
    }

    /**
     * @param option one more JVM option for the workers (e.g. {@code -Dkey=value})
     * @return this
     */
    public PoolContext addWorkerJvmOption(String option) {
        check();
        workerJvmOptions.add(Objects.requireNonNull(option, "option"));
        return this;
    }

    /**
     * @param enabled whether workers share a class-data archive (default true): the first pool run
     *                on a class path writes it from worker 0 when that worker stops, later runs
     *                start their workers from it (about twice as fast on 2 cores)
     * @return this
     */
    public PoolContext classDataSharing(boolean enabled) {
        check();
        this.classDataSharing = enabled;
        return this;
    }

    /**
     * @param dispatchBytes   data bytes of each worker's dispatch ring (power of two, default 64 KiB)
     * @param completionBytes data bytes of the shared completion ring (power of two, default 1 MiB)
     * @return this
     */
    public PoolContext rings(int dispatchBytes, int completionBytes) {
        check();
        this.dispatchRingCapacity = dispatchBytes;
        this.completionRingCapacity = completionBytes;
        return this;
    }

    /**
     * @param slotBytes bytes per slab slot: the largest tensor a job can carry (multiple of 64, default 1 MiB)
     * @param slots     slab slots for inputs and outputs (default 64)
     * @return this
     */
    public PoolContext slab(int slotBytes, int slots) {
        check();
        this.slabSlotSize = slotBytes;
        this.slabSlots = slots;
        return this;
    }

    /**
     * @param n jobs a worker may have dispatched and not completed (default 4)
     * @return this
     */
    public PoolContext maxInFlightPerWorker(int n) {
        check();
        this.maxInFlightPerWorker = n;
        return this;
    }

    /**
     * @param n jobs that may wait for a worker before {@code submit} blocks (default 4096)
     * @return this
     */
    public PoolContext maxQueuedJobs(int n) {
        check();
        this.maxQueuedJobs = n;
        return this;
    }

    /**
     * @param timeout how long {@code submit} and {@code loan} wait for room before failing with
     *                {@link JobStatus#QUEUE_FULL} / {@link JobStatus#SLAB_FULL} (default 30 s)
     * @return this
     */
    public PoolContext submitTimeout(Duration timeout) {
        check();
        this.submitTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /**
     * @param interval how often workers write their heartbeat (default 1 s)
     * @param timeout  a worker silent this long is killed and restarted (default 10 s)
     * @return this
     */
    public PoolContext heartbeat(Duration interval, Duration timeout) {
        check();
        this.heartbeatInterval = Objects.requireNonNull(interval);
        this.heartbeatTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /**
     * @param min first restart delay after a worker dies (default 100 ms)
     * @param max the delay doubles on each consecutive failure up to this (default 5 s)
     * @return this
     */
    public PoolContext restartBackoff(Duration min, Duration max) {
        check();
        this.restartBackoffMin = Objects.requireNonNull(min);
        this.restartBackoffMax = Objects.requireNonNull(max);
        return this;
    }

    /**
     * @param n a job running while this many workers died fails with {@link JobStatus#POISON} (default 3)
     * @return this
     */
    public PoolContext maxJobCrashes(int n) {
        check();
        this.maxJobCrashes = n;
        return this;
    }

    /**
     * @param timeout how long {@link WorkerPool#start} waits for every worker to be ready (default 60 s)
     * @return this
     */
    public PoolContext readyTimeout(Duration timeout) {
        check();
        this.readyTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /**
     * @param drain how long {@code close} lets in-flight and queued jobs finish (default 30 s)
     * @param grace how long stopped workers get before SIGTERM, then again before SIGKILL (default 5 s)
     * @return this
     */
    public PoolContext shutdown(Duration drain, Duration grace) {
        check();
        this.drainTimeout = Objects.requireNonNull(drain);
        this.stopGrace = Objects.requireNonNull(grace);
        return this;
    }

    /**
     * How idle workers wait: spin, then yield, then park on their futex doorbell.
     *
     * @param spins  busy spins before yielding (default 1000; keep low: workers outnumber cores)
     * @param yields yields before parking (default 10)
     * @return this
     */
    public PoolContext workerIdle(long spins, long yields) {
        check();
        this.workerSpins = spins;
        this.workerYields = yields;
        return this;
    }

    /**
     * @param exit on SIGTERM, close the pool (drain, stop workers, remove segments) and then exit
     *             the JVM with status 0 (default false: SIGTERM runs the JVM's shutdown hooks,
     *             which close the pool too, and the exit status is 143)
     * @return this
     */
    public PoolContext exitOnSigterm(boolean exit) {
        check();
        this.exitOnSigterm = exit;
        return this;
    }

    /**
     * @param inherit whether workers write to this process's stdout/stderr (default true) or their
     *                output is discarded
     * @return this
     */
    public PoolContext inheritWorkerOutput(boolean inherit) {
        check();
        this.inheritWorkerOutput = inherit;
        return this;
    }

    /**
     * @param j a durable journal of accepted and completed jobs: at start the pool re-runs the
     *          jobs it holds that never completed ({@link WorkerPool#recovered()}); the pool closes
     *          it when it closes (default: none)
     * @return this
     */
    public PoolContext journal(JobJournal j) {
        check();
        this.journal = Objects.requireNonNull(j, "journal");
        return this;
    }

    /**
     * Validates every setting and freezes the context. Idempotent.
     *
     * @return this
     * @throws IpcException INVALID_ARGUMENT naming the first bad setting, NOT_FOUND for a missing weights file
     */
    public PoolContext conclude() {
        if (concluded) {
            return this;
        }
        if (handler == null) {
            throw invalid("handler: set the JobHandler class the workers run");
        }
        if (name == null) {
            name = "ipc4j-pool-" + ProcessHandle.current().pid() + "-" + POOLS.incrementAndGet();
        }
        SegmentName.validate(name + "-weights");
        range("workers", workers, 1, 1024);
        if (!RingBufferLayout.isValidCapacity(dispatchRingCapacity) || dispatchRingCapacity < 32 * 1024) {
            throw invalid("dispatch ring capacity must be a power of two >= 32768, not " + dispatchRingCapacity);
        }
        if (!RingBufferLayout.isValidCapacity(completionRingCapacity) || completionRingCapacity < 64 * 1024) {
            throw invalid("completion ring capacity must be a power of two >= 65536, not " + completionRingCapacity);
        }
        if (slabSlotSize < 64 || slabSlotSize % 64 != 0) {
            throw invalid("slab slot size must be a positive multiple of 64, not " + slabSlotSize);
        }
        range("slab slots", slabSlots, 1, 1 << 20);
        range("max in flight per worker", maxInFlightPerWorker, 1, 1 << 16);
        range("max queued jobs", maxQueuedJobs, 0, 1 << 24);
        range("max job crashes", maxJobCrashes, 1, 1000);
        positive("submit timeout", submitTimeout, true);
        positive("heartbeat interval", heartbeatInterval, false);
        positive("ready timeout", readyTimeout, false);
        positive("drain timeout", drainTimeout, true);
        positive("stop grace", stopGrace, true);
        positive("restart back-off", restartBackoffMin, true);
        if (heartbeatTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw invalid("heartbeat timeout (" + heartbeatTimeout + ") must be at least twice the interval ("
                    + heartbeatInterval + ")");
        }
        if (restartBackoffMax.compareTo(restartBackoffMin) < 0) {
            throw invalid("restart back-off max (" + restartBackoffMax + ") is below its min (" + restartBackoffMin + ")");
        }
        if (workerSpins < 0 || workerYields < 0) {
            throw invalid("worker idle spins and yields must be >= 0");
        }
        if (weightsFile != null && !Files.isRegularFile(weightsFile)) {
            throw new IpcException(Reason.NOT_FOUND, "weights file " + weightsFile + " does not exist or is not a file");
        }
        concluded = true;
        return this;
    }

    private static void range(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw invalid(what + " must be " + min + ".." + max + ", not " + v);
        }
    }

    private static void positive(String what, Duration d, boolean zeroOk) {
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw invalid(what + " must be " + (zeroOk ? ">= 0" : "> 0") + ", not " + d);
        }
    }

    private static IpcException invalid(String message) {
        return new IpcException(Reason.INVALID_ARGUMENT, "pool setting " + message);
    }

    private void check() {
        if (concluded) {
            throw new IllegalStateException("the pool context is concluded; settings are frozen");
        }
    }

    private void requireConcluded() {
        if (!concluded) {
            throw new IllegalStateException("call conclude() first");
        }
    }

    /** @return the pool's name (after {@link #conclude()}) */
    public String name() {
        requireConcluded();
        return name;
    }

    /** @return the segments' directory */
    public ShmDirectory directory() {
        return directory;
    }

    /** @return worker processes */
    public int workers() {
        return workers;
    }

    /** @return the handler class */
    public Class<? extends JobHandler> handler() {
        return handler;
    }

    /** @return the shared store's name, or null (none, or {@link #weightsFile()}) */
    public String weightsStore() {
        return weightsStore;
    }

    /** @return the file to load as weights, or null */
    public Path weightsFile() {
        return weightsFile;
    }

    /** @return the workers' JVM options */
    public List<String> workerJvmOptions() {
        return List.copyOf(workerJvmOptions);
    }

    /** @return whether workers share a class-data archive */
    public boolean classDataSharing() {
        return classDataSharing;
    }

    /** @return data bytes of each dispatch ring */
    public int dispatchRingCapacity() {
        return dispatchRingCapacity;
    }

    /** @return data bytes of the completion ring */
    public int completionRingCapacity() {
        return completionRingCapacity;
    }

    /** @return bytes per slab slot */
    public int slabSlotSize() {
        return slabSlotSize;
    }

    /** @return slab slots */
    public int slabSlots() {
        return slabSlots;
    }

    /** @return jobs per worker in flight at most */
    public int maxInFlightPerWorker() {
        return maxInFlightPerWorker;
    }

    /** @return jobs waiting for a worker at most */
    public int maxQueuedJobs() {
        return maxQueuedJobs;
    }

    /** @return the back-pressure timeout */
    public Duration submitTimeout() {
        return submitTimeout;
    }

    /** @return the heartbeat interval */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** @return silence after which a worker is killed */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** @return first restart delay */
    public Duration restartBackoffMin() {
        return restartBackoffMin;
    }

    /** @return largest restart delay */
    public Duration restartBackoffMax() {
        return restartBackoffMax;
    }

    /** @return worker deaths a job may cause before it is poison */
    public int maxJobCrashes() {
        return maxJobCrashes;
    }

    /** @return start-up timeout */
    public Duration readyTimeout() {
        return readyTimeout;
    }

    /** @return how long close drains */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** @return grace before SIGTERM and before SIGKILL */
    public Duration stopGrace() {
        return stopGrace;
    }

    /** @return idle spins of workers */
    public long workerSpins() {
        return workerSpins;
    }

    /** @return idle yields of workers */
    public long workerYields() {
        return workerYields;
    }

    /** @return whether SIGTERM closes the pool and exits 0 */
    public boolean exitOnSigterm() {
        return exitOnSigterm;
    }

    /** @return the journal, or null */
    public JobJournal journal() {
        return journal;
    }

    /** @return whether workers inherit stdout/stderr */
    public boolean inheritWorkerOutput() {
        return inheritWorkerOutput;
    }
}
