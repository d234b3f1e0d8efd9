package io.ipc4j.benchmarks.jmh;

import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ring.ManyToOneRing;
import io.ipc4j.shm.ring.MessageHandler;
import io.ipc4j.shm.ring.OneToOneRing;
import io.ipc4j.shm.ring.RingBufferLayout;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Ring throughput, one producer thread and one consumer thread in the same JVM, 64-byte messages:
 * our {@link OneToOneRing} / {@link ManyToOneRing} (MemorySegment + VarHandles) against Agrona's
 * {@code OneToOneRingBuffer} / {@code ManyToOneRingBuffer} over an {@code UnsafeBuffer} on the
 * same kind of memory (a fresh named shared segment per trial, same capacity). The figure to reach
 * is ours &gt;= 0.9x Agrona.
 *
 * <p>Read the {@code messages} rows: messages the consumer received per microsecond (a JMH
 * auxiliary counter). The raw group score also counts the producer's attempts on a full ring
 * and the consumer's empty polls, so it is not the throughput. With 2 threads busy-spinning, the
 * machine needs 2 idle cores for a meaningful figure.
 * The two-thread groups are bimodal on this 2-core VM: a fork (or part of one) can fall into a
 * slow state, about 4-5 messages/us with the consumer polling about twice per message, for Agrona
 * as well as for ours; compare several forks ({@code -f 3}) and the per-iteration rows before
 * reading one fork's average as a difference between the implementations.
 *
 * <p>The {@code *Batch} benchmarks run on one thread: each operation writes {@link #BATCH}
 * messages (copied from a byte[]; {@code *ClaimBatch}: claimed, one word stored in place,
 * committed) and reads them back. They measure the cost of the code paths without the cache-line
 * transfers and scheduling of two threads, so they stay comparable on a busy machine
 * (score x {@link #BATCH} = messages per microsecond).
 *
 * <p>The {@code *OfferPoll} benchmarks are the smallest unit: one thread writes one message and
 * reads it back (read limit 1) per operation, reported in nanoseconds per pair; ours and Agrona's
 * run on the same kind of memory (each its own shared segment), so read them as a ratio.
 *
 * <p>Run: {@code ./ipc4j jmh RingThroughput}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RingThroughputBenchmark {
    private static final int MESSAGE_TYPE = 1;
    /** Messages per operation of the single-thread {@code *Batch} benchmarks. */
    public static final int BATCH = 64;

    /** One ring per benchmark group (both implementations over a fresh shared segment). */
    @State(Scope.Group)
    public static class Rings {
        /** Data-area capacity in bytes. */
        @Param("65536")
        public int capacity;
        /** Payload bytes per message. */
        @Param("64")
        public int messageLength;

        SharedSegment segment;
        OneToOneRing oursOneToOne;
        ManyToOneRing oursManyToOne;
        RingBuffer agronaOneToOne;
        RingBuffer agronaManyToOne;

        /** Creates the segment and initialises the ring in it. */
        @Setup(Level.Trial)
        public void setUp() {
            long bytes = RingBufferLayout.requiredBytes(capacity);
            segment = SharedSegment.create("ipc4j-bench-ring-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), bytes);
            MemorySegment mem = segment.memory();
            // each group uses exactly one of these; all start from zeroed memory
            oursOneToOne = OneToOneRing.initialize(mem, 0, capacity);
            oursManyToOne = ManyToOneRing.wrap(mem, 0, capacity);
            UnsafeBuffer buffer = new UnsafeBuffer(mem.address(), (int) bytes);
            agronaOneToOne = new OneToOneRingBuffer(buffer);
            agronaManyToOne = new ManyToOneRingBuffer(buffer);
        }

        /** Unmaps and unlinks the segment. */
        @TearDown(Level.Trial)
        public void tearDown() {
            segment.close();
        }
    }

    /** Per-thread source bytes and counters (messages: consumer; failures: producer). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** Messages the consumer received. */
        public long messages;
        /** Producer attempts refused because the ring was full. */
        public long full;
        byte[] src;
        UnsafeBuffer agronaSrc;
        MessageHandler oursHandler;
        org.agrona.concurrent.MessageHandler agronaHandler;
        /** Where the consumer's handler sums the first word of each message (per thread: no false sharing). */
        long sink;

        /**
         * Prepares the source message and the handlers.
         *
         * @param rings the group's rings
         */
        @Setup(Level.Iteration)
        public void setUp(Rings rings) {
            if (src == null) {
                src = new byte[rings.messageLength];
                agronaSrc = new UnsafeBuffer(src);
                oursHandler = (type, buf, off, len) -> sink += buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
                agronaHandler = (type, buf, off, len) -> sink += buf.getLong(off);
            }
            messages = 0;
            full = 0;
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("oneToOneOurs")
    @GroupThreads(1)
    public void oneToOneOursProduce(Rings r, Counters c) {
        if (!r.oursOneToOne.write(MESSAGE_TYPE, c.src, 0, c.src.length)) {
            c.full++;
            Thread.onSpinWait();
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("oneToOneOurs")
    @GroupThreads(1)
    public void oneToOneOursConsume(Rings r, Counters c) {
        int n = r.oursOneToOne.read(c.oursHandler);
        c.messages += n;
        if (n == 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("oneToOneAgrona")
    @GroupThreads(1)
    public void oneToOneAgronaProduce(Rings r, Counters c) {
        if (!r.agronaOneToOne.write(MESSAGE_TYPE, c.agronaSrc, 0, c.src.length)) {
            c.full++;
            Thread.onSpinWait();
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("oneToOneAgrona")
    @GroupThreads(1)
    public void oneToOneAgronaConsume(Rings r, Counters c) {
        int n = r.agronaOneToOne.read(c.agronaHandler);
        c.messages += n;
        if (n == 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("manyToOneOurs")
    @GroupThreads(1)
    public void manyToOneOursProduce(Rings r, Counters c) {
        if (!r.oursManyToOne.write(MESSAGE_TYPE, c.src, 0, c.src.length)) {
            c.full++;
            Thread.onSpinWait();
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("manyToOneOurs")
    @GroupThreads(1)
    public void manyToOneOursConsume(Rings r, Counters c) {
        int n = r.oursManyToOne.read(c.oursHandler);
        c.messages += n;
        if (n == 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("manyToOneAgrona")
    @GroupThreads(1)
    public void manyToOneAgronaProduce(Rings r, Counters c) {
        if (!r.agronaManyToOne.write(MESSAGE_TYPE, c.agronaSrc, 0, c.src.length)) {
            c.full++;
            Thread.onSpinWait();
        }
    }

    /**
     * @param r ring
     * @param c counters
     */
    @Benchmark
    @Group("manyToOneAgrona")
    @GroupThreads(1)
    public void manyToOneAgronaConsume(Rings r, Counters c) {
        int n = r.agronaManyToOne.read(c.agronaHandler);
        c.messages += n;
        if (n == 0) {
            Thread.onSpinWait();
        }
    }

    /** Rings for the single-thread batch benchmarks (each benchmark thread has its own). */
    @State(Scope.Thread)
    public static class Solo {
        /** Data-area capacity in bytes. */
        @Param("65536")
        public int capacity;
        /** Payload bytes per message. */
        @Param("64")
        public int messageLength;

        SharedSegment oursSegment;
        SharedSegment agronaSegment;
        OneToOneRing oursOneToOne;
        ManyToOneRing oursManyToOne;
        RingBuffer agronaOneToOne;
        RingBuffer agronaManyToOne;
        byte[] src;
        UnsafeBuffer agronaSrc;
        MessageHandler oursHandler;
        org.agrona.concurrent.MessageHandler agronaHandler;
        long sink;

        /** Creates two segments (one-to-one at offset 0, many-to-one after it, in each). */
        @Setup(Level.Trial)
        public void setUp() {
            long ringBytes = RingBufferLayout.requiredBytes(capacity);
            String base = "ipc4j-bench-ringsolo-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            oursSegment = SharedSegment.create(base + "-ours", 2 * ringBytes);
            agronaSegment = SharedSegment.create(base + "-agrona", 2 * ringBytes);
            oursOneToOne = OneToOneRing.initialize(oursSegment.memory(), 0, capacity);
            oursManyToOne = ManyToOneRing.initialize(oursSegment.memory(), ringBytes, capacity);
            long a = agronaSegment.memory().address();
            agronaOneToOne = new OneToOneRingBuffer(new UnsafeBuffer(a, (int) ringBytes));
            agronaManyToOne = new ManyToOneRingBuffer(new UnsafeBuffer(a + ringBytes, (int) ringBytes));
            src = new byte[messageLength];
            agronaSrc = new UnsafeBuffer(src);
            oursHandler = (type, buf, off, len) -> sink += buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
            agronaHandler = (type, buf, off, len) -> sink += buf.getLong(off);
        }

        /** Unmaps and unlinks the segments. */
        @TearDown(Level.Trial)
        public void tearDown() {
            oursSegment.close();
            agronaSegment.close();
        }
    }

    /**
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int oneToOneOursBatch(Solo s) {
        for (int i = 0; i < BATCH; i++) {
            s.oursOneToOne.write(MESSAGE_TYPE, s.src, 0, s.src.length);
        }
        return s.oursOneToOne.read(s.oursHandler) + s.oursOneToOne.read(s.oursHandler);
    }

    /**
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int oneToOneAgronaBatch(Solo s) {
        for (int i = 0; i < BATCH; i++) {
            s.agronaOneToOne.write(MESSAGE_TYPE, s.agronaSrc, 0, s.src.length);
        }
        return s.agronaOneToOne.read(s.agronaHandler) + s.agronaOneToOne.read(s.agronaHandler);
    }

    /**
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int manyToOneOursBatch(Solo s) {
        for (int i = 0; i < BATCH; i++) {
            s.oursManyToOne.write(MESSAGE_TYPE, s.src, 0, s.src.length);
        }
        return s.oursManyToOne.read(s.oursHandler) + s.oursManyToOne.read(s.oursHandler);
    }

    /**
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int manyToOneAgronaBatch(Solo s) {
        for (int i = 0; i < BATCH; i++) {
            s.agronaManyToOne.write(MESSAGE_TYPE, s.agronaSrc, 0, s.src.length);
        }
        return s.agronaManyToOne.read(s.agronaHandler) + s.agronaManyToOne.read(s.agronaHandler);
    }

    /**
     * Zero-copy: claim, store the message's first word in place, commit, 64 times; then read.
     *
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int oneToOneOursClaimBatch(Solo s) {
        OneToOneRing ring = s.oursOneToOne;
        MemorySegment buf = ring.buffer();
        for (int i = 0; i < BATCH; i++) {
            long at = ring.tryClaim(MESSAGE_TYPE, s.messageLength);
            if (at >= 0) {
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED, at, i);
                ring.commit(at);
            }
        }
        return ring.read(s.oursHandler) + ring.read(s.oursHandler);
    }

    /**
     * Zero-copy with Agrona: claim, store the first word in place, commit, 64 times; then read.
     *
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int oneToOneAgronaClaimBatch(Solo s) {
        RingBuffer ring = s.agronaOneToOne;
        org.agrona.concurrent.AtomicBuffer buf = ring.buffer();
        for (int i = 0; i < BATCH; i++) {
            int at = ring.tryClaim(MESSAGE_TYPE, s.messageLength);
            if (at >= 0) {
                buf.putLong(at, i);
                ring.commit(at);
            }
        }
        return ring.read(s.agronaHandler) + ring.read(s.agronaHandler);
    }

    /**
     * Zero-copy many-to-one: claim, store the first word in place, commit, 64 times; then read.
     *
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int manyToOneOursClaimBatch(Solo s) {
        ManyToOneRing ring = s.oursManyToOne;
        MemorySegment buf = ring.buffer();
        for (int i = 0; i < BATCH; i++) {
            long at = ring.tryClaim(MESSAGE_TYPE, s.messageLength);
            if (at >= 0) {
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED, at, i);
                ring.commit(at);
            }
        }
        return ring.read(s.oursHandler) + ring.read(s.oursHandler);
    }

    /**
     * Zero-copy many-to-one with Agrona: claim, store the first word in place, commit, 64 times; then read.
     *
     * @param s rings
     * @return messages read
     */
    @Benchmark
    public int manyToOneAgronaClaimBatch(Solo s) {
        RingBuffer ring = s.agronaManyToOne;
        org.agrona.concurrent.AtomicBuffer buf = ring.buffer();
        for (int i = 0; i < BATCH; i++) {
            int at = ring.tryClaim(MESSAGE_TYPE, s.messageLength);
            if (at >= 0) {
                buf.putLong(at, i);
                ring.commit(at);
            }
        }
        return ring.read(s.agronaHandler) + ring.read(s.agronaHandler);
    }

    /**
     * One offer and one poll on one thread: write a message, read it back (limit 1).
     *
     * @param s rings
     * @return messages read (1)
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int oneToOneOursOfferPoll(Solo s) {
        s.oursOneToOne.write(MESSAGE_TYPE, s.src, 0, s.src.length);
        return s.oursOneToOne.read(s.oursHandler, 1);
    }

    /**
     * Baseline for {@link #oneToOneOursOfferPoll}: the same pair on Agrona's one-to-one ring.
     *
     * @param s rings
     * @return messages read (1)
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int oneToOneAgronaOfferPoll(Solo s) {
        s.agronaOneToOne.write(MESSAGE_TYPE, s.agronaSrc, 0, s.src.length);
        return s.agronaOneToOne.read(s.agronaHandler, 1);
    }
}
