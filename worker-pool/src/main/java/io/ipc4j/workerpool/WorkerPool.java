package io.ipc4j.workerpool;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.semaphores.idle.DoorbellIdleStrategy;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.shm.ring.ManyToOneRing;
import io.ipc4j.shm.ring.Ring;
import io.ipc4j.shm.slab.SharedSlab;
import io.ipc4j.shm.slab.SlabLayout;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.HeaderLimits;
import io.ipc4j.tensor.store.TensorStore;
import io.ipc4j.workerpool.stat.PoolCounter;
import io.ipc4j.workerpool.stat.PoolCounters;
import io.ipc4j.workerpool.stat.PoolSnapshot;
import io.ipc4j.workerpool.stat.PoolState;
import io.ipc4j.workerpool.stat.WorkerState;
import io.ipc4j.workerpool.wire.JobCodec;
import io.ipc4j.workerpool.wire.JobCodec.Completion;
import io.ipc4j.workerpool.wire.JobCodec.TensorRef;
import io.ipc4j.workerpool.wire.PoolLayout;
import io.ipc4j.workerpool.worker.WorkerArgs;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A supervisor and its worker JVMs sharing one weight region, with a zero-copy job queue.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.start(new PoolContext().handler(MatVec.class).workers(8).weights("w"))) {
 *     try (TensorLoan x = pool.loan(DType.F32, 4096)) {
 *         x.tensor().copyFrom(input);                                     // write in place
 *         JobResult r = pool.submit(JobRequest.create().input(x).output(DType.F32, 4096)).join();
 *         ... r.output(0) ...                                             // read in place
 *         r.close();                                                      // slots back to the slab
 *     }
 * }
 * }</pre>
 *
 * <p><b>Memory.</b> Each pool has a control segment {@code NAME} (doorbells and rings, see
 * {@link PoolLayout}), a slab {@code NAME-slab} for job tensors, a counters segment
 * {@code NAME-stat} ({@link PoolCounters}, read by {@code ipc4j stat}) and optionally the weights.
 * Only descriptors cross the rings; tensors stay where the caller wrote them.
 *
 * <p><b>Threads.</b> One platform thread spawns every worker (PR_SET_PDEATHSIG fires when the
 * spawning <em>thread</em> exits, so it lives as long as the pool); one reads completions (spin,
 * yield, then park on the supervisor's futex doorbell); one monitors heartbeats and restarts.
 * Futures complete on the completion thread: use the {@code *Async} stages for slow callbacks.
 *
 * <p><b>Failures.</b> A worker that exits or stops heart-beating is restarted with exponential
 * back-off; the jobs it had are dispatched again (at-least-once execution; each future completes
 * exactly once, completions of an earlier attempt are ignored). A job running while
 * {@link PoolContext#maxJobCrashes} workers died fails with {@link JobStatus#POISON}.
 *
 * <p><b>Back-pressure.</b> {@link #loan} waits for a free slot and {@link #submit} for room in
 * the queue, each up to {@link PoolContext#submitTimeout}, then throw {@link JobException}
 * ({@link JobStatus#SLAB_FULL} / {@link JobStatus#QUEUE_FULL}).
 *
 * <p><b>Shutdown.</b> {@link #close()} (also run by a JVM shutdown hook, and on SIGTERM with
 * {@link PoolContext#exitOnSigterm}) stops intake, lets queued and in-flight jobs finish, stops
 * the workers (a STOP record, then SIGTERM, then SIGKILL after the grace period) and removes
 * every segment the pool created. If the supervisor is killed, the workers die with it
 * (PR_SET_PDEATHSIG, backed by a {@code getppid()} check) and {@code ipc4j shm gc} removes the
 * segments (their creator is dead).
 *
 * <p>Thread-safe.
 */
public final class WorkerPool implements AutoCloseable {
    private static final long MONITOR_TICK_MILLIS = 100;
    private static final long UNBLOCK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long the completion thread spins for a completion while jobs are out ({@code ipc4j.pool.receiverSpinMicros}). */
    static final long ACTIVE_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("ipc4j.pool.receiverSpinMicros", 20));
    /** How long it spins, then yields, before parking ({@code ipc4j.pool.receiverWaitMicros}). */
    static final long ACTIVE_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("ipc4j.pool.receiverWaitMicros", 100));

    private final PoolContext ctx;
    private final String name;
    private final PoolLayout layout;
    private final WorkerLauncher launcher;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Condition changed = lock.newCondition();
    private final Object slabFreed = new Object();
    private final Map<Long, PendingJob> jobs = new HashMap<>();
    private final ArrayDeque<PendingJob> backlog = new ArrayDeque<>();
    private final AtomicLong nextJobId = new AtomicLong();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private TensorStore weights;
    private PoolCounters counters;
    private DescribedSegment control;
    private SharedSlab slab;
    private int slabOwner;
    private ManyToOneRing completions;
    private FutexEvent supervisorBell;
    private WorkerSlot[] slots;
    private ExecutorService spawner;
    private ScheduledExecutorService monitor;
    private Thread receiver;
    private Thread shutdownHook;
    private volatile boolean receiving = true;
    private volatile int dispatchedCount;
    private final AtomicLong deathsToUnblock = new AtomicLong();
    private int maxRecordLength;
    private JobJournal journal;
    private final List<CompletableFuture<JobResult>> recovered = new ArrayList<>();

    // guarded by lock
    private volatile PoolState state = PoolState.STARTING;
    private String startFailure;

    private WorkerPool(PoolContext ctx) {
        this.ctx = ctx;
        this.name = ctx.name();
        this.layout = new PoolLayout(ctx.workers(), ctx.dispatchRingCapacity(), ctx.completionRingCapacity());
        this.launcher = new WorkerLauncher(ctx);
    }

    /**
     * Creates the pool's segments, starts every worker and waits until all are ready.
     *
     * @param context the settings ({@link PoolContext#conclude()} is called here)
     * @return the running pool
     * @throws IpcException NOT_READY naming the worker and its error when a worker fails to start,
     *                      TIMEOUT when they are not ready within {@link PoolContext#readyTimeout},
     *                      ALREADY_EXISTS when a live pool has the name, NO_SPACE, NOT_FOUND (weights), ...
     */
    public static WorkerPool start(PoolContext context) {
        WorkerPool pool = new WorkerPool(context.conclude());
        try {
            pool.open();
            pool.awaitReady();
            pool.recover();
            return pool;
        } catch (RuntimeException | Error e) {
            pool.abort();
            throw e;
        }
    }

    // ------------------------------------------------------------------ start

    private void open() {
        if (ctx.journal() != null) {
            journal = track(ctx.journal());
            nextJobId.set(journal.lastJobId());
        }
        StaleSegments.removeLeftovers(ctx.directory(), name);
        if (ctx.weightsFile() != null) {
            weights = track(TensorStore.load(ctx.weightsFile(), name + "-weights"));
        } else if (ctx.weightsStore() != null) {
            weights = track(TensorStore.open(ctx.directory(), ctx.weightsStore(), true, HeaderLimits.DEFAULT));
        }
        counters = track(PoolCounters.create(ctx.directory(), name, ctx.workers()));
        // owners: the supervisor, each worker, and room for restarted workers while dead ones are reclaimed
        int owners = Math.min(SlabLayout.MAX_OWNERS, 2 * ctx.workers() + 2);
        slab = track(SharedSlab.create(name + "-slab", ctx.slabSlotSize(), ctx.slabSlots(), owners,
                CreateOptions.defaults().directory(ctx.directory())));
        slabOwner = slab.register();
        counters.set(PoolCounter.SLAB_SLOTS, ctx.slabSlots());
        control = track(DescribedSegment.create(name, SegmentKind.POOL, layout.payloadBytes(),
                CreateOptions.defaults().directory(ctx.directory()).payloadVersion(PoolLayout.PAYLOAD_VERSION), p -> {
                    layout.writeHeader(p);
                    ManyToOneRing.initialize(p, layout.completionOffset(), layout.completionCapacity());
                    for (int i = 0; i < layout.workers(); i++) {
                        layout.resetDispatchRing(p, i);
                    }
                }));
        MemorySegment p = control.payload();
        completions = layout.completionRing(p);
        supervisorBell = layout.supervisorDoorbell(p);
        maxRecordLength = Math.min(layout.dispatchRing(p, 0).maxMessageLength(), ctx.dispatchRingCapacity() / 8);
        slots = new WorkerSlot[ctx.workers()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new WorkerSlot(i, layout.workerDoorbell(p, i), layout.dispatchRing(p, i));
        }
        spawner = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("ipc4j-pool-spawner").daemon().unstarted(r));
        monitor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("ipc4j-pool-monitor").daemon().unstarted(r));
        receiver = Thread.ofPlatform().name("ipc4j-pool-receiver").daemon().start(this::receive);
        shutdownHook = Thread.ofPlatform().name("ipc4j-pool-shutdown").unstarted(this::close);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        if (ctx.exitOnSigterm()) {
            Sigterm.closeAndExit(this);
        }
        lock.lock();
        try {
            for (WorkerSlot s : slots) {
                spawn(s);
            }
        } finally {
            lock.unlock();
        }
        monitor.scheduleWithFixedDelay(this::tick, MONITOR_TICK_MILLIS, MONITOR_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Re-submits the journaled jobs that never completed. */
    private void recover() {
        if (journal == null) {
            return;
        }
        for (JobJournal.Entry e : journal.unfinished()) {
            JobRequest r = JobRequest.create().payload(e.payload());
            List<TensorLoan> loans = new ArrayList<>();
            try {
                for (JobJournal.TensorData t : e.inputs()) {
                    TensorLoan l = loan(t.dtype(), t.shape());
                    loans.add(l);
                    MemorySegment.copy(MemorySegment.ofArray(t.bytes()), 0, l.tensor().segment(), 0, t.bytes().length);
                    r.input(l);
                }
                for (JobJournal.TensorSpec o : e.outputs()) {
                    r.output(o.dtype(), o.shape());
                }
                recovered.add(submit(r, e.jobId()));
            } finally {
                loans.forEach(TensorLoan::close);
            }
        }
    }

    private <T extends AutoCloseable> T track(T r) {
        resources.add(r);
        return r;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + ctx.readyTimeout().toNanos();
        lock.lock();
        try {
            while (true) {
                if (startFailure != null) {
                    throw new IpcException(Reason.NOT_READY, "pool '" + name + "': " + startFailure);
                }
                int ready = 0;
                for (WorkerSlot s : slots) {
                    ready += s.state == WorkerState.READY ? 1 : 0;
                }
                if (ready == slots.length) {
                    state = PoolState.RUNNING;
                    counters.state(state);
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IpcException(Reason.TIMEOUT, "pool '" + name + "': only " + ready + " of " + slots.length
                            + " workers were ready after " + ctx.readyTimeout().toMillis() + " ms");
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(Reason.NOT_READY, "pool '" + name + "': interrupted while workers started");
        } finally {
            lock.unlock();
        }
    }

    /** Starts a process for {@code s} (lock held); the fork itself runs on the spawner thread. */
    private void spawn(WorkerSlot s) {
        s.incarnation++;
        s.state = WorkerState.STARTING;
        s.startFailure = null;
        s.ring = layout.resetDispatchRing(control.payload(), s.index);
        counters.worker(s.index, 0, WorkerState.STARTING, s.incarnation);
        WorkerArgs args = new WorkerArgs(name, ctx.directory().path().toString(), s.index, s.incarnation,
                ProcessHandle.current().pid(), ctx.handler().getName(),
                weights == null ? "" : weights.name(), ctx.heartbeatInterval().toMillis(),
                ctx.workerSpins(), ctx.workerYields());
        List<String> cmd = launcher.command(args);
        int incarnation = s.incarnation;
        spawner.execute(() -> {
            Process p;
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd);
                if (ctx.inheritWorkerOutput()) {
                    pb.inheritIO();
                } else {
                    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                }
                pb.redirectInput(ProcessBuilder.Redirect.PIPE);
                p = pb.start();
            } catch (IOException | RuntimeException e) {
                onSpawnFailed(s, incarnation, e);
                return;
            }
            lock.lock();
            try {
                if (s.incarnation != incarnation || state == PoolState.STOPPED) {
                    p.destroyForcibly();
                    return;
                }
                s.process = p;
                counters.worker(s.index, p.pid(), s.state, incarnation);
                counters.add(PoolCounter.WORKERS_ALIVE, 1);
            } finally {
                lock.unlock();
            }
            p.onExit().thenRunAsync(() -> onExit(s, incarnation, p), monitor);
        });
    }

    private void onSpawnFailed(WorkerSlot s, int incarnation, Exception e) {
        lock.lock();
        try {
            if (s.incarnation != incarnation) {
                return;
            }
            String why = "worker " + s.index + " could not be started: " + e;
            if (state == PoolState.STARTING) {
                startFailure = why;
                changed.signalAll();
            }
            scheduleRestart(s);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ caller side

    /**
     * Lends a slab slot as a tensor to fill (loan &rarr; write &rarr; submit).
     *
     * @param dtype element type
     * @param shape shape (at most {@value JobCodec#MAX_RANK} dimensions)
     * @return the loan; close it if it is not submitted
     * @throws JobException TOO_LARGE when the tensor exceeds a slot, SLAB_FULL when no slot frees up
     *                      within the submit timeout, POOL_CLOSED after close
     */
    public TensorLoan loan(DType dtype, long... shape) {
        long bytes = checkTensor(dtype, shape, "input");
        long handle = allocateSlot();
        Tensor t = Tensor.of("input", dtype, shape, slab.slot(handle).asSlice(0, bytes));
        return new TensorLoan(this, handle, t, dtype, shape);
    }

    /**
     * Submits a job with only an inline payload.
     *
     * @param payload bytes for the worker's {@link Job#payload()} (at most {@link #maxPayloadBytes(int)} with 0 tensors)
     * @return completes with the result, or exceptionally with a {@link JobException}
     * @throws JobException QUEUE_FULL, TOO_LARGE, POOL_CLOSED
     */
    public CompletableFuture<JobResult> submit(byte[] payload) {
        return submit(JobRequest.create().payload(payload));
    }

    /**
     * Submits a job. Its input loans move into the job (the worker reads them in place); its
     * outputs are allocated in the slab now. Waits while the queue is full.
     *
     * @param request inputs, outputs, payload
     * @return completes with the result, or exceptionally with a {@link JobException}
     *         ({@link JobStatus#HANDLER_FAILED}, {@link JobStatus#POISON}, {@link JobStatus#POOL_CLOSED})
     * @throws JobException QUEUE_FULL or SLAB_FULL after the submit timeout (nothing is consumed:
     *                      the loans stay open), TOO_LARGE, POOL_CLOSED
     */
    public CompletableFuture<JobResult> submit(JobRequest request) {
        return submit(request, 0);
    }

    private CompletableFuture<JobResult> submit(JobRequest request, long journalId) {
        int tensors = request.inputs.size() + request.outputTypes.size();
        if (tensors > JobCodec.MAX_TENSORS) {
            throw new JobException(JobStatus.TOO_LARGE, 0, "a job has at most " + JobCodec.MAX_TENSORS
                    + " tensors, not " + tensors);
        }
        if (request.payload.length > maxPayloadBytes(tensors)) {
            throw new JobException(JobStatus.TOO_LARGE, 0, "a job with " + tensors + " tensors carries at most "
                    + maxPayloadBytes(tensors) + " inline payload bytes, not " + request.payload.length
                    + " (put bigger data in a loaned tensor)");
        }
        TensorRef[] in = new TensorRef[request.inputs.size()];
        for (int i = 0; i < in.length; i++) {
            TensorLoan l = request.inputs.get(i);
            if (l.pool() != this) {
                throw new IpcException(Reason.INVALID_ARGUMENT, "input " + i + " was loaned by another pool");
            }
            l.checkOpen();
            in[i] = new TensorRef(l.handle(), l.dtype(), l.shapeRef());
        }
        TensorRef[] out = new TensorRef[request.outputTypes.size()];
        try {
            for (int i = 0; i < out.length; i++) {
                long[] shape = request.outputShapes.get(i);
                checkTensor(request.outputTypes.get(i), shape, "output " + i);
                out[i] = new TensorRef(allocateSlot(), request.outputTypes.get(i), shape);
            }
        } catch (RuntimeException e) {
            freeAll(out);
            throw e;
        }
        PendingJob job = new PendingJob(nextJobId.incrementAndGet(), in, out, request.payload, System.nanoTime());
        if (journal != null) {
            job.journalId = journalId != 0 ? journalId : job.id;
            if (journalId == 0) {
                try {
                    journal.accepted(journalEntry(job, request));
                } catch (RuntimeException e) {
                    freeAll(out);
                    throw e;
                }
            }
        }
        lock.lock();
        try {
            long deadline = System.nanoTime() + ctx.submitTimeout().toNanos();
            while (true) {
                if (state != PoolState.RUNNING && state != PoolState.STARTING) {
                    freeAll(out);
                    journalCompleted(job);
                    throw new JobException(JobStatus.POOL_CLOSED, 0, "pool '" + name + "' is closed");
                }
                if (backlog.size() < ctx.maxQueuedJobs() || (backlog.isEmpty() && anyWorkerTakesJobs())) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    freeAll(out);
                    journalCompleted(job);
                    counters.add(PoolCounter.REJECTED, 1);
                    throw new JobException(JobStatus.QUEUE_FULL, 0, "pool '" + name + "': " + backlog.size()
                            + " jobs queued and every worker busy for " + ctx.submitTimeout().toMillis() + " ms");
                }
                room.awaitNanos(left);
            }
            for (TensorLoan l : request.inputs) {
                l.markSubmitted();
            }
            jobs.put(job.id, job);
            backlog.addLast(job);
            counters.add(PoolCounter.SUBMITTED, 1);
            pump();
        } catch (InterruptedException e) {
            freeAll(out);
            journalCompleted(job);              // refused like QUEUE_FULL: must not re-run after a restart
            Thread.currentThread().interrupt();
            throw new JobException(JobStatus.POOL_CLOSED, 0, "interrupted while waiting for room in the queue");
        } finally {
            lock.unlock();
        }
        return job.future;
    }

    private JobJournal.Entry journalEntry(PendingJob job, JobRequest request) {
        List<JobJournal.TensorData> ins = new ArrayList<>();
        for (TensorLoan l : request.inputs) {
            ins.add(new JobJournal.TensorData(l.dtype(), l.shapeRef(),
                    l.tensor().segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        }
        List<JobJournal.TensorSpec> outs = new ArrayList<>();
        for (TensorRef r : job.outputs) {
            outs.add(new JobJournal.TensorSpec(r.dtype(), r.shape()));
        }
        return new JobJournal.Entry(job.id, ins, outs, job.payload);
    }

    private void journalCompleted(PendingJob job) {
        if (journal != null && job.journalId != 0) {
            try {
                journal.completed(job.journalId);
            } catch (RuntimeException e) {
                System.err.println("ipc4j pool '" + name + "': journal: " + e);
            }
        }
    }

    /**
     * @return the futures of the jobs a journal held as unfinished when this pool started (they
     *         were submitted again; empty without a journal)
     */
    public List<CompletableFuture<JobResult>> recovered() {
        return List.copyOf(recovered);
    }

    /**
     * @param tensors input plus output tensors of a job
     * @return the longest inline payload such a job can carry
     */
    public int maxPayloadBytes(int tensors) {
        return Math.max(0, maxRecordLength - JobCodec.jobLength(tensors, 0));
    }

    private long checkTensor(DType dtype, long[] shape, String what) {
        if (shape.length > JobCodec.MAX_RANK) {
            throw new JobException(JobStatus.TOO_LARGE, 0, "a job tensor has at most " + JobCodec.MAX_RANK
                    + " dimensions, " + what + " has " + shape.length);
        }
        long bytes = Tensor.byteSize(dtype, shape);
        if (bytes > ctx.slabSlotSize()) {
            throw new JobException(JobStatus.TOO_LARGE, 0, what + " " + dtype + java.util.Arrays.toString(shape)
                    + " needs " + bytes + " bytes; a slab slot holds " + ctx.slabSlotSize()
                    + " (PoolContext.slab(slotBytes, slots))");
        }
        return bytes;
    }

    private boolean anyWorkerTakesJobs() {
        for (WorkerSlot s : slots) {
            if (s.takesJobs(ctx.maxInFlightPerWorker())) {
                return true;
            }
        }
        return false;
    }

    private long allocateSlot() {
        long deadline = System.nanoTime() + ctx.submitTimeout().toNanos();
        while (true) {
            checkOpen();
            long h = slab.allocate(slabOwner);
            if (h >= 0) {
                return h;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new JobException(JobStatus.SLAB_FULL, 0, "pool '" + name + "': all " + ctx.slabSlots()
                        + " slab slots stayed in use for " + ctx.submitTimeout().toMillis()
                        + " ms (close JobResults and loans you no longer need)");
            }
            synchronized (slabFreed) {
                try {
                    slabFreed.wait(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JobException(JobStatus.SLAB_FULL, 0, "interrupted while waiting for a slab slot");
                }
            }
        }
    }

    private void checkOpen() {
        PoolState s = state;
        if (s == PoolState.DRAINING || s == PoolState.STOPPED) {
            throw new JobException(JobStatus.POOL_CLOSED, 0, "pool '" + name + "' is closed");
        }
    }

    void freeSlot(long handle) {
        if (state == PoolState.STOPPED) {
            return;
        }
        try {
            slab.free(handle, slabOwner);
        } catch (IllegalStateException closed) {
            return;                               // the slab was unmapped by close()
        }
        synchronized (slabFreed) {
            slabFreed.notifyAll();
        }
    }

    private void freeAll(TensorRef[] refs) {
        for (TensorRef r : refs) {
            if (r != null) {
                freeSlot(r.handle());
            }
        }
    }

    /** Dispatches queued jobs to the least busy ready workers (lock held). */
    private void pump() {
        while (!backlog.isEmpty()) {
            WorkerSlot best = null;
            for (WorkerSlot s : slots) {
                if (s.takesJobs(ctx.maxInFlightPerWorker()) && (best == null || s.inFlight.size() < best.inFlight.size())) {
                    best = s;
                }
            }
            if (best == null) {
                break;
            }
            PendingJob job = backlog.peekFirst();
            if (!send(best, job)) {
                break;
            }
            backlog.pollFirst();
        }
        counters.set(PoolCounter.QUEUED, backlog.size());
        dispatchedCount = jobs.size() - backlog.size();
        counters.set(PoolCounter.IN_FLIGHT, dispatchedCount);
        room.signalAll();
    }

    private boolean send(WorkerSlot s, PendingJob job) {
        int len = job.recordLength();
        long idx = s.ring.tryClaim(JobCodec.JOB, len);
        if (idx == Ring.INSUFFICIENT_CAPACITY) {
            return false;
        }
        job.attempt++;
        job.worker = s.index;
        JobCodec.writeJob(s.ring.buffer(), idx, job.id, job.attempt, job.inputs, job.outputs, job.payload);
        s.ring.commit(idx);
        s.inFlight.put(job.id, job);
        s.doorbell.signal();
        return true;
    }

    // ------------------------------------------------------------------ completions

    /**
     * The completion thread. While jobs are with workers it waits actively for a short while
     * ({@link #ACTIVE_SPIN_NANOS} spinning, then yielding up to {@link #ACTIVE_WAIT_NANOS}), so a
     * short job's completion is picked up without a futex wake; then, and whenever no job is out,
     * it parks on the supervisor's doorbell.
     */
    private void receive() {
        DoorbellIdleStrategy idle = new DoorbellIdleStrategy(supervisorBell, 200, 10, TimeUnit.MILLISECONDS.toNanos(100));
        long stuckSince = 0;
        long quietSince = 0;
        try {
            while (receiving) {
                int n = completions.read(this::onCompletion, 64);
                if (n == 0 && dispatchedCount > 0) {
                    long now = System.nanoTime();
                    if (quietSince == 0) {
                        quietSince = now;
                    }
                    long quiet = now - quietSince;
                    if (quiet < ACTIVE_WAIT_NANOS) {
                        if (quiet < ACTIVE_SPIN_NANOS) {
                            Thread.onSpinWait();
                        } else {
                            Thread.yield();
                        }
                        continue;
                    }
                } else if (n > 0) {
                    quietSince = 0;
                }
                if (n == 0 && completions.size() > 0) {
                    long now = System.nanoTime();
                    if (stuckSince == 0) {
                        stuckSince = now;
                    } else if (now - stuckSince > UNBLOCK_AFTER_NANOS && deathsToUnblock.get() > 0 && completions.unblock()) {
                        deathsToUnblock.decrementAndGet();
                        stuckSince = 0;
                    }
                } else {
                    stuckSince = 0;
                }
                idle.idle(n);
            }
        } catch (IllegalStateException closed) {
            // the control segment was unmapped under us: close() is finishing
        } catch (RuntimeException | Error e) {
            System.err.println("ipc4j pool '" + name + "': completion reader failed: " + e);
            monitor.execute(this::close);
        }
    }

    private void onCompletion(int type, MemorySegment buffer, long offset, int length) {
        Completion c = JobCodec.readCompletion(type, buffer, offset, length);
        if (c.worker() < 0 || c.worker() >= slots.length) {
            throw new IpcException(Reason.CORRUPT, "completion names worker " + c.worker() + " of " + slots.length);
        }
        WorkerSlot s = slots[c.worker()];
        Runnable after = null;
        lock.lock();
        try {
            switch (type) {
                case JobCodec.READY -> {
                    if (s.incarnation == c.incarnation() && s.state == WorkerState.STARTING) {
                        s.state = WorkerState.READY;
                        s.slabOwner = c.attempt();                     // READY carries the owner id there
                        s.readySinceNanos = System.nanoTime();
                        counters.worker(s.index, c.pid(), WorkerState.READY, s.incarnation);
                        counters.add(PoolCounter.WORKERS_READY, 1);
                        pump();
                        changed.signalAll();
                    }
                }
                case JobCodec.START_FAILED -> {
                    if (s.incarnation == c.incarnation()) {
                        s.startFailure = c.message();
                        if (state == PoolState.STARTING) {
                            startFailure = "worker " + s.index + " failed to start: " + c.message();
                            changed.signalAll();
                        }
                    }
                }
                case JobCodec.DONE, JobCodec.FAILED -> after = complete(s, c);
                default -> throw new IpcException(Reason.CORRUPT, "completion ring holds a record of unknown type " + type);
            }
        } finally {
            lock.unlock();
        }
        if (after != null) {
            after.run();
        }
    }

    /** Settles a job (lock held); returns what completes its future, to run after unlocking. */
    private Runnable complete(WorkerSlot s, Completion c) {
        PendingJob job = jobs.get(c.jobId());
        if (job == null || job.attempt != c.attempt() || job.worker != c.worker() || s.incarnation != c.incarnation()) {
            counters.add(PoolCounter.STALE_COMPLETIONS, 1);
            return null;
        }
        JobCodec.Done done = null;
        if (c.type() == JobCodec.DONE) {
            done = JobCodec.readDone(job.id, c.bytes());
            if (!takeOver(s, done.allocated())) {
                // the worker died and the slab took its outputs back: its death re-dispatches the job
                counters.add(PoolCounter.STALE_COMPLETIONS, 1);
                return null;
            }
        }
        jobs.remove(job.id);
        s.inFlight.remove(job.id);
        freeAll(job.inputs);
        pump();
        if (jobs.isEmpty()) {
            changed.signalAll();
        }
        if (done != null) {
            counters.add(PoolCounter.COMPLETED, 1);
            int declared = job.outputs.length;
            TensorRef[] all = java.util.Arrays.copyOf(job.outputs, declared + done.allocated().length);
            System.arraycopy(done.allocated(), 0, all, declared, done.allocated().length);
            Tensor[] outs = new Tensor[all.length];
            long[] handles = new long[all.length];
            for (int i = 0; i < outs.length; i++) {
                TensorRef r = all[i];
                long bytes = Tensor.byteSize(r.dtype(), r.shape());
                outs[i] = Tensor.of("output" + i, r.dtype(), r.shape(), slab.slot(r.handle()).asSlice(0, bytes)).asReadOnly();
                handles[i] = r.handle();
            }
            JobResult result = new JobResult(this, job.id, job.attempt, s.index, outs, handles, done.reply(),
                    System.nanoTime() - job.submittedNanos);
            return () -> {
                journalCompleted(job);
                if (!job.future.complete(result)) {
                    result.close();
                }
            };
        }
        freeAll(job.outputs);
        counters.add(PoolCounter.FAILED, 1);
        JobException e = new JobException(JobStatus.HANDLER_FAILED, job.id, c.message());
        return () -> {
            journalCompleted(job);
            job.future.completeExceptionally(e);
        };
    }

    /**
     * Takes the slots a worker allocated for a job's outputs over from its owner (lock held). When
     * one cannot be taken (the worker died and the slab reclaimed them, or the record is bogus),
     * gives back what was taken and returns false.
     */
    private boolean takeOver(WorkerSlot s, TensorRef[] allocated) {
        for (int i = 0; i < allocated.length; i++) {
            long bytes = Tensor.byteSize(allocated[i].dtype(), allocated[i].shape());
            int st = bytes > ctx.slabSlotSize() ? SharedSlab.BAD_HANDLE
                    : slab.transfer(allocated[i].handle(), s.slabOwner, slabOwner);
            if (st != SharedSlab.OK) {
                for (int k = 0; k < i; k++) {
                    freeSlot(allocated[k].handle());
                }
                System.err.println("ipc4j pool '" + name + "': worker " + s.index + "'s output " + i
                        + " could not be taken over (slab status " + st + "); the job will run again");
                if (s.process != null) {
                    s.process.destroyForcibly();                      // a live worker writing bogus records
                }
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ health

    private void onExit(WorkerSlot s, int incarnation, Process p) {
        List<Runnable> failures = new ArrayList<>();
        lock.lock();
        try {
            if (s.incarnation != incarnation || s.process != p) {
                return;
            }
            boolean wasReady = s.state == WorkerState.READY || s.state == WorkerState.STOPPING;
            boolean stopping = s.state == WorkerState.STOPPING || state == PoolState.STOPPED;
            s.state = WorkerState.DEAD;
            s.process = null;
            counters.workerState(s.index, WorkerState.DEAD);
            counters.add(PoolCounter.WORKERS_ALIVE, -1);
            if (wasReady) {
                counters.add(PoolCounter.WORKERS_READY, -1);
            }
            deathsToUnblock.incrementAndGet();
            launcher.exited(s.index, incarnation, p.exitValue());
            s.slabOwner = 0;
            slab.reclaimDeadOwners();                                    // slots it allocated come back
            int exit = p.exitValue();
            // its jobs go back to the front of the queue, in the order they were dispatched
            List<PendingJob> orphans = new ArrayList<>(s.inFlight.values());
            s.inFlight.clear();
            for (int i = orphans.size() - 1; i >= 0; i--) {
                PendingJob job = orphans.get(i);
                job.crashes++;
                job.worker = -1;
                if (job.crashes >= ctx.maxJobCrashes()) {
                    jobs.remove(job.id);
                    freeAll(job.inputs);
                    freeAll(job.outputs);
                    counters.add(PoolCounter.POISONED, 1);
                    counters.add(PoolCounter.FAILED, 1);
                    JobException e = new JobException(JobStatus.POISON, job.id, "job " + job.id + " was running when "
                            + job.crashes + " workers died (last exit status " + describeExit(exit) + "); not retried");
                    failures.add(() -> {
                        journalCompleted(job);
                        job.future.completeExceptionally(e);
                    });
                } else {
                    backlog.addFirst(job);
                    counters.add(PoolCounter.REDISPATCHED, 1);
                }
            }
            if (state == PoolState.STARTING && !wasReady) {
                startFailure = s.startFailure != null ? "worker " + s.index + " failed to start: " + s.startFailure
                        : "worker " + s.index + " exited with status " + describeExit(exit) + " before it was ready";
            }
            if (!stopping && state != PoolState.STOPPED) {
                if (wasReady && System.nanoTime() - s.readySinceNanos > STABLE_NANOS) {
                    s.consecutiveFailures = 0;
                }
                scheduleRestart(s);
            }
            pump();
            if (jobs.isEmpty()) {
                changed.signalAll();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        failures.forEach(Runnable::run);
    }

    private static String describeExit(int exit) {
        return exit > 128 ? exit + " (signal " + (exit - 128) + ")" : Integer.toString(exit);
    }

    private void scheduleRestart(WorkerSlot s) {
        long min = ctx.restartBackoffMin().toNanos();
        long delay = Math.min(ctx.restartBackoffMax().toNanos(), min << Math.min(20, s.consecutiveFailures));
        s.consecutiveFailures++;
        s.state = WorkerState.EMPTY;
        s.restartAtNanos = System.nanoTime() + delay;
    }

    private void tick() {
        lock.lock();
        try {
            if (state == PoolState.STOPPED) {
                return;
            }
            long now = System.nanoTime();
            long wall = System.currentTimeMillis();
            for (WorkerSlot s : slots) {
                if (s.state == WorkerState.EMPTY && s.restartAtNanos != 0 && now - s.restartAtNanos >= 0
                        && state != PoolState.DRAINING) {
                    s.restartAtNanos = 0;
                    counters.add(PoolCounter.RESTARTS, 1);
                    spawn(s);
                } else if (s.state == WorkerState.READY && s.process != null
                        && wall - counters.heartbeat(s.index) > ctx.heartbeatTimeout().toMillis()) {
                    System.err.println("ipc4j pool '" + name + "': worker " + s.index + " (pid " + s.process.pid()
                            + ") sent no heartbeat for " + (wall - counters.heartbeat(s.index)) + " ms; killing it");
                    s.process.destroyForcibly();
                }
            }
            counters.set(PoolCounter.SLAB_USED, slab.usedSlots());
        } catch (RuntimeException e) {
            System.err.println("ipc4j pool '" + name + "': monitor: " + e);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ information

    /** @return the pool's name (prefix of its segments' names) */
    public String name() {
        return name;
    }

    /** @return the number of worker slots */
    public int workers() {
        return slots.length;
    }

    /** @return the shared weights, when the pool has them (read-only mapping) */
    public Optional<TensorStore> weights() {
        return Optional.ofNullable(weights);
    }

    /** @return pids of the worker processes running now (for monitoring, e.g. their PSS) */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (WorkerSlot s : slots) {
                if (s.process != null && s.process.isAlive()) {
                    pids.add(s.process.pid());
                }
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    /** @return a reading of the pool's counters (what {@code ipc4j stat} shows) */
    public PoolSnapshot stats() {
        return counters.snapshot();
    }

    /** @return whether workers started from an existing class-data-sharing archive */
    public boolean classDataArchiveInUse() {
        return launcher.archiveInUse();
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Stops intake, waits up to the drain timeout for queued and in-flight jobs, fails what is
     * left with {@link JobStatus#POOL_CLOSED}, stops the workers and removes the pool's segments.
     * Idempotent; safe from any thread, also from a future's callback.
     */
    @Override
    public void close() {
        List<PendingJob> left = new ArrayList<>();
        lock.lock();
        try {
            if (state == PoolState.DRAINING || state == PoolState.STOPPED) {
                lock.unlock();
                try {
                    awaitClosedByOther();
                } finally {
                    lock.lock();
                }
                return;
            }
            state = PoolState.DRAINING;
            counters.state(state);
            room.signalAll();
            long deadline = System.nanoTime() + ctx.drainTimeout().toNanos();
            boolean onReceiver = Thread.currentThread() == receiver;
            while (!jobs.isEmpty() && !onReceiver) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0 || !anyWorkerAliveOrComing()) {
                    break;
                }
                changed.awaitNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(MONITOR_TICK_MILLIS)));
            }
            left.addAll(jobs.values());
            jobs.clear();
            backlog.clear();
            for (WorkerSlot s : slots) {
                s.inFlight.clear();
                s.restartAtNanos = 0;
                if (s.process != null) {
                    s.state = WorkerState.STOPPING;
                    counters.workerState(s.index, WorkerState.STOPPING);
                    if (s.ring.write(JobCodec.STOP, new byte[0], 0, 0)) {
                        s.doorbell.signal();
                    } else {
                        s.process.destroy();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        for (PendingJob job : left) {
            freeAll(job.inputs);
            freeAll(job.outputs);
            job.future.completeExceptionally(new JobException(JobStatus.POOL_CLOSED, job.id,
                    "pool '" + name + "' closed before job " + job.id + " completed"));
        }
        stopWorkers();
        finish();
    }

    /** Another thread is closing: wait until it has finished, unless this is one of the pool's own threads. */
    private void awaitClosedByOther() {
        Thread me = Thread.currentThread();
        if (me == receiver || me.getName().startsWith("ipc4j-pool-")) {
            return;
        }
        try {
            closed.await(ctx.drainTimeout().plus(ctx.stopGrace().multipliedBy(2)).toMillis() + 15_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean anyWorkerAliveOrComing() {
        for (WorkerSlot s : slots) {
            if (s.process != null || s.restartAtNanos != 0 || s.state == WorkerState.STARTING) {
                return true;
            }
        }
        return false;
    }

    private void stopWorkers() {
        List<Process> ps = new ArrayList<>();
        lock.lock();
        try {
            for (WorkerSlot s : slots) {
                if (s.process != null) {
                    ps.add(s.process);
                }
            }
        } finally {
            lock.unlock();
        }
        if (!waitAll(ps, ctx.stopGrace().toNanos())) {
            ps.forEach(Process::destroy);                                    // SIGTERM
            if (!waitAll(ps, ctx.stopGrace().toNanos())) {
                ps.forEach(Process::destroyForcibly);                        // SIGKILL
                waitAll(ps, TimeUnit.SECONDS.toNanos(5));
            }
        }
    }

    private static boolean waitAll(List<Process> ps, long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (Process p : ps) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void finish() {
        lock.lock();
        try {
            state = PoolState.STOPPED;
            if (counters != null) {
                counters.state(state);
            }
        } finally {
            lock.unlock();
        }
        receiving = false;
        if (supervisorBell != null) {
            supervisorBell.signal();
        }
        if (receiver != null && receiver != Thread.currentThread()) {
            try {
                receiver.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (monitor != null) {
            monitor.shutdownNow();
        }
        if (spawner != null) {
            spawner.shutdownNow();
        }
        launcher.publishArchive();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("ipc4j pool '" + name + "': closing " + resources.get(i) + ": " + e);
            }
        }
        resources.clear();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook is running or will run and find the pool closed
            }
        }
        Sigterm.forget(this);
        closed.countDown();
    }

    /** Start failed: kill whatever started, remove what was created. */
    private void abort() {
        lock.lock();
        try {
            state = PoolState.STOPPED;
            if (slots != null) {
                for (WorkerSlot s : slots) {
                    if (s != null && s.process != null) {
                        s.process.destroyForcibly();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (spawner != null) {
            spawner.shutdown();
            try {
                spawner.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Process> ps = new ArrayList<>();
        lock.lock();
        try {
            if (slots != null) {
                for (WorkerSlot s : slots) {
                    Process p = s == null ? null : s.process;
                    if (p != null) {
                        p.destroyForcibly();
                        ps.add(p);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        waitAll(ps, TimeUnit.SECONDS.toNanos(5));
        finish();
    }


    @Override
    public String toString() {
        return "WorkerPool[" + name + ", " + (slots == null ? 0 : slots.length) + " workers, " + state + "]";
    }
}
