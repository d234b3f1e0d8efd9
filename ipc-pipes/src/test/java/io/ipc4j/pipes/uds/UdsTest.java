package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.posix.PosixProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdsTest {
    @TempDir
    Path dir;

    static String uniqueAbstract(String what) {
        return "@ipc4j-test-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    /** Accepts one connection on another thread and echoes its frames until it closes. */
    private static CompletableFuture<PeerCredentials> echoOnce(UdsServer server) {
        return CompletableFuture.supplyAsync(() -> {
            try (UdsConnection c = server.accept()) {
                ByteBuffer f;
                while ((f = c.readFrame()) != null) {
                    c.writeFrame(f);
                }
                return c.peer();
            }
        });
    }

    private void roundTrip(UdsAddress address) throws Exception {
        try (UdsServer server = UdsServer.bind(address)) {
            CompletableFuture<PeerCredentials> served = echoOnce(server);
            try (UdsConnection c = UdsClient.connect(address)) {
                for (int size : new int[]{0, 64, 5000, 200_000}) {
                    byte[] p = new byte[size];
                    new java.util.Random(size).nextBytes(p);
                    c.writeFrame(p);
                    assertArrayEquals(p, bytes(c.readFrame()));
                }
                assertEquals(Identity.self(), c.peer().principal().user(), "the server runs as us");
            }
            PeerCredentials clientSeen = served.get(30, TimeUnit.SECONDS);
            assertEquals(Identity.self(), clientSeen.principal().user(), "same user accepted: " + clientSeen);
            if (address.isAbstract()) {
                assertEquals(PosixProcess.getpid(), clientSeen.pid().orElseThrow());
            }
        }
    }

    @Test
    void framesRoundTripOverAPathSocketAndTheFileIsRemovedOnClose() throws Exception {
        Path p = dir.resolve("s.sock");
        roundTrip(UdsAddress.path(p));
        assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), "server unlinks its socket file");
    }

    @Test
    void framesRoundTripOverAnAbstractName() throws Exception {
        UdsAddress a = UdsAddress.of(uniqueAbstract("rt"));
        assertTrue(a.isAbstract());
        roundTrip(a);
    }

    @Test
    void javaNioCannotAddressAbstractNames() {
        assertThrows(java.nio.file.InvalidPathException.class, () -> UnixDomainSocketAddress.of("\0name"));
    }

    @Test
    void rejectingPolicyClosesTheConnectionWithAClearReason() throws Exception {
        for (UdsAddress address : new UdsAddress[]{UdsAddress.path(dir.resolve("r.sock")), UdsAddress.of(uniqueAbstract("reject"))}) {
            PeerPolicy nobody = PeerPolicy.named("nobody", p -> false);
            try (UdsServer server = UdsServer.bind(address, nobody, 1024)) {
                CompletableFuture<UdsConnection> accepted = CompletableFuture.supplyAsync(server::accept);
                try (UdsConnection c = UdsClient.connect(address)) {
                    Exception e = assertThrows(Exception.class, () -> accepted.get(30, TimeUnit.SECONDS));
                    IpcException ipc = (IpcException) e.getCause();
                    assertEquals(Reason.PERMISSION_DENIED, ipc.reason());
                    assertTrue(ipc.getMessage().contains("rejected (policy: nobody)"), ipc.getMessage());
                    assertTrue(ipc.getMessage().contains("user " + Identity.self().getName()), ipc.getMessage());
                    assertNull(c.readFrame(), "the rejected client sees its connection closed");
                }
                // the server keeps listening after a rejection
                CompletableFuture<UdsConnection> again = CompletableFuture.supplyAsync(server::accept);
                try (UdsConnection c = UdsClient.connect(address)) {
                    assertEquals(Reason.PERMISSION_DENIED,
                            ((IpcException) assertThrows(Exception.class, () -> again.get(30, TimeUnit.SECONDS)).getCause()).reason());
                }
            }
        }
    }

    @Test
    void clientCanRequireTheServersUser() throws Exception {
        UdsAddress a = UdsAddress.of(uniqueAbstract("clientpolicy"));
        try (UdsServer server = UdsServer.bind(a)) {
            CompletableFuture<PeerCredentials> served = echoOnce(server);
            IpcException e = assertThrows(IpcException.class,
                    () -> UdsClient.connect(a, PeerPolicy.users(), 1024));
            assertEquals(Reason.PERMISSION_DENIED, e.reason());
            served.get(30, TimeUnit.SECONDS);
            CompletableFuture<PeerCredentials> served2 = echoOnce(server);
            try (UdsConnection c = UdsClient.connect(a, PeerPolicy.sameUser(), 1024)) {
                c.writeFrame(new byte[]{42});
                assertArrayEquals(new byte[]{42}, bytes(c.readFrame()));
            }
            served2.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path p = dir.resolve("stale.sock");
        // a crashed server: bound, never unlinked (Java does not unlink on close)
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(p));
        }
        assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
        IpcException refused = assertThrows(IpcException.class, () -> UdsClient.connect(UdsAddress.path(p)));
        assertEquals(Reason.NOT_FOUND, refused.reason());
        assertTrue(refused.getMessage().contains("stale"), refused.getMessage());
        roundTrip(UdsAddress.path(p));
    }

    @Test
    void liveServerIsNotReplaced() throws Exception {
        UdsAddress a = UdsAddress.path(dir.resolve("live.sock"));
        try (UdsServer first = UdsServer.bind(a)) {
            IpcException e = assertThrows(IpcException.class, () -> UdsServer.bind(a));
            assertEquals(Reason.ALREADY_EXISTS, e.reason());
            assertTrue(e.getMessage().contains("live server"), e.getMessage());
            // the probe connection reached the first server; it is still the one serving
            try (UdsConnection probe = first.accept()) {
                assertNull(probe.readFrame(), "the probe hung up without a frame");
            }
            CompletableFuture<PeerCredentials> served = echoOnce(first);
            try (UdsConnection c = UdsClient.connect(a)) {
                c.writeFrame(new byte[]{1});
                assertArrayEquals(new byte[]{1}, bytes(c.readFrame()));
            }
            served.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void liveAbstractNameIsNotTaken() {
        UdsAddress a = UdsAddress.of(uniqueAbstract("taken"));
        try (UdsServer first = UdsServer.bind(a)) {
            assertEquals(Reason.ALREADY_EXISTS, assertThrows(IpcException.class, () -> UdsServer.bind(a)).reason());
        }
        UdsServer.bind(a).close();   // free again once the first socket is closed
    }

    @Test
    void somethingElseAtThePathIsNeverDeleted() throws Exception {
        Path file = Files.writeString(dir.resolve("data.sock"), "precious");
        IpcException e = assertThrows(IpcException.class, () -> UdsServer.bind(UdsAddress.path(file)));
        assertEquals(Reason.ALREADY_EXISTS, e.reason());
        assertTrue(e.getMessage().contains("not a socket (a regular file)"), e.getMessage());
        assertEquals("precious", Files.readString(file));

        Path sub = Files.createDirectory(dir.resolve("d.sock"));
        assertEquals(Reason.ALREADY_EXISTS, assertThrows(IpcException.class, () -> UdsServer.bind(UdsAddress.path(sub))).reason());
        assertTrue(Files.isDirectory(sub));

        Path link = Files.createSymbolicLink(dir.resolve("l.sock"), file);
        assertEquals(Reason.ALREADY_EXISTS, assertThrows(IpcException.class, () -> UdsServer.bind(UdsAddress.path(link))).reason());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void connectingToNothingIsNotFound() {
        assertEquals(Reason.NOT_FOUND,
                assertThrows(IpcException.class, () -> UdsClient.connect(UdsAddress.path(dir.resolve("none.sock")))).reason());
        assertEquals(Reason.NOT_FOUND,
                assertThrows(IpcException.class, () -> UdsClient.connect(UdsAddress.of(uniqueAbstract("none")))).reason());
    }

    @Test
    void closingTheServerEndsABlockedAccept() throws Exception {
        for (UdsAddress a : new UdsAddress[]{UdsAddress.path(dir.resolve("c.sock")), UdsAddress.of(uniqueAbstract("close"))}) {
            UdsServer server = UdsServer.bind(a);
            CompletableFuture<UdsConnection> accepting = CompletableFuture.supplyAsync(server::accept);
            Thread.sleep(100);
            server.close();
            Exception e = assertThrows(Exception.class, () -> accepting.get(30, TimeUnit.SECONDS));
            assertEquals(Reason.CLOSED, ((IpcException) e.getCause()).reason());
        }
    }

    @Test
    void addressesAreValidated() {
        assertEquals(Reason.INVALID_NAME, assertThrows(IpcException.class, () -> UdsAddress.of("@")).reason());
        assertEquals(Reason.INVALID_NAME, assertThrows(IpcException.class, () -> UdsAddress.of("@" + "x".repeat(108))).reason());
        assertEquals(Reason.INVALID_NAME, assertThrows(IpcException.class, () -> UdsAddress.of("/tmp/" + "x".repeat(103))).reason());
        assertEquals("@abc", UdsAddress.of("@abc").toString());
        assertEquals("abc", UdsAddress.of("@abc").abstractName());
    }
}
