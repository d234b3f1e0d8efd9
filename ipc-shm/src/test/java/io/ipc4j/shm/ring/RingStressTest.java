package io.ipc4j.shm.ring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Concurrency stress: producers send numbered messages, the consumer checks that none is lost,
 * none duplicated and each producer's order is kept. Waits yield (the machine has 2 cores).
 * The timeout only guards against a hang (the whole class takes seconds).
 */
@Timeout(300)
class RingStressTest {
    private static final ValueLayout.OfLong SEQ = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt ID = ValueLayout.JAVA_INT_UNALIGNED;
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void oneToOneTwoThreadsKeepEveryMessageInOrder() throws Exception {
        int capacity = 1 << 16;
        int count = 3_000_000;
        OneToOneRing ring = OneToOneRing.initialize(TestRings.allocate(arena, capacity), 0, capacity);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().daemon().name("spsc-producer").start(() -> {
            try {
                MemorySegment msg = Arena.ofAuto().allocate(32, 8);
                for (long seq = 0; seq < count; seq++) {
                    int len = (int) (seq % 3) * 8 + 8;                     // 8, 16, 24 bytes
                    msg.set(SEQ, 0, seq);
                    if (len > 8) {
                        msg.set(SEQ, 8, ~seq);
                    }
                    if ((seq & 1) == 0) {
                        while (!ring.write(1 + (int) (seq % 7), msg, 0, len)) {
                            Thread.yield();
                        }
                    } else {
                        long at;
                        while ((at = ring.tryClaim(1 + (int) (seq % 7), len)) < 0) {
                            Thread.yield();
                        }
                        MemorySegment.copy(msg, 0, ring.buffer(), at, len);
                        ring.commit(at);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        long[] expected = {0};
        MessageHandler check = (type, buf, off, len) -> {
            long seq = buf.get(SEQ, off);
            if (seq != expected[0] || type != 1 + (int) (seq % 7) || len != (int) (seq % 3) * 8 + 8
                    || (len > 8 && buf.get(SEQ, off + 8) != ~seq)) {
                throw new AssertionError("expected seq " + expected[0] + ", got seq " + seq + " type " + type + " len " + len);
            }
            expected[0]++;
        };
        while (expected[0] < count) {
            if (ring.read(check) == 0) {
                if (failure.get() != null) {
                    break;
                }
                Thread.yield();
            }
        }
        producer.join();
        if (failure.get() != null) {
            fail("producer failed", failure.get());
        }
        assertEquals(count, expected[0]);
        assertEquals(0, ring.read(check), "nothing extra");
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @Test
    void manyToOneThreeProducerThreadsKeepEachProducersOrder() throws Exception {
        int capacity = 1 << 14;
        int producers = 3;
        int perProducer = 400_000;
        ManyToOneRing ring = ManyToOneRing.initialize(TestRings.allocate(arena, capacity), 0, capacity);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().daemon().name("mpsc-producer-" + p).start(() -> {
                try {
                    byte[] msg = new byte[12 + id * 8];
                    MemorySegment m = MemorySegment.ofArray(msg);
                    for (long seq = 0; seq < perProducer; seq++) {
                        m.set(ID, 0, id);
                        m.set(SEQ, 4, seq);
                        if (seq % 10 == 0) {                             // a claim given back is skipped
                            long at;
                            while ((at = ring.tryClaim(1 + id, msg.length)) < 0) {
                                Thread.yield();
                            }
                            ring.abort(at);
                        }
                        if (seq % 3 != 0) {
                            while (!ring.write(1 + id, msg, 0, msg.length)) {
                                Thread.yield();
                            }
                        } else {
                            long at;
                            while ((at = ring.tryClaim(1 + id, msg.length)) < 0) {
                                Thread.yield();
                            }
                            MemorySegment.copy(m, 0, ring.buffer(), at, msg.length);
                            ring.commit(at);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }));
        }
        long[] next = new long[producers];
        MessageHandler check = (type, buf, off, len) -> {
            int id = buf.get(ID, off);
            long seq = buf.get(SEQ, off + 4);
            if (id < 0 || id >= producers || type != 1 + id || len != 12 + id * 8 || seq != next[id]) {
                throw new AssertionError("producer " + id + ": expected seq " + (id >= 0 && id < producers ? next[id] : -1)
                        + ", got " + seq + " (type " + type + ", len " + len + ")");
            }
            next[id]++;
        };
        long total = (long) producers * perProducer;
        long received = 0;
        while (received < total) {
            int n = ring.read(check);
            received += n;
            if (n == 0) {
                if (failure.get() != null) {
                    break;
                }
                Thread.yield();
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            fail("a producer failed", failure.get());
        }
        assertArrayEquals(new long[]{perProducer, perProducer, perProducer}, next);
        assertEquals(0, ring.read(check));
        assertEquals(ring.producerPosition(), ring.consumerPosition());
        assertTrue(ring.consumerPosition() > 10L * capacity, "the ring wrapped many times");
    }
}
