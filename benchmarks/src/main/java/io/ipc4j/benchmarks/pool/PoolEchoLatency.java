package io.ipc4j.benchmarks.pool;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.benchmarks.latency.LatencyHarness;
import io.ipc4j.benchmarks.latency.LatencyResult;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.WorkerPool;
import org.HdrHistogram.Histogram;

import java.util.Arrays;

/**
 * Round trips of small jobs through a {@link WorkerPool} with one worker running
 * {@link EchoHandler}: {@code pool.submit(payload).join()}, the reply checked against the payload.
 * Closed loop (one job in flight), timed with {@link System#nanoTime()} into an HdrHistogram like
 * the latency harness, whose {@link LatencyResult} it returns (transport {@value #NAME}), so the
 * figures sit in one table with the harness's transports.
 *
 * <pre>{@code
 * LatencyResult pool = PoolEchoLatency.run(20_000, 5_000, 64);
 * LatencyResult futex = new LatencyHarness(LatencyOptions.of("futex").withMessages(20_000)).run();
 * }</pre>
 */
public final class PoolEchoLatency {
    /** The transport name in results. */
    public static final String NAME = "pool";

    private PoolEchoLatency() {
    }

    /**
     * Starts a one-worker pool, runs {@code warmup} unrecorded and {@code messages} recorded jobs
     * of {@code size} payload bytes, and closes the pool.
     *
     * @param messages measured jobs, &gt;= 1
     * @param warmup   jobs before measuring, &gt;= 0
     * @param size     inline payload bytes per job, 0..1024
     * @return the round trips
     * @throws IpcException INVALID_ARGUMENT for bad settings, CORRUPT when a reply is not the payload,
     *                      or what {@link WorkerPool#start} throws
     */
    public static LatencyResult run(long messages, long warmup, int size) {
        if (messages < 1 || warmup < 0 || size < 0 || size > 1024) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "pool latency: messages must be >= 1, warmup >= 0 and size "
                    + "0..1024 bytes, not " + messages + ", " + warmup + ", " + size);
        }
        Histogram h = new Histogram(LatencyHarness.HIGHEST_TRACKABLE_NS, LatencyHarness.SIGNIFICANT_DIGITS);
        byte[] payload = new byte[size];
        try (WorkerPool pool = WorkerPool.start(new PoolContext().handler(EchoHandler.class).workers(1).slab(4096, 4)
                .workerIdle(PoolHandoffLatency.LATENCY_SPINS, PoolHandoffLatency.LATENCY_YIELDS))) {
            for (long k = 0; k < warmup + messages; k++) {
                if (size > 0) {
                    payload[(int) (k % size)] = (byte) k;        // each job's payload differs
                }
                long t0 = System.nanoTime();
                byte[] reply;
                try (JobResult r = pool.submit(payload).join()) {
                    reply = r.reply();
                }
                long t1 = System.nanoTime();
                if (k >= warmup) {
                    h.recordValue(Math.min(t1 - t0, LatencyHarness.HIGHEST_TRACKABLE_NS));
                }
                if (!Arrays.equals(reply, payload)) {
                    throw new IpcException(Reason.CORRUPT, "pool latency: job " + k + "'s reply is not its payload");
                }
            }
        }
        return LatencyResult.of(NAME, size, warmup, h);
    }
}
