package io.ipc4j.posix;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FutexTest {
    /** Bound on how long any wait in this test may take, so a bug fails the test instead of hanging it. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void valueChangedWhenWordDiffers() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(64, 64);
            mem.set(ValueLayout.JAVA_INT, 8, 7);
            assertEquals(Futex.VALUE_CHANGED, Futex.await(mem, 8, 6, TimeUnit.SECONDS.toNanos(10)));
        }
    }

    @Test
    void timesOutWhenNobodyWakes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(64, 64);
            assertEquals(Futex.TIMED_OUT, Futex.await(mem, 0, 0, TimeUnit.MILLISECONDS.toNanos(5)));
            assertEquals(0, Futex.wake(mem, 0, Integer.MAX_VALUE), "nobody sleeps on the word");
        }
    }

    @Test
    void wakeReleasesASleeperInAnotherThread() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment mem = arena.allocate(64, 64);
            AtomicInteger status = new AtomicInteger(-1);
            Thread sleeper = Thread.ofPlatform().start(() -> status.set(Futex.await(mem, 4, 0, GIVE_UP_NANOS)));
            // wake until the kernel reports it woke someone: then the sleeper was really asleep
            long deadline = System.nanoTime() + GIVE_UP_NANOS;
            int woken = 0;
            while (woken == 0 && sleeper.isAlive() && System.nanoTime() < deadline) {
                woken = Futex.wake(mem, 4, 1);
                if (woken == 0) {
                    Thread.sleep(1);
                }
            }
            sleeper.join(TimeUnit.NANOSECONDS.toMillis(GIVE_UP_NANOS));
            assertFalse(sleeper.isAlive());
            assertEquals(1, woken);
            assertEquals(Futex.WOKEN, status.get());
        }
    }

    @Test
    void handOffByChangingTheWordThenWaking() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment mem = arena.allocate(64, 64);
            AtomicInteger seen = new AtomicInteger();
            Thread waiter = Thread.ofPlatform().start(() -> {
                long deadline = System.nanoTime() + GIVE_UP_NANOS;
                int v;
                while ((v = (int) ValueLayout.JAVA_INT.varHandle().getAcquire(mem, 0L)) == 0
                        && System.nanoTime() < deadline) {
                    Futex.await(mem, 0, 0, TimeUnit.MILLISECONDS.toNanos(100));
                }
                seen.set(v);
            });
            ValueLayout.JAVA_INT.varHandle().setRelease(mem, 0L, 42);
            Futex.wake(mem, 0, Integer.MAX_VALUE);
            waiter.join(TimeUnit.NANOSECONDS.toMillis(GIVE_UP_NANOS) + 1000);
            assertEquals(42, seen.get());
        }
    }

    @Test
    void rejectsMisalignedOrOutOfBoundsWords() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(64, 64);
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(mem, 2, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> Futex.wake(mem, 62, 1));
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(MemorySegment.ofArray(new int[4]), 0, 1));
            assertTrue(Futex.wake(mem, 60, 1) >= 0);
        }
    }
}
