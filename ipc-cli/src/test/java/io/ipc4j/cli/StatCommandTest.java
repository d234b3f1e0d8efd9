package io.ipc4j.cli;

import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.workerpool.Job;
import io.ipc4j.workerpool.JobHandler;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc4j stat} against a real pool running in this JVM (its workers are real JVMs). */
@ExtendWith(ShmLeakCheck.class)
class StatCommandTest {
    /** Replies nothing. */
    public static final class Noop implements JobHandler {
        /** Created by the worker. */
        public Noop() {
        }

        @Override
        public void handle(Job job) {
        }
    }

    @Test
    void statShowsCountersAndWorkersOfARunningPool() {
        String name = ShmLeakCheck.uniqueName("stat");
        try (WorkerPool pool = WorkerPool.start(new PoolContext().name(name).workers(2).handler(Noop.class)
                .classDataSharing(false))) {
            for (int i = 0; i < 7; i++) {
                pool.submit(new byte[] {1}).join().close();
            }
            CliRun list = CliRun.of("stat");
            assertEquals(0, list.exitCode(), list.toString());
            assertTrue(list.out().contains(name), list.toString());

            CliRun r = CliRun.of("stat", name);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().startsWith("pool " + name + ": running, supervisor pid " + ProcessHandle.current().pid()), r.toString());
            assertTrue(r.out().matches("(?s).*jobs completed +7\\n.*"), r.toString());
            assertTrue(r.out().matches("(?s).*workers ready +2\\n.*"), r.toString());
            assertTrue(r.out().contains("ready"), r.toString());

            CliRun j = CliRun.of("stat", name, "--json");
            assertEquals(0, j.exitCode(), j.toString());
            assertTrue(j.out().contains("\"completed\":7") || j.out().contains("\"completed\": 7"), j.toString());
            assertTrue(j.out().contains("\"supervisor_alive\":true") || j.out().contains("\"supervisor_alive\": true"), j.toString());
        }
        CliRun gone = CliRun.of("stat", name);
        assertEquals(1, gone.exitCode(), gone.toString());
        assertEquals(1, gone.errLines().size(), gone.toString());
        assertTrue(gone.err().contains("no pool named '" + name + "'"), gone.toString());
    }
}
