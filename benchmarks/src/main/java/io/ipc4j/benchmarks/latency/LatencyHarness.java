package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.process.JvmCommand;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures round-trip latency between this JVM and a child JVM over one {@link Transport}.
 *
 * <pre>{@code
 * LatencyResult r = new LatencyHarness(LatencyOptions.of("spin").withMessages(100_000)).run();
 * System.out.print(LatencyResult.table(List.of(r)));
 * }</pre>
 *
 * <p>A run opens the transport's parent endpoint, spawns {@link ChildMain} in a JVM like this one
 * ({@link JvmCommand}), waits for it to connect, performs {@code warmup} unrecorded round trips,
 * then {@code messages} round trips each timed with {@link System#nanoTime()} and recorded in an
 * HdrHistogram (3 significant digits, up to {@link #HIGHEST_TRACKABLE_NS}), and finally stops the
 * child.
 *
 * <p><b>Two modes.</b> By default the round trips run back to back (one message in flight, the
 * next sent as soon as the echo arrives: the maximum rate), and each is timed on its own. With
 * {@link LatencyOptions#rate()} &gt; 0 the parent sends on a fixed schedule instead
 * ({@link FixedRateSchedule}): message {@code i} is due at {@code start + i / rate}; the parent parks
 * (and spins only for the last {@value FixedRateSchedule#SPIN_NANOS} ns) until then, and latency is
 * measured from the <i>intended</i> send time, so a stall counts against every message it delayed
 * (coordinated-omission correction). The result then carries both the corrected and the
 * uncorrected histogram. The warm-up always runs back to back.
 *
 * <p><b>Sizes.</b> A payload above the transport's {@link Transport#maxPayloadSize()} fails up
 * front with a one-line error naming the maximum. Buffers are allocated once per run, so memory is
 * bounded by a few times the payload size on each side; for payloads above
 * {@value #DIRECT_MEMORY_THRESHOLD} bytes the child JVM gets a direct-memory limit large enough for
 * them ({@code -XX:MaxDirectMemorySize}, before the caller's child options, which may override it).
 *
 * <p>Every wait is bounded: a child that dies or stays silent longer than the timeout fails the run
 * with an {@link IpcException} that carries the tail of the child's output. Whatever the outcome,
 * the child is killed and the endpoint closed (its segments unlinked), also on Ctrl-C (a shutdown
 * hook does it while the run is in progress). The child dies with this JVM (parent-death signal).
 *
 * <p>Call {@link #run()} from a thread that lives until it returns: the child's parent-death
 * signal fires when the spawning thread exits.
 */
public final class LatencyHarness {
    /** Largest recordable round trip; longer ones are recorded as this. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    /** Significant digits of the histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final int LOG_TAIL_BYTES = 32 * 1024;
    /** Payload size above which the child JVM gets an explicit direct-memory limit. */
    static final int DIRECT_MEMORY_THRESHOLD = 4 << 20;
    /** Options put before the user's for children of {@link Transport#usesChildStdio()} transports. */
    static final List<String> STDIO_CHILD_JVM_OPTIONS = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");

    private final LatencyOptions options;

    /**
     * @param options what to run
     */
    public LatencyHarness(LatencyOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** @return the options */
    public LatencyOptions options() {
        return options;
    }

    /**
     * Runs the benchmark.
     *
     * @return the measured latencies
     * @throws IpcException when the transport cannot be set up, or the child fails, dies or times out
     */
    public LatencyResult run() {
        Transport transport = Transports.byName(options.transport());
        if (options.payloadSize() > transport.maxPayloadSize()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "latency benchmark: transport '"
                    + transport.name() + "' carries at most " + transport.maxPayloadSize() + " bytes ("
                    + io.ipc4j.shm.Bytes.format(transport.maxPayloadSize()) + ") per message, asked for "
                    + options.payloadSize());
        }
        ParentEndpoint endpoint = transport.openParent(options.payloadSize(), options.timeout());
        AtomicReference<Process> childRef = new AtomicReference<>();
        AtomicBoolean shuttingDown = new AtomicBoolean();
        AtomicReference<Path> logRef = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            shuttingDown.set(true);
            Process p = childRef.get();
            if (p != null) {
                p.destroyForcibly();
            }
            endpoint.close();
            Path l = logRef.get();
            if (l != null) {
                l.toFile().delete();
            }
        }, "ipc4j-latency-cleanup");
        Path log = null;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            log = Files.createTempFile("ipc4j-latency-child-", ".log");
            logRef.set(log);
            Process child = spawn(transport, endpoint, log);
            childRef.set(child);
            return measure(transport, endpoint, child, log);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "latency benchmark: cannot start the child JVM: " + e, e);
        } catch (RuntimeException e) {
            if (shuttingDown.get()) {
                // the hook closed the endpoint under our feet: say why instead of "Already closed"
                throw new IpcException(IpcException.Reason.CLOSED,
                        "latency benchmark: stopped because the JVM is shutting down (signal)", e);
            }
            throw e;
        } finally {
            Process child = childRef.get();
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
                waitQuietly(child);
            }
            endpoint.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException hooksAlreadyRunning) {
                // the hook runs anyway
            }
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file; not worth failing the run
                }
            }
        }
    }

    private Process spawn(Transport transport, ParentEndpoint endpoint, Path log) throws IOException {
        List<String> args = new ArrayList<>();
        args.add(transport.name());
        args.add(Long.toString(ProcessHandle.current().pid()));
        args.add(Long.toString(options.timeout().toMillis()));
        args.addAll(endpoint.childArgs());
        JvmCommand jvm = JvmCommand.forMain(ChildMain.class);
        if (transport.usesChildStdio()) {
            // stdout is the channel: the JVM's own log messages (warnings go to stdout by default) must not land there
            jvm.jvmOptions(STDIO_CHILD_JVM_OPTIONS);
        }
        if (options.payloadSize() > DIRECT_MEMORY_THRESHOLD) {
            // stream transports hold a few direct buffers of the message size; the default limit (= -Xmx) is too small
            long limit = 4L * options.payloadSize() + (64L << 20);
            jvm.jvmOptions(List.of("-XX:MaxDirectMemorySize=" + limit));
        }
        jvm.jvmOptions(transport.jvmOptions());
        List<String> cmd = jvm.jvmOptions(options.childJvmOptions())
                .args(args.toArray(String[]::new))
                .build();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (transport.usesChildStdio()) {
            pb.redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(log.toFile());
        } else {
            pb.redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process child = pb.start();
        try {
            endpoint.attachChild(child);
        } catch (RuntimeException e) {
            child.destroyForcibly();
            throw e;
        }
        return child;
    }

    private LatencyResult measure(Transport transport, ParentEndpoint endpoint, Process child, Path log) {
        Peer peer = new ChildPeer(child);
        try {
            endpoint.awaitReady(peer, options.startupTimeout());
        } catch (IpcException e) {
            throw new IpcException(e.reason(), e.getMessage() + childOutput(child, log), e);
        }
        long total = options.warmup() + options.messages();
        long seq = 0;
        for (long i = 0; i < options.warmup(); i++) {
            ParentEndpoint.Status s = endpoint.roundTrip(++seq);
            if (s != ParentEndpoint.Status.OK) {
                throw failure(transport, s, seq, total, child, log);
            }
        }
        Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        if (options.fixedRate()) {
            Histogram uncorrected = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
            long first = seq + 1;
            FixedRateSchedule schedule = new FixedRateSchedule(options.rate());
            ParentEndpoint.Status s = schedule.run(options.messages(), FixedRateSchedule.systemClock(),
                    i -> endpoint.roundTrip(first + i), histogram, uncorrected);
            if (s != ParentEndpoint.Status.OK) {
                // the failed message is the one after the last recorded
                throw failure(transport, s, first + histogram.getTotalCount(), total, child, log);
            }
            endpoint.stop();
            awaitExit(child, log);
            return LatencyResult.of(transport.name(), options.payloadSize(), options.warmup(), options.rate(),
                    histogram, uncorrected);
        }
        for (long i = 0; i < options.messages(); i++) {
            long start = System.nanoTime();
            ParentEndpoint.Status s = endpoint.roundTrip(++seq);
            long rtt = System.nanoTime() - start;
            if (s != ParentEndpoint.Status.OK) {
                throw failure(transport, s, seq, total, child, log);
            }
            histogram.recordValue(Math.min(rtt, HIGHEST_TRACKABLE_NS));
        }
        endpoint.stop();
        awaitExit(child, log);
        return LatencyResult.of(transport.name(), options.payloadSize(), options.warmup(), histogram);
    }

    private void awaitExit(Process child, Path log) {
        boolean exited;
        try {
            exited = child.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(IpcException.Reason.TIMEOUT, "latency benchmark: interrupted waiting for the child", e);
        }
        if (!exited) {
            throw new IpcException(IpcException.Reason.TIMEOUT, "latency benchmark: the child JVM (pid " + child.pid()
                    + ") did not exit within " + options.timeout().toMillis() + " ms of the stop message"
                    + childOutput(child, log));
        }
        if (child.exitValue() != 0) {
            throw new IpcException(IpcException.Reason.PEER_CLOSED, "latency benchmark: the child JVM (pid "
                    + child.pid() + ") exited with code " + child.exitValue() + childOutput(child, log));
        }
    }

    private IpcException failure(Transport transport, ParentEndpoint.Status status, long seq, long total,
                                 Process child, Path log) {
        String where = "latency benchmark (" + transport.name() + "): round trip " + seq + " of " + total + ": ";
        if (status == ParentEndpoint.Status.PEER_DEAD) {
            waitQuietly(child);
            String code = child.isAlive() ? "" : " (exit code " + child.exitValue() + ")";
            return new IpcException(IpcException.Reason.PEER_CLOSED,
                    where + "the child JVM (pid " + child.pid() + ") died" + code + childOutput(child, log));
        }
        return new IpcException(IpcException.Reason.TIMEOUT, where + "no answer from the child JVM (pid "
                + child.pid() + ") within " + options.timeout().toMillis() + " ms" + childOutput(child, log));
    }

    private static void waitQuietly(Process p) {
        try {
            p.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines the child printed, as a suffix for an error message ("" when none). */
    private static String childOutput(Process child, Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, LOG_TAIL_BYTES);
            byte[] tail = new byte[n];
            f.seek(len - n);
            f.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            String[] lines = text.split("\n");
            String shown = lines[lines.length - 1].strip();
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith(ChildMain.ERROR_PREFIX)) {
                    shown = lines[i].strip();
                    break;
                }
            }
            return "; child said: " + shown;
        } catch (IOException e) {
            return "";
        }
    }

    /** The child process as the parent sees it. */
    private record ChildPeer(Process process) implements Peer {
        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public String description() {
            return "child JVM (pid " + process.pid() + ")";
        }
    }
}
