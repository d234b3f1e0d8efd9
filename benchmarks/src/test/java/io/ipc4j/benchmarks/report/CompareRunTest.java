package io.ipc4j.benchmarks.report;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.latency.LatencyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CompareReport#run} with two quick transports and real child JVMs. */
class CompareRunTest {
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    static Set<String> ours() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains("-" + PID + "-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void spinAndUdsProduceEveryFile(@TempDir Path dir) throws IOException {
        Set<String> before = ours();
        List<String> progress = new ArrayList<>();
        LatencyOptions o = LatencyOptions.of("spin").withMessages(400).withWarmup(100).withPayloadSize(8);
        CompareReport report = CompareReport.run(List.of("spin", "uds"), o, progress::add);
        assertEquals(2, progress.size(), progress.toString());
        assertEquals(List.of("spin", "uds"), report.results().stream().map(r -> r.transport()).toList());
        for (var r : report.results()) {
            assertEquals(400, r.messages());
            assertEquals(8, r.size());
        }
        Path out = dir.resolve("cmp");
        report.writeTo(out);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(Set.of("compare.md", "spin.hgrm", "uds.hgrm", "latency.png"),
                    s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        String md = Files.readString(out.resolve("compare.md"));
        assertTrue(md.contains("| spin |") && md.contains("| uds |") && md.contains("× spin"), md);
        assertEquals(before, ours(), "/dev/shm changed");
    }

    @Test
    void unknownOrRepeatedTransportsFailBeforeRunning() {
        LatencyOptions o = LatencyOptions.of("spin").withMessages(10);
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, assertThrows(IpcException.class,
                () -> CompareReport.run(List.of("spin", "nope"), o, s -> { })).reason());
        assertEquals(IpcException.Reason.INVALID_ARGUMENT, assertThrows(IpcException.class,
                () -> CompareReport.run(List.of("spin", "spin"), o, s -> { })).reason());
    }
}
