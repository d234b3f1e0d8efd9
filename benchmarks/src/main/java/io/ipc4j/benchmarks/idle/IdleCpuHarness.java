package io.ipc4j.benchmarks.idle;

import io.ipc4j.IpcException;
import io.ipc4j.process.JvmCommand;
import io.ipc4j.semaphores.futex.FutexEvent;
import io.ipc4j.semaphores.futex.SharedWord;
import io.ipc4j.shm.SharedSegment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code N} {@link IdleChild} JVMs that park on one doorbell, waits until every one is
 * asleep in the kernel, then sums their CPU time (all threads, JVM housekeeping included) over a
 * quiet interval. The figure to reach: 32 parked processes cost under 1% of one core.
 */
public final class IdleCpuHarness {
    static final long DOORBELL = 0;
    static final long STARTED = 64;
    static final long STOP = 128;
    private static final long SIZE = 4096;

    /**
     * Small-footprint, low-wake-up flags for the idle JVMs. Measured per thread on a 2-core machine
     * (32 children, {@code /proc/PID/task/TID/schedstat}): with the base flags only, 32 parked
     * JVMs used ~8% of one core when the futex wait slice was 100 ms: almost all of it the main
     * thread waking ten times a second (~0.2 ms of CPU per wake-up), plus the monitor-deflation
     * thread waking every 250 ms. The slice default is now 1 s ({@code ipc4j.futex.sliceMillis}),
     * as long as the doorbell strategy's own park, and the children add:
     * <ul>
     *   <li>{@code -XX:GuaranteedSafepointInterval=0}, {@code -XX:AsyncDeflationInterval=10000}
     *       (diagnostic): no periodic safepoint, and the monitor-deflation thread checks every
     *       10 s instead of every 250 ms;</li>
     *   <li>{@code -XX:-UsePerfData}: no perf-data sampling task.</li>
     * </ul>
     * What remains is mostly the 1/s wake-up of each main thread and the JVM's service thread.
     */
    public static final List<String> CHILD_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx16m",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss256k", "-XX:-UsePerfData",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0", "-XX:AsyncDeflationInterval=10000");

    /**
     * What was measured.
     *
     * @param processes       idle JVMs
     * @param seconds         length of the measured interval
     * @param cpuNanos        CPU time all of them used in it
     * @param percentOfOneCore {@code cpuNanos} as a share of one core over the interval
     */
    public record Result(int processes, double seconds, long cpuNanos, double percentOfOneCore) {
        /** @return the result as JSON */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"processes\": %d, \"seconds\": %.3f, \"cpu_ns\": %d, \"percent_of_one_core\": %.4f}%n",
                    processes, seconds, cpuNanos, percentOfOneCore);
        }
    }

    private IdleCpuHarness() {
    }

    /**
     * Runs the measurement.
     *
     * @param processes idle JVMs to start
     * @param seconds   measured interval
     * @param out       progress and the result
     * @return the result
     */
    public static Result run(int processes, double seconds, PrintStream out) {
        return run(processes, 2, seconds, out);
    }

    /**
     * Runs the measurement after the parked JVMs have idled for {@code settleSeconds}. Right after
     * start-up each wake-up of an idle JVM runs interpreted code (~0.3 ms of CPU); after a few
     * hundred wake-ups the JIT has compiled that path, so a long settle shows the steady state.
     *
     * @param processes     idle JVMs to start
     * @param settleSeconds idle time before measuring, &gt;= 0
     * @param seconds       measured interval
     * @param out           progress and the result
     * @return the result
     */
    public static Result run(int processes, double settleSeconds, double seconds, PrintStream out) {
        if (processes < 1 || processes > 512 || seconds <= 0 || settleSeconds < 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "need 1..512 processes and a positive interval");
        }
        String name = "ipc4j-bench-idle-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<Process> children = new ArrayList<>();
        try (SharedSegment seg = SharedSegment.create(name, SIZE)) {
            var m = seg.memory();
            FutexEvent doorbell = FutexEvent.at(m, DOORBELL);
            String parent = Long.toString(ProcessHandle.current().pid());
            try {
                for (int i = 0; i < processes; i++) {
                    children.add(new ProcessBuilder(JvmCommand.forMain(IdleChild.class).jvmOptions(CHILD_JVM_OPTIONS)
                            .args(parent, name).build()).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (doorbell.waiters() < processes) {
                    for (Process p : children) {
                        if (!p.isAlive()) {
                            throw new IpcException(IpcException.Reason.PEER_CLOSED, "idle child " + p.pid() + " exited with " + p.exitValue());
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IpcException(IpcException.Reason.TIMEOUT, "only " + doorbell.waiters() + " of "
                                + processes + " children parked within 120 s");
                    }
                    Thread.sleep(50);
                }
                out.printf(Locale.ROOT, "%d JVMs parked on the doorbell; letting them settle for %.0f s, then measuring %.1f s%n",
                        processes, settleSeconds, seconds);
                Thread.sleep((long) (settleSeconds * 1000));
                long before = cpuNanos(children);
                long t0 = System.nanoTime();
                Thread.sleep((long) (seconds * 1000));
                long elapsed = System.nanoTime() - t0;
                long used = cpuNanos(children) - before;
                Result r = new Result(processes, elapsed / 1e9, used, 100.0 * used / elapsed);
                out.printf(Locale.ROOT, "%d idle processes used %.2f ms of CPU in %.2f s: %.3f%% of one core%n",
                        processes, used / 1e6, elapsed / 1e9, r.percentOfOneCore());
                return r;
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, "spawn idle child: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IpcException(IpcException.Reason.CLOSED, "interrupted", e);
            } finally {
                SharedWord.INT.setVolatile(m, STOP, 1);
                doorbell.signal();
                for (Process p : children) {
                    try {
                        if (!p.waitFor(10, TimeUnit.SECONDS)) {
                            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                        }
                    } catch (InterruptedException e) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    /**
     * @param processes live processes
     * @return the CPU time all their threads have used, from {@code /proc/PID/task/TID/schedstat}
     */
    static long cpuNanos(List<Process> processes) {
        long total = 0;
        for (Process p : processes) {
            Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
                for (Path t : ds) {
                    try {
                        String s = Files.readString(t.resolve("schedstat")).trim();
                        total += Long.parseLong(s.substring(0, s.indexOf(' ')));
                    } catch (IOException | RuntimeException ignored) {
                        // thread ended while we looked
                    }
                }
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.PEER_CLOSED, "idle child " + p.pid() + " vanished: " + e.getMessage(), e);
            }
        }
        return total;
    }
}
