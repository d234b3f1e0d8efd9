package io.ipc4j.workerpool.journal;

import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.workerpool.JobJournal;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real thing: a supervisor JVM with a journal is SIGKILLed with jobs done, running and
 * queued; a supervisor started again on the same journal re-runs exactly the jobs it had not
 * reported done, with their input bytes.
 */
@ExtendWith(ShmLeakCheck.class)
class JournalRecoveryTest {
    private static final int JOBS = 12;
    private static final int FAST = 4;              // the child's workers stall on jobs with tag >= FAST

    @Test
    void aRestartedSupervisorRerunsExactlyTheJobsAKilledOneLeftUnfinished() throws Exception {
        String name = ShmLeakCheck.uniqueName("journal");
        Path dir = TempDirs.create("recovery");
        try {
            Set<Long> doneIds = new TreeSet<>();
            Set<Long> doneTags = new TreeSet<>();
            long[] workers;
            try (Child child = Child.start(JournalPoolChild.class, Child.CHRONICLE_FLAGS, name, dir.toString(),
                    Integer.toString(JOBS), Integer.toString(FAST))) {
                workers = Arrays.stream(child.expect("PIDS ").substring(5).split(" ")).mapToLong(Long::parseLong).toArray();
                for (int i = 0; i < FAST; i++) {
                    String[] done = child.expect("DONE ").split(" ");
                    doneIds.add(Long.parseLong(done[1]));
                    doneTags.add(Long.parseLong(done[2]));
                }
                child.kill();                                               // SIGKILL, jobs running and queued
                assertEquals(FAST, child.transcript().stream().filter(l -> l.startsWith("DONE ")).count(),
                        String.join("\n", child.transcript()));
            }
            for (long w : workers) {                                        // they go with their supervisor
                ProcessHandle.of(w).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
            }
            assertEquals(LongStream.range(0, FAST).boxed().collect(Collectors.toSet()), doneTags);

            // what the killed supervisor's journal says: every accepted job not reported done, under its original id
            Set<Long> expectedIds = new TreeSet<>();
            for (long id = 1; id <= JOBS; id++) {
                if (!doneIds.contains(id)) {
                    expectedIds.add(id);
                }
            }
            Set<Long> expectedTags = LongStream.range(FAST, JOBS).boxed().collect(Collectors.toCollection(TreeSet::new));
            try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
                assertEquals(JOBS, j.lastJobId());
                List<JobJournal.Entry> open = j.unfinished();
                assertEquals(expectedIds, open.stream().map(JobJournal.Entry::jobId).collect(Collectors.toCollection(TreeSet::new)));
                for (JobJournal.Entry e : open) {
                    long tag = tag(e.payload());
                    assertTrue(expectedTags.contains(tag), "tag " + tag);
                    assertEquals(DType.F32, e.inputs().getFirst().dtype());
                    ByteBuffer b = ByteBuffer.wrap(e.inputs().getFirst().bytes()).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < 4; i++) {
                        assertEquals(tag + i, b.getFloat(), "input " + i + " of job " + e.jobId());
                    }
                    assertArrayEquals(new long[] {4}, e.outputs().getFirst().shape());
                }
            }

            // the same pool name: start removes the killed supervisor's segments, then re-runs the jobs
            PoolContext ctx = new PoolContext().name(name).workers(2).handler(SleepHandler.class).slab(4096, 2 * JOBS + 8)
                    .classDataSharing(false).readyTimeout(Duration.ofSeconds(60)).journal(ChronicleJobJournal.open(dir));
            try (WorkerPool pool = WorkerPool.start(ctx)) {
                List<CompletableFuture<JobResult>> recovered = pool.recovered();
                assertEquals(expectedTags.size(), recovered.size());
                Set<Long> rerunTags = new TreeSet<>();
                for (CompletableFuture<JobResult> f : recovered) {
                    try (JobResult r = f.get(120, TimeUnit.SECONDS)) {
                        long tag = Long.parseLong(new String(r.reply(), StandardCharsets.UTF_8));
                        assertTrue(rerunTags.add(tag), "tag " + tag + " ran twice");
                        Tensor out = r.output(0);
                        for (int i = 0; i < 4; i++) {
                            assertEquals(2f * (tag + i), out.getFloat(i), "output " + i + " of tag " + tag);
                        }
                    }
                }
                assertEquals(expectedTags, rerunTags);
                try (JobResult r = pool.submit("sleep:1:99".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS)) {
                    assertTrue(r.jobId() > JOBS, "new ids follow the journal's: " + r.jobId());
                }
            }                                                               // closes the journal too

            try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
                assertEquals(List.of(), j.unfinished());
                assertTrue(j.lastJobId() > JOBS, "last id " + j.lastJobId());
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static long tag(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8);
        return Long.parseLong(s.substring(s.lastIndexOf(':') + 1));
    }
}
