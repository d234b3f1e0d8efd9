package io.ipc4j.shm.ring;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.shm.ring.TestRings.Recorder;
import io.ipc4j.shm.testing.ChildJvm;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class SharedRingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String name = ShmLeakCheck.uniqueName("ring");

    @Test
    void openerSeesWhatTheCreatorWroteForBothTypes() {
        for (RingType type : RingType.values()) {
            String n = name + "-" + type.code();
            try (SharedRing created = type == RingType.ONE_TO_ONE ? SharedRing.createOneToOne(n, 4096)
                    : SharedRing.createManyToOne(n, 4096);
                 SharedRing opened = SharedRing.open(n, WAIT)) {
                assertEquals(type, opened.type());
                assertEquals(4096, opened.capacity());
                assertEquals(n, opened.name());
                assertEquals(SharedRingLayout.PAYLOAD_VERSION, opened.segment().header().payloadVersion());
                assertTrue(created.ring().write(3, new byte[]{1, 2, 3}, 0, 3));
                Recorder r = new Recorder();
                assertEquals(1, opened.ring().read(r));
                assertArrayEquals(new byte[]{1, 2, 3}, r.messages.getFirst().payload());
                assertEquals(created.ring().consumerPosition(), opened.ring().producerPosition());
                if (type == RingType.ONE_TO_ONE) {
                    assertEquals(opened.ring(), opened.oneToOne());
                    assertEquals(Reason.WRONG_KIND, assertThrows(IpcException.class, opened::manyToOne).reason());
                } else {
                    assertEquals(opened.ring(), opened.manyToOne());
                    assertEquals(Reason.WRONG_KIND, assertThrows(IpcException.class, opened::oneToOne).reason());
                }
            }
        }
    }

    @Test
    void createRejectsABadCapacityAndLeavesNothing() {
        assertReason(Reason.INVALID_ARGUMENT, () -> SharedRing.createManyToOne(name, 1000));
        assertReason(Reason.INVALID_ARGUMENT, () -> SharedRing.createOneToOne(name, 16));
        assertReason(Reason.NOT_FOUND, () -> SharedRing.open(name, Duration.ZERO));
    }

    @Test
    void openChecksVersionTypeCapacityAndTrailer() {
        long bytes = SharedRingLayout.payloadBytes(1024);
        assertOpenFails(Reason.VERSION_MISMATCH, bytes, 2, p -> writeHeader(p, 2, 1024, bytes - 64));
        assertOpenFails(Reason.CORRUPT, bytes, 1, p -> writeHeader(p, 7, 1024, bytes - 64));        // unknown type
        assertOpenFails(Reason.CORRUPT, bytes, 1, p -> writeHeader(p, 2, 1000, bytes - 64));        // capacity
        assertOpenFails(Reason.CORRUPT, bytes, 1, p -> writeHeader(p, 2, 1024, bytes));             // ring bytes
        assertOpenFails(Reason.CORRUPT, bytes, 1, p -> writeHeader(p, 2, 4096, 4096 + 768));        // too small
        assertOpenFails(Reason.CORRUPT, 32, 1, p -> { });                                           // no header
        assertOpenFails(Reason.CORRUPT, bytes, 1, p -> {                                            // head > tail
            writeHeader(p, 2, 1024, bytes - 64);
            p.set(ValueLayout.JAVA_LONG, 64 + 1024 + RingBufferLayout.HEAD_POSITION_OFFSET, 64);
        });
        try (DescribedSegment other = DescribedSegment.create(name, SegmentKind.GENERIC, bytes)) {
            other.markReady();
            assertReason(Reason.WRONG_KIND, () -> SharedRing.open(name, WAIT));
        }
    }

    private void assertOpenFails(Reason reason, long payloadBytes, int version, Consumer<MemorySegment> init) {
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.RING, payloadBytes,
                CreateOptions.defaults().payloadVersion(version), init)) {
            IpcException e = assertThrows(IpcException.class, () -> SharedRing.open(name, WAIT));
            assertEquals(reason, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertTrue(s.isReady());
        }
    }

    private static void writeHeader(MemorySegment payload, int type, int capacity, long ringBytes) {
        payload.set(ValueLayout.JAVA_INT, SharedRingLayout.TYPE_OFFSET, type);
        payload.set(ValueLayout.JAVA_INT, SharedRingLayout.CAPACITY_OFFSET, capacity);
        payload.set(ValueLayout.JAVA_LONG, SharedRingLayout.RING_BYTES_OFFSET, ringBytes);
    }

    /** Closing unmaps; threads still reading or writing get IllegalStateException, not a crash. */
    @Test
    void closingWhileOtherThreadsUseTheRingFailsThemCleanly() throws Exception {
        SharedRing shared = SharedRing.createManyToOne(name, 1 << 16);
        ManyToOneRing ring = shared.manyToOne();
        CountDownLatch running = new CountDownLatch(2);
        AtomicReference<Throwable> readerEnd = new AtomicReference<>();
        AtomicReference<Throwable> writerEnd = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                running.countDown();
                long sum = 0;
                while (true) {
                    sum += ring.read((t, b, o, l) -> { });
                    Thread.onSpinWait();
                }
            } catch (Throwable t) {
                readerEnd.set(t);
            }
        });
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            try {
                running.countDown();
                byte[] msg = new byte[64];
                while (true) {
                    if (!ring.write(1, msg, 0, msg.length)) {
                        Thread.yield();
                    }
                }
            } catch (Throwable t) {
                writerEnd.set(t);
            }
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        Thread.sleep(50);
        shared.close();
        shared.close();                                                  // idempotent
        reader.join(TimeUnit.SECONDS.toMillis(60));
        writer.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(reader.isAlive() || writer.isAlive(), "both threads ended");
        assertInstanceOf(IllegalStateException.class, readerEnd.get(), String.valueOf(readerEnd.get()));
        assertInstanceOf(IllegalStateException.class, writerEnd.get(), String.valueOf(writerEnd.get()));
    }

    /** 3 producer JVMs, this JVM consuming: each producer's sequence complete and in order. */
    @Test
    void manyProducerProcessesIntoOneConsumer() throws Exception {
        int producers = 3;
        long perProducer = 100_000;
        try (SharedRing shared = SharedRing.createManyToOne(name, 1 << 14)) {
            ManyToOneRing ring = shared.manyToOne();
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int id = 0; id < producers; id++) {
                    children.add(ChildJvm.start(RingChild.class, "produce", name, String.valueOf(id), String.valueOf(perProducer)));
                }
                long[] next = new long[producers];
                MessageHandler check = (type, buf, off, len) -> {
                    int id = buf.get(ValueLayout.JAVA_INT_UNALIGNED, off);
                    long seq = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 4);
                    if (len != 12 || id < 0 || id >= producers || type != id + 1 || seq != next[id]) {
                        throw new AssertionError("producer " + id + " type " + type + " len " + len + " seq " + seq
                                + ", expected " + (id >= 0 && id < producers ? next[id] : -1));
                    }
                    next[id]++;
                };
                long total = producers * perProducer;
                long received = 0;
                long deadline = System.nanoTime() + ChildJvm.GIVE_UP.toNanos() * 2;
                while (received < total && System.nanoTime() < deadline) {
                    int n = ring.read(check);
                    received += n;
                    if (n == 0) {
                        Thread.yield();
                    }
                }
                assertEquals(total, received, "messages received; children: " + children.stream().map(ChildJvm::transcript).toList());
                for (ChildJvm c : children) {
                    assertEquals(0, c.finish(), String.valueOf(c.transcript()));
                }
                assertArrayEquals(new long[]{perProducer, perProducer, perProducer}, next);
                assertEquals(0, ring.read(check));
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    /** A producer JVM claims, is SIGKILLed before committing; unblock() lets the consumer go on. */
    @Test
    void unblockAfterAProducerProcessDiedHoldingAClaim() throws Exception {
        try (SharedRing shared = SharedRing.createManyToOne(name, 4096);
             ChildJvm child = ChildJvm.start(RingChild.class, "claim", name)) {
            ManyToOneRing ring = shared.manyToOne();
            String line = child.expect("CLAIMED ");
            assertTrue(Long.parseLong(line.substring("CLAIMED ".length())) >= 0, line);
            assertTrue(ring.write(1, new byte[]{1}, 0, 1));
            assertTrue(ring.write(2, new byte[]{2}, 0, 1));
            Recorder r = new Recorder();
            assertEquals(0, ring.read(r), "the dead claim blocks the consumer");
            child.kill();
            assertEquals(0, ring.read(r), "still blocked: nobody commits it");
            assertTrue(ring.unblock());
            assertEquals(2, ring.read(r));
            assertTrue(ring.write(3, new byte[]{3}, 0, 1));
            assertEquals(1, ring.read(r));
            assertEquals(List.of(1, 2, 3), r.messages.stream().map(TestRings.Msg::type).toList());
            assertFalse(ring.unblock());
        }
    }

    private static void assertReason(Reason reason, Executable e) {
        IpcException ex = assertThrows(IpcException.class, e);
        assertEquals(reason, ex.reason(), ex.getMessage());
    }
}
