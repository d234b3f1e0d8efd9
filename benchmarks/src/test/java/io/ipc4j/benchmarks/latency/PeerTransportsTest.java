package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.process.JvmCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer transports ({@code aeron-ipc}, {@code chronicle-queue}, {@code java-serialization})
 * against a real child JVM: a few hundred round trips at a small and a 64 KiB payload come back
 * intact, the harness runs each end to end, a dead child ends a round trip, and /dev/shm and the
 * temporary directory are left as found.
 */
class PeerTransportsTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final List<String> PEERS = List.of(AeronTransport.NAME, ChronicleTransport.NAME,
            JavaSerializationTransport.NAME);
    private Set<String> before;

    @BeforeEach
    void snapshot() throws IOException {
        before = leftovers();
    }

    @AfterEach
    void leavesNothingBehind() throws IOException {
        assertEquals(before, leftovers(), "/dev/shm or the temp dir changed");
    }

    /** Our directories in /dev/shm and the temp dir. */
    static Set<String> leftovers() throws IOException {
        Set<String> out;
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            out = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ipc4j-bench-aeron-" + PID + "-") || n.startsWith("ipc4j-bench-chronicle-" + PID + "-"))
                    .collect(Collectors.toSet());
        }
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(JavaSerializationTransport.DIR_PREFIX + PID + "-")
                            || n.startsWith("ipc4j-bench-aeron-" + PID + "-") || n.startsWith("ipc4j-bench-chronicle-" + PID + "-"))
                    .forEach(out::add);
        }
        return out;
    }

    static Stream<Arguments> transportsAndSizes() {
        List<Arguments> out = new ArrayList<>();
        for (String t : PEERS) {
            for (int size : new int[] {100, 64 << 10}) {
                out.add(Arguments.of(t, size));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("transportsAndSizes")
    void childJvmEchoesPayloadIntact(String name, int size) throws Exception {
        Transport t = Transports.byName(name);
        int rounds = 300;
        try (ParentEndpoint ep = t.openParent(size, Duration.ofSeconds(20))) {
            assertTrue(leftovers().size() > before.size(), "the endpoint created no directory?");
            Process child = spawn(t, ep);
            try {
                ep.awaitReady(peer(child), Duration.ofSeconds(60));
                for (long seq = 1; seq <= rounds; seq++) {
                    assertEquals(ParentEndpoint.Status.OK, ep.roundTrip(seq), "round trip " + seq);
                }
                assertEchoed(ep, rounds, size);
                ep.stop();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit after stop");
                assertEquals(0, child.exitValue());
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The last reply carries sequence {@code seq} and exactly the parent's payload. */
    private static void assertEchoed(ParentEndpoint ep, long seq, int size) {
        switch (ep) {
            case AeronTransport.Endpoint a -> assertMessage(a.lastReply(), seq, size);
            case ChronicleTransport.Endpoint c -> assertMessage(c.lastReply(), seq, size);
            case JavaSerializationTransport.Endpoint j -> {
                JavaSerializationTransport.Result r = j.lastResult();
                assertEquals(seq, r.id());
                assertArrayEquals(j.payload(), r.payload());
                assertNotSame(j.payload(), r.payload());
            }
            default -> throw new AssertionError("unexpected endpoint " + ep);
        }
    }

    /** {@code max(8, size)} bytes: {@code seq} little-endian, then byte i = (byte) i. */
    private static void assertMessage(byte[] reply, long seq, int size) {
        assertEquals(Math.max(8, size), reply.length);
        assertEquals(seq, ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        for (int i = Long.BYTES; i < size; i++) {
            if (reply[i] != (byte) i) {
                throw new AssertionError("byte " + i + " of the reply: " + reply[i] + ", expected " + (byte) i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {AeronTransport.NAME, ChronicleTransport.NAME, JavaSerializationTransport.NAME})
    void harnessRunsAndListsTheTransport(String name) {
        LatencyResult r = new LatencyHarness(LatencyOptions.of(name).withMessages(200).withWarmup(50)
                .withPayloadSize(64)).run();
        assertEquals(name, r.transport());
        assertEquals(200, r.messages());
        assertTrue(LatencyResult.table(List.of(r)).contains(name), LatencyResult.table(List.of(r)));
    }

    @ParameterizedTest
    @ValueSource(strings = {AeronTransport.NAME, ChronicleTransport.NAME, JavaSerializationTransport.NAME})
    void deadChildEndsTheRoundTrip(String name) throws Exception {
        Transport t = Transports.byName(name);
        try (ParentEndpoint ep = t.openParent(64, Duration.ofSeconds(20))) {
            Process child = spawn(t, ep);
            try {
                ep.awaitReady(peer(child), Duration.ofSeconds(60));
                assertEquals(ParentEndpoint.Status.OK, ep.roundTrip(1));
                child.destroyForcibly();
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                ParentEndpoint.Status s = ep.roundTrip(2);
                assertEquals(ParentEndpoint.Status.PEER_DEAD, s);
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void rejectsPayloadsBeyondTheirLimits() {
        for (String n : PEERS) {
            IpcException e = assertThrows(IpcException.class,
                    () -> Transports.byName(n).openParent(-1, Duration.ofSeconds(1)), n);
            assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        }
        IpcException e = assertThrows(IpcException.class,
                () -> Transports.byName(AeronTransport.NAME).openParent(AeronTransport.MAX_PAYLOAD + 1, Duration.ofSeconds(1)));
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
    }

    @Test
    void onlyChronicleNeedsJvmOptionsAndTheClassPath() {
        for (Transport t : Transports.all()) {
            boolean chronicle = t.name().equals(ChronicleTransport.NAME);
            assertEquals(chronicle, t.needsClassPath(), t.name());
            assertEquals(chronicle, !t.jvmOptions().isEmpty(), t.name());
        }
        assertTrue(ChronicleTransport.JVM_OPTIONS.contains("-Dchronicle.analytics.disable=true"));
        assertEquals("true", System.getProperty(ChronicleTransport.ANALYTICS_PROPERTY));
        assertTrue(AeronTransport.termLength(4 << 20) >= 8 * (4 << 20));
    }

    /** Starts {@link ChildMain} the way {@link LatencyHarness} does, with the transport's JVM options. */
    private static Process spawn(Transport t, ParentEndpoint ep) throws IOException {
        List<String> args = new ArrayList<>(List.of(t.name(), Long.toString(PID), "20000"));
        args.addAll(ep.childArgs());
        JvmCommand jvm = JvmCommand.forMain(ChildMain.class).jvmOptions(t.jvmOptions());
        return new ProcessBuilder(jvm.jvmOptions(LatencyOptions.DEFAULT_CHILD_JVM_OPTIONS)
                .args(args.toArray(String[]::new)).build())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Peer peer(Process p) {
        return new Peer() {
            @Override
            public boolean isAlive() {
                return p.isAlive();
            }

            @Override
            public String description() {
                return "child (pid " + p.pid() + ")";
            }
        };
    }
}
