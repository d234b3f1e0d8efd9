package io.ipc4j.workerpool.worker;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.posix.PosixProcess;
import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.semaphores.idle.DoorbellIdleStrategy;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.shm.ring.ManyToOneRing;
import io.ipc4j.shm.ring.OneToOneRing;
import io.ipc4j.shm.ring.Ring;
import io.ipc4j.shm.slab.SharedSlab;
import io.ipc4j.tensor.store.HeaderLimits;
import io.ipc4j.tensor.store.TensorStore;
import io.ipc4j.workerpool.JobHandler;
import io.ipc4j.workerpool.stat.PoolCounters;
import io.ipc4j.workerpool.wire.JobCodec;
import io.ipc4j.workerpool.wire.PoolLayout;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The main class of a worker JVM, started by the supervisor ({@code WorkerPool}) with
 * {@link WorkerArgs} on its command line. In order: ask the kernel to SIGKILL this process when
 * the supervisor's spawning thread dies (PR_SET_PDEATHSIG), check the supervisor is still the
 * parent (it may have died before the prctl), map the pool's segments and the weights read-only,
 * start the handler, report READY, then run jobs until a STOP record arrives.
 */
public final class WorkerMain {
    /** Exit status: the supervisor was already gone at start. */
    public static final int EXIT_ORPHAN = 3;
    /** Exit status: the worker could not start (reported as START_FAILED when possible). */
    public static final int EXIT_START_FAILED = 2;
    /** Exit status: the pool's memory became unusable (corrupt record, segment gone). */
    public static final int EXIT_BROKEN = 4;

    private WorkerMain() {
    }

    /**
     * Runs a worker.
     *
     * @param args see {@link WorkerArgs#parse}
     */
    public static void main(String[] args) {
        WorkerArgs a = WorkerArgs.parse(args);
        PosixProcess.setParentDeathSignal(PosixProcess.SIGKILL);
        if (PosixProcess.getppid() != a.supervisorPid()) {
            System.err.println("ipc4j worker " + a.worker() + ": supervisor " + a.supervisorPid() + " is gone; exiting");
            System.exit(EXIT_ORPHAN);
        }
        System.exit(run(a));
    }

    static int run(WorkerArgs a) {
        ShmDirectory dir = new ShmDirectory(Path.of(a.directory()));
        Duration open = Duration.ofSeconds(10);
        try (DescribedSegment control = DescribedSegment.open(dir, a.pool(), SegmentKind.POOL, open, false)) {
            MemorySegment payload = control.payload();
            PoolLayout layout = PoolLayout.read(payload);
            ManyToOneRing completions = layout.completionRing(payload);
            FutexEvent supervisorBell = layout.supervisorDoorbell(payload);
            Reporter reporter = new Reporter(completions, supervisorBell, a);
            JobHandler handler;
            try (PoolCounters counters = PoolCounters.open(dir, a.pool(), open);
                 SharedSlab slab = SharedSlab.open(dir, a.pool() + "-slab", open);
                 TensorStore weights = a.weights().isEmpty() ? null : TensorStore.open(dir, a.weights(), true, HeaderLimits.DEFAULT)) {
                try {
                    handler = newHandler(a.handlerClass());
                    handler.init(new WorkerContextView(a, layout.workers(), weights));
                } catch (Throwable t) {
                    reporter.report(JobCodec.START_FAILED, 0, 0, describe("handler " + a.handlerClass() + " failed to start", t));
                    return EXIT_START_FAILED;
                }
                int owner = registerOwner(slab, a);
                Thread heartbeat = startHeartbeat(counters, a);
                reporter.ready(owner);
                try {
                    runJobs(layout.dispatchRing(payload, a.worker()), layout.workerDoorbell(payload, a.worker()),
                            handler, slab, owner, counters, reporter, a);
                } finally {
                    heartbeat.interrupt();
                    handler.close();
                    if (owner > 0) {
                        slab.unregister(owner);             // frees what a failed job might have left
                    }
                }
                return 0;
            }
        } catch (IpcException e) {
            System.err.println("ipc4j worker " + a.worker() + " (pool " + a.pool() + "): " + e.getMessage());
            return e.reason() == Reason.CORRUPT ? EXIT_BROKEN : EXIT_START_FAILED;
        }
    }

    /**
     * Registers this process as an owner of slab slots, for outputs its handler allocates: if it
     * dies, the slab takes them back. 0 when the owner table is full (allocating then fails).
     */
    private static int registerOwner(SharedSlab slab, WorkerArgs a) {
        try {
            return slab.register();
        } catch (IpcException e) {
            System.err.println("ipc4j worker " + a.worker() + ": " + e.getMessage() + "; Job.allocateOutput will fail");
            return 0;
        }
    }

    private static void runJobs(OneToOneRing dispatch, FutexEvent doorbell, JobHandler handler, SharedSlab slab,
                                int owner, PoolCounters counters, Reporter reporter, WorkerArgs a) {
        DoorbellIdleStrategy idle = new DoorbellIdleStrategy(doorbell, a.spins(), a.yields(),
                TimeUnit.MILLISECONDS.toNanos(a.heartbeatMillis()));
        JobRunner runner = new JobRunner(handler, slab, owner, reporter, counters, a.worker());
        while (!runner.stopped()) {
            idle.idle(dispatch.read(runner, 1));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    private static JobHandler newHandler(String className) throws ReflectiveOperationException {
        Class<?> c = Class.forName(className, true, ClassLoader.getSystemClassLoader());
        if (!JobHandler.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(className + " does not implement " + JobHandler.class.getName());
        }
        return (JobHandler) c.getConstructor().newInstance();
    }

    private static Thread startHeartbeat(PoolCounters counters, WorkerArgs a) {
        counters.heartbeat(a.worker(), System.currentTimeMillis());
        Thread t = Thread.ofPlatform().daemon().name("ipc4j-heartbeat").start(() -> {
            try {
                while (true) {
                    Thread.sleep(a.heartbeatMillis());
                    if (PosixProcess.getppid() != a.supervisorPid()) {
                        Runtime.getRuntime().halt(EXIT_ORPHAN);      // PDEATHSIG's back-up
                    }
                    counters.heartbeat(a.worker(), System.currentTimeMillis());
                }
            } catch (InterruptedException | IllegalStateException e) {
                // stopping, or the counters were unmapped
            }
        });
        return t;
    }

    /** @return "what: Class: message" plus the first frames, bounded */
    static byte[] describe(String what, Throwable t) {
        Throwable root = t instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                ? ite.getCause() : t;
        StringBuilder sb = new StringBuilder(what).append(": ").append(root);
        StackTraceElement[] st = root.getStackTrace();
        for (int i = 0; i < Math.min(3, st.length); i++) {
            sb.append("\n\tat ").append(st[i]);
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        return b.length <= Reporter.MAX_MESSAGE ? b : java.util.Arrays.copyOf(b, Reporter.MAX_MESSAGE);
    }

    /** Writes completion records and rings the supervisor's doorbell. One thread uses it. */
    static final class Reporter {
        static final int MAX_MESSAGE = 2048;
        private final ManyToOneRing ring;
        private final FutexEvent bell;
        private final WorkerArgs args;
        private final long pid = ProcessHandle.current().pid();

        Reporter(ManyToOneRing ring, FutexEvent bell, WorkerArgs args) {
            this.ring = ring;
            this.bell = bell;
            this.args = args;
        }

        void ready(int slabOwner) {
            write(JobCodec.READY, 0, slabOwner, new byte[0], 0);    // the attempt field carries the owner id
        }

        void report(int type, long jobId, int attempt, byte[] bytes) {
            write(type, jobId, attempt, bytes, bytes.length);
        }

        void write(int type, long jobId, int attempt, byte[] bytes, int length) {
            int len = JobCodec.COMPLETION_HEADER_BYTES + length;
            long idx;
            int waits = 0;
            // the supervisor drains completions continuously; the ring is full only while it is busy
            while ((idx = ring.tryClaim(type, len)) == Ring.INSUFFICIENT_CAPACITY) {
                if (++waits % 1000 == 0 && PosixProcess.getppid() != args.supervisorPid()) {
                    Runtime.getRuntime().halt(EXIT_ORPHAN);
                }
                Thread.onSpinWait();
                if (waits > 100) {
                    Thread.yield();
                }
            }
            try {
                JobCodec.writeCompletion(ring.buffer(), idx, jobId, attempt, args.worker(), args.incarnation(),
                        type == JobCodec.READY ? pid : 0, bytes, length);
            } catch (RuntimeException e) {
                ring.abort(idx);
                throw e;
            }
            ring.commit(idx);
            bell.signal();
        }
    }

}
