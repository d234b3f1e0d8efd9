package io.ipc4j.cli;

import io.ipc4j.cli.example.Example;
import io.ipc4j.cli.example.Examples;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc4j example}: the list, the unknown-name error, one subcommand per registry entry. */
@ExtendWith(ShmLeakCheck.class)
class ExampleCommandTest {
    @Test
    void noNameAndListBothListEveryExampleWithItsDescription() {
        for (String[] args : List.of(new String[] {"example"}, new String[] {"example", "--list"})) {
            CliRun r = CliRun.of(args);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.err(), r.toString());
            List<String> lines = r.out().lines().toList();
            assertEquals(1 + Examples.ALL.size(), lines.size(), r.toString());
            for (Example e : Examples.ALL) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("  " + e.name() + " ") && l.endsWith(e.description())),
                        e.name() + ": " + r);
            }
            assertTrue(r.out().contains("share-weights") && r.out().contains("quickstart"), r.toString());
        }
    }

    @Test
    void unknownNameIsAOneLineUsageErrorListingTheValidNames() {
        CliRun r = CliRun.of("example", "no-such-example");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("ipc4j: unknown example 'no-such-example': expected one of "), line);
        for (String name : Examples.names()) {
            assertTrue(line.contains(name), line);
        }
        assertFalse(line.contains("\tat "), line);
    }

    @Test
    void everyExampleIsASubcommandAndShareWeightsHasTheDemoOptions() {
        var sub = Main.commandLine().getSubcommands().get("example").getSubcommands();
        assertEquals(Examples.names(), List.copyOf(sub.keySet()));
        CliRun r = CliRun.of("example", "share-weights", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Usage: ipc4j example share-weights") && r.out().contains("--weights-mb"), r.toString());
        CliRun bad = CliRun.of("example", "share-weights", "--workers", "0");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertEquals(1, bad.errLines().size(), bad.toString());
    }

    @Test
    void quickstartRunsInAChildJvmAndItsOutputIsCopied() {
        CliRun r = CliRun.of("example", "quickstart");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("writer: published quickstart-"), r.toString());
        assertTrue(r.out().contains("reader: w[17][3] = 0.411 (read-only: true)"), r.toString());
    }

    @Test
    void registryEntriesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Example.ofMain("Bad Name", "x", Object.class));
        assertThrows(IllegalArgumentException.class, () -> Example.ofMain("ok", "two\nlines", Object.class));
    }
}
