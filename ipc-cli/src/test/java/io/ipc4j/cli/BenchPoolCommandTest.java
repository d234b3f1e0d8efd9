package io.ipc4j.cli;

import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench pool}: help, usage errors, and a tiny real run (pool, serialization and futex children are real JVMs). */
@ExtendWith(ShmLeakCheck.class)
class BenchPoolCommandTest {
    @TempDir
    Path tmp;

    @Test
    void helpNamesTheOptionsAndTheJsonKeys() {
        CliRun r = CliRun.of("bench", "pool", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        for (String s : new String[] {"--jobs", "--size", "--messages", "--warmup", "--json", "serialization_p50_ns",
                "futex_p50_ns"}) {
            assertTrue(r.out().contains(s), s + " missing: " + r);
        }
        assertTrue(CliRun.of("bench", "--help").out().contains("pool"));
    }

    @Test
    void badSettingsAreUsageErrors() {
        assertEquals(2, CliRun.of("bench", "pool", "--jobs", "0").exitCode());
        assertEquals(2, CliRun.of("bench", "pool", "--size", "1023").exitCode());
        assertEquals(2, CliRun.of("bench", "pool", "--messages", "0").exitCode());
    }

    @Test
    void tinyRunMeasuresBothFiguresAndWritesJson() throws IOException {
        Path json = tmp.resolve("pool.json");
        CliRun r = CliRun.of("bench", "pool", "--jobs", "3", "--size", "64KiB", "--messages", "200", "--warmup", "50",
                "--handoff-messages", "40", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("results verified: yes"), r.toString());
        assertTrue(r.out().contains("64 KiB job: pool vs serialization queue"), r.toString());
        assertTrue(r.out().contains("64 B job: pool vs futex transport"), r.toString());
        assertTrue(r.out().contains("64 KiB hand-off: pool vs java-serialization"), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("pool ")) && r.out().lines().anyMatch(l -> l.startsWith("futex ")),
                r.toString());
        String text = Files.readString(json);
        assertTrue(text.startsWith("{\"big_job\":{\"jobs\":3,\"warmup\":10,\"size\":65536,"), text);
        assertTrue(text.contains("\"verified\":true") && text.contains("\"small_job\":{\"messages\":200,\"warmup\":50,\"size\":64,"),
                text);
        assertTrue(text.contains("\"handoff\":{\"messages\":40,\"size\":65536,"), text);
    }
}
