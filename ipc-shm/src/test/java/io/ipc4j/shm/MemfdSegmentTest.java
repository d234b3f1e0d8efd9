package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Errno;
import io.ipc4j.posix.PosixException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixIo;
import io.ipc4j.posix.PosixShm;
import io.ipc4j.posix.PosixSockets;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class MemfdSegmentTest {
    /** @return what descriptor {@code fd} of this process refers to, or "" when it is not open */
    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void createdMemoryIsSharedThroughASecondDescriptorAndSizeSealed() throws IOException {
        String label = ShmLeakCheck.uniqueName("memfd");
        int seen;
        int own;
        try (MemfdSegment seg = MemfdSegment.create(label, 1 << 20)) {
            own = seg.fd();
            assertEquals(1 << 20, seg.size());
            assertEquals(label, seg.label());
            assertEquals(MemfdSegment.SIZE_SEALS, seg.seals());
            assertEquals("/memfd:" + label + " (deleted)",
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + seg.fd())).toString());
            assertEquals(1 << 20, PosixFiles.fstat(seg.fd()).allocated(), "every page allocated up front");
            assertTrue(ShmLeakCheck.snapshot().stream().noneMatch(n -> n.contains(label)), "nothing in /dev/shm");
            PosixException shrink = assertThrows(PosixException.class, () -> PosixFiles.ftruncate(seg.fd(), 4096));
            assertEquals(Errno.EPERM, shrink.errno());

            seg.memory().set(ValueLayout.JAVA_LONG, 4096, 0xCAFEBABEL);
            try (MemfdSegment view = MemfdSegment.fromFd(PosixIo.dup(seg.fd()), true)) {
                seen = view.fd();
                assertEquals(label, view.label());
                assertTrue(view.isReadOnly());
                assertEquals(1 << 20, view.size());
                assertEquals(0xCAFEBABEL, view.memory().get(ValueLayout.JAVA_LONG, 4096));
                assertThrows(IllegalArgumentException.class, () -> view.memory().set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
                seg.memory().set(ValueLayout.JAVA_INT, 0, 7);
                assertEquals(7, view.memory().get(ValueLayout.JAVA_INT, 0));
            }
            assertFalse(isOpen(seen), "closing the view closes the descriptor it took");
            seg.close();
            seg.close();
            assertTrue(seg.isClosed());
            assertEquals(IpcException.Reason.CLOSED, assertThrows(IpcException.class, seg::fd).reason());
            assertThrows(IllegalStateException.class, () -> seg.memory().get(ValueLayout.JAVA_INT, 0));
        }
        // the descriptors this test made are closed (a process-wide count is not: other threads of
        // the test JVM open and close descriptors meanwhile, e.g. reaping earlier tests' children)
        assertFalse(target(own).contains(label), "the segment's own descriptor is closed");
    }

    @Test
    void unsealedDescriptorsAreRefusedUnlessTrustedAndAlwaysConsumed() {
        int fd = PosixShm.memfdCreate("ipc4j-test-unsealed", PosixShm.MFD_CLOEXEC | PosixShm.MFD_ALLOW_SEALING);
        PosixFiles.ftruncate(fd, 8192);
        int trusted = PosixIo.dup(fd);
        IpcException e = assertThrows(IpcException.class, () -> MemfdSegment.fromFd(fd, false));
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("not sealed (no seals)"), e.getMessage());
        assertFalse(isOpen(fd), "a refused descriptor is closed");
        try (MemfdSegment seg = MemfdSegment.fromFd(trusted, false, false)) {
            assertEquals(8192, seg.size());
            seg.memory().set(ValueLayout.JAVA_INT, 8188, 5);
        }
        assertFalse(isOpen(trusted));

        int empty = PosixShm.memfdCreate("ipc4j-test-empty", PosixShm.MFD_CLOEXEC);
        IpcException emptyError = assertThrows(IpcException.class, () -> MemfdSegment.fromFd(empty, true, false));
        assertTrue(emptyError.getMessage().contains("empty"), emptyError.getMessage());
        assertFalse(isOpen(empty));

        int socketFd = PosixSockets.socket(PosixSockets.SOCK_STREAM | PosixSockets.SOCK_CLOEXEC);
        IpcException notFile = assertThrows(IpcException.class, () -> MemfdSegment.fromFd(socketFd, true));
        assertTrue(notFile.getMessage().contains("not a regular file"), notFile.getMessage());
        assertFalse(isOpen(socketFd));
    }

    @Test
    void futureWriteSealMakesReceiversReadOnlyWhileTheCreatorKeepsWriting() {
        try (MemfdSegment seg = MemfdSegment.create(ShmLeakCheck.uniqueName("frozen"), 4096)) {
            seg.sealFutureWrites();
            assertEquals(MemfdSegment.SIZE_SEALS | PosixShm.F_SEAL_FUTURE_WRITE, seg.seals());
            IpcException e = assertThrows(IpcException.class, () -> MemfdSegment.fromFd(PosixIo.dup(seg.fd()), false));
            assertEquals(IpcException.Reason.PERMISSION_DENIED, e.reason());
            try (MemfdSegment reader = MemfdSegment.fromFd(PosixIo.dup(seg.fd()), true)) {
                seg.memory().set(ValueLayout.JAVA_INT, 100, 123);
                assertEquals(123, reader.memory().get(ValueLayout.JAVA_INT, 100));
            }
        }
    }

    @Test
    void badArgumentsFailClearly() {
        assertEquals(IpcException.Reason.INVALID_NAME,
                assertThrows(IpcException.class, () -> MemfdSegment.create("a/b", 4096)).reason());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT,
                assertThrows(IpcException.class, () -> MemfdSegment.create("ipc4j-test-zero", 0)).reason());
        IpcException huge = assertThrows(IpcException.class, () -> MemfdSegment.create("ipc4j-test-huge", 1L << 50));
        assertEquals(IpcException.Reason.NO_SPACE, huge.reason());
        assertTrue(huge.getMessage().contains("MemAvailable"), huge.getMessage());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT,
                assertThrows(IpcException.class, () -> MemfdSegment.fromFd(-1, true)).reason());
    }
}
