package io.ipc4j.semaphores;

import io.ipc4j.IpcException;
import io.ipc4j.semaphores.posix.PosixNamedSemaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.ipc4j.shm.testing.ShmLeakCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class PosixNamedSemaphoreTest {
    private static String unique() {
        return "ipc4j-test-sem-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void createOpenPostWaitAndUnlinkOnClose() throws Exception {
        String name = unique();
        try (PosixNamedSemaphore owner = PosixNamedSemaphore.create(name, 1)) {
            assertTrue(Files.exists(Path.of("/dev/shm/sem." + name)));
            try (PosixNamedSemaphore other = PosixNamedSemaphore.open(name)) {
                assertTrue(other.tryAcquire());
                assertFalse(other.tryAcquire());
                assertFalse(other.tryAcquire(20, TimeUnit.MILLISECONDS));
                owner.release();
                assertEquals(1, other.availablePermits());
                assertTrue(other.tryAcquire(1, TimeUnit.SECONDS));
            }
            assertEquals(IpcException.Reason.ALREADY_EXISTS,
                    assertThrows(IpcException.class, () -> PosixNamedSemaphore.create(name, 0)).reason());
        }
        assertFalse(Files.exists(Path.of("/dev/shm/sem." + name)));
        assertEquals(IpcException.Reason.NOT_FOUND, assertThrows(IpcException.class, () -> PosixNamedSemaphore.open(name)).reason());
        assertEquals(IpcException.Reason.INVALID_NAME, assertThrows(IpcException.class, () -> PosixNamedSemaphore.open("a/b")).reason());
    }

    @Test
    void pythonPostsThroughLibcSemOpen() throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        String name = unique();
        try (PosixNamedSemaphore sem = PosixNamedSemaphore.create(name, 0)) {
            String script = String.join("\n",
                    "import ctypes, sys",
                    "libc = ctypes.CDLL(None, use_errno=True)",
                    "libc.sem_open.restype = ctypes.c_void_p",
                    "libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int]",
                    "s = libc.sem_open(b'/' + sys.argv[1].encode(), 0)",
                    "assert s not in (None, 0), ctypes.get_errno()",
                    "libc.sem_post.argtypes = [ctypes.c_void_p]",
                    "for _ in range(3): assert libc.sem_post(s) == 0",
                    "");
            Process p = new ProcessBuilder(python, "-c", script, name).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            for (int i = 0; i < 3; i++) {
                assertTrue(sem.tryAcquire(10, TimeUnit.SECONDS));
            }
            assertFalse(sem.tryAcquire());
        }
    }
}
