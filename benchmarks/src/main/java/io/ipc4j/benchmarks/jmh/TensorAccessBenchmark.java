package io.ipc4j.benchmarks.jmh;

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
 * Element and bulk access to an F32 tensor in a shared segment, each against the same operation
 * written by hand on the raw {@link MemorySegment} (the baseline):
 * <ul>
 *   <li>{@code tensorGet} / {@code rawGet}: read every element ({@link Tensor#getFloat(long)}),
 *       summed into four accumulators;</li>
 *   <li>{@code tensorSet} / {@code rawSet}: write every element ({@link Tensor#setFloat(long, float)});</li>
 *   <li>{@code tensorCopyTo} / {@code rawCopyTo}: the whole tensor into a {@code float[]}
 *       ({@link Tensor#copyTo(float[])} vs {@link MemorySegment#copy(MemorySegment, ValueLayout, long, Object, int, int)});</li>
 *   <li>{@code tensorCopyFrom} / {@code rawCopyFrom}: a {@code float[]} into the whole tensor.</li>
 * </ul>
 * One operation is one full pass; the score is microseconds per pass, so the ratio of a pair is
 * the overhead of the tensor API and {@code bytes / (score_us * 1e3)} is GB/s.
 *
 * <p>Run: {@code ./ipc4j jmh TensorAccess}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TensorAccessBenchmark {
    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Tensor size in bytes, a multiple of 16: 4 KiB (cache resident) and 4 MiB. */
    @Param({"4096", "4194304"})
    public int bytes;

    private SharedSegment segment;
    private MemorySegment raw;
    private Tensor tensor;
    private float[] array;

    /** Created by JMH. */
    public TensorAccessBenchmark() {
    }

    /** Creates the segment, the tensor over it and the array; fills both. */
    @Setup(Level.Trial)
    public void setUp() {
        segment = SharedSegment.create("ipc4j-bench-tensoraccess-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime(), bytes);
        raw = segment.memory();
        int n = bytes / 4;
        tensor = Tensor.of("bench", DType.F32, new long[] {n}, raw);
        array = new float[n];
        for (int i = 0; i < n; i++) {
            array[i] = (i % 1000) * 0.001f;
        }
        tensor.copyFrom(array);
    }

    /** Unmaps and unlinks the segment. */
    @TearDown(Level.Trial)
    public void tearDown() {
        segment.close();
    }

    /** @return the sum of every element, read by hand from the segment */
    @Benchmark
    public float rawGet() {
        MemorySegment seg = raw;
        long n = seg.byteSize() / 4;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (long i = 0; i < n; i += 4) {
            a0 += seg.get(F32_LE, i << 2);
            a1 += seg.get(F32_LE, (i + 1) << 2);
            a2 += seg.get(F32_LE, (i + 2) << 2);
            a3 += seg.get(F32_LE, (i + 3) << 2);
        }
        return (a0 + a1) + (a2 + a3);
    }

    /** @return the sum of every element, read through {@link Tensor#getFloat(long)} */
    @Benchmark
    public float tensorGet() {
        Tensor t = tensor;
        long n = t.elementCount();
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (long i = 0; i < n; i += 4) {
            a0 += t.getFloat(i);
            a1 += t.getFloat(i + 1);
            a2 += t.getFloat(i + 2);
            a3 += t.getFloat(i + 3);
        }
        return (a0 + a1) + (a2 + a3);
    }

    /** @return the segment (every element written by hand) */
    @Benchmark
    public MemorySegment rawSet() {
        MemorySegment seg = raw;
        long n = seg.byteSize() / 4;
        for (long i = 0; i < n; i++) {
            seg.set(F32_LE, i << 2, i * 0.5f);
        }
        return seg;
    }

    /** @return the tensor (every element written through {@link Tensor#setFloat(long, float)}) */
    @Benchmark
    public Tensor tensorSet() {
        Tensor t = tensor;
        long n = t.elementCount();
        for (long i = 0; i < n; i++) {
            t.setFloat(i, i * 0.5f);
        }
        return t;
    }

    /** @return the array, filled from the segment by {@link MemorySegment#copy} */
    @Benchmark
    public float[] rawCopyTo() {
        MemorySegment.copy(raw, F32_LE, 0, array, 0, array.length);
        return array;
    }

    /** @return the array, filled by {@link Tensor#copyTo(float[])} */
    @Benchmark
    public float[] tensorCopyTo() {
        tensor.copyTo(array);
        return array;
    }

    /** @return the segment, overwritten from the array by {@link MemorySegment#copy} */
    @Benchmark
    public MemorySegment rawCopyFrom() {
        MemorySegment.copy(array, 0, raw, F32_LE, 0, array.length);
        return raw;
    }

    /** @return the tensor, overwritten by {@link Tensor#copyFrom(float[])} */
    @Benchmark
    public Tensor tensorCopyFrom() {
        tensor.copyFrom(array);
        return tensor;
    }
}
