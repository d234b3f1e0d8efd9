package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.shm.SharedSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

/** Runs the spin transport against a real child JVM. */
class LatencyHarnessTest {
    private static final String PREFIX = "ipc4j-bench-spin-" + ProcessHandle.current().pid() + "-";

    private Set<String> before;

    @BeforeEach
    void snapshot() throws IOException {
        before = shmNames();
    }

    @AfterEach
    void leavesDevShmAsFound() throws IOException {
        assertEquals(before, shmNames(), "/dev/shm changed");
    }

    private static Set<String> shmNames() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).collect(Collectors.toSet());
        }
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

    @Test
    void childKilledMidRunFailsInsteadOfHanging() throws Exception {
        LatencyOptions options = LatencyOptions.of("spin").withMessages(Long.MAX_VALUE / 8).withWarmup(0);
        CompletableFuture<LatencyResult> run = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                run.complete(new LatencyHarness(options).run());
            } catch (Throwable t) {
                run.completeExceptionally(t);
            }
        }, "latency-run");
        runner.start();

        // wait until round trips are flowing: the pong sequence in the run's segment is > 0
        String name = awaitSegment(run);
        try (SharedSegment seg = SharedSegment.open(name)) {
            while (!run.isDone() && (long) SpinLayout.LONG.getAcquire(seg.memory(), SpinLayout.PONG_SEQ) <= 100) {
                Thread.sleep(5);
            }
        } catch (IpcException segmentAlreadyGone) {
            // the run ended before we could look; the assertions below say how
        }
        List<ProcessHandle> children = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(ChildMain.class.getName())).toList();
        assertEquals(1, children.size(), "latency child processes: " + children);
        assertTrue(children.getFirst().destroyForcibly());

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> run.get(60, TimeUnit.SECONDS));
        IpcException ipc = assertInstanceOf(IpcException.class, e.getCause());
        assertEquals(IpcException.Reason.PEER_CLOSED, ipc.reason(), ipc.getMessage());
        assertTrue(ipc.getMessage().contains("died"), ipc.getMessage());
        runner.join();
    }

    private static String awaitSegment(CompletableFuture<?> run) throws Exception {
        while (!run.isDone()) {
            try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
                var found = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            Thread.sleep(5);
        }
        run.get(); // rethrows why the run ended early
        throw new AssertionError("run ended before its segment appeared");
    }

    @Test
    void unknownTransportIsRejected() {
        IpcException e = org.junit.jupiter.api.Assertions.assertThrows(IpcException.class,
                () -> new LatencyHarness(LatencyOptions.of("carrier-pigeon").withMessages(1)).run());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("known: spin"), e.getMessage());
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
