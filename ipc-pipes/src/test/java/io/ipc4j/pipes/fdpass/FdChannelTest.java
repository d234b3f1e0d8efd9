package io.ipc4j.pipes.fdpass;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixShm;
import io.ipc4j.posix.UnixAddress;
import io.ipc4j.shm.MemfdSegment;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class FdChannelTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private Path dir;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("ipc4j-test-fdpass-");
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static int openFdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    static boolean isOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static String abstractName(String what) {
        return "ipc4j-test-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    /** Sends a memfd through a pair, maps the received copy, and closes everything. */
    private static void passOneSegment() {
        try (FdChannel.Pair pair = FdChannel.pair();
             MemfdSegment seg = MemfdSegment.create(ShmLeakCheck.uniqueName("pair"), 1 << 16)) {
            seg.memory().set(ValueLayout.JAVA_LONG, 8, 0x0123456789ABCDEFL);
            pair.first().send("segment", seg.fd());
            try (FdMessage m = pair.second().receive(LONG)) {
                assertEquals("segment", m.text());
                assertEquals(1, m.fds().count());
                try (MemfdSegment received = MemfdSegment.fromFd(m.fds().claim(0), false)) {
                    assertEquals(seg.size(), received.size());
                    assertEquals(0x0123456789ABCDEFL, received.memory().get(ValueLayout.JAVA_LONG, 8));
                    received.memory().set(ValueLayout.JAVA_INT, 0, 99);
                    assertEquals(99, seg.memory().get(ValueLayout.JAVA_INT, 0));
                }
            }
        }
    }

    @Test
    void pairPassesAMemfdAndLeaksNoDescriptors() throws IOException {
        passOneSegment(); // warm up: class loading may open files once
        int before = openFdCount();
        for (int i = 0; i < 3; i++) {
            passOneSegment();
        }
        assertEquals(before, openFdCount(), "descriptors leaked");
    }

    @Test
    void receivedFdsCloseWhatWasNotClaimed() throws IOException {
        try (FdChannel.Pair pair = FdChannel.pair()) {
            int a = PosixShm.memfdCreate("ipc4j-test-a", PosixShm.MFD_CLOEXEC);
            int b = PosixShm.memfdCreate("ipc4j-test-b", PosixShm.MFD_CLOEXEC);
            int c = PosixShm.memfdCreate("ipc4j-test-c", PosixShm.MFD_CLOEXEC);
            try {
                pair.first().send(ByteBuffer.wrap(new byte[] {1, 2, 3}), a, b, c);
            } finally {
                PosixFiles.close(a);
                PosixFiles.close(b);
                PosixFiles.close(c);
            }
            int kept;
            int dropped;
            try (FdMessage m = pair.second().receive(LONG)) {
                assertArrayEquals(new byte[] {1, 2, 3}, m.data());
                assertEquals(3, m.fds().count());
                kept = m.fds().claim(1);
                dropped = m.fds().peek(0);
                assertThrows(IllegalStateException.class, () -> m.fds().claim(1));
                assertTrue(m.fds().isClaimed(1));
                assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + kept)).toString(), "/memfd:ipc4j-test-b (deleted)");
            }
            assertFalse(isOpen(dropped), "unclaimed descriptor closed with the message");
            assertTrue(isOpen(kept), "claimed descriptor stays open");
            PosixFiles.close(kept);
        }
    }

    @Test
    void limitsAreEnforcedWithClearErrors() {
        try (FdChannel.Pair pair = FdChannel.pair()) {
            int fd = PosixShm.memfdCreate("ipc4j-test-limit", PosixShm.MFD_CLOEXEC);
            try {
                int[] seventeen = new int[FdChannel.MAX_FDS + 1];
                java.util.Arrays.fill(seventeen, fd);
                IpcException many = assertThrows(IpcException.class, () -> pair.first().send("x", seventeen));
                assertEquals(IpcException.Reason.TOO_LARGE, many.reason());
                assertTrue(many.getMessage().contains("at most 16"), many.getMessage());
                // the same descriptor sixteen times is fine: the receiver gets sixteen descriptors
                int[] sixteen = java.util.Arrays.copyOf(seventeen, FdChannel.MAX_FDS);
                pair.first().send("x", sixteen);
                try (FdMessage m = pair.second().receive(LONG)) {
                    assertEquals(16, m.fds().count());
                }
                IpcException empty = assertThrows(IpcException.class, () -> pair.first().send(new byte[0], fd));
                assertEquals(IpcException.Reason.INVALID_ARGUMENT, empty.reason());
                IpcException big = assertThrows(IpcException.class,
                        () -> pair.first().send(new byte[FdChannel.MAX_MESSAGE_BYTES + 1]));
                assertEquals(IpcException.Reason.TOO_LARGE, big.reason());
                IpcException bad = assertThrows(IpcException.class, () -> pair.first().send("x", 1_000_000));
                assertEquals(IpcException.Reason.INVALID_ARGUMENT, bad.reason());
                // the largest message goes through intact
                byte[] largest = new byte[FdChannel.MAX_MESSAGE_BYTES];
                largest[largest.length - 1] = 42;
                pair.first().send(largest);
                try (FdMessage m = pair.second().receive(LONG)) {
                    assertArrayEquals(largest, m.data());
                }
            } finally {
                PosixFiles.close(fd);
            }
        }
    }

    @Test
    void receiveTimesOutAndThenSeesThePeerClose() {
        try (FdChannel.Pair pair = FdChannel.pair()) {
            IpcException timeout = assertThrows(IpcException.class, () -> pair.second().receive(Duration.ofMillis(20)));
            assertEquals(IpcException.Reason.TIMEOUT, timeout.reason());
            assertEquals(IpcException.Reason.TIMEOUT,
                    assertThrows(IpcException.class, () -> pair.second().receive(Duration.ZERO)).reason());
            pair.first().send("last words");
            pair.first().close();
            try (FdMessage m = pair.second().receive(LONG)) {
                assertEquals("last words", m.text(), "messages sent before closing are still delivered");
            }
            IpcException gone = assertThrows(IpcException.class, () -> pair.second().receive(LONG));
            assertEquals(IpcException.Reason.PEER_CLOSED, gone.reason());
            IpcException sendGone = assertThrows(IpcException.class, () -> pair.second().send("anyone?"));
            assertEquals(IpcException.Reason.PEER_CLOSED, sendGone.reason());
            IpcException closed = assertThrows(IpcException.class, () -> pair.first().send("x"));
            assertEquals(IpcException.Reason.CLOSED, closed.reason());
        }
    }

    @Test
    void aSenderWhosePeerDoesNotReadTimesOut() {
        try (FdChannel.Pair pair = FdChannel.pair()) {
            pair.first().sendTimeout(Duration.ofMillis(20));
            byte[] chunk = new byte[FdChannel.MAX_MESSAGE_BYTES];
            IpcException e = assertThrows(IpcException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    pair.first().send(chunk);
                }
            });
            assertEquals(IpcException.Reason.TIMEOUT, e.reason());
        }
    }

    @Test
    void closeWakesAWaitingReceiverAndAcceptor() throws Exception {
        FdChannel.Pair pair = FdChannel.pair();
        CompletableFuture<Throwable> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                pair.second().receive(LONG);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        FdListener listener = FdListener.listen(UnixAddress.abstractName(abstractName("wake")));
        CompletableFuture<Throwable> acceptor = CompletableFuture.supplyAsync(() -> {
            try {
                listener.accept(LONG).close();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(50); // let both start waiting (the outcome is the same if they have not)
        pair.second().close();
        listener.close();
        Throwable r = receiver.get(LONG.toSeconds(), TimeUnit.SECONDS);
        Throwable a = acceptor.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertEquals(IpcException.Reason.CLOSED, assertInstanceOf(IpcException.class, r).reason());
        assertEquals(IpcException.Reason.CLOSED, assertInstanceOf(IpcException.class, a).reason());
        assertEquals(IpcException.Reason.PEER_CLOSED,
                assertThrows(IpcException.class, () -> pair.first().receive(LONG)).reason());
        pair.close();
    }

    @Test
    void pathListenerAcceptsSameUserAndRemovesItsSocketFile() throws IOException {
        Path sock = dir.resolve("fd.sock");
        UnixAddress address = UnixAddress.path(sock);
        try (FdListener listener = FdListener.listen(address)) {
            assertTrue(Files.exists(sock));
            IpcException taken = assertThrows(IpcException.class, () -> FdListener.listen(address));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, taken.reason());
            try (FdChannel client = FdChannel.connect(address, LONG);
                 FdChannel server = listener.accept(LONG)) {
                assertEquals(ProcessHandle.current().pid(), server.peer().pid());
                assertEquals(ProcessHandle.current().pid(), client.peer().pid());
                client.send("ping");
                try (FdMessage m = server.receive(LONG)) {
                    assertEquals("ping", m.text());
                }
            }
        }
        assertFalse(Files.exists(sock), "socket file removed on close");
    }

    @Test
    void staleSocketFilesAreReplacedButOtherFilesAreNot() throws IOException {
        Path sock = dir.resolve("stale.sock");
        // a socket file whose listener is gone: bind without listening, then close
        int s = io.ipc4j.posix.PosixSockets.socket(FdChannel.SOCKET_TYPE);
        io.ipc4j.posix.PosixSockets.bind(s, UnixAddress.path(sock));
        PosixFiles.close(s);
        assertTrue(Files.exists(sock));
        try (FdListener listener = FdListener.listen(UnixAddress.path(sock));
             FdChannel client = FdChannel.connect(UnixAddress.path(sock), LONG);
             FdChannel server = listener.accept(LONG)) {
            assertEquals(client.peer().pid(), server.peer().pid());
        }
        Path file = Files.writeString(dir.resolve("notasocket"), "keep me");
        IpcException e = assertThrows(IpcException.class, () -> FdListener.listen(UnixAddress.path(file)));
        assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void abstractListenerTurnsAwayPeersTheRuleRejects() {
        UnixAddress address = UnixAddress.abstractName(abstractName("reject"));
        try (FdListener listener = FdListener.listen(address)) {
            try (FdChannel client = FdChannel.connect(address, LONG)) {
                IpcException e = assertThrows(IpcException.class,
                        () -> listener.accept(Duration.ofMillis(50), peer -> false));
                assertEquals(IpcException.Reason.TIMEOUT, e.reason());
                assertTrue(e.getMessage().contains("turned away 1 peer"), e.getMessage());
                assertEquals(IpcException.Reason.PEER_CLOSED,
                        assertThrows(IpcException.class, () -> client.receive(LONG)).reason());
            }
            try (FdChannel client = FdChannel.connect(address, LONG);
                 FdChannel server = listener.accept(LONG)) {
                server.send("welcome");
                try (FdMessage m = client.receive(LONG)) {
                    assertEquals("welcome", m.text());
                }
            }
        }
    }

    @Test
    void aClientThatSentAndLeftBeforeTheAcceptIsStillHeard() throws IOException {
        UnixAddress address = UnixAddress.abstractName(abstractName("early"));
        try (FdListener listener = FdListener.listen(address)) {
            int fd = PosixShm.memfdCreate("ipc4j-test-early", PosixShm.MFD_CLOEXEC);
            try (FdChannel client = FdChannel.connect(address, LONG)) {
                client.send("fire and forget", fd);
            } finally {
                PosixFiles.close(fd);
            }
            try (FdChannel ghost = FdChannel.connect(address, LONG)) {
                assertFalse(ghost.isClosed()); // connects and leaves without a word: skipped by accept
            }
            try (FdChannel server = listener.accept(LONG)) {
                try (FdMessage m = server.receive(LONG)) {
                    assertEquals("fire and forget", m.text());
                    assertEquals("/memfd:ipc4j-test-early (deleted)",
                            Files.readSymbolicLink(Path.of("/proc/self/fd/" + m.fds().peek(0))).toString());
                }
                assertEquals(IpcException.Reason.PEER_CLOSED,
                        assertThrows(IpcException.class, () -> server.receive(LONG)).reason());
            }
            assertEquals(IpcException.Reason.TIMEOUT,
                    assertThrows(IpcException.class, () -> listener.accept(Duration.ofMillis(20))).reason(),
                    "the silent connection was not handed out");
        }
    }

    @Test
    void connectGivesUpWhenNobodyListens() {
        UnixAddress nobody = UnixAddress.abstractName(abstractName("nobody"));
        IpcException once = assertThrows(IpcException.class, () -> FdChannel.connect(nobody, Duration.ZERO));
        assertEquals(IpcException.Reason.PEER_CLOSED, once.reason()); // ECONNREFUSED
        IpcException waited = assertThrows(IpcException.class, () -> FdChannel.connect(nobody, Duration.ofMillis(30)));
        assertEquals(IpcException.Reason.TIMEOUT, waited.reason());
        IpcException missing = assertThrows(IpcException.class,
                () -> FdChannel.connect(UnixAddress.path(dir.resolve("missing.sock")), Duration.ZERO));
        assertEquals(IpcException.Reason.NOT_FOUND, missing.reason());
    }

    @Test
    void utf8TextRoundTrips() {
        try (FdChannel.Pair pair = FdChannel.pair()) {
            pair.second().send("gr\u00fc\u00df dich");
            try (FdMessage m = pair.first().receive(LONG)) {
                assertEquals("gr\u00fc\u00df dich", new String(m.data(), StandardCharsets.UTF_8));
                assertTrue(m.fds().isEmpty());
            }
        }
    }
}
