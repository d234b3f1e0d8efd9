package io.ipc4j.benchmarks.idle;

import io.ipc4j.posix.PosixProcess;
import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.semaphores.futex.SharedWord;
import io.ipc4j.semaphores.idle.DoorbellIdleStrategy;
import io.ipc4j.shm.SharedSegment;

import java.lang.foreign.MemorySegment;

/**
 * A consumer with nothing to do: checks a stop word and idles with a {@link DoorbellIdleStrategy}
 * (default budgets: spin, yield, then park on the doorbell). Arguments: parent pid, segment name.
 */
public final class IdleChild {
    private IdleChild() {
    }

    /**
     * @param args parent pid, segment name
     */
    public static void main(String[] args) {
        PosixProcess.setParentDeathSignal(PosixProcess.SIGKILL);
        if (PosixProcess.getppid() != Long.parseLong(args[0])) {
            System.exit(3);
        }
        try (SharedSegment seg = SharedSegment.open(args[1])) {
            MemorySegment m = seg.memory();
            FutexEvent doorbell = FutexEvent.at(m, IdleCpuHarness.DOORBELL);
            DoorbellIdleStrategy idle = new DoorbellIdleStrategy(doorbell);
            SharedWord.INT.getAndAdd(m, IdleCpuHarness.STARTED, 1);
            while ((int) SharedWord.INT.getVolatile(m, IdleCpuHarness.STOP) == 0) {
                idle.idle(0);
            }
        }
    }
}
