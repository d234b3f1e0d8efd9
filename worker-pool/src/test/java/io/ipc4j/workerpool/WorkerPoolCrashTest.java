package io.ipc4j.workerpool;

import io.ipc4j.posix.PosixProcess;
import io.ipc4j.shm.SegmentInventory;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.testing.ChildJvm;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.workerpool.stat.PoolCounter;
import io.ipc4j.workerpool.stat.PoolSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ipc4j.workerpool.WorkerPoolTest.context;
import static io.ipc4j.workerpool.WorkerPoolTest.text;
import static io.ipc4j.workerpool.WorkerPoolTest.utf8;
import static org.junit.jupiter.api.Assertions.*;

/** Real signals: kill -9 of workers mid-job, a poison job, a frozen worker, the supervisor killed or TERMinated. */
@ExtendWith(ShmLeakCheck.class)
class WorkerPoolCrashTest {

    @Test
    void everyJobCompletesExactlyOnceWhileWorkersAreKilled() throws Exception {
        PoolContext ctx = context("kill9", 3).restartBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .maxJobCrashes(50);
        try (WorkerPool pool = WorkerPool.start(ctx)) {
            int n = 300;
            List<CompletableFuture<JobResult>> fs = new ArrayList<>();
            AtomicInteger completions = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                CompletableFuture<JobResult> f = pool.submit(utf8("sleep:10"));
                f.whenComplete((r, e) -> completions.incrementAndGet());
                fs.add(f);
            }
            Random rnd = new Random(42);
            int kills = 0;
            while (kills < 8 && fs.stream().anyMatch(f -> !f.isDone())) {
                List<Long> pids = pool.workerPids();
                if (!pids.isEmpty()) {
                    long victim = pids.get(rnd.nextInt(pids.size()));
                    if (PosixProcess.kill((int) victim, PosixProcess.SIGKILL)) {
                        kills++;
                    }
                }
                Thread.sleep(150);
            }
            Set<Long> ids = new HashSet<>();
            for (CompletableFuture<JobResult> f : fs) {
                try (JobResult r = f.get(120, TimeUnit.SECONDS)) {
                    assertEquals("slept " + r.jobId(), text(r));
                    assertTrue(ids.add(r.jobId()), "job " + r.jobId() + " completed twice");
                }
            }
            assertEquals(n, ids.size());
            assertEquals(n, completions.get(), "each future completes exactly once");
            PoolSnapshot s = pool.stats();
            assertEquals(n, s.get(PoolCounter.COMPLETED));
            assertEquals(0, s.get(PoolCounter.FAILED));
            assertTrue(s.get(PoolCounter.RESTARTS) >= 1, "workers were restarted: " + s.get(PoolCounter.RESTARTS));
            assertTrue(kills >= 1);
        }
    }

    @Test
    void aJobThatKeepsKillingWorkersIsPoison() {
        PoolContext ctx = context("poison", 2).restartBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).maxJobCrashes(3);
        try (WorkerPool pool = WorkerPool.start(ctx)) {
            CompletableFuture<JobResult> poison = pool.submit(utf8("halt"));
            CompletionException e = assertThrows(CompletionException.class, poison::join);
            JobException je = assertInstanceOf(JobException.class, e.getCause());
            assertEquals(JobStatus.POISON, je.status());
            assertTrue(je.getMessage().contains("3 workers died"), je.getMessage());
            try (JobResult r = pool.submit(utf8("echo:alive")).join()) {
                assertEquals("alive", text(r));
            }
            assertEquals(1, pool.stats().get(PoolCounter.POISONED));
        }
    }

    @Test
    void aFrozenWorkerIsKilledAndItsJobRunsElsewhere() throws Exception {
        PoolContext ctx = context("frozen", 2).heartbeat(Duration.ofMillis(100), Duration.ofMillis(1000))
                .restartBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
        try (WorkerPool pool = WorkerPool.start(ctx)) {
            long frozen = pool.workerPids().getFirst();
            assertTrue(PosixProcess.kill((int) frozen, 19));                    // SIGSTOP
            List<CompletableFuture<JobResult>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fs.add(pool.submit(utf8("pid")));
            }
            for (CompletableFuture<JobResult> f : fs) {
                try (JobResult r = f.get(60, TimeUnit.SECONDS)) {
                    assertNotEquals(Long.toString(frozen), text(r));
                }
            }
            ProcessHandle.of(frozen).ifPresent(p -> p.onExit().join());
            assertFalse(ProcessHandle.of(frozen).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void sigtermDrainsEveryJobAndExitsZero() throws Exception {
        String name = ShmLeakCheck.uniqueName("term");
        try (ChildJvm child = ChildJvm.start(PoolChild.class, name, "2", "20", "sigterm")) {
            String pids = child.expect("PIDS ");
            child.expect("SUBMITTED");
            // not Process.destroy(): it also closes our ends of the child's pipes
            assertTrue(PosixProcess.kill((int) child.process().pid(), PosixProcess.SIGTERM));
            assertTrue(child.process().waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, child.process().exitValue(), String.join("\n", child.transcript()));
            long done = 0;
            for (int i = 0; i < 50 && done < 20; i++) {                      // the stdout reader may lag the exit
                done = child.transcript().stream().filter(l -> l.startsWith("DONE ")).count();
                Thread.sleep(done < 20 ? 100 : 0);
            }
            assertEquals(20, done, String.join("\n", child.transcript()));
            for (String pid : pids.substring(5).split(" ")) {
                assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false));
            }
        }
        assertFalse(SharedSegment.exists(name));
        assertFalse(SharedSegment.exists(name + "-slab"));
        assertFalse(SharedSegment.exists(name + "-stat"));
    }

    @Test
    void workersDieWithAKilledSupervisorAndGcRemovesItsSegments() throws Exception {
        String name = ShmLeakCheck.uniqueName("orphan");
        long[] workers;
        try (ChildJvm child = ChildJvm.start(PoolChild.class, name, "2", "0", "plain")) {
            workers = Arrays.stream(child.expect("PIDS ").substring(5).split(" ")).mapToLong(Long::parseLong).toArray();
            assertTrue(SharedSegment.exists(name));
            child.kill();                                                        // SIGKILL
        }
        for (long w : workers) {
            ProcessHandle.of(w).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(w).map(ProcessHandle::isAlive).orElse(false), "worker " + w + " outlived its supervisor");
        }
        assertTrue(SharedSegment.exists(name), "segments of a killed supervisor stay until gc");
        Set<String> removed = new HashSet<>();
        SegmentInventory.of(ShmDirectory.defaultDirectory()).gc().forEach(i -> removed.add(i.fileName()));
        assertTrue(removed.containsAll(List.of(name, name + "-slab", name + "-stat")), removed.toString());
    }

    @Test
    void theNextStartWithTheSameNameRemovesWhatAKilledSupervisorLeft() throws Exception {
        String name = ShmLeakCheck.uniqueName("restart");
        try (ChildJvm child = ChildJvm.start(PoolChild.class, name, "1", "0", "plain")) {
            child.expect("PIDS ");
            child.kill();
        }
        assertTrue(SharedSegment.exists(name));
        try (WorkerPool pool = WorkerPool.start(new PoolContext().name(name).workers(1).handler(TestHandler.class)
                .classDataSharing(false))) {
            try (JobResult r = pool.submit(utf8("echo:again")).join()) {
                assertEquals("again", text(r));
            }
        }
    }
}
