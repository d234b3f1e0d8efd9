package io.ipc4j.cli;

import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code demo} and {@code bench idle} with small settings, in-process (their workers are real JVMs). */
@ExtendWith(ShmLeakCheck.class)
class DemoAndBenchIdleCommandTest {
    @TempDir
    Path tmp;

    @Test
    void demoRunsVerifiesAndWritesJson() throws IOException {
        Path json = tmp.resolve("demo.json");
        CliRun r = CliRun.of("demo", "--workers", "2", "--weights-mb", "8", "--jobs", "300", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("(?s).*results verified +yes \\(every row of every result.*"), r.toString());
        assertTrue(r.err().contains("filling weights [") && r.err().contains("100%"), r.toString());
        String text = Files.readString(json);
        assertTrue(text.contains("\"workers\": 2,") && text.contains("\"weights_bytes\": 8388608,"), text);
        assertTrue(text.contains("\"jobs\": 300, \"jobs_failed\": 0, \"jobs_lost\": 0, \"jobs_duplicated\": 0,"), text);
        assertTrue(text.contains("\"results_verified\": true"), text);
        for (String key : List.of("ready_seconds", "pss_total_bytes", "shmem_growth_bytes", "p50_us", "p99_us", "p999_us",
                "throughput_jobs_per_s")) {
            assertTrue(text.contains("\"" + key + "\": "), key + " in " + text);
        }
        assertFalse(SharedSegment.exists("ipc4j-demo-weights-" + ProcessHandle.current().pid()));
    }

    @Test
    void demoLosesNoJobWhileWorkersAreKilled() {
        CliRun r = CliRun.of("demo", "--workers", "3", "--weights-mb", "8", "--jobs", "2000", "--rows-per-job", "64",
                "--kill-every", "300");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("(?s).*workers killed \\(SIGKILL\\) +[1-9].*"), r.toString());
        assertTrue(r.out().matches("(?s).*jobs failed / lost / twice +0 / 0 / 0.*"), r.toString());
    }

    @Test
    void demoRejectsBadSettingsAsUsageErrors() {
        for (List<String> args : List.of(List.of("demo", "--workers", "0"), List.of("demo", "--weights-mb", "0"),
                List.of("demo", "--workers", "many"), List.of("demo", "--jobs", "0"), List.of("demo", "--kill-every", "0"),
                List.of("demo", "--weights", "/no/such/file.safetensors"))) {
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + ": " + r);
            assertEquals(1, r.errLines().size(), args + ": " + r);
        }
    }

    @Test
    void benchIdleMeasuresAndWritesJson() throws IOException {
        Path json = tmp.resolve("idle.json");
        CliRun r = CliRun.of("bench", "idle", "--processes", "2", "--seconds", "1", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("2 idle processes used "), r.toString());
        String text = Files.readString(json);
        assertTrue(text.matches("\\{\"processes\": 2, \"seconds\": [0-9.]+, \"cpu_ns\": [0-9]+, "
                + "\"percent_of_one_core\": [0-9.]+}\\s*"), text);
    }

    @Test
    void benchIdleRejectsBadSettingsAsUsageErrors() {
        assertEquals(2, CliRun.of("bench", "idle", "--processes", "0").exitCode());
        assertEquals(2, CliRun.of("bench", "idle", "--seconds", "-1").exitCode());
    }
}
