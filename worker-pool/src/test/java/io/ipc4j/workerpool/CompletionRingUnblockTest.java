package io.ipc4j.workerpool;

import io.ipc4j.posix.PosixProcess;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.shm.ring.ManyToOneRing;
import io.ipc4j.shm.ring.Ring;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.workerpool.wire.JobCodec;
import io.ipc4j.workerpool.wire.PoolLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.ipc4j.workerpool.WorkerPoolTest.context;
import static io.ipc4j.workerpool.WorkerPoolTest.text;
import static io.ipc4j.workerpool.WorkerPoolTest.utf8;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A completion-ring slot claimed and never committed (what a worker killed between its claim and
 * its commit leaves) blocks every completion behind it; after a worker died, the pool frees it.
 */
@ExtendWith(ShmLeakCheck.class)
class CompletionRingUnblockTest {
    @Test
    void aClaimLeftOpenIsUnblockedAfterAWorkerDies() throws Exception {
        try (WorkerPool pool = WorkerPool.start(context("unblock", 2))) {
            try (DescribedSegment control = DescribedSegment.open(ShmDirectory.defaultDirectory(), pool.name(),
                    SegmentKind.POOL, Duration.ZERO, false)) {
                PoolLayout layout = PoolLayout.read(control.payload());
                ManyToOneRing completions = layout.completionRing(control.payload());
                // play a dying worker: claim a completion record and never commit it
                long claim = completions.tryClaim(JobCodec.DONE, JobCodec.COMPLETION_HEADER_BYTES);
                assertNotEquals(Ring.INSUFFICIENT_CAPACITY, claim);

                CompletableFuture<JobResult> f = pool.submit(utf8("echo:behind the open claim"));
                assertThrows(TimeoutException.class, () -> f.get(1500, TimeUnit.MILLISECONDS),
                        "the completion waits behind the open claim while no worker has died");

                long victim = pool.workerPids().getFirst();
                assertTrue(PosixProcess.kill((int) victim, PosixProcess.SIGKILL));
                try (JobResult r = f.get(60, TimeUnit.SECONDS)) {
                    assertEquals("behind the open claim", text(r));
                }
            }
        }
    }
}
