package io.ipc4j.workerpool.journal;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.workerpool.JobJournal.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.ipc4j.workerpool.journal.ChronicleJobJournalTest.assertSameEntry;
import static io.ipc4j.workerpool.journal.ChronicleJobJournalTest.entry;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Foreign files in the directory are ignored; records this library did not write, hostile
 * counts and damaged queue files fail {@code open} with CORRUPT naming what was wrong.
 */
class CorruptJournalTest {
    private Path dir;

    @BeforeEach
    void createDir() throws Exception {
        dir = TempDirs.create("corrupt");
    }

    @AfterEach
    void deleteDir() throws Exception {
        TempDirs.delete(dir);
    }

    private void writeRaw(byte[]... records) {
        try (ChronicleLog log = ChronicleLog.open(dir, false)) {
            for (byte[] r : records) {
                log.append(r);
            }
        }
    }

    private IpcException openFails() {
        IpcException e = assertThrows(IpcException.class, () -> ChronicleJobJournal.open(dir).close());
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
        return e;
    }

    private List<Path> queueFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).toList();
        }
    }

    @Test
    void foreignFilesAreIgnored() throws Exception {
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            j.accepted(entry(1, 8));
        }
        Files.writeString(dir.resolve("notes.txt"), "not a queue");
        Files.write(dir.resolve("data.bin"), new byte[4096]);
        Files.createDirectories(dir.resolve("sub").resolve("deeper"));
        Files.write(dir.resolve("sub").resolve("x.cq4"), new byte[100]);
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            assertEquals(1, j.unfinished().size());
            assertSameEntry(entry(1, 8), j.unfinished().getFirst());
            j.completed(1);
        }
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            assertEquals(List.of(), j.unfinished());
        }
    }

    @Test
    void aDocumentThisLibraryDidNotWriteIsCorrupt() {
        writeRaw(JournalRecord.accepted(entry(1, 4)), "hello, queue: these bytes are someone else's".getBytes());
        IpcException e = openFails();
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertTrue(e.getMessage().contains("record at index"), e.getMessage());
    }

    @Test
    void hostileCountsAreRefusedBeforeAllocating() {
        ByteBuffer huge = header(64);
        huge.putInt(1).put((byte) 3).put("F32".getBytes()).putInt(1).putLong(1L << 40).putLong(4L << 40);
        writeRaw(JournalRecord.seal(huge.array()));
        IpcException e = openFails();
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("input 0 of job 1"), e.getMessage());
        assertTrue(e.getMessage().contains("remain"), e.getMessage());
    }

    @Test
    void tooManyTensorsOrDimensionsAreRefused() throws Exception {
        ByteBuffer many = header(4);
        many.putInt(Integer.MAX_VALUE);
        writeRaw(JournalRecord.seal(many.array()));
        assertTrue(openFails().getMessage().contains("input tensors"));
        TempDirs.delete(dir);
        Files.createDirectories(dir);
        ByteBuffer rank = header(12);
        rank.putInt(1).put((byte) 3).put("F32".getBytes()).putInt(1_000_000_000);
        writeRaw(JournalRecord.seal(rank.array()));
        assertTrue(openFails().getMessage().contains("rank 1000000000"));
    }

    /** A record header for job 1 of kind ACCEPTED with {@code body} more bytes to fill, then room for the CRC. */
    private static ByteBuffer header(int body) {
        ByteBuffer b = ByteBuffer.allocate(JournalRecord.HEADER_BYTES + body + JournalRecord.CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(JournalRecord.MAGIC).put(JournalRecord.VERSION).put(JournalRecord.ACCEPTED).putLong(1);
        return b;
    }

    @Test
    void randomlyDamagedRecordsDecodeOrFailAsCorruptNeverOtherwise() {
        Random rnd = new Random(7);
        byte[][] good = {JournalRecord.accepted(entry(9, 24)), JournalRecord.completed(9)};
        int refused = 0;
        for (int i = 0; i < 40_000; i++) {
            byte[] r = good[i % 2].clone();
            int cut = rnd.nextInt(8) == 0 ? rnd.nextInt(r.length + 1) : r.length;
            r = java.util.Arrays.copyOf(r, cut);
            for (int flips = 1 + rnd.nextInt(3); flips > 0 && r.length > 0; flips--) {
                r[rnd.nextInt(r.length)] = (byte) rnd.nextInt(256);
            }
            boolean resealed = i % 4 >= 2 && r.length >= JournalRecord.CRC_BYTES;
            if (resealed) {
                JournalRecord.seal(r);                  // past the CRC: the structural checks must hold alone
            }
            try {
                JournalRecord.decode(r, "test record");
            } catch (IpcException e) {
                assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
                assertTrue(e.getMessage().startsWith("test record "), e.getMessage());
                assertTrue(resealed || r.length < 18 || e.getMessage().contains("CRC") || e.getMessage().contains("magic"),
                        e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 20_000, "most damaged records are refused: " + refused);
    }

    @Test
    void aFlippedByteInsideARecordFailsItsChecksum() throws Exception {
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            for (int i = 1; i <= 3; i++) {
                j.accepted(entry(i, 32));
            }
        }
        Path file = queueFiles().getFirst();
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = "payload of 2".getBytes();
        int at = indexOf(bytes, needle);
        assertTrue(at > 0, "the record is in the file");
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 1)}), at);
        }
        IpcException e = openFails();
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("CRC-32C"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aDamagedStateFileIsCorrupt() throws Exception {
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            j.accepted(entry(1, 1));
        }
        Path state = dir.resolve(ChronicleJobJournal.STATE_FILE);
        byte[] b = Files.readAllBytes(state);
        b[9] ^= 0x10;                                   // the record count
        Files.write(state, b);
        IpcException e = openFails();
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("state file"), e.getMessage());
    }

    @Test
    void aTruncatedQueueFileIsCorrupt() throws Exception {
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            for (int i = 1; i <= 5; i++) {
                j.accepted(entry(i, 32));
            }
        }
        Path file = queueFiles().getFirst();
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(300);
        }
        IpcException e = openFails();
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("were written"), e.getMessage());
    }

    @Test
    void aQueueFileOverwrittenWithGarbageIsCorrupt() throws Exception {
        try (ChronicleJobJournal j = ChronicleJobJournal.open(dir)) {
            for (int i = 1; i <= 5; i++) {
                j.accepted(entry(i, 32));
            }
        }
        List<Path> files = queueFiles();
        assertEquals(1, files.size(), files.toString());
        byte[] garbage = new byte[(int) Math.min(Files.size(files.getFirst()), 1 << 20)];
        new Random(3).nextBytes(garbage);
        Files.write(files.getFirst(), garbage);
        IpcException e = openFails();
        assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("hold 0 records but 5 were written"), e.getMessage());
    }
}
