package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The futex, hybrid, posix-sem, fifo and socket (uds, uds-raw, tcp) protocols in one JVM (the child side on a second thread):
 * echo, stop, bounded waits on both sides, and cleanup of /dev/shm, semaphores and temp dirs.
 */
class BlockingTransportsTest {
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private Set<String> before;

    @BeforeEach
    void snapshot() throws IOException {
        before = leftovers();
    }

    @AfterEach
    void leavesNothingBehind() throws IOException {
        assertEquals(before, leftovers(), "/dev/shm or the temp dir changed");
    }

    /** Our segments and semaphores in /dev/shm and our FIFO directories in the temp dir. */
    static Set<String> leftovers() throws IOException {
        Set<String> out;
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            out = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("(sem\\.)?ipc4j-bench-[a-z]+-" + PID + "-.*"))
                    .collect(Collectors.toSet());
        }
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(FifoTransport.DIR_PREFIX + PID + "-")
                    || n.startsWith(StreamTransport.DIR_PREFIX + PID + "-")).forEach(out::add);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "hybrid", "posix-sem", "fifo", "uds", "uds-raw", "tcp"})
    void echoesPayloadAndStops(String name) throws Exception {
        Transport t = Transports.byName(name);
        int size = 100; // not a multiple of the slot alignment
        try (ParentEndpoint ep = t.openParent(size, Duration.ofSeconds(10))) {
            Thread child = startChild(t, ep);
            ep.awaitReady(threadPeer(child), Duration.ofSeconds(30));
            for (long seq = 1; seq <= 200; seq++) {
                assertEquals(ParentEndpoint.Status.OK, ep.roundTrip(seq), "round trip " + seq);
            }
            assertEchoed(ep, size);
            ep.stop();
            child.join(30_000);
            assertFalse(child.isAlive());
            assertNull(CHILD_ERROR.get());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "hybrid", "posix-sem", "fifo", "uds", "uds-raw", "tcp"})
    void zeroAndTinyPayloadsWork(String name) throws Exception {
        Transport t = Transports.byName(name);
        for (int size : new int[] {0, 3}) {
            try (ParentEndpoint ep = t.openParent(size, Duration.ofSeconds(10))) {
                Thread child = startChild(t, ep);
                ep.awaitReady(threadPeer(child), Duration.ofSeconds(30));
                for (long seq = 1; seq <= 20; seq++) {
                    assertEquals(ParentEndpoint.Status.OK, ep.roundTrip(seq));
                }
                ep.stop();
                child.join(30_000);
                assertNull(CHILD_ERROR.get());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "hybrid", "posix-sem", "fifo", "uds", "uds-raw", "tcp"})
    void parentSeesChildThatDiesOrFallsSilent(String name) throws Exception {
        Transport t = Transports.byName(name);
        // dead before it was ready
        try (ParentEndpoint ep = t.openParent(8, Duration.ofSeconds(30))) {
            IpcException e = assertThrows(IpcException.class, () -> ep.awaitReady(deadPeer(), Duration.ofSeconds(30)));
            assertEquals(IpcException.Reason.PEER_CLOSED, e.reason(), e.getMessage());
        }
        // never ready (alive but silent)
        try (ParentEndpoint ep = t.openParent(8, Duration.ofSeconds(30))) {
            IpcException e = assertThrows(IpcException.class, () -> ep.awaitReady(alive(), Duration.ofMillis(200)));
            assertEquals(IpcException.Reason.TIMEOUT, e.reason(), e.getMessage());
        }
        // ready, then a round trip whose echo never comes: the child thread ends without answering
        try (ParentEndpoint ep = t.openParent(8, Duration.ofMillis(300))) {
            Thread child = startChild(t, ep);
            ep.awaitReady(alive(), Duration.ofSeconds(30));
            assertEquals(ParentEndpoint.Status.OK, ep.roundTrip(1));
            ep.stop();
            child.join(30_000);
            // the "child" is gone but its peer object says alive: only the timeout can end the wait
            // (for fifo and sockets the child's ends are closed, so end-of-file ends it first)
            ParentEndpoint.Status s = ep.roundTrip(2);
            boolean streams = name.equals("fifo") || t instanceof StreamTransport;
            assertTrue(s == ParentEndpoint.Status.TIMED_OUT || (streams && s == ParentEndpoint.Status.PEER_DEAD),
                    s.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "hybrid", "posix-sem", "fifo", "uds", "uds-raw", "tcp"})
    void childGivesUpOnSilentOrDeadParent(String name) {
        Transport t = Transports.byName(name);
        try (ParentEndpoint ep = t.openParent(8, Duration.ofSeconds(10))) {
            IpcException silent = assertThrows(IpcException.class,
                    () -> t.runChild(ep.childArgs(), alive(), Duration.ofMillis(150)));
            assertEquals(IpcException.Reason.TIMEOUT, silent.reason(), silent.getMessage());
        }
        try (ParentEndpoint ep = t.openParent(8, Duration.ofSeconds(10))) {
            IpcException dead = assertThrows(IpcException.class,
                    () -> t.runChild(ep.childArgs(), deadPeer(), Duration.ofSeconds(30)));
            assertEquals(IpcException.Reason.PEER_CLOSED, dead.reason(), dead.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "hybrid", "posix-sem", "fifo", "uds", "uds-raw"})
    void closeReleasesEverythingAndIsIdempotent(String name) throws IOException {
        ParentEndpoint ep = Transports.byName(name).openParent(8, Duration.ofSeconds(1));
        assertTrue(leftovers().size() > before.size(), "nothing created?");
        ep.close();
        ep.close();
        assertEquals(before, leftovers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "hybrid", "posix-sem"})
    void childRejectsSegmentOfAnotherLayout(String name) {
        String seg = "ipc4j-bench-foreign-" + PID + "-" + System.nanoTime();
        try (DescribedSegment s = DescribedSegment.create(seg, SegmentKind.EVENTS, 4096,
                io.ipc4j.shm.header.CreateOptions.defaults().payloadVersion(EventLayout.VERSION),
                mem -> mem.set(ValueLayout.JAVA_INT, EventLayout.SIZE_OFFSET, 1 << 20))) {
            Transport t = Transports.byName(name);
            java.util.List<String> args = switch (name) {
                case "hybrid" -> java.util.List.of(seg, "10", "1");
                case "posix-sem" -> java.util.List.of(seg, seg + "-a", seg + "-b");
                default -> java.util.List.of(seg);
            };
            IpcException e = assertThrows(IpcException.class, () -> t.runChild(args, alive(), Duration.ofSeconds(1)));
            assertEquals(IpcException.Reason.CORRUPT, e.reason(), e.getMessage());
        }
    }

    private static final AtomicReference<Throwable> CHILD_ERROR = new AtomicReference<>();

    private static Thread startChild(Transport t, ParentEndpoint ep) {
        CHILD_ERROR.set(null);
        Thread child = new Thread(() -> {
            try {
                t.runChild(ep.childArgs(), alive(), Duration.ofSeconds(10));
            } catch (Throwable e) {
                CHILD_ERROR.set(e);
            }
        }, t.name() + "-child");
        child.start();
        return child;
    }

    /** The last echo carried the parent's payload back. */
    private static void assertEchoed(ParentEndpoint ep, int size) {
        if (ep instanceof StreamTransport.Endpoint stream) {
            StreamTransportsTest.assertReply(stream.lastReply(), 200, size);
            return;
        }
        if (ep instanceof FifoTransport.Endpoint fifo) {
            ByteBuffer reply = fifo.lastReply();
            assertEquals(200, reply.getLong(0));
            for (int i = Long.BYTES; i < size; i++) {
                assertEquals((byte) i, reply.get(i), "byte " + i);
            }
            return;
        }
        String seg = ep.childArgs().getFirst();
        try (DescribedSegment view = DescribedSegment.open(seg, SegmentKind.EVENTS, Duration.ofSeconds(1))) {
            MemorySegment mem = view.payload();
            assertEquals(200, mem.get(ValueLayout.JAVA_LONG, EventLayout.PONG_SEQ));
            long ping = EventLayout.pingPayload();
            long pong = EventLayout.pongPayload(size);
            assertEquals(-1, MemorySegment.mismatch(mem, ping, ping + size, mem, pong, pong + size));
            assertEquals((byte) 99, mem.get(ValueLayout.JAVA_BYTE, pong + 99));
        }
    }

    private static Peer alive() {
        return new Peer() {
            @Override
            public boolean isAlive() {
                return true;
            }

            @Override
            public String description() {
                return "test peer";
            }
        };
    }

    private static Peer threadPeer(Thread t) {
        return new Peer() {
            @Override
            public boolean isAlive() {
                return t.isAlive();
            }

            @Override
            public String description() {
                return "thread " + t.getName();
            }
        };
    }

    private static Peer deadPeer() {
        return new Peer() {
            @Override
            public boolean isAlive() {
                return false;
            }

            @Override
            public String description() {
                return "dead peer";
            }
        };
    }
}
