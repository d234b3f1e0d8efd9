package io.ipc4j.benchmarks.jmh;

import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.shm.ring.SharedRing;
import io.ipc4j.shm.slab.SharedSlab;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Opening an existing segment and closing it again, per kind of segment, against the bare
 * {@code shm_open} + {@code fstat} + {@code mmap} + {@code munmap} of {@link SharedSegment#open}
 * (the baseline, {@code plainOpenClose}) on a segment of about the same size (64 KiB of payload each):
 * <ul>
 *   <li>{@code describedOpenClose}: {@link DescribedSegment#open} adds the descriptor header checks
 *       (magic, version, kind, sizes, ready word);</li>
 *   <li>{@code ringOpenClose}: {@link SharedRing#open} adds the ring header and trailer checks;</li>
 *   <li>{@code slabOpenClose}: {@link SharedSlab#open} adds the slab header and a check of every
 *       owner entry and slot state word (64 owners, 1024 slots of 64 bytes here).</li>
 * </ul>
 * The segments are created ready once per trial; the opens do not wait ({@link Duration#ZERO}).
 *
 * <p>Run: {@code ./ipc4j jmh SegmentOpen}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SegmentOpenBenchmark {
    private static final int PAYLOAD = 64 * 1024;

    private SharedSegment plain;
    private DescribedSegment described;
    private SharedRing ring;
    private SharedSlab slab;

    /** Created by JMH. */
    public SegmentOpenBenchmark() {
    }

    /** Creates one ready segment of each kind. */
    @Setup(Level.Trial)
    public void create() {
        String base = "ipc4j-bench-open-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        plain = SharedSegment.create(base + "-plain", PAYLOAD);
        described = DescribedSegment.create(base + "-described", SegmentKind.GENERIC, PAYLOAD);
        described.markReady();
        ring = SharedRing.createOneToOne(base + "-ring", PAYLOAD);
        slab = SharedSlab.create(base + "-slab", 64, PAYLOAD / 64, 64);
    }

    /** Closes and unlinks every segment. */
    @TearDown(Level.Trial)
    public void remove() {
        plain.close();
        described.close();
        ring.close();
        slab.close();
    }

    /** @return the size: the baseline, shm_open + fstat + mmap, then munmap */
    @Benchmark
    public long plainOpenClose() {
        try (SharedSegment s = SharedSegment.open(plain.name())) {
            return s.size();
        }
    }

    /** @return the payload size: {@link DescribedSegment#open} and close */
    @Benchmark
    public long describedOpenClose() {
        try (DescribedSegment s = DescribedSegment.open(described.name(), SegmentKind.GENERIC, Duration.ZERO)) {
            return s.payload().byteSize();
        }
    }

    /** @return the capacity: {@link SharedRing#open} and close */
    @Benchmark
    public int ringOpenClose() {
        try (SharedRing r = SharedRing.open(ring.name(), Duration.ZERO)) {
            return r.capacity();
        }
    }

    /** @return the slot count: {@link SharedSlab#open} and close */
    @Benchmark
    public int slabOpenClose() {
        try (SharedSlab s = SharedSlab.open(slab.name(), Duration.ZERO)) {
            return s.slotCount();
        }
    }
}
