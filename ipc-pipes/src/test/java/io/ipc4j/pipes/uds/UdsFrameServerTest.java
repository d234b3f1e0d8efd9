package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdsFrameServerTest {
    private static final int CLIENTS = 1000;

    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static long openFileLimit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    @Test
    void oneSelectorThreadServesAThousandConcurrentClients() throws Exception {
        long limit = openFileLimit();
        Assumptions.assumeTrue(limit >= 2 * CLIENTS + 200, "this test needs " + (2 * CLIENTS + 200)
                + " descriptors (1,000 clients + 1,000 server sides + the JVM's own); the soft limit (ulimit -n) is " + limit);
        Path p = dir.resolve("echo.sock");
        List<UdsConnection> clients = new ArrayList<>(CLIENTS);
        try (UdsFrameServer server = UdsFrameServer.start(p, (session, frame) -> session.send(frame))) {
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(UdsClient.connect(UdsAddress.path(p)));
                }
                await(() -> server.connectionCount() == CLIENTS, "1,000 connections on the server (now " + server.connectionCount() + ")");
                // every client sends before any reads: 1,000 requests in flight on one thread
                for (int i = 0; i < CLIENTS; i++) {
                    clients.get(i).writeFrame(ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, i));
                }
                for (int i = 0; i < CLIENTS; i++) {
                    ByteBuffer echo = clients.get(i).readFrame();
                    assertEquals(64, echo.remaining());
                    assertEquals(i, echo.getInt(echo.position()), "client " + i + " got its own echo (frames read little-endian)");
                }
                assertEquals(CLIENTS, server.peakConnectionCount());
                assertEquals(CLIENTS, server.connectionCount(), "all still connected after the echoes");
                assertEquals(CLIENTS, server.frameCount());
            } finally {
                clients.forEach(UdsConnection::close);
            }
            await(() -> server.connectionCount() == 0, "the server to see every client leave");
            assertNull(server.failure());
        }
        assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), "socket file removed on close");
    }

    @Test
    void rejectedPeersAreClosedAndCounted() throws Exception {
        Path p = dir.resolve("reject.sock");
        try (UdsFrameServer server = UdsFrameServer.start(p, PeerPolicy.users(), 1024, (s, f) -> s.send(f))) {
            try (UdsConnection c = UdsClient.connect(UdsAddress.path(p))) {
                assertNull(c.readFrame(), "closed by the server");
            }
            assertEquals(1, server.rejectedCount());
            assertEquals(0, server.peakConnectionCount());
        }
    }

    @Test
    void oversizedFrameEndsOnlyThatSessionWithTheReason() throws Exception {
        Path p = dir.resolve("big.sock");
        CompletableFuture<IpcException> closedWith = new CompletableFuture<>();
        UdsFrameServer.Handler echo = new UdsFrameServer.Handler() {
            @Override
            public void onFrame(UdsFrameServer.Session session, ByteBuffer frame) {
                session.send(frame);
            }

            @Override
            public void onClose(UdsFrameServer.Session session, IpcException cause) {
                closedWith.complete(cause);
            }
        };
        try (UdsFrameServer server = UdsFrameServer.start(p, PeerPolicy.sameUser(), 100, echo);
             UdsConnection good = UdsClient.connect(UdsAddress.path(p));
             UdsConnection bad = UdsClient.connect(UdsAddress.path(p), PeerPolicy.anyUser(), 1 << 20)) {
            bad.writeFrame(new byte[101]);
            IpcException cause = closedWith.get(30, TimeUnit.SECONDS);
            assertEquals(Reason.TOO_LARGE, cause.reason());
            // disconnected: a clean end of stream, or a reset when the server closed with the
            // offender's unread bytes still in its receive buffer
            try {
                assertNull(bad.readFrame(), "the offender is disconnected");
            } catch (IpcException reset) {
                assertEquals(Reason.PEER_CLOSED, reset.reason(), reset.getMessage());
            }
            assertFalse(bad.isOpen() && bad.readFrame() != null);
            good.writeFrame(new byte[100]);
            assertEquals(100, good.readFrame().remaining(), "others keep being served");
        }
    }

    @Test
    void secondServerOnALivePathIsRefused() {
        Path p = dir.resolve("twice.sock");
        try (UdsFrameServer first = UdsFrameServer.start(p, (s, f) -> s.send(f))) {
            assertEquals(Reason.ALREADY_EXISTS,
                    assertThrows(IpcException.class, () -> UdsFrameServer.start(p, (s, f) -> s.send(f))).reason());
            assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
        }
    }
}
