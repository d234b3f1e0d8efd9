package io.ipc4j.shm;

import io.ipc4j.posix.Futex;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the multi-process tests. Commands (first argument):
 * <ul>
 *   <li>{@code echo DIR NAME}: opens the segment, prints {@code opened}, sleeps on the futex word at
 *       {@link #STATE} until the parent sets it to 1, sums what the parent wrote and replies.</li>
 *   <li>{@code described DIR NAME PAYLOAD_BYTES}: creates a {@link SegmentKind#GENERIC} described
 *       segment without marking it ready, prints {@code created}; on the stdin line {@code ready V}
 *       writes V into the payload and marks it ready, prints {@code ready}; exits (unlinking the
 *       segment) when stdin closes.</li>
 * </ul>
 * Every wait is bounded so a child can never outlive a broken test for long.
 */
public final class ShmChild {
    /** Offset of the futex/state word: 0 initial, 1 parent wrote, 2 child replied. */
    static final long STATE = 0;
    /** Offset of the parent's count of longs at {@link #DATA}. */
    static final long COUNT = 8;
    /** Offset of the child's reply: the sum of the longs. */
    static final long REPLY = 16;
    /** Offset of the parent's data. */
    static final long DATA = 64;

    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ShmChild() {
    }

    /**
     * @param args the command and its arguments
     * @throws Exception on any failure (the exit code is then non-zero)
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo(new ShmDirectory(Path.of(args[1])), args[2]);
            case "described" -> described(new ShmDirectory(Path.of(args[1])), args[2], Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static void echo(ShmDirectory dir, String name) {
        try (SharedSegment seg = SharedSegment.open(dir, name, false)) {
            MemorySegment m = seg.memory();
            System.out.println("opened");
            System.out.flush();
            if (!awaitState(m, 1)) {
                System.out.println("timeout waiting for the parent");
                System.exit(3);
            }
            long n = m.get(ValueLayout.JAVA_LONG, COUNT);
            long sum = 0;
            for (long i = 0; i < n; i++) {
                sum += m.get(ValueLayout.JAVA_LONG, DATA + i * 8);
            }
            m.set(ValueLayout.JAVA_LONG, REPLY, sum);
            INT.setRelease(m, STATE, 2);
            Futex.wake(m, STATE, Integer.MAX_VALUE);
            System.out.println("replied " + sum);
        }
    }

    /**
     * Sleeps on the futex word at {@link #STATE} until it holds {@code want} (bounded).
     *
     * @param m    the segment
     * @param want the value to wait for
     * @return true when seen, false on giving up
     */
    static boolean awaitState(MemorySegment m, int want) {
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        int v;
        while ((v = (int) INT.getAcquire(m, STATE)) != want) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Futex.await(m, STATE, v, TimeUnit.MILLISECONDS.toNanos(100));
        }
        return true;
    }

    private static void described(ShmDirectory dir, String name, long payloadBytes) throws Exception {
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.GENERIC, payloadBytes,
                CreateOptions.defaults().directory(dir))) {
            System.out.println("created");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ready ")) {
                    long v = Long.parseLong(line.substring(6));
                    for (long off = 0; off + 8 <= s.payload().byteSize(); off += 8) {
                        s.payload().set(ValueLayout.JAVA_LONG, off, v + off);
                    }
                    s.markReady();
                    System.out.println("ready");
                    System.out.flush();
                }
            }
        }
    }
}
