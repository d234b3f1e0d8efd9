package io.ipc4j.posix;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PosixFilesTest {
    private Path dir;

    @BeforeEach
    void makeDir() throws Exception {
        dir = Files.createTempDirectory("ipc4j-test-files-");
    }

    @AfterEach
    void removeDir() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void fstatvfsOfDevShmIsSane() {
        String name = "/ipc4j-test-vfs-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int fd = PosixShm.shmOpen(name, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600);
        try {
            FsStat fs = PosixFiles.fstatvfs(fd);
            assertTrue(fs.blockSize() > 0, fs.toString());
            assertTrue(fs.totalBytes() > 0, fs.toString());
            assertTrue(fs.availableBytes() >= 0 && fs.availableBytes() <= fs.totalBytes(), fs.toString());
            assertEquals(fs.totalBytes(), PosixFiles.statvfs("/dev/shm").totalBytes());

            PosixFiles.ftruncate(fd, 12345);
            FileStat st = PosixFiles.fstat(fd);
            assertEquals(12345, st.size());
            assertTrue(st.isRegularFile());
            assertEquals(0600, st.permissions());
        } finally {
            PosixFiles.close(fd);
            PosixShm.shmUnlink(name);
        }
    }

    @Test
    void fallocateReservesBlocks() {
        String path = dir.resolve("f").toString();
        int fd = PosixFiles.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600);
        try {
            PosixFiles.fallocate(fd, 0, 0, 1 << 16);
            FileStat st = PosixFiles.fstat(fd);
            assertEquals(1 << 16, st.size());
            assertTrue(st.allocated() >= 1 << 16, st.toString());
        } finally {
            PosixFiles.close(fd);
        }
    }

    @Test
    void renameNoReplaceRefusesToClobber() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.writeString(a, "new");
        Files.writeString(b, "old");
        PosixException e = assertThrows(PosixException.class,
                () -> PosixFiles.rename(a.toString(), b.toString(), PosixFiles.RENAME_NOREPLACE));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
        assertEquals("old", Files.readString(b));
        assertEquals("new", Files.readString(a));

        Path c = dir.resolve("c");
        PosixFiles.rename(a.toString(), c.toString(), PosixFiles.RENAME_NOREPLACE);
        assertEquals("new", Files.readString(c));
        assertTrue(Files.notExists(a));

        // without the flag rename replaces, as rename(2) does
        PosixFiles.rename(c.toString(), b.toString(), 0);
        assertEquals("new", Files.readString(b));
    }

    @Test
    void openWithNoFollowRefusesSymlinks() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        PosixException e = assertThrows(PosixException.class,
                () -> PosixFiles.open(link.toString(), OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW, 0));
        assertEquals(Errno.ELOOP, e.errno());
    }

    @Test
    void mkfifoMakesAFifo() throws Exception {
        Path fifo = dir.resolve("fifo");
        PosixFiles.mkfifo(fifo.toString(), 0600);
        int fd = PosixFiles.open(fifo.toString(), OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK, 0);
        try {
            assertTrue(PosixFiles.fstat(fd).isFifo());
        } finally {
            PosixFiles.close(fd);
        }
        PosixFiles.unlink(fifo.toString());
        assertTrue(Files.notExists(fifo));
    }
}
