package io.ipc4j.benchmarks.jmh;

import io.ipc4j.benchmarks.pool.EchoHandler;
import io.ipc4j.tensor.DType;
import io.ipc4j.workerpool.JobRequest;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.TensorLoan;
import io.ipc4j.workerpool.WorkerPool;
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

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Round trips through a {@link WorkerPool} with one worker ({@link EchoHandler}), started once per
 * trial: {@link #loanFillSubmit} lends a 64-byte F32 tensor, fills it, submits it and waits for
 * the reply (loan &rarr; write &rarr; submit &rarr; join &rarr; close); {@link #payloadSubmit}
 * submits a 64-byte inline payload and waits. Average time per round trip.
 *
 * <p>Run: {@code ./ipc4j jmh LoanSubmit -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class LoanSubmitBenchmark {
    private static final int FLOATS = 16;                 // 64 bytes

    private WorkerPool pool;
    private final byte[] payload = new byte[64];
    private int counter;

    /** Starts the pool (its worker is a separate JVM on the benchmark's class path). */
    @Setup(Level.Trial)
    public void setUp() {
        pool = WorkerPool.start(new PoolContext().handler(EchoHandler.class).workers(1).slab(4096, 8));
    }

    /** Stops the worker and removes the pool's segments. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** @return the reply's length: the 64 input bytes echoed */
    @Benchmark
    public int loanFillSubmit() {
        try (TensorLoan x = pool.loan(DType.F32, FLOATS)) {
            MemorySegment m = x.tensor().segment();
            float v = counter++;
            for (int i = 0; i < FLOATS; i++) {
                m.setAtIndex(ValueLayout.JAVA_FLOAT, i, v + i);
            }
            try (JobResult r = pool.submit(JobRequest.create().input(x)).join()) {
                return r.reply().length;
            }
        }
    }

    /** @return the reply's length: the 64 payload bytes echoed */
    @Benchmark
    public int payloadSubmit() {
        payload[0] = (byte) counter++;
        try (JobResult r = pool.submit(payload).join()) {
            return r.reply().length;
        }
    }
}
