package io.ipc4j.benchmarks.throughput;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams to a real child JVM; a killed or stopped child ends the run with an exception. */
class UdsThroughputTest {
    private static final String PID = Long.toString(ProcessHandle.current().pid());
    private Set<String> before;

    static Set<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(UdsThroughput.DIR_PREFIX + PID + "-")
                            || n.startsWith(UdsThroughput.DIR_PREFIX + "child-"))
                    .collect(Collectors.toSet());
        }
    }

    @BeforeEach
    void snapshot() throws IOException {
        before = leftovers();
    }

    @AfterEach
    void leavesNothingBehind() throws IOException {
        assertEquals(before, leftovers());
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 100, 1 << 20})
    void streamsAndIsAcknowledged(int size) {
        ThroughputResult r = UdsThroughput.run(size, 40, 5, Duration.ofSeconds(30));
        assertEquals("uds", r.transport());
        assertEquals(size, r.frameBytes());
        assertEquals(40, r.frames());
        assertEquals(40L * size, r.bytes());
        assertTrue(r.nanos() > 0 && r.gbPerSecond() > 0, r.toString());
        assertTrue(r.toJson().startsWith("{\"transport\":\"uds\",\"size\":" + size + ",\"messages\":40,"), r.toJson());
        assertTrue(r.table().lines().count() == 2, r.table());
    }

    @Test
    void childRejectsWrongFrames() {
        ByteBuffer f = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        f.putLong(0, 3).putLong(32, UdsThroughput.mark(3)).putLong(56, UdsThroughput.mark(3));
        assertEquals(UdsThroughput.mark(3), UdsThroughput.check(f, 3, 64));
        assertEquals(IpcException.Reason.CORRUPT, assertThrows(IpcException.class, () -> UdsThroughput.check(f, 4, 64)).reason());
        f.putLong(56, 0);
        assertEquals(IpcException.Reason.CORRUPT, assertThrows(IpcException.class, () -> UdsThroughput.check(f, 3, 64)).reason());
        assertEquals(IpcException.Reason.CORRUPT,
                assertThrows(IpcException.class, () -> UdsThroughput.check(f.limit(32), 3, 64)).reason());
    }

    @Test
    void badArgumentsAreRejected() {
        for (Runnable r : List.<Runnable>of(() -> UdsThroughput.run(7, 1, 0, Duration.ofSeconds(1)),
                () -> UdsThroughput.run(8, 0, 0, Duration.ofSeconds(1)),
                () -> UdsThroughput.run(8, 1, -1, Duration.ofSeconds(1)),
                () -> UdsThroughput.run(8, 1, 0, Duration.ZERO))) {
            assertEquals(IpcException.Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, r::run).reason());
        }
    }

    @Test
    void killedChildFailsTheRun() throws Exception {
        IpcException e = runAndSignal(PosixProcess.SIGKILL, Duration.ofSeconds(10));
        assertEquals(IpcException.Reason.PEER_CLOSED, e.reason(), e.getMessage());
    }

    @Test
    void stoppedChildTimesOut() throws Exception {
        IpcException e = runAndSignal(19 /* SIGSTOP */, Duration.ofMillis(500));
        assertEquals(IpcException.Reason.TIMEOUT, e.reason(), e.getMessage());
    }

    private static IpcException runAndSignal(int signal, Duration timeout) throws Exception {
        CompletableFuture<ThroughputResult> run = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                run.complete(UdsThroughput.run(64 << 10, Long.MAX_VALUE / 8, 0, timeout));
            } catch (Throwable t) {
                run.completeExceptionally(t);
            }
        }, "throughput-run");
        runner.start();
        try {
            ProcessHandle child = null;
            while (child == null && !run.isDone()) {
                child = ProcessHandle.current().children()
                        .filter(p -> p.info().commandLine().orElse("").contains(UdsThroughputChild.class.getName()))
                        .findFirst().orElse(null);
                Thread.sleep(5);
            }
            assertTrue(child != null, "no child appeared");
            Thread.sleep(300); // let it stream for a while
            assertTrue(PosixProcess.kill((int) child.pid(), signal));
            ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
            return assertInstanceOf(IpcException.class, e.getCause());
        } finally {
            runner.join(60_000);
        }
    }
}
