package io.ipc4j.posix;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PosixSocketsTest {
    private static final int SEQ = PosixSockets.SOCK_SEQPACKET | PosixSockets.SOCK_CLOEXEC;
    private final List<Integer> open = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("ipc4j-test-sock-");
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (int fd : open) {
            try {
                PosixFiles.close(fd);
            } catch (RuntimeException ignored) {
                // closed by the test already
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.delete(dir);
    }

    private int track(int fd) {
        open.add(fd);
        return fd;
    }

    private static int openFdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    private static String linkOf(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    @Test
    void cmsgArithmeticMatchesLp64() {
        assertEquals(16, PosixSockets.cmsgLen(0));
        assertEquals(20, PosixSockets.cmsgLen(1));
        assertEquals(24, PosixSockets.cmsgSpace(1));
        assertEquals(24, PosixSockets.cmsgSpace(2));
        assertEquals(32, PosixSockets.cmsgSpace(3));
        assertEquals(80, PosixSockets.cmsgSpace(16));
    }

    @Test
    void socketPairPassesDescriptorsThatReferToTheSameFiles() throws IOException {
        int[] sv = PosixSockets.socketpair(SEQ);
        track(sv[0]);
        track(sv[1]);
        int a = track(PosixShm.memfdCreate("ipc4j-test-pass-a", PosixShm.MFD_CLOEXEC));
        int b = track(PosixShm.memfdCreate("ipc4j-test-pass-b", PosixShm.MFD_CLOEXEC));
        PosixFiles.ftruncate(a, 4096);
        PosixFiles.ftruncate(b, 8192);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom("hello", StandardCharsets.US_ASCII);
            assertEquals(out.byteSize(), PosixSockets.sendmsg(sv[0], out, new int[] {a, b}, PosixSockets.MSG_NOSIGNAL));
            MemorySegment in = arena.allocate(64);
            ReceivedMessage m = PosixSockets.recvmsg(sv[1], in, 4, PosixSockets.MSG_CMSG_CLOEXEC);
            for (int fd : m.fds()) {
                track(fd);
            }
            assertEquals(out.byteSize(), m.bytes());
            assertEquals("hello", in.getString(0, StandardCharsets.US_ASCII));
            assertEquals(2, m.fds().length);
            assertFalse(m.isTruncated());
            // new descriptor numbers, same files
            assertNotEquals(a, m.fds()[0]);
            assertEquals(linkOf(a), linkOf(m.fds()[0]));
            assertEquals(4096, PosixFiles.fstat(m.fds()[0]).size());
            assertEquals(8192, PosixFiles.fstat(m.fds()[1]).size());
        }
    }

    @Test
    void tooManyDescriptorsIsAnErrorAndClosesWhatArrived() throws IOException {
        int[] sv = PosixSockets.socketpair(SEQ);
        track(sv[0]);
        track(sv[1]);
        int[] many = new int[5];
        for (int i = 0; i < many.length; i++) {
            many[i] = track(PosixShm.memfdCreate("ipc4j-test-many", PosixShm.MFD_CLOEXEC));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(1);
            PosixSockets.sendmsg(sv[0], one, many, PosixSockets.MSG_NOSIGNAL);
            int before = openFdCount();
            // room for 1 descriptor: CMSG_SPACE(4) = 24 bytes, into which the kernel fits 2 -> MSG_CTRUNC
            IpcException e = assertThrows(IpcException.class,
                    () -> PosixSockets.recvmsg(sv[1], arena.allocate(16), 1, PosixSockets.MSG_CMSG_CLOEXEC));
            assertEquals(IpcException.Reason.TOO_LARGE, e.reason());
            assertTrue(e.getMessage().contains("closed the 2 that arrived"), e.getMessage());
            assertEquals(before, openFdCount(), "received descriptors must be closed");

            // within the kernel's rounding but over the limit asked for: refused as well
            PosixSockets.sendmsg(sv[0], one, new int[] {many[0], many[1]}, PosixSockets.MSG_NOSIGNAL);
            e = assertThrows(IpcException.class,
                    () -> PosixSockets.recvmsg(sv[1], arena.allocate(16), 1, PosixSockets.MSG_CMSG_CLOEXEC));
            assertEquals(IpcException.Reason.TOO_LARGE, e.reason());
            assertEquals(before, openFdCount());

            // descriptors where none are accepted: refused, not silently dropped
            PosixSockets.sendmsg(sv[0], one, new int[] {many[0]}, PosixSockets.MSG_NOSIGNAL);
            assertThrows(IpcException.class,
                    () -> PosixSockets.recvmsg(sv[1], arena.allocate(16), 0, PosixSockets.MSG_CMSG_CLOEXEC));
            assertEquals(before, openFdCount());
        }
    }

    @Test
    void seqpacketReportsTruncationAndEndOfStream() {
        int[] sv = PosixSockets.socketpair(SEQ);
        track(sv[0]);
        track(sv[1]);
        try (Arena arena = Arena.ofConfined()) {
            PosixSockets.sendmsg(sv[0], arena.allocate(100), new int[0], PosixSockets.MSG_NOSIGNAL);
            ReceivedMessage m = PosixSockets.recvmsg(sv[1], arena.allocate(10), 0, 0);
            assertEquals(10, m.bytes());
            assertTrue(m.isTruncated());
            PosixSockets.shutdown(sv[0], PosixSockets.SHUT_WR);
            assertTrue((PosixIo.poll(sv[1], PosixIo.POLLIN, 0) & PosixIo.POLLIN) != 0);
            assertTrue(PosixSockets.recvmsg(sv[1], arena.allocate(10), 0, 0).isEndOfStream());
        }
    }

    @Test
    void nothingToReadIsEagainOrAPollTimeout() {
        int[] sv = PosixSockets.socketpair(SEQ);
        track(sv[0]);
        track(sv[1]);
        assertEquals(0, PosixIo.poll(sv[1], PosixIo.POLLIN, 20));
        try (Arena arena = Arena.ofConfined()) {
            PosixException e = assertThrows(PosixException.class,
                    () -> PosixSockets.recvmsg(sv[1], arena.allocate(8), 0, PosixSockets.MSG_DONTWAIT));
            assertEquals(Errno.EAGAIN, e.errno());
        }
    }

    @Test
    void sendToAClosedPeerIsPeerClosed() {
        int[] sv = PosixSockets.socketpair(SEQ);
        track(sv[0]);
        PosixFiles.close(sv[1]);
        try (Arena arena = Arena.ofConfined()) {
            PosixException e = assertThrows(PosixException.class,
                    () -> PosixSockets.sendmsg(sv[0], arena.allocate(1), new int[0], PosixSockets.MSG_NOSIGNAL));
            assertEquals(IpcException.Reason.PEER_CLOSED, e.reason());
            assertEquals(Errno.EPIPE, e.errno());
        }
    }

    @Test
    void pathBindListenConnectAcceptAndPeerCredentials() {
        Path sock = dir.resolve("s");
        UnixAddress addr = UnixAddress.path(sock);
        int listener = track(PosixSockets.socket(SEQ | PosixSockets.SOCK_NONBLOCK));
        PosixSockets.bind(listener, addr);
        assertTrue(Files.exists(sock));
        PosixSockets.listen(listener, 4);
        assertEquals(PosixIo.WOULD_BLOCK, PosixSockets.accept(listener, PosixSockets.SOCK_CLOEXEC), "nothing pending: EAGAIN");

        int client = track(PosixSockets.socket(SEQ));
        PosixSockets.connect(client, addr);
        assertTrue((PosixIo.poll(listener, PosixIo.POLLIN, -1) & PosixIo.POLLIN) != 0);
        int server = track(PosixSockets.accept(listener, PosixSockets.SOCK_CLOEXEC));
        assertTrue(server >= 0);

        PeerCredentials peer = PosixSockets.peerCredentials(server);
        assertEquals(ProcessHandle.current().pid(), peer.pid());
        assertEquals(PosixSockets.effectiveUid(), peer.uid());

        // a second bind to the same path fails while the file exists
        int other = track(PosixSockets.socket(SEQ));
        PosixException e = assertThrows(PosixException.class, () -> PosixSockets.bind(other, addr));
        assertEquals(Errno.EADDRINUSE, e.errno());
    }

    @Test
    void abstractNamesNeedNoFileAndUseTheExactLength() throws IOException {
        String name = "ipc4j-test-abstract-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        UnixAddress addr = UnixAddress.abstractName(name);
        int listener = track(PosixSockets.socket(SEQ));
        PosixSockets.bind(listener, addr);
        PosixSockets.listen(listener, 4);
        // the kernel lists it with its exact length: no trailing NUL bytes after the name
        String table = Files.readString(Path.of("/proc/net/unix"));
        assertTrue(table.contains(" @" + name + "\n"), "not listed as @" + name);

        // a name that is a prefix of it is a different address
        int client = track(PosixSockets.socket(SEQ));
        PosixException refused = assertThrows(PosixException.class,
                () -> PosixSockets.connect(client, UnixAddress.abstractName(name.substring(0, name.length() - 1))));
        assertEquals(Errno.ECONNREFUSED, refused.errno());
        int client2 = track(PosixSockets.socket(SEQ));
        PosixSockets.connect(client2, addr);
        int server = track(PosixSockets.accept(listener, PosixSockets.SOCK_CLOEXEC));
        assertEquals(ProcessHandle.current().pid(), PosixSockets.peerCredentials(server).pid());
        PosixFiles.close(listener);
        open.remove(Integer.valueOf(listener));
        // the name is free again as soon as its socket is closed
        int again = track(PosixSockets.socket(SEQ));
        PosixSockets.bind(again, addr);
    }

    @Test
    void addressLengthLimits() {
        String ok = "/tmp/" + "x".repeat(UnixAddress.MAX_BYTES - 5);
        assertEquals(UnixAddress.MAX_BYTES, ok.length());
        UnixAddress.path(ok);
        IpcException e = assertThrows(IpcException.class, () -> UnixAddress.path(ok + "y"));
        assertEquals(IpcException.Reason.INVALID_NAME, e.reason());
        assertTrue(e.getMessage().contains("108 bytes long"), e.getMessage());
        UnixAddress.abstractName("a".repeat(107));
        assertThrows(IpcException.class, () -> UnixAddress.abstractName("a".repeat(108)));
        assertThrows(IpcException.class, () -> UnixAddress.path(""));
        assertThrows(IpcException.class, () -> UnixAddress.abstractName("a\0b"));
        // multi-byte characters count as their UTF-8 bytes
        assertThrows(IpcException.class, () -> UnixAddress.abstractName("\u00e9".repeat(54)));
        assertEquals("@x", UnixAddress.abstractName("x").toString());
    }

    @Test
    void longestPathBindsAndConnects() throws IOException {
        // fill the path up to exactly 107 bytes inside the test directory
        String prefix = dir.toString() + "/";
        String path = prefix + "p".repeat(UnixAddress.MAX_BYTES - prefix.length());
        assertEquals(UnixAddress.MAX_BYTES, path.getBytes(StandardCharsets.UTF_8).length);
        int listener = track(PosixSockets.socket(SEQ));
        PosixSockets.bind(listener, UnixAddress.path(path));
        PosixSockets.listen(listener, 1);
        assertTrue(Files.exists(Path.of(path)));
        int client = track(PosixSockets.socket(SEQ));
        PosixSockets.connect(client, UnixAddress.path(path));
    }

    @Test
    void memfdSeals() {
        int fd = track(PosixShm.memfdCreate("ipc4j-test-seal", PosixShm.MFD_CLOEXEC | PosixShm.MFD_ALLOW_SEALING));
        assertEquals(0, PosixShm.getSeals(fd));
        PosixFiles.ftruncate(fd, 4096);
        PosixShm.addSeals(fd, PosixShm.F_SEAL_SHRINK | PosixShm.F_SEAL_GROW);
        assertEquals(PosixShm.F_SEAL_SHRINK | PosixShm.F_SEAL_GROW, PosixShm.getSeals(fd));
        PosixException e = assertThrows(PosixException.class, () -> PosixFiles.ftruncate(fd, 100));
        assertEquals(Errno.EPERM, e.errno());
        int unsealable = track(PosixShm.memfdCreate("ipc4j-test-noseal", PosixShm.MFD_CLOEXEC));
        assertEquals(PosixShm.F_SEAL_SEAL, PosixShm.getSeals(unsealable));
        int[] sv = PosixSockets.socketpair(SEQ);
        track(sv[0]);
        track(sv[1]);
        assertEquals(-1, PosixShm.getSeals(sv[0]));
    }

    @Test
    void socketTypesRoundTripBytesOverStream() {
        int[] sv = PosixSockets.socketpair(PosixSockets.SOCK_STREAM | PosixSockets.SOCK_CLOEXEC);
        track(sv[0]);
        track(sv[1]);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            out.set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
            PosixSockets.sendmsg(sv[0], out, new int[0], PosixSockets.MSG_NOSIGNAL);
            MemorySegment in = arena.allocate(ValueLayout.JAVA_LONG);
            ReceivedMessage m = PosixSockets.recvmsg(sv[1], in, 0, 0);
            assertEquals(8, m.bytes());
            assertArrayEquals(new int[0], m.fds());
            assertEquals(0x1122334455667788L, in.get(ValueLayout.JAVA_LONG, 0));
        }
    }
}
