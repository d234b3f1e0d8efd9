package io.ipc4j.cli;

import io.ipc4j.shm.SharedSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private static String unique(String what) {
        return "ipc4j-test-cli-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    private static void assertOneLineError(CliRun r, int code) {
        assertEquals(code, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("ipc4j: "), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
    }

    /** Every command path: [], [shm], [shm, rm], [bench], [bench, latency], ... */
    private static List<List<String>> commandPaths(CommandLine cl, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        paths.add(prefix);
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // skip aliases
                List<String> p = new ArrayList<>(prefix);
                p.add(name);
                paths.addAll(commandPaths(sub, p));
            }
        });
        return paths;
    }

    @Test
    void helpWorksOnEveryCommand() {
        List<List<String>> paths = commandPaths(Main.commandLine(), List.of());
        assertTrue(paths.contains(List.of("shm", "rm")) && paths.contains(List.of("bench", "latency")), paths.toString());
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), args + ": " + r);
            assertTrue(r.out().contains("Usage: ipc4j"), args + ": " + r);
            assertEquals("", r.err(), args + ": " + r);
        }
    }

    @Test
    void versionIsTheBuildVersion() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("ipc4j 0.1.0-SNAPSHOT"), r.toString());
    }

    @Test
    void badOptionIsAOneLineUsageError() {
        CliRun r = CliRun.of("bench", "latency", "--no-such-option");
        assertOneLineError(r, 2);
        assertTrue(r.err().contains("--no-such-option") && r.err().contains("ipc4j bench latency --help"), r.toString());
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertOneLineError(CliRun.of("bench", "latency", "--messages", "0"), 2);
        assertOneLineError(CliRun.of("bench", "latency", "--messages", "many"), 2);
        assertOneLineError(CliRun.of("bench", "latency", "--size", "-1"), 2);
        CliRun r = CliRun.of("bench", "latency", "--transport", "carrier-pigeon");
        assertOneLineError(r, 2);
        assertTrue(r.err().contains("known: spin"), r.toString());
    }

    @Test
    void unknownOrMissingSubcommandIsAUsageError() {
        assertOneLineError(CliRun.of("frobnicate"), 2);
        assertOneLineError(CliRun.of("shm", "frobnicate"), 2);
        CliRun r = CliRun.of("shm");
        assertOneLineError(r, 2);
        assertTrue(r.err().contains("rm"), r.toString());
        assertOneLineError(CliRun.of(), 2);
        assertOneLineError(CliRun.of("shm", "rm"), 2); // NAME is required
    }

    @Test
    void shmRmOfABadNameIsOneLineWithoutTrace() {
        CliRun r = CliRun.of("shm", "rm", "bad/name");
        assertOneLineError(r, 1);
        assertTrue(r.err().contains("invalid segment name 'bad/name'"), r.toString());
    }

    @Test
    void verboseShowsTheStackTraceOnAnyLevel() {
        for (String[] args : List.of(new String[]{"--verbose", "shm", "rm", "bad/name"},
                new String[]{"shm", "rm", "--verbose", "bad/name"})) {
            CliRun r = CliRun.of(args);
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.errLines().getFirst().startsWith("ipc4j: invalid segment name"), r.toString());
            assertTrue(r.err().contains("io.ipc4j.IpcException") && r.err().contains("\tat "), r.toString());
        }
    }

    @Test
    void shmRmRemovesSegmentsAndReportsMissingOnes() {
        String a = unique("rm-a");
        String b = unique("rm-b");
        String missing = unique("rm-missing");
        try {
            SharedSegment.create(a, 4096).persist().close();
            SharedSegment.create(b, 4096).persist().close();
            CliRun r = CliRun.of("shm", "rm", a, missing, b);
            assertOneLineError(r, 1);
            assertTrue(r.err().contains("'" + missing + "'"), r.toString());
            assertFalse(SharedSegment.exists(a));
            assertFalse(SharedSegment.exists(b));

            assertEquals(0, CliRun.of("shm", "rm", "--force", missing).exitCode());
        } finally {
            SharedSegment.unlink(a);
            SharedSegment.unlink(b);
        }
    }

    @Test
    void shmRmValidatesEveryNameBeforeRemovingAny() {
        String a = unique("rm-first");
        try {
            SharedSegment.create(a, 4096).persist().close();
            assertOneLineError(CliRun.of("shm", "rm", a, "../etc"), 1);
            assertTrue(SharedSegment.exists(a));
        } finally {
            SharedSegment.unlink(a);
        }
    }

    @Test
    void benchLatencyRunsAndWritesFiles(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("spin.json");
        Path hgrm = dir.resolve("spin-us.hgrm");
        CliRun r = CliRun.of("bench", "latency", "--transport", "spin", "--messages", "500", "--warmup", "100",
                "--size", "1k", "--json", json.toString(), "--hgrm", hgrm.toString());
        assertEquals(0, r.exitCode(), r.toString());
        List<String> table = r.out().lines().toList();
        assertEquals(2, table.size(), r.toString());
        assertTrue(table.get(0).contains("p99.9 us") && table.get(1).startsWith("spin"), r.toString());
        String text = Files.readString(json);
        for (String key : List.of("transport", "messages", "size", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns")) {
            assertTrue(text.contains("\"" + key + "\":"), key + " in " + text);
        }
        assertTrue(text.contains("\"messages\":500,\"size\":1024,"), text);
        assertTrue(Files.readString(hgrm).contains("#[Mean"));
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ipc4j-bench-spin-" + ProcessHandle.current().pid() + "-")).toList());
        }
    }
}
