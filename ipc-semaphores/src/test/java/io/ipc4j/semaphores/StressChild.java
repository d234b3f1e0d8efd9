package io.ipc4j.semaphores;

import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.semaphores.futex.FutexSemaphore;
import io.ipc4j.semaphores.mutex.LockResult;
import io.ipc4j.semaphores.mutex.ProcessMutex;
import io.ipc4j.shm.SharedSegment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for the cross-process tests. Layout of the shared segment (see {@link Layout}).
 * Modes: {@code semaphore N} (N increments of a plain counter under the semaphore),
 * {@code mutex N} (the same under the mutex), {@code signal N} (N doorbell signals),
 * {@code lock-and-hang} (take the mutex, report, then sleep until killed),
 * {@code wait-doorbell} (park on the doorbell, exit 0 when rung).
 */
public final class StressChild {
    private StressChild() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String mode = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        try (SharedSegment seg = SharedSegment.open(name)) {
            MemorySegment m = seg.memory();
            switch (mode) {
                case "semaphore" -> {
                    FutexSemaphore sem = FutexSemaphore.at(m, Layout.SEMAPHORE);
                    for (int i = 0; i < n; i++) {
                        if (!sem.tryAcquire(30, TimeUnit.SECONDS)) {
                            System.exit(5);
                        }
                        long v = m.get(ValueLayout.JAVA_LONG, Layout.COUNTER);
                        Thread.onSpinWait();
                        m.set(ValueLayout.JAVA_LONG, Layout.COUNTER, v + 1);
                        sem.release();
                    }
                }
                case "mutex" -> {
                    ProcessMutex mutex = ProcessMutex.at(m, Layout.MUTEX);
                    for (int i = 0; i < n; i++) {
                        if (mutex.lock(30, TimeUnit.SECONDS) == LockResult.TIMED_OUT) {
                            System.exit(5);
                        }
                        long v = m.get(ValueLayout.JAVA_LONG, Layout.COUNTER);
                        Thread.onSpinWait();
                        m.set(ValueLayout.JAVA_LONG, Layout.COUNTER, v + 1);
                        mutex.unlock();
                    }
                }
                case "signal" -> {
                    FutexEvent e = FutexEvent.at(m, Layout.EVENT);
                    for (int i = 0; i < n; i++) {
                        e.signal();
                    }
                }
                case "lock-and-hang" -> {
                    ProcessMutex mutex = ProcessMutex.at(m, Layout.MUTEX);
                    mutex.lock();
                    m.set(ValueLayout.JAVA_LONG, Layout.COUNTER, 1L);
                    FutexEvent.at(m, Layout.EVENT).signal();
                    Thread.sleep(TimeUnit.MINUTES.toMillis(2));
                    System.exit(4);
                }
                case "wait-doorbell" -> {
                    FutexEvent e = FutexEvent.at(m, Layout.EVENT);
                    int seen = e.sequence();
                    m.set(ValueLayout.JAVA_LONG, Layout.COUNTER, 1L); // "I am about to sleep"
                    System.exit(e.await(seen, 60, TimeUnit.SECONDS) ? 0 : 6);
                }
                default -> System.exit(2);
            }
        }
    }

    /** Offsets in the test segment. */
    static final class Layout {
        static final long EVENT = 0;
        static final long SEMAPHORE = 64;
        static final long MUTEX = 128;
        static final long COUNTER = 192;
        static final long SIZE = 4096;

        private Layout() {
        }
    }
}
