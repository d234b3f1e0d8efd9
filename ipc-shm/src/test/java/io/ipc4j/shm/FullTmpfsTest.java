package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.FsStat;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.shm.testing.TmpfsMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full or too small file system fails at create time with NO_SPACE and leaves nothing behind,
 * instead of a SIGBUS on a later write through the mapping.
 */
@ExtendWith(ShmLeakCheck.class)
class FullTmpfsTest {
    private static final long MIB = 1 << 20;

    @Test
    void tooLargeForTheFileSystem() throws Exception {
        try (TmpfsMount fs = TmpfsMount.mount("1m")) {
            if (fs.isTmpfs()) {
                IpcException e = assertThrows(IpcException.class,
                        () -> SharedSegment.create(fs.directory(), "big", 2 * MIB, 0600));
                assertNoSpace(e, fs.path().toString());
                assertEquals(List.of(), fs.files(), "no file left behind");
            } else {
                // cannot mount: ask /dev/shm for more than it has free
                FsStat shm = PosixFiles.statvfs("/dev/shm");
                String name = ShmLeakCheck.uniqueName("nospace");
                IpcException e = assertThrows(IpcException.class,
                        () -> SharedSegment.create(ShmDirectory.defaultDirectory(), name, shm.availableBytes() + 64 * MIB, 0600));
                assertNoSpace(e, "/dev/shm");
                assertFalse(SharedSegment.exists(name), "no file left behind");
            }
        }
    }

    @Test
    void almostFullThenTheNextCreateFailsCleanly() throws Exception {
        try (TmpfsMount fs = TmpfsMount.mount("1m")) {
            if (!fs.isTmpfs()) {
                return; // needs a file system small enough to fill; covered by tooLargeForTheFileSystem's fallback
            }
            ShmDirectory dir = fs.directory();
            FsStat before = PosixFiles.statvfs(fs.path().toString());
            assertEquals(MIB, before.totalBytes());
            long first = before.availableBytes() - 64 * 1024;
            try (SharedSegment big = SharedSegment.create(dir, "big", first, 0600)) {
                // the whole size was reserved: writing the last byte cannot fault
                big.memory().set(ValueLayout.JAVA_BYTE, first - 1, (byte) 7);
                assertEquals(7, big.memory().get(ValueLayout.JAVA_BYTE, first - 1));

                IpcException e = assertThrows(IpcException.class, () -> SharedSegment.create(dir, "next", 128 * 1024, 0600));
                assertNoSpace(e, fs.path().toString());
                assertEquals(List.of("big"), fs.files(), "the failed create left nothing behind");

                // what still fits, fits
                try (SharedSegment small = SharedSegment.create(dir, "small", 16 * 1024, 0600)) {
                    small.memory().set(ValueLayout.JAVA_LONG, 16 * 1024 - 8, 1L);
                }
                // an unpublished create fails the same way, leaving no temporary name either
                IpcException u = assertThrows(IpcException.class,
                        () -> SharedSegment.createUnpublished(dir, "next", 128 * 1024, 0600));
                assertEquals(IpcException.Reason.NO_SPACE, u.reason());
                assertEquals(List.of("big"), fs.files());
            }
            assertEquals(List.of(), fs.files());
        }
    }

    private static void assertNoSpace(IpcException e, String dir) {
        assertEquals(IpcException.Reason.NO_SPACE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(dir), e.getMessage());
        assertTrue(e.getMessage().contains("free") || e.getMessage().contains("ENOSPC"), e.getMessage());
    }
}
