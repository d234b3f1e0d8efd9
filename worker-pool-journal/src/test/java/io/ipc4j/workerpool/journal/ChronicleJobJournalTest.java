package io.ipc4j.workerpool.journal;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.tensor.DType;
import io.ipc4j.workerpool.JobJournal.Entry;
import io.ipc4j.workerpool.JobJournal.TensorData;
import io.ipc4j.workerpool.JobJournal.TensorSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Accepted, completed, unfinished and lastJobId across reopenings; the directory lock; limits. */
class ChronicleJobJournalTest {
    private Path dir;

    @BeforeEach
    void createDir() throws Exception {
        dir = TempDirs.create("roundtrip");
    }

    @AfterEach
    void deleteDir() throws Exception {
        TempDirs.delete(dir);
    }

    static Entry entry(long id, int inputBytes) {
        byte[] data = new byte[inputBytes];
        new Random(id).nextBytes(data);
        return new Entry(id, List.of(new TensorData(DType.U8, new long[] {inputBytes}, data),
                new TensorData(DType.F32, new long[] {2, 0}, new byte[0])),
                List.of(new TensorSpec(DType.BF16, new long[] {3, 5}), new TensorSpec(DType.I64, new long[0])),
                ("payload of " + id).getBytes(StandardCharsets.UTF_8));
    }

    static void assertSameEntry(Entry expected, Entry actual) {
        assertEquals(expected.jobId(), actual.jobId());
        assertArrayEquals(expected.payload(), actual.payload());
        assertEquals(expected.inputs().size(), actual.inputs().size());
        for (int i = 0; i < expected.inputs().size(); i++) {
            assertEquals(expected.inputs().get(i).dtype(), actual.inputs().get(i).dtype());
            assertArrayEquals(expected.inputs().get(i).shape(), actual.inputs().get(i).shape());
            assertArrayEquals(expected.inputs().get(i).bytes(), actual.inputs().get(i).bytes());
        }
        assertEquals(expected.outputs().size(), actual.outputs().size());
        for (int i = 0; i < expected.outputs().size(); i++) {
            assertEquals(expected.outputs().get(i).dtype(), actual.outputs().get(i).dtype());
            assertArrayEquals(expected.outputs().get(i).shape(), actual.outputs().get(i).shape());
        }
    }

    private static List<Long> ids(List<Entry> entries) {
        return entries.stream().map(Entry::jobId).toList();
    }

    @Test
    void acceptedMinusCompletedSurvivesReopeningInAcceptanceOrder() {
        Entry big = entry(3, 1 << 20);                                   // 1 MiB of input bytes
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            assertEquals(0, j.lastJobId());
            assertEquals(List.of(), j.unfinished());
            j.accepted(entry(2, 16));
            j.accepted(entry(1, 0));
            j.accepted(big);
            j.completed(2);
            assertEquals(List.of(1L, 3L), ids(j.unfinished()));
            assertEquals(3, j.lastJobId());
        }
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            assertEquals(3, j.lastJobId());
            List<Entry> open = j.unfinished();
            assertEquals(List.of(1L, 3L), ids(open));
            assertSameEntry(entry(1, 0), open.get(0));
            assertSameEntry(big, open.get(1));
            j.completed(3);
            j.completed(77);                                             // unknown ids are harmless
            j.accepted(entry(4, 8));
            assertEquals(List.of(1L, 4L), ids(j.unfinished()));
        }
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir, true)) {    // msync on every record
            assertEquals(77, j.lastJobId());
            assertEquals(List.of(1L, 4L), ids(j.unfinished()));
            j.completed(1);
            j.completed(4);
        }
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            assertEquals(List.of(), j.unfinished());
            assertEquals(77, j.lastJobId());
        }
    }

    @Test
    void concurrentWritersFromManyThreadsAreAllRecorded() throws Exception {
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int base = t * 100;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 1; i <= 100; i++) {
                            j.accepted(entry(base + i, 4));
                            if (i % 2 == 0) {
                                j.completed(base + i);
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            List<Long> open = ids(j.unfinished());
            assertEquals(200, open.size());
            assertTrue(open.stream().allMatch(id -> id % 2 == 1), open.toString());
            assertEquals(400, j.lastJobId());
        }
    }

    @Test
    void oneOpenJournalPerDirectory() {
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            IpcException e = assertThrows(IpcException.class, () -> ChronicleJobJournal.open(dir));
            assertEquals(Reason.ALREADY_EXISTS, e.reason());
            assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
            j.accepted(entry(1, 1));
        }
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {        // released on close
            assertEquals(1, j.unfinished().size());
        }
    }

    @Test
    void anotherProcessCannotOpenAJournalThatIsOpenHere() throws Exception {
        try (ChronicleJobJournal _ = ChronicleJobJournal.open(dir)) {
            try (Child child = Child.start(JournalPoolChild.class, Child.CHRONICLE_FLAGS, "open-only", dir.toString())) {
                String line = child.expect("OPEN-");
                assertTrue(line.startsWith("OPEN-FAILED ALREADY_EXISTS"), line);
                assertTrue(line.contains("another process"), line);
                assertEquals(3, child.waitFor());
            }
        }
    }

    @Test
    void missingJvmFlagsAreNamedInsteadOfAChronicleStackTrace() throws Exception {
        Path fresh = dir.resolve("not-created");
        try (Child child = Child.start(JournalPoolChild.class, List.of("-Dchronicle.analytics.disable=true"),
                "open-only", fresh.toString())) {
            String line = child.expect("OPEN-");
            assertTrue(line.startsWith("OPEN-FAILED UNSUPPORTED"), line);
            assertTrue(line.contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED"), line);
            assertTrue(line.contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"), line);
            assertEquals(3, child.waitFor());
        }
        assertFalse(Files.exists(fresh), "nothing is created when the flags are missing");
    }

    @Test
    void aClosedJournalRefusesWritesAndOversizedEntriesAreRefused() {
        ChronicleJobJournal j = ChronicleJobJournal.open(dir);
        List<TensorSpec> outs = Collections.nCopies(JournalRecord.MAX_TENSORS + 1, new TensorSpec(DType.U8, new long[] {1}));
        IpcException tooMany = assertThrows(IpcException.class, () -> j.accepted(new Entry(1, List.of(), outs, new byte[0])));
        assertEquals(Reason.TOO_LARGE, tooMany.reason());
        IpcException wrongBytes = assertThrows(IpcException.class, () -> j.accepted(new Entry(1,
                List.of(new TensorData(DType.F32, new long[] {2}, new byte[7])), List.of(), new byte[0])));
        assertEquals(Reason.INVALID_ARGUMENT, wrongBytes.reason());
        assertEquals(0, j.lastJobId());
        j.close();
        j.close();                                                       // idempotent
        assertEquals(Reason.CLOSED, assertThrows(IpcException.class, () -> j.completed(1)).reason());
        assertEquals(Reason.CLOSED, assertThrows(IpcException.class, () -> j.accepted(entry(1, 1))).reason());
        assertEquals(Reason.CLOSED, assertThrows(IpcException.class, j::unfinished).reason());
    }
}
