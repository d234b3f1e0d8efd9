package io.ipc4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench compare} and {@code bench throughput} options, in process. */
class BenchCompareCommandTest {
    private static void assertUsageError(CliRun r, String needle) {
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains(needle), r.toString());
    }

    @Test
    void badOptionsAreOneLineUsageErrors(@TempDir Path dir) {
        String out = dir.resolve("o").toString();
        assertUsageError(CliRun.of("bench", "compare", "--transports", "spin,nope", "--out", out), "unknown transport 'nope'");
        assertUsageError(CliRun.of("bench", "compare", "--transports", "spin,spin", "--out", out), "twice");
        assertUsageError(CliRun.of("bench", "compare", "--transports", "spin", "--rate", "0", "--out", out), "--rate");
        assertUsageError(CliRun.of("bench", "compare", "--transports", "spin"), "--out");
        assertUsageError(CliRun.of("bench", "throughput", "--transports", "shm-ring", "--sizes", "64MiB"), "32.0 MiB");
        assertUsageError(CliRun.of("bench", "throughput", "--sizes", "4"), "8 B");
        assertTrue(!Files.exists(dir.resolve("o")));
    }

    @Test
    void compareWritesTheReport(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("cmp");
        CliRun r = CliRun.of("bench", "compare", "--transports", "spin,futex", "--messages", "300", "--size", "64B",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("| spin |") && r.out().contains("| futex |"), r.toString());
        for (String f : new String[]{"compare.md", "spin.hgrm", "futex.hgrm", "latency.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }
}
