package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixProcess;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every transport against a real child JVM. */
class LatencyHarnessTest {
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private Set<String> before;

    @BeforeEach
    void snapshot() throws IOException {
        before = BlockingTransportsTest.leftovers();
    }

    @AfterEach
    void leavesDevShmAsFound() throws IOException {
        assertEquals(before, BlockingTransportsTest.leftovers(), "/dev/shm or the temp dir changed");
    }

    @Test
    void spinRunProducesSaneResultJsonAndHgrm(@TempDir Path dir) throws IOException {
        LatencyOptions options = LatencyOptions.of("spin").withMessages(2000).withWarmup(500).withPayloadSize(100);
        LatencyResult r = new LatencyHarness(options).run();

        assertEquals("spin", r.transport());
        assertEquals(2000, r.messages());
        assertEquals(2000, r.histogram().getTotalCount());
        assertEquals(100, r.size());
        assertEquals(500, r.warmup());
        assertTrue(r.minNs() > 0, "min " + r.minNs());
        assertTrue(r.minNs() <= r.p50Ns() && r.p50Ns() <= r.p90Ns() && r.p90Ns() <= r.p99Ns()
                && r.p99Ns() <= r.p999Ns() && r.p999Ns() <= r.maxNs(), r.toString());

        Map<String, String> json = parseFlatJson(r.toJson());
        List<String> keys = List.of("transport", "messages", "size", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns");
        assertEquals(keys, json.keySet().stream().limit(keys.size()).toList(), "key order: " + r.toJson());
        assertEquals("\"spin\"", json.get("transport"));
        assertEquals("2000", json.get("messages"));
        assertEquals("100", json.get("size"));
        assertEquals(Long.toString(r.p50Ns()), json.get("p50_ns"));
        assertEquals(Long.toString(r.p999Ns()), json.get("p999_ns"));
        assertEquals(Long.toString(r.maxNs()), json.get("max_ns"));

        Path jsonFile = dir.resolve("r.json");
        r.writeJson(jsonFile);
        assertEquals(r.toJson(), Files.readString(jsonFile).strip());

        Path hgrm = dir.resolve("r-us.hgrm");
        r.writeHgrm(hgrm);
        String text = Files.readString(hgrm);
        assertTrue(text.contains("Value") && text.contains("Percentile") && text.contains("#[Mean"), text);
        assertTrue(text.contains("#[Max     =") || text.contains("#[Max ="), text);
        // values are in microseconds: the reported max is max_ns / 1000
        Matcher m = Pattern.compile("#\\[Max\\s*=\\s*([0-9.]+)").matcher(text);
        assertTrue(m.find(), text);
        assertEquals(r.maxNs() / 1000.0, Double.parseDouble(m.group(1)), r.maxNs() / 1000.0 * 0.01 + 0.01);

        String table = LatencyResult.table(List.of(r));
        assertTrue(table.lines().count() == 2 && table.contains("spin") && table.contains("p99.9 us"), table);
    }

    @Test
    void zeroPayloadWorks() {
        LatencyResult r = new LatencyHarness(LatencyOptions.of("spin").withMessages(200).withWarmup(0)
                .withPayloadSize(0)).run();
        assertEquals(200, r.messages());
        assertEquals(0, r.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spin-floor", "futex", "hybrid", "posix-sem", "fifo", "pipe", "uds", "tcp", "uds-raw", "pipe-raw"})
    void everyTransportGivesSaneMonotonePercentiles(String transport) {
        LatencyResult r = new LatencyHarness(LatencyOptions.of(transport).withMessages(2000).withWarmup(200)
                .withPayloadSize(100)).run();
        assertEquals(transport, r.transport());
        assertEquals(2000, r.histogram().getTotalCount());
        assertTrue(r.minNs() > 0, "min " + r.minNs());
        assertTrue(r.minNs() <= r.p50Ns() && r.p50Ns() <= r.p90Ns() && r.p90Ns() <= r.p99Ns()
                && r.p99Ns() <= r.p999Ns() && r.p999Ns() <= r.maxNs(), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spin", "futex", "hybrid", "posix-sem", "fifo", "pipe", "uds", "tcp", "uds-raw", "pipe-raw"})
    void childKilledMidRunFailsInsteadOfHanging(String transport) throws Exception {
        IpcException ipc = runAndDisturb(transport, Duration.ofSeconds(10), PosixProcess.SIGKILL);
        assertEquals(IpcException.Reason.PEER_CLOSED, ipc.reason(), ipc.getMessage());
        assertTrue(ipc.getMessage().contains("died"), ipc.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spin", "futex", "hybrid", "posix-sem", "fifo", "pipe", "uds", "tcp", "uds-raw", "pipe-raw"})
    void childStoppedMidRunTimesOut(String transport) throws Exception {
        IpcException ipc = runAndDisturb(transport, Duration.ofMillis(500), SIGSTOP);
        assertEquals(IpcException.Reason.TIMEOUT, ipc.reason(), ipc.getMessage());
        assertTrue(ipc.getMessage().contains("no answer"), ipc.getMessage());
    }

    private static final int SIGSTOP = 19;

    /**
     * Starts an endless run, waits until more than 100 round trips went through, sends the child
     * {@code signal}, and returns the run's exception (it must end within 60 s).
     */
    private static IpcException runAndDisturb(String transport, Duration timeout, int signal) throws Exception {
        LatencyOptions options = LatencyOptions.of(transport).withMessages(Long.MAX_VALUE / 8).withWarmup(0)
                .withTimeout(timeout);
        CompletableFuture<LatencyResult> run = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                run.complete(new LatencyHarness(options).run());
            } catch (Throwable t) {
                run.completeExceptionally(t);
            }
        }, "latency-run");
        runner.start();
        try {
            ProcessHandle child = awaitChild(run);
            while (!run.isDone() && echoes(transport, child) <= 100) {
                Thread.sleep(5);
            }
            assertTrue(PosixProcess.kill((int) child.pid(), signal), "kill " + child.pid());
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> run.get(60, TimeUnit.SECONDS));
            return assertInstanceOf(IpcException.class, e.getCause());
        } finally {
            runner.join(60_000);
        }
    }

    private static ProcessHandle awaitChild(CompletableFuture<?> run) throws Exception {
        while (!run.isDone()) {
            List<ProcessHandle> children = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().orElse("").contains(ChildMain.class.getName())).toList();
            assertTrue(children.size() <= 1, "latency child processes: " + children);
            if (children.size() == 1) {
                return children.getFirst();
            }
            Thread.sleep(5);
        }
        run.get(); // rethrows why the run ended early
        throw new AssertionError("run ended before its child appeared");
    }

    /**
     * Round trips echoed so far, as far as one can see from outside: the pong sequence in the
     * run's segment, or for fifo and the stream transports the child's write system calls (one
     * per echo).
     */
    private static long echoes(String transport, ProcessHandle child) throws IOException {
        if (transport.equals("fifo") || Transports.byName(transport) instanceof StreamTransport) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + child.pid() + "/io"))) {
                    if (line.startsWith("syscw:")) {
                        // the JVM's own start-up writes are far fewer than 5000
                        return Long.parseLong(line.substring(6).strip()) / 50;
                    }
                }
            } catch (IOException gone) {
                return Long.MAX_VALUE; // the run is over; the caller's assertions say how
            }
            return 0;
        }
        String tag = transport.equals("posix-sem") ? "psem" : transport;
        String prefix = "ipc4j-bench-" + tag + "-" + PID + "-";
        Optional<String> name;
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            name = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).findFirst();
        }
        if (name.isEmpty()) {
            return 0;
        }
        try {
            if (transport.equals("spin")) {
                try (SharedSegment seg = SharedSegment.open(name.get())) {
                    return (long) SpinLayout.LONG.getAcquire(seg.memory(), SpinLayout.PONG_SEQ);
                }
            }
            try (DescribedSegment seg = DescribedSegment.open(name.get(), SegmentKind.EVENTS, Duration.ofSeconds(1))) {
                return (long) SpinLayout.LONG.getAcquire(seg.payload(), EventLayout.PONG_SEQ);
            }
        } catch (IpcException segmentAlreadyGone) {
            return Long.MAX_VALUE; // the run ended before we could look; the caller's assertions say how
        }
    }

    @Test
    void unknownTransportIsRejected() {
        IpcException e = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class,
                () -> new LatencyHarness(LatencyOptions.of("carrier-pigeon").withMessages(1)).run());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("known: spin, spin-floor, hybrid, futex, posix-sem, fifo"), e.getMessage());
    }

    @Test
    void badOptionsAreRejected() {
        LatencyOptions base = LatencyOptions.of("spin");
        for (Runnable r : List.<Runnable>of(() -> base.withMessages(0), () -> base.withWarmup(-1),
                () -> base.withPayloadSize(-1), () -> base.withTimeout(Duration.ZERO))) {
            IpcException e = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class, r::run);
            assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        }
    }

    /** A parser for the flat JSON objects {@link LatencyResult#toJson()} writes, keeping key order. */
    static Map<String, String> parseFlatJson(String json) {
        String s = json.strip();
        assertTrue(s.startsWith("{") && s.endsWith("}"), json);
        Matcher m = Pattern.compile("\\s*\"([a-z0-9_]+)\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9]+(?:\\.[0-9]+)?)\\s*(,|$)")
                .matcher(s.substring(1, s.length() - 1));
        Map<String, String> out = new java.util.LinkedHashMap<>();
        int end = 0;
        while (m.find() && m.start() == end) {
            out.put(m.group(1), m.group(2));
            end = m.end();
        }
        assertEquals(s.length() - 2, end, "unparsed JSON after offset " + end + ": " + json);
        return out;
    }
}
