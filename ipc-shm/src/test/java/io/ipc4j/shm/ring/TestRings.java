package io.ipc4j.shm.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Helpers for ring tests: rings over private native memory, and a handler that records. */
final class TestRings {
    private TestRings() {
    }

    static MemorySegment allocate(Arena arena, int capacity) {
        return arena.allocate(RingBufferLayout.requiredBytes(capacity), RingBufferLayout.REQUIRED_ALIGNMENT);
    }

    static Ring initialize(RingType type, MemorySegment memory, int capacity) {
        return type == RingType.ONE_TO_ONE
                ? OneToOneRing.initialize(memory, 0, capacity)
                : ManyToOneRing.initialize(memory, 0, capacity);
    }

    static Ring wrap(RingType type, MemorySegment memory, int capacity) {
        return type == RingType.ONE_TO_ONE
                ? OneToOneRing.wrap(memory, 0, capacity)
                : ManyToOneRing.wrap(memory, 0, capacity);
    }

    /** One received message, copied. */
    record Msg(int type, byte[] payload) {
    }

    /** Copies every message it is handed. */
    static final class Recorder implements MessageHandler {
        final List<Msg> messages = new ArrayList<>();

        @Override
        public void onMessage(int msgTypeId, MemorySegment buffer, long offset, int length) {
            messages.add(new Msg(msgTypeId, buffer.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        }
    }

    /** Bytes 0..n-1 shifted by seed. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
