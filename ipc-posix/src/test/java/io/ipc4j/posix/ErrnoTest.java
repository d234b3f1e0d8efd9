package io.ipc4j.posix;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrnoTest {
    @Test
    void shmOpenOfMissingNameCapturesEnoent() {
        String name = "/ipc4j-test-missing-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        PosixException e = assertThrows(PosixException.class, () -> PosixShm.shmOpen(name, OpenFlags.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT", e.errnoName());
        assertEquals("shm_open", e.call());
        assertEquals(IpcException.Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("shm_open(" + name + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("ENOENT (No such file or directory)"), e.getMessage());
    }

    @Test
    void errnoIsCapturedPerCallNotStale() {
        // a failing call, then one failing differently: each exception carries its own errno
        assertThrows(PosixException.class, () -> PosixFiles.close(-1));
        PosixException e = assertThrows(PosixException.class,
                () -> PosixFiles.open("/proc/self/definitely-not-here", OpenFlags.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
        PosixException bad = assertThrows(PosixException.class, () -> PosixFiles.fstat(-1));
        assertEquals(Errno.EBADF, bad.errno());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, bad.reason());
    }

    @Test
    void namesAndDescriptions() {
        assertEquals("ENOSPC", Errno.name(Errno.ENOSPC));
        assertEquals("errno 4095", Errno.name(4095));
        assertEquals("No space left on device", Errno.describe(Errno.ENOSPC));
        assertEquals(IpcException.Reason.NO_SPACE, PosixException.reasonFor(Errno.ENOSPC));
        assertEquals(IpcException.Reason.ALREADY_EXISTS, PosixException.reasonFor(Errno.EEXIST));
        assertEquals(IpcException.Reason.OS_ERROR, PosixException.reasonFor(4095));
    }
}
