package io.ipc4j.examples.serialization;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both sides end to end with real worker JVMs, few jobs and a small input. */
class ReplaceSerializationQueueTest {
    @Test
    void bothSidesComputeTheReferenceAndLeaveNothingBehind() {
        Set<String> before = shm();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ReplaceSerializationQueue.Result r;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            r = ReplaceSerializationQueue.run(5, 64 * 1024, out);
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(r.verified(), printed);
        assertEquals(5, r.jobs());
        assertEquals(10, r.warmup());
        assertEquals(64 * 1024, r.sizeBytes());
        assertTrue(r.serializationP50Ns() > 0 && r.poolP50Ns() > 0 && r.ratio() > 0, r.toString());
        assertTrue(printed.contains("results verified: yes"), printed);
        assertTrue(printed.contains("serialization queue") && printed.contains("ipc4j worker pool"), printed);
        assertEquals(before, shm(), "/dev/shm changed");
    }

    @Test
    void statsReadEveryValueAndSurviveTheirByteForm() {
        float[] v = new float[1001];
        MemorySegment m = MemorySegment.ofArray(v);
        Stats.fill(7, m);
        Stats a = Stats.of(7, m);
        assertEquals(a, Stats.fromBytes(a.toBytes()));
        v[1000] += 1;                                         // the tail after the 8-wide loop counts
        assertNotEquals(a, Stats.of(7, m));
        Stats.fill(8, m);
        assertNotEquals(a.sum(), Stats.of(8, m).sum());       // each job's input differs
        assertThrows(IllegalArgumentException.class, () -> Stats.fromBytes(new byte[3]));
    }

    @Test
    void badSettingsAreRejected() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThrows(io.ipc4j.IpcException.class, () -> ReplaceSerializationQueue.run(0, 1024, quiet));
        assertThrows(io.ipc4j.IpcException.class, () -> ReplaceSerializationQueue.run(1, 1023, quiet));
        assertFalse(ReplaceSerializationQueue.WORKER_JVM_OPTIONS.contains("-Xmx64m"));
    }

    private static Set<String> shm() {
        String[] names = new File("/dev/shm").list();
        Set<String> s = new TreeSet<>();
        if (names != null) {
            for (String n : names) {
                if (n.startsWith("ipc4j-pool-" + ProcessHandle.current().pid() + "-")) {
                    s.add(n);
                }
            }
        }
        return s;
    }
}
