package io.ipc4j.semaphores;

import io.ipc4j.IpcException;
import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.semaphores.futex.FutexSemaphore;
import io.ipc4j.semaphores.idle.DoorbellIdleStrategy;
import io.ipc4j.shm.SharedSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.ipc4j.shm.testing.ShmLeakCheck;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class FutexPrimitivesTest {
    private SharedSegment seg;
    private MemorySegment m;

    @BeforeEach
    void setUp() {
        seg = SharedSegment.create("ipc4j-test-futex-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), 4096);
        m = seg.memory();
    }

    @AfterEach
    void tearDown() {
        seg.close();
    }

    @Test
    void signalWithoutSleepersMakesNoWakeCall() {
        FutexEvent e = FutexEvent.at(m, 0);
        assertEquals(0, e.sequence());
        assertEquals(0, e.signal());
        assertEquals(1, e.sequence());
        assertEquals(0, e.waiters());
    }

    @Test
    void awaitReturnsAtOnceWhenSequenceMovedAndTimesOutOtherwise() throws Exception {
        FutexEvent e = FutexEvent.at(m, 0);
        int seen = e.sequence();
        e.signal();
        assertTrue(e.await(seen, 1, TimeUnit.SECONDS));
        assertFalse(e.await(e.sequence(), 20, TimeUnit.MILLISECONDS));
        assertEquals(0, e.waiters());
    }

    @Test
    void signalWakesASleepingThread() throws Exception {
        FutexEvent e = FutexEvent.at(m, 64);
        int seen = e.sequence();
        AtomicReference<Boolean> woke = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                woke.set(e.await(seen, 30, TimeUnit.SECONDS));
            } catch (InterruptedException ex) {
                woke.set(false);
            }
        });
        while (e.waiters() == 0) {
            Thread.sleep(1);
        }
        assertEquals(1, e.waiters());
        e.signal();
        t.join(30_000);
        assertEquals(Boolean.TRUE, woke.get());
        assertEquals(0, e.waiters());
    }

    @Test
    void interruptEndsAWait() throws Exception {
        FutexEvent e = FutexEvent.at(m, 0);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                e.await(e.sequence());
            } catch (InterruptedException ex) {
                interrupted.set(true);
            }
        });
        while (e.waiters() == 0) {
            Thread.sleep(1);
        }
        t.interrupt();
        t.join(30_000);
        assertFalse(t.isAlive());
        assertTrue(interrupted.get());
        assertEquals(0, e.waiters());
    }

    @Test
    void badPlacementAndCorruptStateAreRejected() {
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> FutexEvent.at(m, 4)).reason());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> FutexEvent.at(m, 4092)).reason());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> FutexEvent.at(m, -8)).reason());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment heap = MemorySegment.ofArray(new int[16]);
            assertThrows(IpcException.class, () -> FutexSemaphore.at(heap, 0));
            MemorySegment ro = a.allocate(64, 64).asReadOnly();
            assertEquals(IpcException.Reason.PERMISSION_DENIED, assertThrows(IpcException.class, () -> FutexEvent.at(ro, 0)).reason());
        }
        m.set(ValueLayout.JAVA_INT, 4, -3);
        IpcException e = assertThrows(IpcException.class, () -> FutexEvent.at(m, 0));
        assertEquals(IpcException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        m.set(ValueLayout.JAVA_INT, 64, -1);
        assertEquals(IpcException.Reason.CORRUPT, assertThrows(IpcException.class, () -> FutexSemaphore.at(m, 64)).reason());
    }

    @Test
    void semaphoreCountsAndTimesOut() throws Exception {
        FutexSemaphore s = FutexSemaphore.initialize(m, 128, 2);
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire(0, TimeUnit.SECONDS));
        assertFalse(s.tryAcquire());
        assertFalse(s.tryAcquire(20, TimeUnit.MILLISECONDS));
        s.release(3);
        assertEquals(3, s.availablePermits());
        assertThrows(IpcException.class, () -> s.release(Integer.MAX_VALUE));
        assertThrows(IpcException.class, () -> s.release(0));
    }

    @Test
    void semaphoreReleaseWakesABlockedAcquirer() throws Exception {
        FutexSemaphore s = FutexSemaphore.initialize(m, 128, 0);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean got = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                got.set(s.tryAcquire(30, TimeUnit.SECONDS));
            } catch (InterruptedException ignored) {
                // fails the assertion below
            }
        });
        started.await();
        Thread.sleep(20);
        s.release();
        t.join(30_000);
        assertTrue(got.get());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void doorbellIdleStrategyParksAndIsWoken() throws Exception {
        FutexEvent bell = FutexEvent.at(m, 256);
        MemorySegment flag = m.asSlice(512, 8);
        DoorbellIdleStrategy idle = new DoorbellIdleStrategy(bell, 10, 2, TimeUnit.SECONDS.toNanos(30));
        AtomicBoolean sawWork = new AtomicBoolean();
        Thread consumer = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (flag.get(ValueLayout.JAVA_LONG, 0) != 0) {
                    sawWork.set(true);
                    return;
                }
                idle.idle(0);
            }
        });
        while (bell.waiters() == 0) {
            Thread.sleep(1);
        }
        flag.set(ValueLayout.JAVA_LONG, 0, 1L);
        bell.signal();
        consumer.join(30_000);
        assertTrue(sawWork.get());
        assertTrue(idle.parkCount() >= 1);
    }
}
