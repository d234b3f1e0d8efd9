package io.ipc4j.tensor.store;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.testing.TmpfsMount;
import io.ipc4j.tensor.DType;
import io.ipc4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.ipc4j.tensor.store.StoreTestSupport.F32;
import static io.ipc4j.tensor.store.StoreTestSupport.I16;
import static io.ipc4j.tensor.store.StoreTestSupport.I64;
import static io.ipc4j.tensor.store.StoreTestSupport.bf16;
import static io.ipc4j.tensor.store.StoreTestSupport.concat;
import static io.ipc4j.tensor.store.StoreTestSupport.file;
import static io.ipc4j.tensor.store.StoreTestSupport.floats;
import static io.ipc4j.tensor.store.StoreTestSupport.longs;
import static io.ipc4j.tensor.store.StoreTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorStoreTest {
    @TempDir
    Path tmp;

    /** A store with mixed dtypes added in an order that would misalign them if kept. */
    private static TensorStore buildMixed(String name, Arena arena) {
        MemorySegment src = arena.allocate(6 * 4, 4);
        for (int i = 0; i < 6; i++) {
            src.setAtIndex(F32, i, i * 1.5f);
        }
        Tensor w = Tensor.of("w", DType.F32, new long[]{2, 3}, src);
        return TensorStore.builder(name)
                .add("flag", DType.U8, 3)                 // 1-byte first: the writer must reorder
                .add(w)                                   // copied in
                .add("ids", DType.I64, 4)
                .add("half", DType.BF16, 5)
                .add("empty", DType.F32, 0, 7)            // zero-size tensors are allowed
                .add("scalar", DType.F64)                 // rank 0
                .metadata("model", "demo \"quoted\" ✓")
                .create();
    }

    @Test
    void buildFillPublishOpenRoundTrip() {
        String name = unique("roundtrip");
        try (Arena arena = Arena.ofConfined(); TensorStore store = buildMixed(name, arena)) {
            assertFalse(store.isPublished());
            assertFalse(SharedSegment.exists(name), "the final name must not exist before publish");
            assertTrue(store.fileName().startsWith(".ipc4j-tmp."), store.fileName());
            MemorySegment ids = store.tensor("ids").segment();
            for (int i = 0; i < 4; i++) {
                ids.setAtIndex(I64, i, (i + 1) * -1_000_000_007L);
            }
            store.tensor("flag").segment().set(ValueLayout.JAVA_BYTE, 2, (byte) 1);
            for (int i = 0; i < 5; i++) {
                store.tensor("half").segment().setAtIndex(I16, i, bf16(i + 0.5f));
            }
            store.tensor("scalar").segment().set(ValueLayout.JAVA_DOUBLE, 0, Math.PI);
            store.publish();
            assertTrue(store.isPublished());
            assertTrue(SharedSegment.exists(name));

            try (TensorStore r = TensorStore.openReadOnly(name)) {
                assertEquals(store.tensorNames(), r.tensorNames());
                assertEquals(List.of("ids", "scalar", "w", "empty", "half", "flag"), r.tensorNames(),
                        "data order: descending dtype size, stable within a size");
                Tensor w = r.tensor("w");
                assertEquals(DType.F32, w.dtype());
                assertArrayEquals(new long[]{2, 3}, w.shape());
                for (int i = 0; i < 6; i++) {
                    assertEquals(i * 1.5f, w.segment().getAtIndex(F32, i));
                }
                for (int i = 0; i < 4; i++) {
                    assertEquals((i + 1) * -1_000_000_007L, r.tensor("ids").segment().getAtIndex(I64, i));
                }
                assertEquals(1, r.tensor("flag").segment().get(ValueLayout.JAVA_BYTE, 2));
                assertEquals(0, r.tensor("flag").segment().get(ValueLayout.JAVA_BYTE, 0));
                assertEquals(bf16(3.5f), r.tensor("half").segment().getAtIndex(I16, 3));
                assertEquals(Math.PI, r.tensor("scalar").segment().get(ValueLayout.JAVA_DOUBLE, 0));
                assertEquals(0, r.tensor("empty").byteSize());
                assertEquals(0, r.tensor("scalar").rank());
                assertEquals("demo \"quoted\" ✓", r.metadata().get("model"));
                assertEquals(Long.toString(ProcessHandle.current().pid()), r.metadata().get(TensorStore.META_CREATOR_PID));
                assertEquals(TensorStore.LIFETIME_OWNER, r.metadata().get(TensorStore.META_LIFETIME));
                assertEquals(store.size(), r.size());
                assertTrue(r.isReadOnly());
                assertFalse(r.isOwner());
            }
            assertTrue(SharedSegment.exists(name), "closing a reader must not unlink");
        }
        assertFalse(SharedSegment.exists(name), "the owner unlinks on close");
    }

    @Test
    void everyTensorAndTheDataStartAreAligned() {
        String name = unique("align");
        try (Arena arena = Arena.ofConfined(); TensorStore store = buildMixed(name, arena)) {
            assertEquals(0, store.dataOffset() % 64, "data start");
            assertEquals(0, store.segment().address() % 4096, "mapping is page aligned");
            for (Tensor t : store.tensors()) {
                long at = t.segment().address() - store.segment().address();
                assertEquals(0, at % t.dtype().byteSize(), t.name() + " at file offset " + at);
            }
            assertTrue(store.header().isAligned());
        }
    }

    @Test
    void bytesAreAValidSafetensorsFile() {
        String name = unique("layout");
        try (Arena arena = Arena.ofConfined(); TensorStore store = buildMixed(name, arena)) {
            byte[] all = StoreTestSupport.bytesOf(store.segment());
            long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertEquals(store.headerLength(), n);
            assertEquals(0, (8 + n) % 64);
            String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
            String json = header.stripTrailing();
            assertTrue(json.startsWith("{") && json.endsWith("}"), json);
            assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
            assertTrue(json.contains("\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":["), json);
            assertTrue(json.contains("\"scalar\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[32,40]}"), json);
            assertTrue(json.contains("\"model\":\"demo \\\"quoted\\\" ✓\""), json);
            // tensors cover the data area back to back
            long expect = 0;
            for (SafetensorsHeader.Entry e : store.header().entries()) {
                assertEquals(expect, e.begin(), e.name());
                expect = e.end();
            }
            assertEquals(all.length - 8 - n, expect);
            // the same bytes parse as a file on disk too
            SafetensorsHeader again = SafetensorsHeader.parse(MemorySegment.ofArray(all), HeaderLimits.DEFAULT);
            assertEquals(store.header().entries(), again.entries());
        }
    }

    @Test
    void loadsAFileWrittenByAnIndependentWriter() throws Exception {
        // written the way the reference implementation does: header padded to 8 with spaces,
        // metadata last, keys in any order
        String json = "{\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]},"
                + "\"__metadata__\":{\"format\":\"pt\",\"ipc4j.lifetime\":\"spoofed\"}}";
        json = json + " ".repeat((8 - json.length() % 8) % 8);
        byte[] data = concat(longs(7, -3), floats(1f, 2f, 3f, -4.25f));
        Path f = tmp.resolve("tiny.safetensors");
        Files.write(f, file(json, data));
        String name = unique("load");
        List<long[]> progress = new ArrayList<>();
        try (TensorStore s = TensorStore.load(f, name, LoadOptions.defaults()
                .withProgress((done, total) -> progress.add(new long[]{done, total})))) {
            assertTrue(s.isPublished());
            assertTrue(SharedSegment.exists(name));
            assertEquals(List.of("b", "a"), s.tensorNames());
            assertEquals(7, s.tensor("b").segment().getAtIndex(I64, 0));
            assertEquals(-3, s.tensor("b").segment().getAtIndex(I64, 1));
            assertEquals(-4.25f, s.tensor("a").segment().getAtIndex(F32, 3));
            assertEquals("pt", s.metadata().get("format"));
            assertEquals(TensorStore.LIFETIME_OWNER, s.metadata().get(TensorStore.META_LIFETIME), "reserved keys are ours");
            assertEquals(0, s.dataOffset() % 64);
            assertArrayEquals(data, s.segment().asSlice(s.dataOffset()).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(1, progress.size());
            assertArrayEquals(new long[]{32, 32}, progress.getFirst());
            try (TensorStore r = TensorStore.openReadOnly(name)) {
                assertEquals(-4.25f, r.tensor("a").segment().getAtIndex(F32, 3));
            }
        }
        assertFalse(SharedSegment.exists(name));

        try (TensorStore m = TensorStore.mapFile(f)) {
            assertEquals("tiny.safetensors", m.name());
            assertTrue(m.isReadOnly());
            assertEquals(8 + json.length(), m.dataOffset());
            assertEquals(2f, m.tensor("a").segment().getAtIndex(F32, 1));
            assertEquals("spoofed", m.metadata().get("ipc4j.lifetime"), "mapFile shows the file as it is");
            assertRejectsWrite(() -> m.tensor("a").segment().setAtIndex(F32, 0, 1f));
        }
    }

    @Test
    void loadCopiesInChunksAndReportsProgress() throws Exception {
        int floatsCount = 700_000; // 2.8 MB: three 1 MiB chunks
        ByteBuffer data = ByteBuffer.allocate(floatsCount * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < floatsCount; i++) {
            data.putFloat(i);
        }
        String json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[" + floatsCount + "],\"data_offsets\":[0," + floatsCount * 4 + "]}}";
        Path f = tmp.resolve("big.safetensors");
        Files.write(f, file(json, data.array()));
        List<Long> done = new ArrayList<>();
        String name = unique("chunks");
        try (TensorStore s = TensorStore.load(f, name, LoadOptions.defaults().withChunkBytes(1 << 20)
                .withProgress((d, total) -> {
                    assertEquals(floatsCount * 4L, total);
                    done.add(d);
                }))) {
            assertEquals(List.of(1L << 20, 2L << 20, floatsCount * 4L), done);
            MemorySegment x = s.tensor("x").segment();
            assertEquals(0f, x.getAtIndex(F32, 0));
            assertEquals(123_456f, x.getAtIndex(F32, 123_456));
            assertEquals(floatsCount - 1f, x.getAtIndex(F32, floatsCount - 1));
        }
        // a failing progress callback aborts the load and leaves nothing behind
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TensorStore.load(f, name,
                LoadOptions.defaults().withChunkBytes(1 << 20).withProgress((d, t) -> {
                    throw new IllegalStateException("cancelled");
                })));
        assertEquals("cancelled", e.getMessage());
        assertFalse(SharedSegment.exists(name));
    }

    @Test
    void loadIntoAFullTmpfsFailsWithNoSpaceAndLeavesNothing() throws Exception {
        int floatsCount = 700_000; // 2.8 MB
        String json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[" + floatsCount + "],\"data_offsets\":[0," + floatsCount * 4 + "]}}";
        Path f = tmp.resolve("big.safetensors");
        Files.write(f, file(json, new byte[floatsCount * 4]));
        try (TmpfsMount small = TmpfsMount.mount("1m")) {
            Assumptions.assumeTrue(small.isTmpfs(), "needs a mounted tmpfs (run as root)");
            IpcException e = assertThrows(IpcException.class,
                    () -> TensorStore.load(f, "too-big", LoadOptions.defaults().withDirectory(small.directory())));
            assertEquals(Reason.NO_SPACE, e.reason());
            assertEquals(List.of(), small.files());
        }
        // the free-space check passes, then the tmpfs fills up during the copy (another writer takes
        // the space): the kernel write fails with ENOSPC and the load reports NO_SPACE, no SIGBUS
        try (TmpfsMount mid = TmpfsMount.mount("3m")) {
            Assumptions.assumeTrue(mid.isTmpfs(), "needs a mounted tmpfs (run as root)");
            IpcException e = assertThrows(IpcException.class, () -> TensorStore.load(f, "fills-up",
                    LoadOptions.defaults().withDirectory(mid.directory()).withChunkBytes(1 << 20).withProgress((d, t) -> {
                        if (d == 1 << 20) {
                            try {
                                Files.write(mid.path().resolve("hog"), new byte[2 << 20]);
                            } catch (java.io.IOException io) {
                                // the tmpfs is full either way
                            }
                        }
                    })));
            assertEquals(Reason.NO_SPACE, e.reason(), e.getMessage());
            assertEquals(List.of("hog"), mid.files());
        }
    }

    @Test
    void loadRejectsABadFileBeforeCreatingAnything() throws Exception {
        Path f = tmp.resolve("bad.safetensors");
        Files.write(f, file("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]));
        String name = unique("badload");
        IpcException e = assertThrows(IpcException.class, () -> TensorStore.load(f, name));
        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("tensor 'x': unknown dtype 'F8_E4M3'"), e.getMessage());
        assertFalse(SharedSegment.exists(name));
        IpcException missing = assertThrows(IpcException.class, () -> TensorStore.load(tmp.resolve("nope"), name));
        assertEquals(Reason.NOT_FOUND, missing.reason());
        IpcException missingMap = assertThrows(IpcException.class, () -> TensorStore.mapFile(tmp.resolve("nope")));
        assertEquals(Reason.NOT_FOUND, missingMap.reason());
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> TensorStore.mapFile(tmp)).reason());
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> TensorStore.load(tmp, name)).reason());
    }

    @Test
    void readOnlyStoreRejectsWritesAndIsMappedWithoutWrite() throws Exception {
        String name = unique("ro");
        try (TensorStore w = TensorStore.builder(name).add("x", DType.F32, 16).build();
             TensorStore r = TensorStore.openReadOnly(name)) {
            w.tensor("x").segment().setAtIndex(F32, 3, 9f);
            Tensor x = r.tensor("x");
            assertTrue(x.isReadOnly());
            assertRejectsWrite(() -> x.segment().setAtIndex(F32, 3, 1f));
            assertRejectsWrite(() -> r.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 0));
            assertRejectsWrite(() -> x.segment().fill((byte) 0));
            assertRejectsWrite(() -> MemorySegment.copy(MemorySegment.ofArray(new byte[4]), 0, x.segment(), 0, 4));
            assertEquals(9f, x.segment().getAtIndex(F32, 3), "the failed write changed nothing");
            // and the kernel mapping itself is PROT_READ: /proc/self/maps shows r--s for it
            String start = Long.toHexString(r.segment().address());
            String line = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.startsWith(start + "-") && l.endsWith("/dev/shm/" + name))
                    .findFirst().orElseThrow(() -> new AssertionError("no mapping at " + start));
            assertEquals("r--s", line.split(" ")[1], line);
        }
    }

    private static void assertRejectsWrite(org.junit.jupiter.api.function.Executable write) {
        RuntimeException e = assertThrows(RuntimeException.class, write);
        assertTrue(e.getMessage().contains("read-only"), e.toString());
    }

    @Test
    void writableOpenSharesMemoryWithTheOwner() {
        String name = unique("rw");
        try (TensorStore w = TensorStore.builder(name).add("x", DType.I64, 2).build();
             TensorStore other = TensorStore.open(name)) {
            assertFalse(other.isReadOnly());
            other.tensor("x").segment().setAtIndex(I64, 1, 42L);
            assertEquals(42L, w.tensor("x").segment().getAtIndex(I64, 1));
        }
    }

    @Test
    void duplicateStoreNameIsAlreadyExists() {
        String name = unique("dup");
        try (TensorStore first = TensorStore.builder(name).add("x", DType.F32, 1).build()) {
            IpcException e = assertThrows(IpcException.class,
                    () -> TensorStore.builder(name).add("y", DType.F32, 1).build());
            assertEquals(Reason.ALREADY_EXISTS, e.reason());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertEquals(1, first.tensor("x").elementCount());
        }
        // the race the early check cannot see: another writer publishes between create and publish
        try (TensorStore late = TensorStore.builder(name).add("y", DType.F32, 1).create()) {
            try (TensorStore winner = TensorStore.builder(name).add("x", DType.F32, 1).build()) {
                IpcException e = assertThrows(IpcException.class, late::publish);
                assertEquals(Reason.ALREADY_EXISTS, e.reason());
                try (TensorStore r = TensorStore.openReadOnly(name)) {
                    assertEquals(List.of("x"), r.tensorNames(), "the published store was not replaced");
                }
            }
        }
        assertFalse(SharedSegment.exists(name));
    }

    @Test
    void builderRejectsBadDeclarations() {
        TensorStore.Builder b = TensorStore.builder(unique("decl")).add("x", DType.F32, 2);
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> b.add("x", DType.I8, 1)).reason());
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> b.add("__metadata__", DType.I8, 1)).reason());
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> b.add("neg", DType.I8, -1)).reason());
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> b.metadata("ipc4j.creator_pid", "1")).reason());
        assertEquals(Reason.INVALID_NAME, assertThrows(IpcException.class, () -> TensorStore.builder("../x")).reason());
        TensorStore.Builder surrogate = TensorStore.builder(unique("sur")).add("bad\uD800", DType.F32, 1);
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, surrogate::create).reason());
        TensorStore.Builder tooMany = TensorStore.builder(unique("many"))
                .limits(new HeaderLimits(1 << 20, 8, 2, 1024, 8))
                .add("a", DType.F32, 1).add("b", DType.F32, 1).add("c", DType.F32, 1);
        IpcException e = assertThrows(IpcException.class, tooMany::create);
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("readers would reject it"), e.getMessage());
    }

    @Test
    void missingTensorNamesWhatExists() {
        try (TensorStore s = TensorStore.builder(unique("missing")).add("alpha", DType.F32, 1)
                .add("beta", DType.I8, 2).build()) {
            IpcException e = assertThrows(IpcException.class, () -> s.tensor("gamma"));
            assertEquals(Reason.NOT_FOUND, e.reason());
            assertTrue(e.getMessage().contains("'gamma'") && e.getMessage().contains("[alpha, beta]"), e.getMessage());
        }
        IpcException e = assertThrows(IpcException.class, () -> TensorStore.openReadOnly(unique("absent")));
        assertEquals(Reason.NOT_FOUND, e.reason());
    }

    @Test
    void closeIsIdempotentAndLaterAccessThrowsInsteadOfCrashing() {
        String name = unique("closed");
        TensorStore s = TensorStore.builder(name).add("x", DType.F32, 4).build();
        MemorySegment x = s.tensor("x").segment();
        s.close();
        s.close();
        assertFalse(SharedSegment.exists(name));
        assertThrows(IllegalStateException.class, () -> x.getAtIndex(F32, 0));
        assertEquals(Reason.CLOSED, assertThrows(IpcException.class, s::publish).reason());
    }

    @Test
    void unpublishedStoreClosedIsRemovedAndPersistentStoreOutlivesItsCreator() {
        String name = unique("persist");
        TensorStore unpublished = TensorStore.builder(name).persistent(true).add("x", DType.F32, 1).create();
        String temp = unpublished.fileName();
        unpublished.close();
        assertFalse(Files.exists(Path.of("/dev/shm", temp)), "closing unpublished removes the temporary name");
        assertFalse(SharedSegment.exists(name));

        try (TensorStore p = TensorStore.builder(name).persistent(true).add("x", DType.F32, 1).build()) {
            assertEquals(TensorStore.LIFETIME_PERSISTENT, p.metadata().get(TensorStore.META_LIFETIME));
            assertFalse(p.isOwner());
        }
        try {
            assertTrue(SharedSegment.exists(name), "persistent store stays");
            try (TensorStore r = TensorStore.openReadOnly(name)) {
                Optional<SegmentInfo> info = new TensorStoreProbe().probe(name, r.segment());
                assertTrue(info.isPresent());
                assertTrue(info.get().persistent());
                assertFalse(info.get().isLeftover());
            }
        } finally {
            SharedSegment.unlink(name);
        }
    }

    @Test
    void probeDescribesALiveStore() {
        String name = unique("probe");
        try (Arena arena = Arena.ofConfined(); TensorStore s = buildMixed(name, arena)) {
            SegmentInfo info = new TensorStoreProbe().probe(name, s.segment()).orElseThrow();
            assertEquals(TensorStoreProbe.KIND, info.kind());
            assertEquals(ProcessHandle.current().pid(), info.creatorPid());
            assertEquals(Boolean.TRUE, info.creatorAlive());
            assertFalse(info.persistent());
            assertFalse(info.isLeftover());
            assertEquals(s.size(), info.size());
            assertTrue(info.detail().startsWith("6 tensors, F64/F32/BF16/I64/U8, header "), info.detail());
            // not a safetensors file: not recognised
            MemorySegment other = arena.allocate(64);
            other.set(ValueLayout.JAVA_LONG, 0, 0x49504334_00000001L);
            assertEquals(Optional.empty(), new TensorStoreProbe().probe("x", other));
        }
    }

    @Test
    void probeOfAForeignStoreHasNoOwner() {
        byte[] bytes = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1f));
        SegmentInfo info = new TensorStoreProbe().probe("py", MemorySegment.ofArray(bytes)).orElseThrow();
        assertEquals(-1, info.creatorPid());
        assertNull(info.creatorAlive());
        assertTrue(info.persistent());
        assertTrue(info.detail().contains("no ipc4j metadata"), info.detail());
        Map<String, String> md = SafetensorsHeader.parse(MemorySegment.ofArray(bytes), HeaderLimits.DEFAULT).metadata();
        assertTrue(md.isEmpty());
    }
}
