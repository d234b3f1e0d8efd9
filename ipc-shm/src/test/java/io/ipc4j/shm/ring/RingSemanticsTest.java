package io.ipc4j.shm.ring;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.ring.TestRings.Msg;
import io.ipc4j.shm.ring.TestRings.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.ipc4j.shm.ring.TestRings.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single-threaded semantics of both rings. */
class RingSemanticsTest {
    private static final int CAPACITY = 1024;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory = TestRings.allocate(arena, CAPACITY);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void layoutMatchesTheDocumentedNumbers() {
        assertEquals(768, RingBufferLayout.TRAILER_LENGTH);
        assertEquals(1024 + 768, RingBufferLayout.requiredBytes(1024));
        assertEquals(128, RingBufferLayout.maxMessageLength(1024));
        assertEquals(16, RingBufferLayout.align(9));
        assertEquals(8, RingBufferLayout.align(8));
        assertEquals(0, RingBufferLayout.align(0));
        for (int bad : new int[]{0, -64, 32, 96, 1000, Integer.MIN_VALUE, 1 << 31 >>> 0, Integer.MAX_VALUE}) {
            assertFalse(RingBufferLayout.isValidCapacity(bad), "capacity " + bad);
            assertEquals(Reason.INVALID_ARGUMENT,
                    assertThrows(IpcException.class, () -> RingBufferLayout.requiredBytes(bad)).reason());
        }
        assertTrue(RingBufferLayout.isValidCapacity(64));
        assertTrue(RingBufferLayout.isValidCapacity(1 << 30));
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void writeThenReadKeepsTypePayloadAndOrder(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        assertEquals(type, ring.type());
        assertEquals(CAPACITY, ring.capacity());
        assertEquals(128, ring.maxMessageLength());
        byte[] a = pattern(20, 1);
        MemorySegment b = arena.allocate(40);
        b.copyFrom(MemorySegment.ofArray(pattern(40, 2)));
        assertTrue(ring.write(7, a, 0, a.length));
        assertTrue(ring.write(9, b, 5, 30));
        assertTrue(ring.write(11, new byte[0], 0, 0));                 // zero-length message
        assertEquals(8 + 24 + 8 + 32 + 8, ring.size());                 // records aligned to 8
        assertEquals(ring.size(), ring.producerPosition());

        Recorder r = new Recorder();
        assertEquals(3, ring.read(r));
        assertEquals(7, r.messages.get(0).type());
        assertArrayEquals(a, r.messages.get(0).payload());
        assertEquals(9, r.messages.get(1).type());
        assertArrayEquals(java.util.Arrays.copyOfRange(pattern(40, 2), 5, 35), r.messages.get(1).payload());
        assertEquals(11, r.messages.get(2).type());
        assertEquals(0, r.messages.get(2).payload().length);
        assertEquals(ring.producerPosition(), ring.consumerPosition());
        assertEquals(0, ring.size());
        assertEquals(0, ring.read(r));
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void fillsToCapacityThenRefusesThenAcceptsAgainAfterReading(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        byte[] payload = pattern(56, 3);                                  // record = 64 bytes
        int written = 0;
        while (ring.write(1, payload, 0, payload.length)) {
            written++;
        }
        // many-to-one: the consumer zeroes, every byte is usable; one-to-one keeps 8 bytes for the zeroed next header
        int expected = type == RingType.MANY_TO_ONE ? CAPACITY / 64 : CAPACITY / 64 - 1;
        assertEquals(expected, written);
        assertEquals(expected * 64, ring.size());
        assertEquals(Ring.INSUFFICIENT_CAPACITY, ring.tryClaim(1, 56));
        if (type == RingType.MANY_TO_ONE) {
            assertFalse(ring.write(1, new byte[0], 0, 0), "a full ring takes nothing");
        } else {
            assertTrue(ring.write(1, new byte[0], 0, 0), "64 bytes left take a zero-length record (8 + 8 spare)");
        }

        Recorder r = new Recorder();
        int read = ring.read(r);
        assertTrue(read >= expected);
        assertTrue(ring.write(1, payload, 0, payload.length));
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void recordThatDoesNotFitBeforeTheEndIsPaddedAndWrittenAtZero(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        byte[] p = pattern(100, 4);                                       // record 108 -> 112 bytes
        for (int i = 0; i < 8; i++) {                                     // 896 bytes
            assertTrue(ring.write(2, p, 0, p.length));
        }
        assertEquals(8, ring.read(new Recorder()));
        // 128 bytes left before the end: one more 112-byte record fits for MPSC and SPSC (112 + 8 <= 128)
        assertTrue(ring.write(3, p, 0, p.length));
        assertEquals(1008, ring.producerPosition());
        // 16 bytes left: the next record pads them and goes to index 0
        long at = ring.tryClaim(4, 100);
        assertEquals(RingBufferLayout.RECORD_HEADER_LENGTH, at);
        assertEquals(1024 + 112, ring.producerPosition());
        MemorySegment buf = ring.buffer();
        assertEquals(16, buf.get(ValueLayout.JAVA_INT, 1008));           // padding record: length 16
        assertEquals(RingBufferLayout.PADDING_MSG_TYPE_ID, buf.get(ValueLayout.JAVA_INT, 1012));
        MemorySegment.copy(MemorySegment.ofArray(p), 0, buf, at, 100);
        ring.commit(at);

        Recorder r = new Recorder();
        int n = ring.read(r);                                             // first call ends at the area's end
        n += ring.read(r);
        assertEquals(2, n);
        assertEquals(List.of(3, 4), r.messages.stream().map(Msg::type).toList());
        assertArrayEquals(p, r.messages.get(1).payload());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void manyLapsOfRandomLengthsArriveIntact(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        SplittableRandom rnd = new SplittableRandom(42);
        List<byte[]> sent = new ArrayList<>();
        Recorder r = new Recorder();
        int seq = 0;
        while (ring.producerPosition() < 50L * CAPACITY) {
            int len = rnd.nextInt(ring.maxMessageLength() + 1);
            byte[] p = pattern(len, seq);
            if (ring.write(1 + seq % 1000, p, 0, len)) {
                sent.add(p);
                seq++;
            } else {
                ring.read(r, 1 + rnd.nextInt(5));
            }
        }
        while (ring.consumerPosition() < ring.producerPosition()) {
            ring.read(r);                                                  // a call may consume only padding
        }
        assertEquals(sent.size(), r.messages.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(1 + i % 1000, r.messages.get(i).type(), "message " + i);
            assertArrayEquals(sent.get(i), r.messages.get(i).payload(), "message " + i);
        }
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void maxLengthIsAcceptedAndArgumentsAreChecked(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        byte[] max = pattern(ring.maxMessageLength(), 5);
        assertTrue(ring.write(1, max, 0, max.length));
        byte[] big = new byte[ring.maxMessageLength() + 1];
        assertThrows(IllegalArgumentException.class, () -> ring.write(1, big, 0, big.length));
        assertThrows(IllegalArgumentException.class, () -> ring.tryClaim(1, big.length));
        assertThrows(IllegalArgumentException.class, () -> ring.tryClaim(1, -1));
        assertThrows(IllegalArgumentException.class, () -> ring.write(0, max, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ring.write(RingBufferLayout.PADDING_MSG_TYPE_ID, max, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.write(1, max, 100, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.write(1, arena.allocate(10), 5, 6));
        long before = ring.producerPosition();
        assertEquals(RingBufferLayout.align(max.length + 8), before, "failed writes claimed nothing");
        Recorder r = new Recorder();
        assertEquals(1, ring.read(r));
        assertArrayEquals(max, r.messages.getFirst().payload());
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void uncommittedClaimBlocksLaterMessagesUntilCommitted(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        long at = ring.tryClaim(5, 8);
        assertTrue(at >= 0);
        assertTrue(ring.write(6, pattern(3, 0), 0, 3));
        Recorder r = new Recorder();
        assertEquals(0, ring.read(r), "the claim blocks the consumer");
        ring.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, at, 0x1122334455667788L);
        ring.commit(at);
        assertEquals(2, ring.read(r));
        assertEquals(5, r.messages.get(0).type());
        assertEquals(0x1122334455667788L, MemorySegment.ofArray(r.messages.get(0).payload()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        assertEquals(6, r.messages.get(1).type());
        assertThrows(IllegalStateException.class, () -> ring.commit(at), "committed twice");
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void abortedClaimIsSkipped(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        long at = ring.tryClaim(5, 16);
        assertTrue(ring.write(6, pattern(3, 0), 0, 3));
        ring.abort(at);
        assertThrows(IllegalStateException.class, () -> ring.abort(at), "aborted twice");
        assertThrows(IllegalStateException.class, () -> ring.commit(at), "committed after abort");
        Recorder r = new Recorder();
        assertEquals(1, ring.read(r));
        assertEquals(6, r.messages.getFirst().type());
        assertEquals(ring.producerPosition(), ring.consumerPosition());
        assertThrows(IllegalArgumentException.class, () -> ring.commit(3));
        assertThrows(IllegalArgumentException.class, () -> ring.commit(0));
        assertThrows(IllegalArgumentException.class, () -> ring.commit(CAPACITY + 8));
        assertThrows(IllegalArgumentException.class, () -> ring.commit(Ring.INSUFFICIENT_CAPACITY));
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void readLimitHandlerFailureCountersAndHeartbeat(RingType type) {
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        for (int i = 1; i <= 5; i++) {
            assertTrue(ring.write(i, new byte[]{(byte) i}, 0, 1));
        }
        Recorder r = new Recorder();
        assertEquals(2, ring.read(r, 2));
        assertEquals(0, ring.read(r, 0));
        IllegalStateException boom = new IllegalStateException("handler failed");
        assertThrows(IllegalStateException.class, () -> ring.read((t, b, o, l) -> {
            throw boom;
        }));
        assertEquals(2, ring.read(r), "the message the handler failed on counts as consumed");
        assertEquals(List.of(1, 2, 4, 5), r.messages.stream().map(Msg::type).toList());

        assertEquals(0, ring.nextCorrelationId());
        assertEquals(1, ring.nextCorrelationId());
        assertEquals(0, ring.consumerHeartbeatTime());
        ring.consumerHeartbeatTime(123456789L);
        assertEquals(123456789L, ring.consumerHeartbeatTime());
        Ring again = TestRings.wrap(type, memory, CAPACITY);              // another view sees the same trailer
        assertEquals(123456789L, again.consumerHeartbeatTime());
        assertEquals(2, again.nextCorrelationId());
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void wrapChecksTheMemory(RingType type) {
        assertReason(Reason.INVALID_ARGUMENT, () -> TestRings.wrap(type, MemorySegment.ofArray(new byte[4096]), 1024));
        assertReason(Reason.INVALID_ARGUMENT, () -> TestRings.wrap(type, memory.asReadOnly(), CAPACITY));
        assertReason(Reason.INVALID_ARGUMENT, () -> TestRings.wrap(type, memory, 2048));           // too small
        assertReason(Reason.INVALID_ARGUMENT, () -> TestRings.wrap(type, memory, 1000));           // not a power of two
        assertReason(Reason.INVALID_ARGUMENT, () -> TestRings.wrap(type, memory, 32));             // below the minimum
        assertReason(Reason.INVALID_ARGUMENT, () -> wrapAt(type, memory, 8, 512));          // misaligned
        assertReason(Reason.INVALID_ARGUMENT, () -> wrapAt(type, memory, -64, 512));
        Arena other = Arena.ofShared();
        MemorySegment gone = TestRings.allocate(other, 64);
        other.close();
        assertReason(Reason.CLOSED, () -> TestRings.wrap(type, gone, 64));
        // a larger segment with the ring at a cache-line aligned offset is fine
        MemorySegment big = arena.allocate(8192, 64);
        Ring ring = type == RingType.ONE_TO_ONE ? OneToOneRing.initialize(big, 128, 1024) : ManyToOneRing.initialize(big, 128, 1024);
        assertEquals(big.address() + 128, ring.buffer().address());
        assertEquals(RingBufferLayout.requiredBytes(1024), ring.buffer().byteSize());
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void wrapRejectsImpossibleTrailers(RingType type) {
        TestRings.initialize(type, memory, CAPACITY);
        long head = CAPACITY + RingBufferLayout.HEAD_POSITION_OFFSET;
        long tail = CAPACITY + RingBufferLayout.TAIL_POSITION_OFFSET;
        long[][] cases = { // head, tail
                {64, 32}, {0, CAPACITY + 8}, {-8, 0}, {0, -8}, {4, 8}, {0, 12}, {Long.MAX_VALUE - 7, 8}};
        for (long[] c : cases) {
            memory.set(ValueLayout.JAVA_LONG, head, c[0]);
            memory.set(ValueLayout.JAVA_LONG, tail, c[1]);
            IpcException e = assertThrows(IpcException.class, () -> TestRings.wrap(type, memory, CAPACITY),
                    "head " + c[0] + ", tail " + c[1]);
            assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
        }
        memory.set(ValueLayout.JAVA_LONG, head, 5 * CAPACITY);
        memory.set(ValueLayout.JAVA_LONG, tail, 6 * CAPACITY);             // exactly full: valid
        TestRings.wrap(type, memory, CAPACITY);
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void corruptRecordThrowsAndStaysPut(RingType type) {
        int[][] badHeaders = {{3, 1}, {CAPACITY + 8, 1}, {Integer.MAX_VALUE, 1}, {16, 0}, {16, -7}};
        for (int[] bad : badHeaders) {
            Ring ring = TestRings.initialize(type, memory, CAPACITY);
            assertTrue(ring.write(1, pattern(8, 0), 0, 8));
            long at = ring.tryClaim(2, 8);
            ring.buffer().set(ValueLayout.JAVA_INT, at - 4, bad[1]);
            ring.buffer().set(ValueLayout.JAVA_INT, at - 8, bad[0]);
            Recorder r = new Recorder();
            IpcException e = assertThrows(IpcException.class, () -> ring.read(r), "header " + bad[0] + "/" + bad[1]);
            assertEquals(Reason.CORRUPT, e.reason());
            assertEquals(1, r.messages.size(), "the good record before it was delivered");
            assertEquals(16, ring.consumerPosition(), "the head stops at the corrupt record");
            assertThrows(IpcException.class, () -> ring.read(r), "and stays there");
        }
    }

    /**
     * Random bytes everywhere (data and positions) while a ring is attached: every operation
     * returns or throws IpcException CORRUPT (or IllegalStateException for commit/abort of
     * what is not a claim), never loops forever or touches memory outside the ring.
     */
    @ParameterizedTest
    @EnumSource(RingType.class)
    void hostileMemoryNeverHangsOrEscapes(RingType type) {
        SplittableRandom rnd = new SplittableRandom(7);
        Ring ring = TestRings.initialize(type, memory, CAPACITY);
        int corrupt = 0;
        for (int round = 0; round < 3000; round++) {
            for (long i = 0; i < CAPACITY; i += 8) {
                long v = rnd.nextInt(4) == 0 ? 0 : rnd.nextLong();
                if (rnd.nextInt(3) == 0) {   // plausible headers
                    v = (rnd.nextInt(-2, 4) & 0xFFFFFFFFL) << 32 | (rnd.nextInt(-CAPACITY, CAPACITY) & 0xFFFFFFFFL);
                }
                memory.set(ValueLayout.JAVA_LONG, i, v);
            }
            for (int off : new int[]{RingBufferLayout.TAIL_POSITION_OFFSET, RingBufferLayout.HEAD_CACHE_POSITION_OFFSET,
                    RingBufferLayout.HEAD_POSITION_OFFSET}) {
                long v = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> rnd.nextLong(0, 100L * CAPACITY);
                    default -> rnd.nextLong(0, 100L * CAPACITY) & ~7L;
                };
                memory.set(ValueLayout.JAVA_LONG, CAPACITY + off, v);
            }
            try {
                switch (round % 5) {
                    case 0, 1 -> ring.read((t, b, o, l) -> {
                        assertTrue(o >= 8 && o + l <= CAPACITY, "message within the data area");
                    });
                    case 2 -> ring.write(1, new byte[24], 0, 24);
                    case 3 -> {
                        long at = ring.tryClaim(1, rnd.nextInt(ring.maxMessageLength() + 1));
                        if (at >= 0) {
                            ring.commit(at);
                        }
                    }
                    default -> {
                        if (ring instanceof ManyToOneRing m) {
                            m.unblock();
                        }
                        ring.size();
                    }
                }
            } catch (IpcException e) {
                assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
                corrupt++;
            }
        }
        assertTrue(corrupt > 0, "random memory was recognised as corrupt at least once");
    }

    private static Ring wrapAt(RingType type, MemorySegment m, long offset, int capacity) {
        return type == RingType.ONE_TO_ONE ? OneToOneRing.wrap(m, offset, capacity) : ManyToOneRing.wrap(m, offset, capacity);
    }

    private static void assertReason(Reason reason, org.junit.jupiter.api.function.Executable e) {
        IpcException ex = assertThrows(IpcException.class, e);
        assertEquals(reason, ex.reason(), ex.getMessage());
    }
}
