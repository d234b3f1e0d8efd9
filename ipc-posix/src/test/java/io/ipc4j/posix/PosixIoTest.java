package io.ipc4j.posix;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PosixIoTest {
    /** Never an open descriptor (above any RLIMIT_NOFILE). */
    private static final int NOT_OPEN = Integer.MAX_VALUE;
    private final List<Integer> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int fd : open) {
            try {
                PosixFiles.close(fd);
            } catch (RuntimeException ignored) {
                // closed by the test already
            }
        }
    }

    private int[] streamPair() {
        int[] sv = PosixSockets.socketpair(PosixSockets.SOCK_STREAM | PosixSockets.SOCK_CLOEXEC);
        open.add(sv[0]);
        open.add(sv[1]);
        return sv;
    }

    @Test
    void nonBlockingReadIsWouldBlockThenDataThenEndOfStream() {
        int[] sv = streamPair();
        assertEquals(0, PosixIo.getFlags(sv[1]) & OpenFlags.O_NONBLOCK);
        PosixIo.setNonBlocking(sv[1], true);
        assertTrue((PosixIo.getFlags(sv[1]) & OpenFlags.O_NONBLOCK) != 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16);
            assertEquals(PosixIo.WOULD_BLOCK, PosixIo.read(sv[1], buf));
            assertEquals(0, PosixIo.poll(sv[1], PosixIo.POLLIN, 0), "nothing to read: poll times out");

            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            out.set(ValueLayout.JAVA_LONG, 0, 42L);
            assertEquals(8, PosixIo.write(sv[0], out));
            assertTrue((PosixIo.poll(sv[1], PosixIo.POLLIN, -1) & PosixIo.POLLIN) != 0);
            assertEquals(8, PosixIo.read(sv[1], buf));
            assertEquals(42L, buf.get(ValueLayout.JAVA_LONG, 0));

            PosixSockets.shutdown(sv[0], PosixSockets.SHUT_WR);
            assertTrue((PosixIo.poll(sv[1], PosixIo.POLLIN | PosixIo.POLLRDHUP, 0) & PosixIo.POLLRDHUP) != 0);
            assertEquals(0, PosixIo.read(sv[1], buf), "end of stream");
            PosixIo.setNonBlocking(sv[1], false);
            assertEquals(0, PosixIo.getFlags(sv[1]) & OpenFlags.O_NONBLOCK);
        }
    }

    @Test
    void writeToAClosedPeerIsPeerClosed() {
        int[] sv = streamPair();
        PosixFiles.close(sv[1]);
        open.remove(Integer.valueOf(sv[1]));
        try (Arena arena = Arena.ofConfined()) {
            PosixException e = assertThrows(PosixException.class, () -> PosixIo.write(sv[0], arena.allocate(1)));
            assertEquals("write", e.call());
            assertEquals(Errno.EPIPE, e.errno());
            assertEquals(IpcException.Reason.PEER_CLOSED, e.reason());
        }
    }

    @Test
    void fcntlFailureNamesTheCallAndCommand() {
        PosixException e = assertThrows(PosixException.class, () -> PosixIo.getFlags(NOT_OPEN));
        assertEquals("fcntl", e.call());
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().contains("F_GETFL"), e.getMessage());
        PosixException d = assertThrows(PosixException.class, () -> PosixIo.dup(NOT_OPEN));
        assertTrue(d.getMessage().contains("F_DUPFD_CLOEXEC"), d.getMessage());
        PosixException s = assertThrows(PosixException.class, () -> PosixIo.setFlags(NOT_OPEN, 0));
        assertTrue(s.getMessage().startsWith("fcntl(fd " + NOT_OPEN + ", F_SETFL"), s.getMessage());
    }

    @Test
    void pollReportsADescriptorThatIsNotOpenAsPollnval() {
        assertTrue((PosixIo.poll(NOT_OPEN, PosixIo.POLLIN, 0) & PosixIo.POLLNVAL) != 0);
    }

    @Test
    void dupGivesANewDescriptorForTheSameFile() throws IOException {
        int fd = PosixShm.memfdCreate("ipc4j-test-dup", PosixShm.MFD_CLOEXEC);
        open.add(fd);
        int copy = PosixIo.dup(fd);
        open.add(copy);
        assertNotEquals(fd, copy);
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)),
                Files.readSymbolicLink(Path.of("/proc/self/fd/" + copy)));
    }
}
