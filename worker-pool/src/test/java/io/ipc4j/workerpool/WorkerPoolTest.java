package io.ipc4j.workerpool;

import io.ipc4j.IpcException;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.TensorStore;
import io.ipc4j.workerpool.stat.PoolCounter;
import io.ipc4j.workerpool.stat.PoolCounters;
import io.ipc4j.workerpool.stat.PoolSnapshot;
import io.ipc4j.workerpool.stat.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A pool of real worker JVMs: jobs with tensors and payloads, failures, back-pressure, counters. */
@ExtendWith(ShmLeakCheck.class)
class WorkerPoolTest {
    static PoolContext context(String what, int workers) {
        return new PoolContext().name(ShmLeakCheck.uniqueName(what)).workers(workers).handler(TestHandler.class)
                .slab(64 * 1024, 16).classDataSharing(false).readyTimeout(Duration.ofSeconds(60));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(JobResult r) {
        return new String(r.reply(), StandardCharsets.UTF_8);
    }

    @Test
    void tensorsGoInAndComeOutInPlace() {
        // 20 jobs x (input + output) held until the end: 40 slots
        try (WorkerPool pool = WorkerPool.start(context("basic", 2).slab(4096, 48))) {
            List<CompletableFuture<JobResult>> fs = new ArrayList<>();
            for (int j = 0; j < 20; j++) {
                try (TensorLoan x = pool.loan(DType.F32, 1000)) {
                    for (int i = 0; i < 1000; i++) {
                        x.tensor().setFloat(i, j + i * 0.5f);
                    }
                    fs.add(pool.submit(JobRequest.create().input(x).output(DType.F32, 1000).payload(utf8("double"))));
                    assertTrue(x.isSubmitted());
                }
            }
            for (int j = 0; j < 20; j++) {
                try (JobResult r = fs.get(j).join()) {
                    double want = 0;
                    for (int i = 0; i < 1000; i++) {
                        float v = j + i * 0.5f;
                        want += v;
                        assertEquals(2 * v, r.output(0).getFloat(i));
                    }
                    assertEquals(want, Double.parseDouble(text(r)));
                    assertEquals(1, r.attempts());
                }
            }
            PoolSnapshot s = pool.stats();
            assertEquals(20, s.get(PoolCounter.COMPLETED));
            assertEquals(20, s.get(PoolCounter.SUBMITTED));
        }
    }

    @Test
    void bytePayloadsAndCountersFromAnotherMapping() throws Exception {
        PoolContext ctx = context("echo", 2);
        try (WorkerPool pool = WorkerPool.start(ctx)) {
            for (int j = 0; j < 50; j++) {
                try (JobResult r = pool.submit(utf8("echo:hello " + j)).get(30, TimeUnit.SECONDS)) {
                    assertEquals("hello " + j, text(r));
                }
            }
            try (PoolCounters c = PoolCounters.open(ShmDirectory.defaultDirectory(), pool.name(), Duration.ZERO)) {
                PoolSnapshot s = c.snapshot();
                assertEquals(50, s.get(PoolCounter.SUBMITTED));
                assertEquals(50, s.get(PoolCounter.COMPLETED));
                assertEquals(2, s.get(PoolCounter.WORKERS_READY));
                assertTrue(s.supervisorAlive());
                long done = 0;
                for (PoolSnapshot.WorkerRow w : s.workers()) {
                    assertEquals(WorkerState.READY, w.state());
                    assertTrue(w.pid() > 0 && w.heartbeatMillis() > 0);
                    done += w.jobsDone();
                }
                assertEquals(50, done);
            }
        }
        assertFalse(SharedSegment.exists(ctx.name()));
        assertFalse(SharedSegment.exists(ctx.name() + "-slab"));
        assertFalse(SharedSegment.exists(ctx.name() + "-stat"));
    }

    @Test
    void handlerFailureFailsOnlyThatJob() {
        try (WorkerPool pool = WorkerPool.start(context("throw", 1))) {
            CompletableFuture<JobResult> bad = pool.submit(utf8("throw"));
            CompletionException e = assertThrows(CompletionException.class, bad::join);
            JobException je = assertInstanceOf(JobException.class, e.getCause());
            assertEquals(JobStatus.HANDLER_FAILED, je.status());
            assertTrue(je.getMessage().contains("IllegalStateException: boom in job"), je.getMessage());
            try (JobResult r = pool.submit(utf8("echo:still here")).join()) {
                assertEquals("still here", text(r));
            }
            assertEquals(1, pool.stats().get(PoolCounter.FAILED));
        }
    }

    @Test
    void weightsAreSharedReadOnly() {
        String store = ShmLeakCheck.uniqueName("weights");
        int rows = 64;
        int cols = 32;
        try (TensorStore w = TensorStore.builder(store).add("w", DType.F32, rows, cols).create()) {
            Tensor t = w.tensor("w");
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t.setFloat(r, c, (r * 31 + c) % 7 - 3);
                }
            }
            w.publish();
            try (WorkerPool pool = WorkerPool.start(context("matvec", 2).weights(store))) {
                assertTrue(pool.weights().isPresent());
                try (TensorLoan x = pool.loan(DType.F32, cols)) {
                    for (int c = 0; c < cols; c++) {
                        x.tensor().setFloat(c, c % 5);
                    }
                    try (JobResult r = pool.submit(JobRequest.create().input(x).output(DType.F32, rows).payload(utf8("matvec"))).join()) {
                        for (int row = 0; row < rows; row++) {
                            float want = 0;
                            for (int c = 0; c < cols; c++) {
                                want += ((row * 31 + c) % 7 - 3) * (float) (c % 5);
                            }
                            assertEquals(want, r.output(0).getFloat(row), "row " + row);
                        }
                    }
                }
            }
            assertTrue(SharedSegment.exists(store), "the pool does not remove weights it did not create");
        }
    }

    @Test
    void aWorkerThatCannotStartFailsTheStartWithItsError() {
        Set<Long> before = children();
        PoolContext ctx = context("noinit", 2).addWorkerJvmOption("-Dtest.failInit=on-purpose");
        IpcException e = assertThrows(IpcException.class, () -> WorkerPool.start(ctx));
        assertEquals(IpcException.Reason.NOT_READY, e.reason());
        assertTrue(e.getMessage().contains("init refused on purpose: on-purpose"), e.getMessage());
        assertEquals(before, children(), "no worker is left running");
        assertFalse(SharedSegment.exists(ctx.name()));
    }

    @Test
    void aHandlerClassThatIsMissingFailsTheStart() {
        PoolContext ctx = context("badjvm", 1).addWorkerJvmOption("-XX:+NoSuchOptionForSure");
        IpcException e = assertThrows(IpcException.class, () -> WorkerPool.start(ctx));
        assertTrue(e.getMessage().contains("exited with status 1 before it was ready"), e.getMessage());
    }

    @Test
    void fullQueueAndFullSlabFailWithAStatusAfterTheTimeout() {
        PoolContext ctx = context("full", 1).maxInFlightPerWorker(1).maxQueuedJobs(2)
                .submitTimeout(Duration.ofMillis(300)).slab(4096, 3);
        try (WorkerPool pool = WorkerPool.start(ctx)) {
            List<CompletableFuture<JobResult>> fs = new ArrayList<>();
            fs.add(pool.submit(utf8("sleep:1500")));          // in flight
            fs.add(pool.submit(utf8("sleep:1")));             // queued
            fs.add(pool.submit(utf8("sleep:1")));             // queued
            JobException q = assertThrows(JobException.class, () -> pool.submit(utf8("sleep:1")));
            assertEquals(JobStatus.QUEUE_FULL, q.status());
            List<TensorLoan> loans = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                loans.add(pool.loan(DType.U8, 4096));
            }
            JobException s = assertThrows(JobException.class, () -> pool.loan(DType.U8, 10));
            assertEquals(JobStatus.SLAB_FULL, s.status());
            JobException big = assertThrows(JobException.class, () -> pool.loan(DType.U8, 4097));
            assertEquals(JobStatus.TOO_LARGE, big.status());
            loans.forEach(TensorLoan::close);
            try (TensorLoan again = pool.loan(DType.U8, 10)) {
                assertNotNull(again.tensor());
            }
            for (CompletableFuture<JobResult> f : fs) {
                f.join().close();
            }
            assertEquals(1, pool.stats().get(PoolCounter.REJECTED));
        }
    }

    @Test
    void closeDrainsQueuedJobsAndRefusesNewOnes() {
        PoolContext ctx = context("drain", 2);
        WorkerPool pool = WorkerPool.start(ctx);
        List<CompletableFuture<JobResult>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(pool.submit(utf8("sleep:100")));
        }
        pool.close();
        for (CompletableFuture<JobResult> f : fs) {
            assertTrue(f.isDone());
            try (JobResult r = f.join()) {
                assertTrue(text(r).startsWith("slept"));
            }
        }
        JobException e = assertThrows(JobException.class, () -> pool.submit(utf8("echo:x")));
        assertEquals(JobStatus.POOL_CLOSED, e.status());
        pool.close();
    }

    @Test
    void outputsAllocatedByTheWorkerReachTheCallerAndGoBackToTheSlab() throws Exception {
        try (WorkerPool pool = WorkerPool.start(context("alloc", 1).maxJobCrashes(1)
                .restartBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))) {
            try (JobResult r = pool.submit(utf8("alloc:1000")).join()) {
                assertEquals("allocated 1000", text(r));
                assertEquals(1, r.outputCount());
                assertEquals(1000, r.output(0).elementCount());
                for (int i = 0; i < 1000; i++) {
                    assertEquals(i, r.output(0).getFloat(i));
                }
                awaitSlabUsed(pool, 1);
            }
            awaitSlabUsed(pool, 0);

            CompletionException thrown = assertThrows(CompletionException.class, () -> pool.submit(utf8("alloc-throw:10")).join());
            assertEquals(JobStatus.HANDLER_FAILED, ((JobException) thrown.getCause()).status());
            awaitSlabUsed(pool, 0);

            // the worker dies holding the slot it allocated: the slab takes it back
            CompletionException died = assertThrows(CompletionException.class, () -> pool.submit(utf8("alloc-halt:10")).join());
            assertEquals(JobStatus.POISON, ((JobException) died.getCause()).status());
            awaitSlabUsed(pool, 0);
            try (JobResult r = pool.submit(utf8("alloc:5")).join()) {
                assertEquals(5, r.output(0).elementCount());
            }
        }
    }

    /**
     * Waits for the pool's slab-use counter to read {@code n} twice, 300 ms apart (it is refreshed
     * every 100 ms, so a reading right after a change may be stale); fails after 10 s.
     */
    static void awaitSlabUsed(WorkerPool pool, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long used;
        do {
            Thread.sleep(300);
            used = pool.stats().get(PoolCounter.SLAB_USED);
            if (used == n) {
                Thread.sleep(300);
                used = pool.stats().get(PoolCounter.SLAB_USED);
            }
        } while (used != n && System.nanoTime() < deadline);
        assertEquals(n, used, "slab slots in use");
    }

    @Test
    void settingsAreValidatedOnce() {
        assertThrows(IpcException.class, () -> new PoolContext().workers(1).conclude());          // no handler
        assertThrows(IpcException.class, () -> new PoolContext().handler(TestHandler.class).workers(0).conclude());
        assertThrows(IpcException.class, () -> new PoolContext().handler(TestHandler.class).rings(1000, 1 << 20).conclude());
        assertThrows(IpcException.class, () -> new PoolContext().handler(TestHandler.class).slab(100, 4).conclude());
        PoolContext c = new PoolContext().handler(TestHandler.class).conclude();
        assertThrows(IllegalStateException.class, () -> c.workers(3));
        Set<String> names = new HashSet<>();
        names.add(c.name());
        names.add(new PoolContext().handler(TestHandler.class).conclude().name());
        assertEquals(2, names.size(), "default names differ");
    }

    static Set<Long> children() {
        Set<Long> s = new HashSet<>();
        ProcessHandle.current().children().filter(ProcessHandle::isAlive).forEach(p -> s.add(p.pid()));
        return s;
    }
}
