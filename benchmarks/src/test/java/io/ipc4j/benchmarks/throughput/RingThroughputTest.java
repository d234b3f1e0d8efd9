package io.ipc4j.benchmarks.throughput;

import io.ipc4j.IpcException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared-ring streaming run against a real child JVM. */
class RingThroughputTest {
    private static Set<String> ours() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ipc4j-bench-ring-" + ProcessHandle.current().pid() + "-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void streamsAndChecksEveryMessage() throws IOException {
        Set<String> before = ours();
        // 5000 bytes: not a multiple of 8, so records wrap around the ring at odd places
        ThroughputResult r = Throughputs.run(RingThroughput.NAME, 5000, 3000, 300, Duration.ofSeconds(20));
        assertEquals("shm-ring", r.transport());
        assertEquals(5000, r.frameBytes());
        assertEquals(3000, r.frames());
        assertTrue(r.nanos() > 0);
        String table = ThroughputResult.table(List.of(r));
        assertTrue(table.startsWith("transport") && table.contains("shm-ring"), table);
        assertTrue(ThroughputResult.toJson(List.of(r)).startsWith("[{\"transport\":\"shm-ring\""));
        assertEquals(before, ours(), "/dev/shm changed");
    }

    @Test
    void tooLargeMessagesFailNamingTheMaximum() {
        IpcException e = assertThrows(IpcException.class,
                () -> RingThroughput.run(RingThroughput.MAX_MESSAGE + 1, 1, 0, Duration.ofSeconds(1)));
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("32 MiB"), e.getMessage());
        assertEquals(RingThroughput.MAX_MESSAGE, Throughputs.maxMessage("shm-ring"));
        assertThrows(IpcException.class, () -> Throughputs.maxMessage("carrier-pigeon"));
    }

    @Test
    void capacityHoldsEightMessages() {
        assertEquals(1 << 20, RingThroughput.capacity(64));
        assertEquals(1 << 20, RingThroughput.capacity(128 << 10));
        assertEquals(2 << 20, RingThroughput.capacity((128 << 10) + 1));
        assertEquals(256 << 20, RingThroughput.capacity(RingThroughput.MAX_MESSAGE));
        assertEquals(2000, Throughputs.defaultMessages(64 << 20));
        assertEquals(1_000_000, Throughputs.defaultMessages(64));
    }
}
