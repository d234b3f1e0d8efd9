package io.ipc4j.shm.testing;

import io.ipc4j.process.ProcessIdentity;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Identities of processes that really ran and are really gone, for liveness tests. */
public final class DeadProcess {
    private DeadProcess() {
    }

    /**
     * Starts {@code sleep}, records its pid and start time, kills it with SIGKILL and reaps it.
     *
     * @return the identity of a process that no longer exists
     */
    public static ProcessIdentity identity() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sleep", "600").start();
        try {
            ProcessIdentity id = ProcessIdentity.of(p.pid()).orElseThrow();
            p.destroyForcibly();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("sleep survived SIGKILL");
            }
            if (id.isAlive()) {
                throw new AssertionError("killed process " + id + " still looks alive");
            }
            return id;
        } finally {
            p.destroyForcibly();
        }
    }
}
