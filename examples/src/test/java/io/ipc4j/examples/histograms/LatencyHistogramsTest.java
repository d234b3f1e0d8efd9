package io.ipc4j.examples.histograms;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example end to end with a few messages and real child JVMs. */
class LatencyHistogramsTest {
    private static Set<String> ours() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("-" + ProcessHandle.current().pid() + "-")).collect(Collectors.toSet());
        }
    }

    @Test
    void writesHgrmFilesPlotAndSummary(@TempDir Path dir) throws IOException {
        Set<String> before = ours();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Path outDir = dir.resolve("h");
        LatencyHistograms.Summary s = LatencyHistograms.run(outDir, List.of("spin", "futex"), 300, out);

        assertEquals(List.of(outDir.resolve("spin.hgrm"), outDir.resolve("futex.hgrm"), outDir.resolve("latency.png")),
                s.files());
        for (Path f : s.files()) {
            assertTrue(Files.size(f) > 0, f.toString());
        }
        assertTrue(Files.readString(outDir.resolve("spin.hgrm")).matches("(?s).*Total count\\s+=\\s+300].*"),
                Files.readString(outDir.resolve("spin.hgrm")));
        assertEquals(2, s.results().size());
        assertEquals(300, s.results().getFirst().histogram().getTotalCount());
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("spin") && text.contains("futex") && text.contains("p99") && text.contains("wrote 3 files"),
                text);
        assertEquals(before, ours(), "/dev/shm changed");
    }
}
