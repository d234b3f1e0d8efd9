package io.ipc4j.examples.serialization;

import io.ipc4j.IpcException;
import io.ipc4j.process.JvmCommand;
import io.ipc4j.tensor.DType;
import io.ipc4j.workerpool.JobRequest;
import io.ipc4j.workerpool.JobResult;
import io.ipc4j.workerpool.PoolContext;
import io.ipc4j.workerpool.TensorLoan;
import io.ipc4j.workerpool.WorkerPool;
import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Example {@code replace-serialization-queue}: one job pipeline written twice.
 *
 * <ol>
 * <li><b>The usual way.</b> A worker JVM ({@link SerializationWorker}) serves a job queue over a
 * Unix domain socket. Each job is a {@link StatsJob} (an id and a {@code float[]} of the input)
 * written with an {@link ObjectOutputStream}; the worker deserializes it, computes {@link Stats}
 * and writes the small result object back. Every job's input is serialized, copied through the
 * kernel and deserialized into a fresh array.</li>
 * <li><b>With ipc4j.</b> A {@link WorkerPool} with one worker running {@link StatsHandler}. The
 * caller {@linkplain WorkerPool#loan loans} a slot of the pool's shared slab, writes the input
 * floats there in place, and submits the job: only a descriptor crosses to the worker, which
 * computes the same {@link Stats} straight from the slot and replies with 24 bytes.</li>
 * </ol>
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.start(new PoolContext().handler(StatsHandler.class).workers(1)
 *         .slab(4 << 20, 4))) {
 *     try (TensorLoan x = pool.loan(DType.F32, 1 << 20)) {
 *         Stats.fill(id, x.tensor().segment());                       // produce the input in place
 *         try (JobResult r = pool.submit(JobRequest.create().input(x).payload(idBytes)).join()) {
 *             Stats s = Stats.fromBytes(r.reply());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Both sides' results are checked against a reference computed in the caller. Each side's
 * clock starts when a job's input is ready (in the caller's {@code float[]}, or in the loaned
 * slot) and stops when the caller holds the result; the round trips are recorded in an
 * HdrHistogram after a warm-up. Both worker JVMs run with {@link #WORKER_JVM_OPTIONS}.
 */
public final class ReplaceSerializationQueue {
    /** Default measured jobs per side. */
    public static final int DEFAULT_JOBS = 200;
    /** Default input bytes per job: 4 MiB, one million floats. */
    public static final int DEFAULT_SIZE_BYTES = 4 << 20;
    /**
     * JVM options of both worker JVMs: the pool's {@link PoolContext#SMALL_WORKER_JVM_OPTIONS}
     * (serial GC, two compiler threads with C2, small code cache) with a heap big enough for the
     * serialization worker, which deserializes a fresh input array per job.
     */
    public static final List<String> WORKER_JVM_OPTIONS = workerJvmOptions();

    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ReplaceSerializationQueue() {
    }

    /**
     * What a run measured.
     *
     * @param jobs                measured jobs per side
     * @param warmup              unrecorded jobs per side before them
     * @param sizeBytes           input bytes per job
     * @param serializationP50Ns  median round trip of the serialization queue
     * @param serializationP99Ns  its 99th percentile
     * @param poolP50Ns           median round trip of the worker pool
     * @param poolP99Ns           its 99th percentile
     * @param ratio               {@code serializationP50Ns / poolP50Ns}
     * @param verified            whether every result of both sides equalled the caller's reference
     */
    public record Result(int jobs, int warmup, int sizeBytes, long serializationP50Ns, long serializationP99Ns,
                         long poolP50Ns, long poolP99Ns, double ratio, boolean verified) {
        /** @return {@code serializationP99Ns / poolP99Ns} */
        public double ratioP99() {
            return (double) serializationP99Ns / Math.max(1, poolP99Ns);
        }
    }

    /**
     * Runs both sides with the defaults, or {@code [JOBS [SIZE_BYTES]]}; exits 1 when a result was wrong.
     *
     * @param args optional job count and input size in bytes
     */
    public static void main(String[] args) {
        int jobs;
        int size;
        try {
            jobs = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_JOBS;
            size = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_SIZE_BYTES;
        } catch (NumberFormatException e) {
            System.err.println("replace-serialization-queue: JOBS and SIZE_BYTES must be numbers (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }
        try {
            Result r = run(jobs, size, System.out);
            System.exit(r.verified() ? 0 : 1);
        } catch (IpcException e) {
            System.err.println("replace-serialization-queue: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Runs the serialization queue, then the worker pool, each with its own worker JVM, and prints
     * what each side does, their round trips and the ratio.
     *
     * @param jobs      measured jobs per side, &gt;= 1 (half as many, at least 10, warm up first)
     * @param sizeBytes input bytes per job: a positive multiple of 4
     * @param out       where to print
     * @return the figures
     * @throws IpcException INVALID_ARGUMENT for bad settings; OS_ERROR, NOT_READY, ... when a worker fails
     */
    public static Result run(int jobs, int sizeBytes, PrintStream out) {
        if (jobs < 1) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "jobs must be >= 1, not " + jobs);
        }
        if (sizeBytes < 4 || sizeBytes % 4 != 0) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    "the input size must be a positive multiple of 4 bytes, not " + sizeBytes);
        }
        int warmup = Math.max(10, jobs / 2);
        int floats = sizeBytes / Float.BYTES;
        out.printf(Locale.ROOT, "replace-serialization-queue: %d jobs of %s (%d floats) per side after %d warm-up jobs%n",
                jobs, sizeText(sizeBytes), floats, warmup);
        out.println("  serialization: caller writes StatsJob{id, float[]} with ObjectOutputStream (reset per job) to a");
        out.println("                 Unix domain socket; a worker JVM deserializes it, computes, writes a Stats object back");
        out.println("  ipc4j pool   : caller loans a slab slot, writes the floats in place, submits; the pool's worker JVM");
        out.println("                 reads the slot in place, computes, replies with 24 bytes");
        out.println("  computation  : sum and sum of squares of every input float (same code on both sides)");
        out.println("  clock        : from input ready (in the float[] / in the loaned slot) to result in the caller's hands");
        out.println("  worker JVMs  : " + String.join(" ", WORKER_JVM_OPTIONS));
        out.flush();
        Side serialization = runSerializationQueue(jobs, warmup, floats);
        Side pool = runPool(jobs, warmup, floats);
        long sp50 = serialization.histogram.getValueAtPercentile(50);
        long sp99 = serialization.histogram.getValueAtPercentile(99);
        long pp50 = pool.histogram.getValueAtPercentile(50);
        long pp99 = pool.histogram.getValueAtPercentile(99);
        Result r = new Result(jobs, warmup, sizeBytes, sp50, sp99, pp50, pp99, (double) sp50 / Math.max(1, pp50),
                serialization.wrong == 0 && pool.wrong == 0);
        out.printf(Locale.ROOT, "  %-22s %12s %12s%n", "round trip", "p50 us", "p99 us");
        out.printf(Locale.ROOT, "  %-22s %12.1f %12.1f%n", "serialization queue", sp50 / 1e3, sp99 / 1e3);
        out.printf(Locale.ROOT, "  %-22s %12.1f %12.1f%n", "ipc4j worker pool", pp50 / 1e3, pp99 / 1e3);
        out.printf(Locale.ROOT, "  %-22s %11.1fx %11.1fx%n", "ratio", r.ratio(), r.ratioP99());
        out.printf(Locale.ROOT, "  results verified: %s%n", r.verified() ? "yes"
                : "NO (" + serialization.wrong + " serialization, " + pool.wrong + " pool results differ)");
        out.flush();
        return r;
    }

    /** One side's measured round trips and how many results were wrong. */
    private record Side(Histogram histogram, int wrong) {
    }

    // ---------------------------------------------------------------- the usual way

    private static Side runSerializationQueue(int jobs, int warmup, int floats) {
        Histogram h = new Histogram(HIGHEST_NS, 3);
        int wrong = 0;
        Path dir = null;
        Process worker = null;
        try {
            dir = Files.createTempDirectory("ipc4j-serialization-");
            Path socket = dir.resolve("queue.sock");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                worker = new ProcessBuilder(JvmCommand.forMain(SerializationWorker.class).jvmOptions(WORKER_JVM_OPTIONS)
                        .args(socket.toString(), Integer.toString(floats)).build()).inheritIO().start();
                try (SocketChannel ch = accept(server, worker)) {
                    SocketChannel channel = ch;
                    worker.onExit().thenRun(() -> closeQuietly(channel));  // a dead worker fails the read, never hangs it
                    ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
                    out.flush();
                    ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16));
                    in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
                            "maxarray=0;maxdepth=4;" + Stats.class.getName() + ";!*"));
                    float[] values = new float[floats];
                    MemorySegment view = MemorySegment.ofArray(values);
                    for (int k = 0; k < warmup + jobs; k++) {
                        long id = k + 1;
                        Stats.fill(id, view);                        // the input, ready in a float[]
                        Stats reference = Stats.of(id, view);
                        long t0 = System.nanoTime();
                        out.writeObject(new StatsJob(id, values));
                        out.reset();                                 // forget the array: the next job is sent in full
                        out.flush();
                        Stats result = (Stats) in.readObject();
                        long t1 = System.nanoTime();
                        if (k >= warmup) {
                            h.recordValue(Math.min(t1 - t0, HIGHEST_NS));
                        }
                        wrong += result.equals(reference) ? 0 : 1;
                    }
                    out.writeObject(null);                           // stop
                    out.flush();
                }
            }
            if (!worker.waitFor(10, TimeUnit.SECONDS)) {
                throw new IpcException(IpcException.Reason.TIMEOUT, "the serialization worker did not stop");
            }
            return new Side(h, wrong);
        } catch (IOException | ClassNotFoundException e) {
            String why = worker != null && !worker.isAlive() ? " (worker exited with " + worker.exitValue() + ")" : "";
            throw new IpcException(IpcException.Reason.OS_ERROR, "serialization queue failed: " + e + why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(IpcException.Reason.CLOSED, "interrupted", e);
        } finally {
            if (worker != null && worker.isAlive()) {
                worker.destroyForcibly();
            }
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("queue.sock"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temp directory: best effort
                }
            }
        }
    }

    /** Waits for the worker to connect, at most {@link #CONNECT_TIMEOUT_NANOS}, failing early if it dies. */
    private static SocketChannel accept(ServerSocketChannel server, Process worker) throws IOException, InterruptedException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
        while (true) {
            SocketChannel ch = server.accept();
            if (ch != null) {
                ch.configureBlocking(true);
                return ch;
            }
            if (!worker.isAlive()) {
                throw new IOException("the serialization worker exited with " + worker.exitValue() + " before connecting");
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the serialization worker did not connect within 60 s");
            }
            Thread.sleep(2);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    // ---------------------------------------------------------------- with ipc4j

    private static Side runPool(int jobs, int warmup, int floats) {
        Histogram h = new Histogram(HIGHEST_NS, 3);
        int wrong = 0;
        int slotBytes = (int) ((floats * 4L + 63) / 64 * 64);
        PoolContext ctx = new PoolContext()
                .handler(StatsHandler.class)
                .workers(1)
                .slab(slotBytes, 4)                                  // room for the job's input
                .workerJvmOptions(WORKER_JVM_OPTIONS);
        try (WorkerPool pool = WorkerPool.start(ctx)) {
            byte[] idBytes = new byte[Long.BYTES];
            for (int k = 0; k < warmup + jobs; k++) {
                long id = k + 1;
                try (TensorLoan x = pool.loan(DType.F32, floats)) {
                    MemorySegment input = x.tensor().segment();
                    Stats.fill(id, input);                           // the input, ready in shared memory
                    Stats reference = Stats.of(id, input);
                    ByteBuffer.wrap(idBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, id);
                    long t0 = System.nanoTime();
                    Stats result;
                    try (JobResult r = pool.submit(JobRequest.create().input(x).payload(idBytes)).join()) {
                        result = Stats.fromBytes(r.reply());
                    }
                    long t1 = System.nanoTime();
                    if (k >= warmup) {
                        h.recordValue(Math.min(t1 - t0, HIGHEST_NS));
                    }
                    wrong += result.equals(reference) ? 0 : 1;
                }
            }
        }
        return new Side(h, wrong);
    }

    private static List<String> workerJvmOptions() {
        List<String> opts = new ArrayList<>();
        for (String o : PoolContext.SMALL_WORKER_JVM_OPTIONS) {
            if (!o.startsWith("-Xms") && !o.startsWith("-Xmx")) {
                opts.add(o);
            }
        }
        opts.add("-Xms64m");
        opts.add("-Xmx256m");
        return List.copyOf(opts);
    }

    private static String sizeText(int bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
