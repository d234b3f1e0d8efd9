package io.ipc4j.shm.ring;

import io.ipc4j.shm.ring.TestRings.Recorder;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.ipc4j.shm.ring.TestRings.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our rings and Agrona's on the same memory: each reads what the other wrote, over many laps
 * with random lengths (so padding and wrap are crossed many times), and their counters agree.
 */
class AgronaCompatibilityTest {
    private static final int CAPACITY = 4096;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory = TestRings.allocate(arena, CAPACITY);

    @AfterEach
    void close() {
        arena.close();
    }

    private RingBuffer agrona(RingType type) {
        UnsafeBuffer buffer = new UnsafeBuffer(memory.address(), (int) memory.byteSize());
        return type == RingType.ONE_TO_ONE ? new OneToOneRingBuffer(buffer) : new ManyToOneRingBuffer(buffer);
    }

    @Test
    void trailerOffsetsAreAgronas() {
        assertEquals(RingBufferDescriptor.TAIL_POSITION_OFFSET, RingBufferLayout.TAIL_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET, RingBufferLayout.HEAD_CACHE_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_POSITION_OFFSET, RingBufferLayout.HEAD_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.CORRELATION_COUNTER_OFFSET, RingBufferLayout.CORRELATION_COUNTER_OFFSET);
        assertEquals(RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET, RingBufferLayout.CONSUMER_HEARTBEAT_OFFSET);
        assertEquals(RingBufferDescriptor.TRAILER_LENGTH, RingBufferLayout.TRAILER_LENGTH);
        assertEquals(RingBuffer.PADDING_MSG_TYPE_ID, RingBufferLayout.PADDING_MSG_TYPE_ID);
        assertEquals(RingBuffer.INSUFFICIENT_CAPACITY, Ring.INSUFFICIENT_CAPACITY);
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void agronaReadsWhatWeWrite(RingType type) {
        Ring ours = TestRings.initialize(type, memory, CAPACITY);
        RingBuffer theirs = agrona(type);
        assertEquals(ours.maxMessageLength(), theirs.maxMsgLength());
        SplittableRandom rnd = new SplittableRandom(1);
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> got = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        org.agrona.concurrent.MessageHandler collect = (t, buf, off, len) -> {
            byte[] b = new byte[len];
            buf.getBytes(off, b);
            got.add(b);
            types.add(t);
        };
        while (ours.producerPosition() < 40L * CAPACITY) {
            int len = rnd.nextInt(ours.maxMessageLength() + 1);
            byte[] p = pattern(len, sent.size());
            boolean ok;
            if (rnd.nextBoolean()) {
                ok = ours.write(1 + sent.size() % 100, p, 0, len);
            } else {
                long at = ours.tryClaim(1 + sent.size() % 100, len);
                ok = at >= 0;
                if (ok) {
                    MemorySegment.copy(MemorySegment.ofArray(p), 0, ours.buffer(), at, len);
                    ours.commit(at);
                }
            }
            if (ok) {
                sent.add(p);
            } else {
                theirs.read(collect);
            }
        }
        while (theirs.consumerPosition() < theirs.producerPosition()) {
            theirs.read(collect);                                          // a call may consume only padding
        }
        assertEquals(sent.size(), got.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(1 + i % 100, types.get(i));
            assertArrayEquals(sent.get(i), got.get(i), "message " + i);
        }
        assertEquals(ours.producerPosition(), theirs.producerPosition());
        assertEquals(ours.consumerPosition(), theirs.consumerPosition());
        assertEquals(theirs.nextCorrelationId(), ours.nextCorrelationId() - 1);
        theirs.consumerHeartbeatTime(77);
        assertEquals(77, ours.consumerHeartbeatTime());
    }

    @ParameterizedTest
    @EnumSource(RingType.class)
    void weReadWhatAgronaWrites(RingType type) {
        Ring ours = TestRings.initialize(type, memory, CAPACITY);
        RingBuffer theirs = agrona(type);
        SplittableRandom rnd = new SplittableRandom(2);
        List<byte[]> sent = new ArrayList<>();
        Recorder r = new Recorder();
        UnsafeBuffer src = new UnsafeBuffer(new byte[ours.maxMessageLength()]);
        while (theirs.producerPosition() < 40L * CAPACITY) {
            int len = rnd.nextInt(ours.maxMessageLength() + 1);
            byte[] p = pattern(len, sent.size());
            src.putBytes(0, p);
            if (theirs.write(1 + sent.size() % 100, src, 0, len)) {
                sent.add(p);
            } else {
                ours.read(r);
            }
        }
        while (ours.consumerPosition() < ours.producerPosition()) {
            ours.read(r);                                                  // a call may consume only padding
        }
        assertEquals(sent.size(), r.messages.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(1 + i % 100, r.messages.get(i).type());
            assertArrayEquals(sent.get(i), r.messages.get(i).payload(), "message " + i);
        }
        assertEquals(theirs.producerPosition(), ours.producerPosition());
        assertEquals(theirs.consumerPosition(), ours.consumerPosition());
    }

    @Test
    void agronaUnblocksWhatOurProducerLeftClaimed() {
        ManyToOneRing ours = ManyToOneRing.initialize(memory, 0, CAPACITY);
        RingBuffer theirs = agrona(RingType.MANY_TO_ONE);
        long dead = ours.tryClaim(3, 16);
        assertTrue(dead >= 0);
        assertTrue(ours.write(4, pattern(5, 0), 0, 5));
        assertEquals(0, theirs.read((t, b, o, l) -> { }));
        assertTrue(theirs.unblock());
        List<Integer> types = new ArrayList<>();
        assertEquals(1, theirs.read((t, b, o, l) -> types.add(t)));
        assertEquals(List.of(4), types);
    }
}
