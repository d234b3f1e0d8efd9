package io.ipc4j.benchmarks.jmh;

import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.store.TensorStore;
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

import java.util.concurrent.TimeUnit;

/**
 * Opening and mapping an existing store read-only, then closing it: {@code shm_open}, {@code fstat},
 * {@code mmap} of the whole size, parsing the header (only its pages are touched), building the
 * tensor views, {@code munmap}. Independent of the data size by design; the target is &le; 1 ms
 * for 1 GiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TensorStoreOpenBenchmark {
    /** Created by JMH. */
    public TensorStoreOpenBenchmark() {
    }

    /** Data size in MiB. */
    @Param({"1024"})
    public int sizeMiB;

    /** Number of tensors the data is split into (a real model has hundreds). */
    @Param({"1", "300"})
    public int tensors;

    private TensorStore owner;
    private String name;

    /** Creates and publishes the store once. */
    @Setup(Level.Trial)
    public void create() {
        name = "ipc4j-bench-open-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        long floats = ((long) sizeMiB << 20) / 4;
        TensorStore.Builder b = TensorStore.builder(name);
        long each = floats / tensors;
        for (int i = 0; i < tensors; i++) {
            b.add("layer." + i + ".weight", DType.F32, i == tensors - 1 ? floats - each * (tensors - 1) : each);
        }
        owner = b.build();
    }

    /**
     * Opens read-only, touches one tensor's metadata, closes.
     *
     * @return a tensor's size (consumed by JMH)
     */
    @Benchmark
    public long openReadOnlyAndClose() {
        try (TensorStore s = TensorStore.openReadOnly(name)) {
            return s.tensor("layer.0.weight").byteSize();
        }
    }

    /** Closes and unlinks the store. */
    @TearDown(Level.Trial)
    public void remove() {
        owner.close();
    }
}
