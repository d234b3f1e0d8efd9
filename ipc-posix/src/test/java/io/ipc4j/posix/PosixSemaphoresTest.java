package io.ipc4j.posix;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PosixSemaphoresTest {
    private final String name = "/ipc4j-test-sem-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final Path file = Path.of("/dev/shm/sem." + name.substring(1));

    @AfterEach
    void removeSemaphore() throws Exception {
        Files.deleteIfExists(file);
    }

    @Test
    void openPostTryWaitTimedWaitUnlink() {
        MemorySegment sem = PosixSemaphores.open(name, OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600, 0);
        try {
            assertTrue(Files.exists(file), "glibc keeps named semaphores as /dev/shm/sem.NAME");
            assertEquals(0, PosixSemaphores.value(sem));
            assertFalse(PosixSemaphores.tryWait(sem));
            assertEquals(PosixSemaphores.TIMED_OUT, PosixSemaphores.timedWait(sem, TimeUnit.MILLISECONDS.toNanos(5)));

            PosixSemaphores.post(sem);
            PosixSemaphores.post(sem);
            assertEquals(2, PosixSemaphores.value(sem));
            assertTrue(PosixSemaphores.tryWait(sem));
            assertEquals(PosixSemaphores.ACQUIRED, PosixSemaphores.timedWait(sem, TimeUnit.SECONDS.toNanos(10)));
            assertEquals(0, PosixSemaphores.value(sem));

            // a second handle by name sees the same semaphore
            MemorySegment other = PosixSemaphores.open(name, 0, 0, 0);
            try {
                PosixSemaphores.post(other);
                assertEquals(1, PosixSemaphores.value(sem));
            } finally {
                PosixSemaphores.close(other);
            }
        } finally {
            PosixSemaphores.close(sem);
        }
        PosixSemaphores.unlink(name);
        assertFalse(Files.exists(file));
        PosixException again = assertThrows(PosixException.class, () -> PosixSemaphores.unlink(name));
        assertEquals(Errno.ENOENT, again.errno());
    }

    @Test
    void exclusiveCreateOfExistingFailsWithEexist() {
        MemorySegment sem = PosixSemaphores.open(name, OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600, 1);
        try {
            PosixException e = assertThrows(PosixException.class,
                    () -> PosixSemaphores.open(name, OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600, 1));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
            assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        } finally {
            PosixSemaphores.close(sem);
            PosixSemaphores.unlink(name);
        }
    }

    @Test
    void openingAMissingSemaphoreFails() {
        PosixException e = assertThrows(PosixException.class, () -> PosixSemaphores.open(name, 0, 0, 0));
        assertEquals(Errno.ENOENT, e.errno());
    }
}
