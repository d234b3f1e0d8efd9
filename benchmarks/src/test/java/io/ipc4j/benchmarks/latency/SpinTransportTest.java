package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.shm.SharedSegment;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spin protocol in one JVM: the child side runs on a second thread. */
class SpinTransportTest {
    private static final Peer ALWAYS_ALIVE = new Peer() {
        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public String description() {
            return "test parent";
        }
    };

    @Test
    void echoesPayloadAndStops() throws Exception {
        int size = 100; // not a multiple of the slot alignment
        try (ParentEndpoint ep = new SpinTransport().openParent(size, Duration.ofSeconds(10))) {
            String name = ep.childArgs().getFirst();
            AtomicReference<Throwable> childError = new AtomicReference<>();
            Thread child = new Thread(() -> {
                try {
                    new SpinTransport().runChild(ep.childArgs(), ALWAYS_ALIVE, Duration.ofSeconds(10));
                } catch (Throwable t) {
                    childError.set(t);
                }
            }, "spin-child");
            child.start();
            ep.awaitReady(threadPeer(child), Duration.ofSeconds(30));
            try (SharedSegment view = SharedSegment.open(name)) {
                MemorySegment mem = view.memory();
                for (long seq = 1; seq <= 50; seq++) {
                    assertEquals(ParentEndpoint.Status.OK, ep.roundTrip(seq));
                    assertEquals(seq, (long) SpinLayout.LONG.getAcquire(mem, SpinLayout.PONG_SEQ));
                }
                long ping = SpinLayout.pingPayload();
                long pong = SpinLayout.pongPayload(size);
                assertEquals(-1, MemorySegment.mismatch(mem, ping, ping + size, mem, pong, pong + size));
                assertEquals((byte) 99, mem.get(ValueLayout.JAVA_BYTE, pong + 99));
            }
            ep.stop();
            child.join(30_000);
            assertFalse(child.isAlive());
            assertNull(childError.get());
        }
    }

    @Test
    void parentTimesOutWhenChildStopsAnswering() throws Exception {
        try (ParentEndpoint ep = new SpinTransport().openParent(8, Duration.ofMillis(200))) {
            // a "child" that announces readiness and then never answers
            try (SharedSegment view = SharedSegment.open(ep.childArgs().getFirst())) {
                SpinLayout.LONG.setRelease(view.memory(), SpinLayout.PONG_SEQ, SpinLayout.READY);
            }
            ep.awaitReady(ALWAYS_ALIVE, Duration.ofSeconds(5));
            assertEquals(ParentEndpoint.Status.TIMED_OUT, ep.roundTrip(1));
        }
    }

    @Test
    void parentSeesDeadChild() {
        try (ParentEndpoint ep = new SpinTransport().openParent(8, Duration.ofSeconds(30))) {
            IpcException e = assertThrows(IpcException.class, () -> ep.awaitReady(deadPeer(), Duration.ofSeconds(30)));
            assertEquals(IpcException.Reason.PEER_CLOSED, e.reason());
        }
    }

    @Test
    void childGivesUpOnSilentOrDeadParent() {
        try (ParentEndpoint ep = new SpinTransport().openParent(8, Duration.ofSeconds(10))) {
            IpcException silent = assertThrows(IpcException.class,
                    () -> new SpinTransport().runChild(ep.childArgs(), ALWAYS_ALIVE, Duration.ofMillis(100)));
            assertEquals(IpcException.Reason.TIMEOUT, silent.reason());
            IpcException dead = assertThrows(IpcException.class,
                    () -> new SpinTransport().runChild(ep.childArgs(), deadPeer(), Duration.ofSeconds(30)));
            assertEquals(IpcException.Reason.PEER_CLOSED, dead.reason());
        }
    }

    @Test
    void childRejectsForeignSegment() {
        String name = "ipc4j-test-spin-foreign-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (SharedSegment seg = SharedSegment.create(name, 4096)) {
            IpcException e = assertThrows(IpcException.class,
                    () -> new SpinTransport().runChild(List.of(name), ALWAYS_ALIVE, Duration.ofSeconds(1)));
            assertEquals(IpcException.Reason.WRONG_MAGIC, e.reason());
            SpinLayout.writeHeader(seg.memory(), 1 << 20); // claims more payload than the segment holds
            e = assertThrows(IpcException.class,
                    () -> new SpinTransport().runChild(List.of(name), ALWAYS_ALIVE, Duration.ofSeconds(1)));
            assertEquals(IpcException.Reason.CORRUPT, e.reason());
        }
    }

    @Test
    void closeUnlinksAndIsIdempotent() {
        ParentEndpoint ep = new SpinTransport().openParent(8, Duration.ofSeconds(1));
        String name = ep.childArgs().getFirst();
        assertTrue(SharedSegment.exists(name));
        ep.close();
        ep.close();
        assertFalse(SharedSegment.exists(name));
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
