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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream transports (pipe, uds, tcp, framed and raw) against a real child JVM: payloads from
 * 0 bytes to 1 MiB come back intact, the pipe transports survive a child that dies or stays silent
 * before it is ready, and nothing is left behind.
 */
class StreamTransportsTest {
    private Set<String> before;

    @BeforeEach
    void snapshot() throws IOException {
        before = BlockingTransportsTest.leftovers();
    }

    @AfterEach
    void leavesNothingBehind() throws IOException {
        assertEquals(before, BlockingTransportsTest.leftovers(), "/dev/shm or the temp dir changed");
    }

    static Stream<Arguments> transportsAndSizes() {
        List<Arguments> out = new ArrayList<>();
        for (String t : List.of("pipe", "pipe-raw", "uds", "uds-raw", "tcp")) {
            for (int size : new int[] {0, 8, 100, 1 << 20}) {
                out.add(Arguments.of(t, size));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("transportsAndSizes")
    void childJvmEchoesPayloadIntact(String name, int size) throws Exception {
        Transport t = Transports.byName(name);
        try (ParentEndpoint ep = t.openParent(size, Duration.ofSeconds(20))) {
            Process child = spawn(t, ep);
            try {
                ep.attachChild(child);
                ep.awaitReady(peer(child), Duration.ofSeconds(60));
                for (long seq = 1; seq <= 30; seq++) {
                    assertEquals(ParentEndpoint.Status.OK, ep.roundTrip(seq), "round trip " + seq);
                }
                assertReply(((StreamTransport.Endpoint) ep).lastReply(), 30, size);
                ep.stop();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit after stop");
                assertEquals(0, child.exitValue());
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "pipe-raw"})
    void pipeParentSeesChildThatExitsOrStaysSilent(String name) throws Exception {
        Transport t = Transports.byName(name);
        // a process that exits at once: end-of-file on its stdout
        try (ParentEndpoint ep = t.openParent(8, Duration.ofSeconds(10))) {
            Process p = new ProcessBuilder("true").start();
            ep.attachChild(p);
            IpcException e = assertThrows(IpcException.class, () -> ep.awaitReady(peer(p), Duration.ofSeconds(30)));
            assertEquals(IpcException.Reason.PEER_CLOSED, e.reason(), e.getMessage());
        }
        // a live process that never writes: the watchdog kills it and reports a timeout
        try (ParentEndpoint ep = t.openParent(8, Duration.ofSeconds(10))) {
            Process p = new ProcessBuilder("sleep", "60").start();
            try {
                ep.attachChild(p);
                IpcException e = assertThrows(IpcException.class, () -> ep.awaitReady(peer(p), Duration.ofMillis(300)));
                assertEquals(IpcException.Reason.TIMEOUT, e.reason(), e.getMessage());
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the silent child was not killed");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void pipeEndpointNeedsTheChildsStreams() {
        try (ParentEndpoint ep = Transports.byName("pipe").openParent(8, Duration.ofSeconds(1))) {
            IpcException e = assertThrows(IpcException.class, () -> ep.awaitReady(peer(null), Duration.ofSeconds(1)));
            assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason(), e.getMessage());
        }
    }

    @Test
    void namesAndStdioUse() {
        for (String n : List.of("pipe", "pipe-raw")) {
            assertTrue(Transports.byName(n).usesChildStdio(), n);
        }
        for (String n : List.of("uds", "uds-raw", "tcp", "fifo", "spin")) {
            assertFalse(Transports.byName(n).usesChildStdio(), n);
        }
        assertTrue(((StreamTransport) Transports.byName("uds")).framed());
        assertFalse(((StreamTransport) Transports.byName("uds-raw")).framed());
    }

    /** The reply carries {@code seq} and the parent's pattern (byte i = (byte) i after the sequence). */
    static void assertReply(ByteBuffer reply, long seq, int size) {
        assertEquals(Math.max(8, size), reply.remaining());
        assertEquals(seq, reply.getLong(0));
        for (int i = Long.BYTES; i < size; i++) {
            if (reply.get(i) != (byte) i) {
                throw new AssertionError("byte " + i + " of the reply: " + reply.get(i) + ", expected " + (byte) i);
            }
        }
    }

    /** Starts {@link ChildMain} the way {@link LatencyHarness} does (stdio pipes for stdio transports). */
    private static Process spawn(Transport t, ParentEndpoint ep) throws IOException {
        List<String> args = new ArrayList<>(List.of(t.name(), Long.toString(ProcessHandle.current().pid()), "20000"));
        args.addAll(ep.childArgs());
        JvmCommand jvm = JvmCommand.forMain(ChildMain.class);
        if (t.usesChildStdio()) {
            jvm.jvmOptions(LatencyHarness.STDIO_CHILD_JVM_OPTIONS);
        }
        ProcessBuilder pb = new ProcessBuilder(jvm.jvmOptions(LatencyOptions.DEFAULT_CHILD_JVM_OPTIONS)
                .args(args.toArray(String[]::new)).build())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (!t.usesChildStdio()) {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        return pb.start();
    }

    private static Peer peer(Process p) {
        return new Peer() {
            @Override
            public boolean isAlive() {
                return p != null && p.isAlive();
            }

            @Override
            public String description() {
                return p == null ? "no process" : "child (pid " + p.pid() + ")";
            }
        };
    }
}
