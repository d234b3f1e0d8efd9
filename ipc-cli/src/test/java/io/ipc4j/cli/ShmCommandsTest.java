package io.ipc4j.cli;

import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.SegmentName;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.shm.testing.DeadProcess;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.shm.testing.TmpfsMount;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import io.ipc4j.tensor.store.TensorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code shm ls / inspect / load / gc}, in-process, in a temporary directory or with unique names in /dev/shm. */
@ExtendWith(ShmLeakCheck.class)
class ShmCommandsTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    private ShmDirectory dir() throws IOException {
        Path d = tmp.resolve("shm");
        Files.createDirectories(d);
        return new ShmDirectory(d);
    }

    private static List<String> files(ShmDirectory d) throws IOException {
        try (Stream<Path> s = Files.list(d.path())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertOneLineError(CliRun r, int code) {
        assertEquals(code, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("ipc4j: "), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
    }

    private static String rowOf(String out, String name) {
        return out.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + out));
    }

    /** A small store with two tensors of known values: w F32 [2, 3] = 0..5, ids I64 [4] = 10..13. */
    private static TensorStore smallStore(String name, ShmDirectory d, boolean persistent) {
        try (Arena arena = Arena.ofConfined()) {
            Tensor w = Tensor.ofFloats("w", new long[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5}, arena);
            Tensor ids = Tensor.ofLongs("ids", new long[] {4}, new long[] {10, 11, 12, 13}, arena);
            return TensorStore.builder(name).directory(d).persistent(persistent).add(w).add(ids)
                    .metadata("model", "cli-test").build();
        }
    }

    @Test
    void lsListsStoresDescriptorSegmentsAndForeignFilesSortedByName() throws IOException {
        ShmDirectory d = dir();
        Files.writeString(d.resolve("a-foreign.txt"), "hello");
        try (TensorStore store = smallStore("c-store", d, false);
             DescribedSegment ring = DescribedSegment.create("b-ring", SegmentKind.RING, 4096,
                     CreateOptions.defaults().directory(d), m -> { })) {
            CliRun r = CliRun.of("shm", "ls", "--dir", d.path().toString());
            assertEquals(0, r.exitCode(), r.toString());
            List<String> lines = r.out().lines().toList();
            assertEquals(5, lines.size(), r.toString()); // header, 3 rows, summary
            assertTrue(lines.get(0).matches("NAME +KIND +SIZE +CREATOR +ALIVE +PERSISTENT +DETAIL"), r.toString());
            assertTrue(lines.get(1).startsWith("a-foreign.txt ") && lines.get(2).startsWith("b-ring ")
                    && lines.get(3).startsWith("c-store "), r.toString());
            assertTrue(rowOf(r.out(), "a-foreign.txt").matches("a-foreign\\.txt +foreign +5 B +- +- +- +not made by ipc4j"),
                    r.toString());
            assertTrue(rowOf(r.out(), "b-ring").matches("b-ring +ring +4\\.1 KiB +" + PID + " +yes +no +v1, ready, .*"),
                    r.toString());
            assertTrue(rowOf(r.out(), "c-store").matches("c-store +tensor-store +[0-9.]+ [KMG]?i?B +" + PID
                    + " +yes +no +2 tensors, .*"), r.toString());
            assertTrue(lines.get(4).startsWith("3 files, ") && lines.get(4).contains("; 1 foreign"), r.toString());

            CliRun j = CliRun.of("shm", "ls", "--dir", d.path().toString(), "--json");
            assertEquals(0, j.exitCode(), j.toString());
            assertTrue(j.out().startsWith("[{\"name\":\"a-foreign.txt\",\"kind\":\"foreign\",\"size\":5,"
                    + "\"creator_pid\":null,\"creator_alive\":null,\"persistent\":false,\"foreign\":true"), j.toString());
            assertTrue(j.out().contains("{\"name\":\"c-store\",\"kind\":\"tensor-store\","), j.toString());
            assertTrue(j.out().contains("\"creator_pid\":" + PID + ",\"creator_alive\":true"), j.toString());
        }
    }

    @Test
    void lsOfTheDefaultDirectoryShowsAStoreCreatedThere() {
        String name = ShmLeakCheck.uniqueName("cli-ls");
        try (TensorStore store = smallStore(name, ShmDirectory.defaultDirectory(), false)) {
            CliRun r = CliRun.of("shm", "ls");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(rowOf(r.out(), name).contains(" tensor-store "), r.toString());
        }
    }

    @Test
    void lsOfAnEmptyDirectoryIsOneLine() throws IOException {
        ShmDirectory d = dir();
        CliRun r = CliRun.of("shm", "ls", "--dir", d.path().toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("no segments in " + d.path() + System.lineSeparator(), r.out());
        assertOneLineError(CliRun.of("shm", "ls", "--dir", d.path().resolve("missing").toString()), 1);
    }

    @Test
    void inspectShowsATensorStoresOwnerLayoutTensorsAndMetadata() throws IOException {
        ShmDirectory d = dir();
        try (TensorStore store = smallStore("store", d, false)) {
            CliRun r = CliRun.of("shm", "inspect", "store", "--dir", d.path().toString());
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.err());
            String out = r.out();
            assertTrue(out.startsWith("tensor store 'store' in " + d.path()), out);
            assertTrue(out.contains("creator     pid " + PID + " (started at tick "), out);
            assertTrue(out.contains(", alive"), out);
            assertTrue(out.contains("lifetime    owner"), out);
            assertTrue(out.contains("header      " + store.headerLength() + " bytes"), out);
            assertTrue(out.contains("data        offset " + store.dataOffset() + " (64-byte aligned)"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("TENSOR +DTYPE +SHAPE +BYTES +BEGIN +END +ALIGNED")), out);
            // ids (8-byte elements) first, then w: ordered by descending dtype size
            assertTrue(out.lines().anyMatch(l -> l.matches("ids +I64 +\\[4] +32 B +0 +32 +yes")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("w +F32 +\\[2, 3] +24 B +32 +56 +yes")), out);
            assertTrue(out.contains("metadata" + System.lineSeparator() + "  model = cli-test"), out);
            assertFalse(out.contains("ipc4j.creator_pid"), out); // shown as the owner, not as metadata

            CliRun j = CliRun.of("shm", "inspect", "store", "--dir", d.path().toString(), "--json");
            assertEquals(0, j.exitCode(), j.toString());
            assertTrue(j.out().contains("\"creator_pid\":" + PID + ",\"creator_alive\":true,\"lifetime\":\"owner\""), j.out());
            assertTrue(j.out().contains("{\"name\":\"w\",\"dtype\":\"F32\",\"shape\":[2,3],\"bytes\":24,\"begin\":32,"
                    + "\"end\":56,\"aligned\":true}"), j.out());
            assertTrue(j.out().contains("\"metadata\":{\"model\":\"cli-test\"}"), j.out());
        }
    }

    @Test
    void inspectShowsDescriptorHeaderFields() throws IOException {
        ShmDirectory d = dir();
        try (DescribedSegment ring = DescribedSegment.create("ring", SegmentKind.RING, 1000,
                CreateOptions.defaults().directory(d).persistent(true).payloadVersion(3), m -> { })) {
            CliRun r = CliRun.of("shm", "inspect", "ring", "--dir", d.path().toString());
            assertEquals(0, r.exitCode(), r.toString());
            String out = r.out();
            assertTrue(out.startsWith("segment 'ring' in " + d.path() + ": ring (descriptor header)"), out);
            assertTrue(out.contains("magic       0x") && out.contains("(\"IPC4JSEG\")"), out);
            assertTrue(out.contains("version     1\n") || out.contains("version     1" + System.lineSeparator()), out);
            assertTrue(out.contains("kind        ring (code 2)"), out);
            assertTrue(out.contains("creator     pid " + PID + " (started at tick " + ProcessIdentity.current().startTicks()
                    + "), alive"), out);
            assertTrue(out.contains("persistent  yes"), out);
            assertTrue(out.contains("ready       yes"), out);
            assertTrue(out.contains("created at  " + ring.header().creationTime()), out);
            assertTrue(out.contains("payload     1000 B (1000 bytes), payload version 3"), out);
            assertFalse(out.contains("PROBLEM"), out);
        } finally {
            SharedSegment.unlink(d, "ring"); // persistent: its creator does not remove it
        }
    }

    @Test
    void inspectOfMissingForeignAndCorruptSegments() throws IOException {
        ShmDirectory d = dir();
        CliRun missing = CliRun.of("shm", "inspect", "nothing", "--dir", d.path().toString());
        assertOneLineError(missing, 1);
        assertTrue(missing.err().contains("no segment 'nothing' in " + d.path()), missing.toString());

        Files.writeString(d.resolve("notes"), "not a segment");
        CliRun foreign = CliRun.of("shm", "inspect", "notes", "--dir", d.path().toString());
        assertEquals(0, foreign.exitCode(), foreign.toString());
        assertTrue(foreign.out().startsWith("'notes' in " + d.path() + ": foreign"), foreign.toString());
        assertTrue(foreign.out().contains("size        13 B (13 bytes)"), foreign.toString());

        // a plausible safetensors header whose JSON is cut short
        byte[] json = "{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]".getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[8 + json.length + 8];
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
        Files.write(d.resolve("broken"), file);
        CliRun corrupt = CliRun.of("shm", "inspect", "broken", "--dir", d.path().toString());
        assertOneLineError(corrupt, 1);
        assertTrue(corrupt.err().contains("open tensor store 'broken'"), corrupt.toString());
    }

    /** Writes the bytes of a freshly built store to a file, then removes the store. */
    private Path safetensorsFile(String what) throws IOException {
        ShmDirectory scratch = new ShmDirectory(Files.createDirectories(tmp.resolve("scratch")));
        Path file = tmp.resolve(what + ".safetensors");
        try (TensorStore s = smallStore("source", scratch, false)) {
            Files.copy(scratch.resolve("source"), file);
        }
        return file;
    }

    @Test
    void loadCopiesASafetensorsFileIntoAPersistentStoreInDevShm() throws IOException {
        Path file = safetensorsFile("ok");
        String name = ShmLeakCheck.uniqueName("cli-load");
        try {
            CliRun r = CliRun.of("shm", "load", file.toString(), "--name", name);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().startsWith("loaded " + file + " into /dev/shm/" + name + ": 2 tensors, "), r.toString());
            assertTrue(r.out().contains(" GB/s"), r.toString());
            assertTrue(r.err().contains("100%"), r.toString()); // the progress bar's final line
            try (TensorStore s = TensorStore.openReadOnly(name)) {
                assertEquals(List.of("ids", "w"), s.tensorNames());
                assertArrayEquals(new long[] {2, 3}, s.tensor("w").shape());
                assertEquals(DType.F32, s.tensor("w").dtype());
                assertEquals(4.0f, s.tensor("w").getFloat(1, 1));
                assertEquals(13, s.tensor("ids").getLong(3));
                assertEquals("cli-test", s.metadata().get("model"));
                assertEquals(TensorStore.LIFETIME_PERSISTENT, s.metadata().get(TensorStore.META_LIFETIME));
            }
        } finally {
            SharedSegment.unlink(name);
        }
    }

    @Test
    void loadFailuresAreOneLineAndLeaveNothingBehind() throws IOException {
        ShmDirectory d = dir();
        Path garbage = tmp.resolve("garbage.safetensors");
        byte[] junk = new byte[5000];
        new java.util.Random(42).nextBytes(junk);
        Files.write(garbage, junk);
        String dirArg = d.path().toString();

        CliRun r = CliRun.of("shm", "load", garbage.toString(), "--name", "g", "--dir", dirArg);
        assertOneLineError(r, 1);
        assertTrue(r.err().contains("not a valid safetensors file"), r.toString());
        assertEquals(List.of(), files(d));

        CliRun none = CliRun.of("shm", "load", tmp.resolve("absent.safetensors").toString(), "--name", "g", "--dir", dirArg);
        assertOneLineError(none, 1);
        assertTrue(none.err().contains("no such file"), none.toString());
        assertEquals(List.of(), files(d));

        assertOneLineError(CliRun.of("shm", "load", garbage.toString(), "--name", "bad/name", "--dir", dirArg), 1);

        Path ok = safetensorsFile("exists");
        try (TensorStore existing = smallStore("taken", d, false)) {
            CliRun taken = CliRun.of("shm", "load", ok.toString(), "--name", "taken", "--dir", dirArg);
            assertOneLineError(taken, 1);
            assertTrue(taken.err().contains("already exists"), taken.toString());
            assertEquals(List.of("taken"), files(d));
        }
        assertEquals(List.of(), files(d));
    }

    @Test
    void loadIntoAFullTmpfsFailsAndLeavesNothing() throws IOException {
        Path big = tmp.resolve("big.safetensors");
        ShmDirectory scratch = new ShmDirectory(Files.createDirectories(tmp.resolve("scratch-big")));
        try (TensorStore s = TensorStore.builder("big").directory(scratch).add("x", DType.U8, 2L << 20).build()) {
            Files.copy(scratch.resolve("big"), big);
        }
        try (TmpfsMount mount = TmpfsMount.mount("1m")) {
            assumeTrue(mount.isTmpfs(), "cannot mount a tmpfs here");
            CliRun r = CliRun.of("shm", "load", big.toString(), "--name", "big", "--dir", mount.path().toString());
            assertOneLineError(r, 1);
            assertEquals(List.of(), mount.files());
        }
    }

    @Test
    void loadNoPersistentHoldsTheStoreUntilInterruptedThenRemovesIt() throws Exception {
        ShmDirectory d = dir();
        Path file = safetensorsFile("hold");
        AtomicReference<CliRun> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(CliRun.of("shm", "load", file.toString(), "--name", "held",
                "--no-persistent", "--dir", d.path().toString())));
        t.start();
        try {
            while (!files(d).equals(List.of("held")) && t.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(t.isAlive(), String.valueOf(result.get()));
            try (TensorStore s = TensorStore.open(d, "held", true, io.ipc4j.tensor.store.HeaderLimits.DEFAULT)) {
                assertEquals(TensorStore.LIFETIME_OWNER, s.metadata().get(TensorStore.META_LIFETIME));
            }
        } finally {
            t.interrupt();
            t.join(60_000);
        }
        assertFalse(t.isAlive());
        assertEquals(0, result.get().exitCode(), result.get().toString());
        assertTrue(result.get().out().contains("holding 'held'"), result.get().toString());
        assertEquals(List.of(), files(d));
    }

    @Test
    void gcRemovesOnlyLeftoversOfDeadProcessesAndDryRunRemovesNothing() throws Exception {
        ShmDirectory d = dir();
        ProcessIdentity dead = DeadProcess.identity();
        ProcessIdentity me = ProcessIdentity.current();
        String deadTemp = SegmentName.temporary("crashed", dead.pid(), dead.startTicks(), 0xabcL);
        String liveTemp = SegmentName.temporary("writing", me.pid(), me.startTicks(), 0xdefL);
        Files.write(d.resolve(deadTemp), new byte[4096]);
        Files.write(d.resolve(liveTemp), new byte[4096]);
        Files.writeString(d.resolve("foreign"), "x");
        String dirArg = d.path().toString();
        try (TensorStore store = smallStore("kept", d, true)) {
            List<String> all = files(d);

            CliRun ls = CliRun.of("shm", "ls", "--dir", dirArg);
            assertTrue(rowOf(ls.out(), deadTemp).contains("[leftover: 'ipc4j shm gc' removes it]"), ls.toString());
            assertFalse(rowOf(ls.out(), liveTemp).contains("leftover"), ls.toString());

            CliRun dry = CliRun.of("shm", "gc", "--dry-run", "--dir", dirArg);
            assertEquals(0, dry.exitCode(), dry.toString());
            assertTrue(dry.out().startsWith("would remove 1 leftover (4.0 KiB) from " + d.path()), dry.toString());
            assertTrue(dry.out().lines().anyMatch(l -> l.startsWith(deadTemp + " ") && l.contains(" temporary ")
                    && l.contains(" " + dead.pid() + " ")), dry.toString());
            assertEquals(all, files(d));

            CliRun gc = CliRun.of("shm", "gc", "--dir", dirArg);
            assertEquals(0, gc.exitCode(), gc.toString());
            assertTrue(gc.out().startsWith("removed 1 leftover (4.0 KiB) from " + d.path()), gc.toString());
            assertTrue(gc.out().contains(deadTemp), gc.toString());
            assertEquals(all.stream().filter(n -> !n.equals(deadTemp)).toList(), files(d));

            CliRun again = CliRun.of("shm", "gc", "--dir", dirArg);
            assertEquals("nothing to collect in " + d.path() + System.lineSeparator(), again.out(), again.toString());
            CliRun dryAgain = CliRun.of("shm", "gc", "-n", "--dir", dirArg);
            assertEquals("nothing to collect in " + d.path() + System.lineSeparator(), dryAgain.out(), dryAgain.toString());
        }
    }
}
