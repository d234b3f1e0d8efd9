package io.ipc4j.workerpool.stat;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool's counters segment: kind {@link SegmentKind#COUNTERS}, payload version
 * {@link #PAYLOAD_VERSION}, named {@code POOL-stat}. Every value is an aligned 64-bit word
 * written with release and read with acquire semantics, so a reader in another process sees
 * whole values. The supervisor writes the pool rows and the workers' pid/state/incarnation;
 * each worker writes only its own heartbeat and jobs-done words.
 *
 * <pre>
 *  payload offset   what
 *    0              workers (long)
 *    8              pool state ({@link PoolState} ordinal)
 *   16              created at (epoch ms)
 *   24..63          reserved
 *   64              counters: one long per {@link PoolCounter}, {@value #COUNTER_SLOTS} slots
 *  64 + 8*slots     worker rows, {@value #ROW_BYTES} bytes each:
 *                     +0 pid, +8 state, +16 incarnation, +24 heartbeat (epoch ms), +32 jobs done
 * </pre>
 */
public final class PoolCounters implements AutoCloseable {
    /** Payload layout version. */
    public static final int PAYLOAD_VERSION = 1;
    /** Counter slots reserved (more than {@link PoolCounter} has, for additions). */
    public static final int COUNTER_SLOTS = 32;
    /** Bytes per worker row. */
    public static final int ROW_BYTES = 64;
    /** The suffix that makes a counters segment's name from its pool's name. */
    public static final String SUFFIX = "-stat";

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long WORKERS = 0;
    private static final long STATE = 8;
    private static final long CREATED = 16;
    private static final long COUNTERS = 64;
    private static final long ROWS = COUNTERS + 8L * COUNTER_SLOTS;
    private static final long PID = 0;
    private static final long WSTATE = 8;
    private static final long INCARNATION = 16;
    private static final long HEARTBEAT = 24;
    private static final long JOBS_DONE = 32;

    private final DescribedSegment segment;
    private final MemorySegment m;
    private final int workers;
    private final String poolName;

    private PoolCounters(DescribedSegment segment, String poolName) {
        this.segment = segment;
        this.m = segment.payload();
        this.poolName = poolName;
        long w = (long) LONG.getAcquire(m, WORKERS);
        if (w < 1 || w > 1 << 20 || ROWS + w * ROW_BYTES > m.byteSize()) {
            segment.close();
            throw new IpcException(Reason.CORRUPT, "counters segment '" + segment.name() + "' claims " + w
                    + " workers in " + m.byteSize() + " payload bytes");
        }
        this.workers = (int) w;
    }

    /**
     * @param poolName a pool's name
     * @return the name of its counters segment
     */
    public static String segmentName(String poolName) {
        return poolName + SUFFIX;
    }

    /**
     * Creates the counters segment of a pool (the supervisor).
     *
     * @param directory where
     * @param poolName  the pool's name
     * @param workers   worker slots
     * @return the counters, owned by this process
     */
    public static PoolCounters create(ShmDirectory directory, String poolName, int workers) {
        long bytes = ROWS + (long) workers * ROW_BYTES;
        DescribedSegment s = DescribedSegment.create(segmentName(poolName), SegmentKind.COUNTERS, bytes,
                CreateOptions.defaults().directory(directory).payloadVersion(PAYLOAD_VERSION), p -> {
                    p.set(ValueLayout.JAVA_LONG, WORKERS, workers);
                    p.set(ValueLayout.JAVA_LONG, CREATED, System.currentTimeMillis());
                });
        return new PoolCounters(s, poolName);
    }

    /**
     * Opens a running pool's counters (workers, {@code ipc4j stat}).
     *
     * @param directory    where
     * @param poolName     the pool's name (not the segment's)
     * @param readyTimeout how long to wait for the supervisor to finish creating it
     * @return the counters
     * @throws IpcException NOT_FOUND when no such pool runs, WRONG_KIND, VERSION_MISMATCH, CORRUPT...
     */
    public static PoolCounters open(ShmDirectory directory, String poolName, Duration readyTimeout) {
        DescribedSegment s = DescribedSegment.open(directory, segmentName(poolName), SegmentKind.COUNTERS,
                readyTimeout, false);
        if (s.header().payloadVersion() != PAYLOAD_VERSION) {
            int v = s.header().payloadVersion();
            s.close();
            throw new IpcException(Reason.VERSION_MISMATCH, "counters segment '" + segmentName(poolName)
                    + "' has payload version " + v + ", this library reads " + PAYLOAD_VERSION);
        }
        return new PoolCounters(s, poolName);
    }

    /** @return worker slots */
    public int workers() {
        return workers;
    }

    /**
     * @param c a counter
     * @param v its new value (supervisor only)
     */
    public void set(PoolCounter c, long v) {
        LONG.setRelease(m, COUNTERS + 8L * c.ordinal(), v);
    }

    /**
     * @param c a counter
     * @return its value
     */
    public long get(PoolCounter c) {
        return (long) LONG.getAcquire(m, COUNTERS + 8L * c.ordinal());
    }

    /**
     * Adds to a counter (supervisor only: single writer, so a plain add is atomic enough).
     *
     * @param c     a counter
     * @param delta amount
     */
    public void add(PoolCounter c, long delta) {
        long at = COUNTERS + 8L * c.ordinal();
        LONG.setRelease(m, at, (long) LONG.getAcquire(m, at) + delta);
    }

    /** @param s the pool's state (supervisor only) */
    public void state(PoolState s) {
        LONG.setRelease(m, STATE, (long) s.ordinal());
    }

    /**
     * Records a worker slot's process (supervisor only).
     *
     * @param worker      slot
     * @param pid         its pid
     * @param state       its state
     * @param incarnation its incarnation
     */
    public void worker(int worker, long pid, WorkerState state, int incarnation) {
        long row = row(worker);
        LONG.setRelease(m, row + PID, pid);
        LONG.setRelease(m, row + INCARNATION, (long) incarnation);
        LONG.setRelease(m, row + WSTATE, (long) state.ordinal());
    }

    /**
     * @param worker slot
     * @param state  its new state (supervisor only)
     */
    public void workerState(int worker, WorkerState state) {
        LONG.setRelease(m, row(worker) + WSTATE, (long) state.ordinal());
    }

    /**
     * Writes a worker's heartbeat (that worker only).
     *
     * @param worker     slot
     * @param epochMillis now
     */
    public void heartbeat(int worker, long epochMillis) {
        LONG.setRelease(m, row(worker) + HEARTBEAT, epochMillis);
    }

    /**
     * @param worker slot
     * @return its last heartbeat (epoch ms), 0 if none
     */
    public long heartbeat(int worker) {
        return (long) LONG.getAcquire(m, row(worker) + HEARTBEAT);
    }

    /**
     * Counts one job done by a worker (that worker only).
     *
     * @param worker slot
     */
    public void jobDone(int worker) {
        long at = row(worker) + JOBS_DONE;
        LONG.setRelease(m, at, (long) LONG.getAcquire(m, at) + 1);
    }

    /** @return a consistent-enough reading of everything (each word read once with acquire) */
    public PoolSnapshot snapshot() {
        long[] c = new long[PoolCounter.values().length];
        for (PoolCounter k : PoolCounter.values()) {
            c[k.ordinal()] = get(k);
        }
        List<PoolSnapshot.WorkerRow> rows = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            long r = row(i);
            rows.add(new PoolSnapshot.WorkerRow(i, (long) LONG.getAcquire(m, r + PID),
                    WorkerState.of((int) (long) LONG.getAcquire(m, r + WSTATE)),
                    (int) (long) LONG.getAcquire(m, r + INCARNATION),
                    (long) LONG.getAcquire(m, r + HEARTBEAT), (long) LONG.getAcquire(m, r + JOBS_DONE)));
        }
        return new PoolSnapshot(poolName, segment.header().creatorPid(), segment.isCreatorAlive(),
                PoolState.of((int) (long) LONG.getAcquire(m, STATE)), (long) LONG.getAcquire(m, CREATED), c, rows);
    }

    private long row(int worker) {
        if (worker < 0 || worker >= workers) {
            throw new IpcException(Reason.INVALID_ARGUMENT, "worker index " + worker + " is not in 0.." + (workers - 1));
        }
        return ROWS + (long) worker * ROW_BYTES;
    }

    /** Unmaps (the creator also unlinks). Idempotent. */
    @Override
    public void close() {
        segment.close();
    }
}
