package io.ipc4j.workerpool.journal;

import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.workerpool.JobException;
import io.ipc4j.workerpool.JobJournal;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.JobStatus;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The pool's journal hooks in one JVM: refused submits are not re-run; jobs a closing pool gives up on are. */
@ExtendWith(ShmLeakCheck.class)
class JournaledPoolTest {

    private static byte[] stall(int tag) {
        return ("sleep:1:" + tag).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSubmitInterruptedWhileWaitingForRoomIsNotRerunButAbandonedJobsAre() throws Exception {
        Path dir = TempDirs.create("pool");
        try {
            PoolContext ctx = new PoolContext().name(ShmLeakCheck.uniqueName("jpool")).workers(1).handler(SleepHandler.class)
                    .slab(4096, 8).classDataSharing(false).maxInFlightPerWorker(1).maxQueuedJobs(1)
                    .submitTimeout(Duration.ofSeconds(120)).shutdown(Duration.ofMillis(200), Duration.ofMillis(200))
                    .addWorkerJvmOption("-Djournaltest.stallFrom=0")            // every job stalls in the worker
                    .journal(ChronicleJobJournal.open(dir));
            try (WorkerPool pool = WorkerPool.start(ctx)) {
                assertEquals(List.of(), pool.recovered());
                CompletableFuture<JobResult> running = pool.submit(stall(0));    // job 1: in the worker
                CompletableFuture<JobResult> queued = pool.submit(stall(1));     // job 2: the one queued slot
                AtomicReference<Throwable> refused = new AtomicReference<>();
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        pool.submit(stall(2));                                   // job 3: waits for room
                    } catch (Throwable e) {
                        refused.set(e);
                    }
                });
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                t.interrupt();
                t.join();
                JobException e = assertInstanceOf(JobException.class, refused.get());
                assertEquals(JobStatus.POOL_CLOSED, e.status());
                assertFalse(running.isDone());
                assertFalse(queued.isDone());
            }                                                                    // gives up on jobs 1 and 2
            try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
                assertEquals(List.of(1L, 2L), j.unfinished().stream().map(JobJournal.Entry::jobId).toList());
                assertEquals(3, j.lastJobId());
            }
        } finally {
            TempDirs.delete(dir);
        }
    }
}
