package io.ipc4j.benchmarks.jmh;

import io.ipc4j.posix.PosixMemory;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Sums an F32 tensor held in shared memory ({@code /dev/shm}, mapped read-only as a worker would,
 * every page faulted in beforehand), once through {@link Tensor#getFloat(long)} and once by hand
 * over the raw {@link MemorySegment}. Both loops have the same shape: eight independent
 * accumulators, so the adds' latency does not hide the cost of the accesses.
 *
 * <p>Target: {@code tensorSum} within 0.9x of {@code rawSegmentSum}, and at least 8 GB/s.
 *
 * <p><b>Reading the score.</b> One operation is one full pass over {@code bytes} bytes, reported
 * as average time in milliseconds, so the read rate is
 * {@code GB/s = bytes / (score_ms * 1e6)}; for the default 1 GiB, {@code 1073.74 / score_ms}.
 * The ratio is {@code rawSegmentSum score / tensorSum score}.
 *
 * <p>Quick run with less memory: {@code -p bytes=268435456}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TensorSumBenchmark {
    /** The same layout the tensor uses, so both variants issue identical loads. */
    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int FILL_CHUNK = 1 << 20;

    /** Size of the tensor in bytes (a multiple of 4); default 1 GiB. */
    @Param("1073741824")
    public long bytes;

    private String name;
    private SharedSegment owner;
    private SharedSegment reader;
    private Thread cleanup;
    private MemorySegment raw;
    private Tensor tensor;

    /** Created by JMH; all state is set up in {@link #setup()}. */
    public TensorSumBenchmark() {
    }

    /**
     * Creates the segment, fills it with small floats, maps it read-only and faults every page
     * of that mapping in.
     */
    @Setup(Level.Trial)
    public void setup() {
        if (bytes <= 0 || bytes % 4 != 0) {
            throw new IllegalArgumentException("bytes must be a positive multiple of 4, was " + bytes);
        }
        name = "ipc4j-bench-tensorsum-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        String segmentName = name;
        cleanup = new Thread(() -> SharedSegment.unlink(segmentName), "unlink " + name);
        Runtime.getRuntime().addShutdownHook(cleanup);
        owner = SharedSegment.create(name, bytes);
        MemorySegment mem = owner.memory();
        owner.advise(PosixMemory.MADV_POPULATE_WRITE);
        float[] chunk = new float[FILL_CHUNK];
        for (int k = 0; k < chunk.length; k++) {
            chunk[k] = (k % 1000) * 0.001f;
        }
        long elements = bytes / 4;
        for (long at = 0; at < elements; at += chunk.length) {
            int n = (int) Math.min(chunk.length, elements - at);
            MemorySegment.copy(chunk, 0, mem, F32_LE, at * 4, n);
        }
        reader = SharedSegment.openReadOnly(name);
        reader.advise(PosixMemory.MADV_POPULATE_READ);
        raw = reader.memory();
        tensor = Tensor.of("bench", DType.F32, new long[] {elements}, raw);
    }

    /** Unmaps and unlinks the segment. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            if (owner != null) {
                owner.close();
            }
            if (cleanup != null) {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
    }

    /**
     * The baseline: a hand-written loop over the raw segment.
     *
     * @return the sum (consumed by JMH)
     */
    @Benchmark
    public float rawSegmentSum() {
        MemorySegment seg = raw;
        long n = seg.byteSize() / 4;
        long unrolled = n & ~7L;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        long i = 0;
        for (; i < unrolled; i += 8) {
            a0 += seg.get(F32_LE, i << 2);
            a1 += seg.get(F32_LE, (i + 1) << 2);
            a2 += seg.get(F32_LE, (i + 2) << 2);
            a3 += seg.get(F32_LE, (i + 3) << 2);
            a4 += seg.get(F32_LE, (i + 4) << 2);
            a5 += seg.get(F32_LE, (i + 5) << 2);
            a6 += seg.get(F32_LE, (i + 6) << 2);
            a7 += seg.get(F32_LE, (i + 7) << 2);
        }
        for (; i < n; i++) {
            a0 += seg.get(F32_LE, i << 2);
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /**
     * The same loop through the tensor API.
     *
     * @return the sum (consumed by JMH)
     */
    @Benchmark
    public float tensorSum() {
        Tensor t = tensor;
        long n = t.elementCount();
        long unrolled = n & ~7L;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        long i = 0;
        for (; i < unrolled; i += 8) {
            a0 += t.getFloat(i);
            a1 += t.getFloat(i + 1);
            a2 += t.getFloat(i + 2);
            a3 += t.getFloat(i + 3);
            a4 += t.getFloat(i + 4);
            a5 += t.getFloat(i + 5);
            a6 += t.getFloat(i + 6);
            a7 += t.getFloat(i + 7);
        }
        for (; i < n; i++) {
            a0 += t.getFloat(i);
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }
}
