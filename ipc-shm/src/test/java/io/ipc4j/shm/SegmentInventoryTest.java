package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.DescriptorHeader;
import io.ipc4j.shm.header.DescriptorHeaderProbe;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.shm.testing.DeadProcess;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.shm.testing.TmpfsMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class SegmentInventoryTest {
    private TmpfsMount fs;
    private ShmDirectory dir;
    private ProcessIdentity dead;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void mount() throws Exception {
        fs = TmpfsMount.mount("16m");
        dir = fs.directory();
        dead = DeadProcess.identity();
    }

    @AfterEach
    void unmount() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        fs.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(fs.path().resolve(name), bytes);
    }

    /** A described segment made by this process, then rewritten to look like it was made by {@code who}. */
    private DescribedSegment described(String name, SegmentKind kind, boolean persistent, boolean ready, ProcessIdentity who) {
        DescribedSegment s = keep(DescribedSegment.create(name, kind, 128,
                CreateOptions.defaults().directory(dir).persistent(persistent)));
        if (ready) {
            s.markReady();
        }
        if (who != null) {
            MemorySegment m = s.segment().memory();
            m.set(ValueLayout.JAVA_LONG, DescriptorHeader.CREATOR_PID_OFFSET, who.pid());
            m.set(ValueLayout.JAVA_LONG, DescriptorHeader.CREATOR_START_TICKS_OFFSET, who.startTicks());
        }
        return s;
    }

    private static Map<String, SegmentInfo> byName(List<SegmentInfo> infos) {
        return infos.stream().collect(Collectors.toMap(SegmentInfo::fileName, Function.identity()));
    }

    @Test
    void listsEverythingAndGcRemovesOnlyLeftovers() throws Exception {
        String deadTemp = SegmentName.temporary("weights", dead.pid(), dead.startTicks(), 0x1234);
        file(deadTemp, new byte[100]);
        SharedSegment liveTemp = keep(SharedSegment.createUnpublished(dir, "unfinished", 4096, 0600));
        described("ring-alive", SegmentKind.RING, false, true, null);
        described("events-dead", SegmentKind.EVENTS, false, true, dead);
        described("slab-dead-persistent", SegmentKind.SLAB, true, true, dead);
        described("counters-dead-persistent-never-ready", SegmentKind.COUNTERS, true, false, dead);
        file("foreign.bin", "just some bytes that are not ipc4j's".getBytes(StandardCharsets.US_ASCII));
        file("empty", new byte[0]);
        Files.createSymbolicLink(fs.path().resolve("link-to-dead-temp"), fs.path().resolve(deadTemp));
        Files.createDirectory(fs.path().resolve("subdir"));
        PosixFiles.mkfifo(fs.path().resolve("fifo").toString(), 0600);
        file("future-version", header(99, dead));
        file("no-creator", header(DescriptorHeader.LAYOUT_VERSION, new ProcessIdentity(0, 0)));
        file("short-header", "IPC4JSEG".getBytes(StandardCharsets.US_ASCII));
        file(".ipc4j-tmp.garbage", new byte[8]);

        SegmentInventory inv = SegmentInventory.of(dir);
        Map<String, SegmentInfo> all = byName(inv.list());
        assertEquals(new TreeSet<>(fs.files()), new TreeSet<>(all.keySet()), "one info per entry");

        SegmentInfo t = all.get(deadTemp);
        assertEquals(SegmentInfo.TEMPORARY, t.kind());
        assertEquals(dead.pid(), t.creatorPid());
        assertEquals(Boolean.FALSE, t.creatorAlive());
        assertTrue(t.detail().contains("'weights'"), t.detail());
        assertTrue(t.isLeftover());

        SegmentInfo lt = all.get(liveTemp.fileName());
        assertEquals(SegmentInfo.TEMPORARY, lt.kind());
        assertEquals(Boolean.TRUE, lt.creatorAlive());
        assertFalse(lt.isLeftover());

        SegmentInfo ring = all.get("ring-alive");
        assertEquals("ring", ring.kind());
        assertEquals(ProcessIdentity.current().pid(), ring.creatorPid());
        assertEquals(Boolean.TRUE, ring.creatorAlive());
        assertEquals(DescriptorHeader.LENGTH + 128, ring.size());
        assertTrue(ring.detail().contains("v1") && ring.detail().contains("ready"), ring.detail());

        assertEquals("events", all.get("events-dead").kind());
        assertTrue(all.get("events-dead").isLeftover());
        assertTrue(all.get("slab-dead-persistent").persistent());
        assertFalse(all.get("slab-dead-persistent").isLeftover());
        assertFalse(all.get("counters-dead-persistent-never-ready").persistent());
        assertTrue(all.get("counters-dead-persistent-never-ready").detail().contains("NOT READY"));

        for (String foreign : List.of("foreign.bin", "empty", "link-to-dead-temp", "subdir", "fifo")) {
            assertEquals(SegmentInfo.FOREIGN, all.get(foreign).kind(), foreign);
            assertNull(all.get(foreign).creatorAlive(), foreign);
        }
        assertTrue(all.get("link-to-dead-temp").detail().contains("symbolic link"));

        SegmentInfo future = all.get("future-version");
        assertEquals(DescriptorHeaderProbe.UNREADABLE_KIND, future.kind());
        assertTrue(future.detail().contains("version 99"), future.detail());
        assertNull(future.creatorAlive(), "an unreadable layout never yields a creator");
        assertEquals("ring", all.get("no-creator").kind());
        assertNull(all.get("no-creator").creatorAlive(), "pid 0 is no process: unknown, not dead");
        assertEquals(DescriptorHeaderProbe.UNREADABLE_KIND, all.get("short-header").kind());
        assertTrue(all.get("short-header").detail().contains("truncated"));
        assertEquals(SegmentInfo.TEMPORARY, all.get(".ipc4j-tmp.garbage").kind());
        assertNull(all.get(".ipc4j-tmp.garbage").creatorAlive());

        Set<String> expectedRemoved = Set.of(deadTemp, "events-dead", "counters-dead-persistent-never-ready");
        Set<String> removed = inv.gc().stream().map(SegmentInfo::fileName).collect(Collectors.toSet());
        assertEquals(expectedRemoved, removed);
        Set<String> left = new TreeSet<>(all.keySet());
        left.removeAll(expectedRemoved);
        assertEquals(left, new TreeSet<>(fs.files()));
        assertEquals(List.of(), inv.gc(), "nothing more to collect");
    }

    @Test
    void extraProbesRunAfterTheBuiltInOnes() throws Exception {
        byte[] fake = "FAKE....".getBytes(StandardCharsets.US_ASCII);
        file("made-by-fake", fake);
        String deadTemp = SegmentName.temporary("x", dead.pid(), dead.startTicks(), 1);
        file(deadTemp, fake);
        List<String> asked = new ArrayList<>();
        SegmentProbe fakeProbe = (name, mem) -> {
            asked.add(name);
            if (mem.byteSize() >= 4 && new String(mem.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).equals("FAKE")) {
                return Optional.of(new SegmentInfo(name, "fake", mem.byteSize(), dead.pid(), false, false, "fake"));
            }
            return Optional.empty();
        };
        SegmentInventory inv = SegmentInventory.builder().directory(dir).probe(fakeProbe).build();
        assertEquals(3, inv.probes().size());
        Map<String, SegmentInfo> all = byName(inv.list());
        assertEquals("fake", all.get("made-by-fake").kind());
        assertEquals(SegmentInfo.TEMPORARY, all.get(deadTemp).kind(), "the temporary-name probe comes first");
        assertEquals(List.of("made-by-fake"), asked);
        assertEquals(Set.of("made-by-fake", deadTemp),
                inv.gc().stream().map(SegmentInfo::fileName).collect(Collectors.toSet()));
        assertEquals(List.of(), fs.files());
    }

    @Test
    void aThrowingProbeMakesTheFileForeignAndKept() throws Exception {
        file("odd", new byte[16]);
        SegmentInventory inv = SegmentInventory.builder().directory(dir)
                .probe((name, mem) -> Optional.of(new SegmentInfo(name, "x", 0, -1, null, false, String.valueOf(mem.get(ValueLayout.JAVA_LONG, 1 << 20)))))
                .build();
        SegmentInfo info = inv.inspect("odd").orElseThrow();
        assertEquals(SegmentInfo.FOREIGN, info.kind());
        assertTrue(info.detail().contains("failed"), info.detail());
        assertEquals(List.of(), inv.gc());
        assertEquals(List.of("odd"), fs.files());
    }

    @Test
    void toleratesFilesVanishingWhileCollecting() throws Exception {
        file("vanishing", new byte[16]);
        SegmentProbe deletesIt = (name, mem) -> {
            try {
                Files.delete(fs.path().resolve(name)); // another gc got there first
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Optional.of(new SegmentInfo(name, "gone", mem.byteSize(), dead.pid(), false, false, ""));
        };
        SegmentInventory inv = SegmentInventory.builder().directory(dir).probe(deletesIt).build();
        assertEquals(List.of(), inv.gc());
        assertEquals(Optional.empty(), inv.inspect("vanishing"));
        assertEquals(List.of(), inv.list());
    }

    @Test
    void aFileReplacedAfterProbingIsNotCollected() throws Exception {
        file("reused", new byte[16]);
        SegmentProbe replacesIt = (name, mem) -> {
            try {
                // the dead creator's file goes, a live process creates a new one under the same name
                Path p = fs.path().resolve(name);
                Files.delete(p);
                Files.write(p, "new and alive".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Optional.of(new SegmentInfo(name, "old", mem.byteSize(), dead.pid(), false, false, ""));
        };
        SegmentInventory inv = SegmentInventory.builder().directory(dir).probe(replacesIt).build();
        assertEquals(List.of(), inv.gc());
        assertEquals("new and alive", Files.readString(fs.path().resolve("reused")));
    }

    @Test
    void listingDevShmShowsOurSegment() {
        String name = ShmLeakCheck.uniqueName("inv");
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.GENERIC, 64, CreateOptions.defaults(), p -> { })) {
            SegmentInfo info = SegmentInventory.of(ShmDirectory.defaultDirectory()).inspect(name).orElseThrow();
            assertEquals("generic", info.kind());
            assertEquals(Boolean.TRUE, info.creatorAlive());
            assertFalse(info.isLeftover());
        }
    }

    @Test
    void badDirectoryAndNames() {
        IpcException e = assertThrows(IpcException.class,
                () -> SegmentInventory.of(new ShmDirectory(fs.path().resolve("missing"))).list());
        assertEquals(IpcException.Reason.NOT_FOUND, e.reason());
        SegmentInventory inv = SegmentInventory.of(dir);
        for (String bad : new String[]{"", "..", ".", "a/b"}) {
            assertEquals(IpcException.Reason.INVALID_NAME, assertThrows(IpcException.class, () -> inv.inspect(bad)).reason());
        }
    }

    /** A full-size header with the given layout version and creator, ready. */
    private static byte[] header(int version, ProcessIdentity creator) {
        ByteBuffer b = ByteBuffer.allocate(DescriptorHeader.LENGTH + 64).order(ByteOrder.nativeOrder());
        b.putLong(DescriptorHeader.MAGIC_OFFSET, DescriptorHeader.MAGIC);
        b.putInt(DescriptorHeader.LAYOUT_VERSION_OFFSET, version);
        b.putInt(DescriptorHeader.KIND_OFFSET, SegmentKind.RING.code());
        b.putInt(DescriptorHeader.HEADER_LENGTH_OFFSET, DescriptorHeader.LENGTH);
        b.putLong(DescriptorHeader.CREATOR_PID_OFFSET, creator.pid());
        b.putLong(DescriptorHeader.CREATOR_START_TICKS_OFFSET, creator.startTicks());
        b.putLong(DescriptorHeader.PAYLOAD_LENGTH_OFFSET, 64);
        b.putInt(DescriptorHeader.READY_OFFSET, DescriptorHeader.READY);
        return b.array();
    }
}
