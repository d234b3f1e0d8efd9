package io.ipc4j.benchmarks.jmh;

import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.shm.SharedSegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The cost of ringing a doorbell nobody sleeps on: {@link FutexEvent#signal()} must be one atomic
 * add and one load, no system call (figure: at most 20 ns). Baseline in the same run: a bare
 * {@code getAndAdd} on the same shared word, i.e. the floor of any cross-process signal.
 *
 * <p>Run: {@code ./ipc4j jmh Doorbell}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class DoorbellBenchmark {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private SharedSegment segment;
    private MemorySegment memory;
    private FutexEvent event;

    /** Creates the shared segment holding the doorbell. */
    @Setup
    public void setUp() {
        segment = SharedSegment.create("ipc4j-bench-doorbell-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), 4096);
        memory = segment.memory();
        event = FutexEvent.at(memory, 0);
    }

    /** Unlinks the segment. */
    @TearDown
    public void tearDown() {
        segment.close();
    }

    /** @return the baseline: one atomic add on the shared word */
    @Benchmark
    public int atomicAddBaseline() {
        return (int) INT.getAndAdd(memory, 64L, 1);
    }

    /** @return {@link FutexEvent#signal()} with no sleeper */
    @Benchmark
    public int signalWithoutSleeper() {
        return event.signal();
    }
}
