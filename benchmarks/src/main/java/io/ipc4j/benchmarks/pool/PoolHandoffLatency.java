package io.ipc4j.benchmarks.pool;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.benchmarks.latency.LatencyHarness;
import io.ipc4j.benchmarks.latency.LatencyResult;
import io.ipc4j.tensor.DType;
import io.ipc4j.workerpool.JobRequest;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.TensorLoan;
import io.ipc4j.workerpool.WorkerPool;
import org.HdrHistogram.Histogram;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Zero-copy hand-off of a big tensor through a one-worker {@link WorkerPool}: per job the caller
 * loans a slab slot of {@code size} bytes, writes a marker into its first and last 8 bytes, submits
 * it and waits for the worker's reply ({@link HandoffHandler}: the two markers). The bytes between
 * are neither copied nor read: what crosses between the processes is a descriptor. The clock runs
 * from the loan to the result's close. Closed loop, one job in flight; the result is a
 * {@link LatencyResult} (transport {@value #NAME}) to sit in one table with the latency harness's
 * transports, e.g. {@code java-serialization} at the same size.
 */
public final class PoolHandoffLatency {
    /** The transport name in results. */
    public static final String NAME = "pool-handoff";
    /**
     * Idle spins of the latency-tuned one-worker pools of these benchmarks (the default, 1000, suits
     * many workers on few cores): the worker is still spinning when the caller's next job comes, so
     * no futex wake lies on the path. At most two threads spin at once: the worker between jobs, the
     * pool's completion thread while a job is out (the caller is parked in {@code join} then).
     */
    public static final long LATENCY_SPINS = 20_000;
    /** Idle yields of those pools before they park. */
    public static final long LATENCY_YIELDS = 200;

    private PoolHandoffLatency() {
    }

    /**
     * @param messages measured jobs, &gt;= 1
     * @param warmup   jobs before measuring, &gt;= 0
     * @param size     tensor bytes per job, 16..256 MiB
     * @return the round trips
     * @throws IpcException INVALID_ARGUMENT for bad settings, CORRUPT when a reply is not the markers
     */
    public static LatencyResult run(long messages, long warmup, int size) {
        if (messages < 1 || warmup < 0 || size < 16 || size > 256 << 20) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "pool hand-off: messages must be >= 1, warmup >= 0 and size "
                    + "16 B..256 MiB, not " + messages + ", " + warmup + ", " + size);
        }
        Histogram h = new Histogram(LatencyHarness.HIGHEST_TRACKABLE_NS, LatencyHarness.SIGNIFICANT_DIGITS);
        int slot = (size + 63) / 64 * 64;
        try (WorkerPool pool = WorkerPool.start(new PoolContext().handler(HandoffHandler.class).workers(1).slab(slot, 4)
                .workerIdle(LATENCY_SPINS, LATENCY_YIELDS))) {
            for (long k = 0; k < warmup + messages; k++) {
                long t0 = System.nanoTime();
                byte[] reply;
                try (TensorLoan x = pool.loan(DType.U8, size)) {
                    MemorySegment m = x.tensor().segment();
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, k);
                    m.set(ValueLayout.JAVA_LONG_UNALIGNED, size - 8, ~k);
                    try (JobResult r = pool.submit(JobRequest.create().input(x)).join()) {
                        reply = r.reply();
                    }
                }
                long t1 = System.nanoTime();
                if (k >= warmup) {
                    h.recordValue(Math.min(t1 - t0, LatencyHarness.HIGHEST_TRACKABLE_NS));
                }
                ByteBuffer b = ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder());
                if (reply.length != 16 || b.getLong(0) != k || b.getLong(8) != ~k) {
                    throw new IpcException(Reason.CORRUPT, "pool hand-off: job " + k + "'s reply is not its markers");
                }
            }
        }
        return LatencyResult.of(NAME, size, warmup, h);
    }
}
