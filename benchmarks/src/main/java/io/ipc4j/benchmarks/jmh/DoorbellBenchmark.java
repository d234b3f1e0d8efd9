package io.ipc4j.benchmarks.jmh;

import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.shm.SharedSegment;
import org.openjdk.jmh.annotations.AuxCounters;
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
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * The cost of ringing a doorbell. Nobody sleeping: {@link FutexEvent#signal()} must be one atomic
 * add and one load, no system call (figure: at most 20 ns). Baseline in the same run: a bare
 * {@code getAndAdd} on the same shared word, i.e. the floor of any cross-process signal.
 *
 * <p>With sleepers, two views:
 * <ul>
 *   <li>{@code signalWakeSyscallNobodyParked}: the waiter count says 1 but no thread is in the
 *       kernel (the window between a waiter announcing itself and parking, or after it woke and
 *       before it left), so every signal pays the {@code FUTEX_WAKE} system call and wakes no one:
 *       the floor of a signal with a sleeper announced.</li>
 *   <li>{@code signalWithSleepers}: signals go round-robin to {@link #SLEEPERS} doorbells, each
 *       with an auxiliary thread that re-parks on it after every wake-up, so a signal usually finds
 *       its sleeper parked and pays {@code FUTEX_WAKE} plus the wake-up. The auxiliary counters
 *       {@code signals} and {@code wokeSleeper} (signals that woke a parked thread) show the mix;
 *       the woken threads compete for the same 2 cores as the signalling thread.</li>
 * </ul>
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
    /** Sleeper threads (and doorbells) of {@link #signalWithSleepers}; a power of two. */
    public static final int SLEEPERS = 8;

    private SharedSegment segment;
    private MemorySegment memory;
    private FutexEvent event;
    private FutexEvent announced;

    /**
     * Creates the shared segment holding the doorbells: the plain one at 0, the baseline word at
     * 64, and at 128 one whose waiter count is set to 1 with nobody parked.
     */
    @Setup
    public void setUp() {
        segment = SharedSegment.create("ipc4j-bench-doorbell-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), 4096);
        memory = segment.memory();
        event = FutexEvent.at(memory, 0);
        INT.setVolatile(memory, 128L + 4, 1);
        announced = FutexEvent.at(memory, 128);
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

    /** @return {@link FutexEvent#signal()} with a waiter announced but not parked: one FUTEX_WAKE waking no one */
    @Benchmark
    public int signalWakeSyscallNobodyParked() {
        return announced.signal();
    }

    /**
     * {@link #SLEEPERS} doorbells, each on its own cache line with its own sleeper thread that
     * re-parks on it after every wake-up (at most 10 ms per park, so tear-down never waits long).
     */
    @State(Scope.Thread)
    public static class Sleepers {
        SharedSegment segment;
        FutexEvent[] events;
        Thread[] threads;
        volatile boolean stop;
        int next;

        /** Creates the segment and starts the sleepers. */
        @Setup(Level.Trial)
        public void setUp() {
            segment = SharedSegment.create("ipc4j-bench-doorbell-sleepers-" + ProcessHandle.current().pid() + "-"
                    + System.nanoTime(), (long) SLEEPERS * FutexEvent.PADDED_BYTES);
            events = new FutexEvent[SLEEPERS];
            threads = new Thread[SLEEPERS];
            for (int k = 0; k < SLEEPERS; k++) {
                FutexEvent e = FutexEvent.at(segment.memory(), (long) k * FutexEvent.PADDED_BYTES);
                events[k] = e;
                threads[k] = Thread.ofPlatform().daemon().name("sleeper-" + k).start(() -> {
                    try {
                        while (!stop) {
                            e.await(e.sequence(), 10, TimeUnit.MILLISECONDS);
                        }
                    } catch (InterruptedException ignored) {
                        // end
                    }
                });
            }
        }

        /** Stops the sleepers and unlinks the segment. */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop = true;
            for (int k = 0; k < SLEEPERS; k++) {
                events[k].signal();
                threads[k].join(10_000);
            }
            segment.close();
        }
    }

    /** How many signals found someone to wake, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Wakes {
        /** Signals sent. */
        public long signals;
        /** Signals whose FUTEX_WAKE woke a parked thread. */
        public long wokeSleeper;

        /** Resets the counts. */
        @Setup(Level.Iteration)
        public void reset() {
            signals = 0;
            wokeSleeper = 0;
        }
    }

    /**
     * Signals the next of {@link #SLEEPERS} doorbells round-robin; each has a thread that re-parks
     * after every wake-up, so most signals find their sleeper parked and pay a real wake-up
     * ({@code wokeSleeper / signals} says how many did).
     *
     * @param s the doorbells and their sleepers
     * @param w counts
     * @return sleepers woken
     */
    @Benchmark
    public int signalWithSleepers(Sleepers s, Wakes w) {
        FutexEvent e = s.events[s.next++ & (SLEEPERS - 1)];
        int n = e.signal();
        w.signals++;
        if (n > 0) {
            w.wokeSleeper++;
        }
        return n;
    }
}
