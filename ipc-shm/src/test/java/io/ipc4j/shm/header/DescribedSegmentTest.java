package io.ipc4j.shm.header;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.posix.OpenFlags;
import io.ipc4j.posix.PosixFiles;
import io.ipc4j.posix.PosixShm;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SegmentInventory;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmChild;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.shm.testing.ChildJvm;
import io.ipc4j.shm.testing.DeadProcess;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.shm.testing.TmpfsMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class DescribedSegmentTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final String name = ShmLeakCheck.uniqueName("desc");

    @Test
    void layoutIsOneCacheLineWithAlignedFields() {
        assertEquals(64, DescriptorHeader.LENGTH);
        for (int longOffset : new int[]{DescriptorHeader.MAGIC_OFFSET, DescriptorHeader.CREATOR_PID_OFFSET,
                DescriptorHeader.CREATOR_START_TICKS_OFFSET, DescriptorHeader.CREATION_TIME_OFFSET,
                DescriptorHeader.PAYLOAD_LENGTH_OFFSET}) {
            assertEquals(0, longOffset % 8, "offset " + longOffset);
        }
        assertEquals(0, DescriptorHeader.READY_OFFSET % 4);
        assertEquals(72, DescriptorHeader.segmentLength(8));
        assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, () -> DescriptorHeader.segmentLength(-1)).reason());
        assertEquals(Reason.TOO_LARGE, assertThrows(IpcException.class, () -> DescriptorHeader.segmentLength(Long.MAX_VALUE)).reason());
    }

    @Test
    void createFillReadyOpen() {
        long before = System.currentTimeMillis();
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.RING, 4096,
                CreateOptions.defaults().payloadVersion(3), p -> p.set(ValueLayout.JAVA_LONG, 4088, 0xABCDL))) {
            assertTrue(s.isReady());
            assertTrue(s.isCreator());
            // the file starts with the ASCII magic
            byte[] magic = s.segment().memory().asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals("IPC4JSEG".getBytes(StandardCharsets.US_ASCII), magic);

            try (DescribedSegment r = DescribedSegment.open(ShmDirectory.defaultDirectory(), name, SegmentKind.RING,
                    Duration.ZERO, true)) {
                HeaderFields h = r.header();
                ProcessIdentity me = ProcessIdentity.current();
                assertEquals(SegmentKind.RING, r.kind());
                assertEquals(me.pid(), h.creatorPid());
                assertEquals(me.startTicks(), h.creatorStartTicks());
                assertTrue(h.creationMillis() >= before && h.creationMillis() <= System.currentTimeMillis());
                assertEquals(4096, h.payloadLength());
                assertEquals(3, h.payloadVersion());
                assertFalse(h.isPersistent());
                assertTrue(r.isCreatorAlive());
                assertFalse(r.isCreator());
                assertEquals(4096, r.payload().byteSize());
                assertEquals(0, r.payload().address() % DescriptorHeader.CACHE_LINE);
                assertEquals(0xABCDL, r.payload().get(ValueLayout.JAVA_LONG, 4088));
                assertTrue(r.payload().isReadOnly());
                assertEquals(Reason.INVALID_ARGUMENT, assertThrows(IpcException.class, r::markReady).reason());
            }
        }
        assertFalse(SharedSegment.exists(name));
    }

    @Test
    void notReadyWithinTheTimeout() {
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.EVENTS, 64)) {
            assertFalse(s.isReady());
            IpcException e = expect(Reason.NOT_READY, () -> DescribedSegment.open(name, SegmentKind.EVENTS, Duration.ofMillis(20)));
            assertTrue(e.getMessage().contains("not ready"), e.getMessage());
            s.markReady();
            try (DescribedSegment r = DescribedSegment.open(name, SegmentKind.EVENTS, Duration.ZERO)) {
                assertTrue(r.header().isReady());
            }
        }
        assertFalse(SharedSegment.exists(name));
    }

    @Test
    void wrongMagic() {
        try (SharedSegment raw = SharedSegment.create(name, 4096)) {
            IpcException zero = expect(Reason.WRONG_MAGIC, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
            assertTrue(zero.getMessage().contains("0x0000000000000000"), zero.getMessage());
            raw.memory().copyFrom(MemorySegment.ofArray("NOTIPC4J".getBytes(StandardCharsets.US_ASCII)));
            IpcException e = expect(Reason.WRONG_MAGIC, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
            assertTrue(e.getMessage().contains("\"NOTIPC4J\""), e.getMessage());
            assertTrue(e.getMessage().contains("expected 0x495043344A534547 (\"IPC4JSEG\")"), e.getMessage());
        }
    }

    @Test
    void truncated() {
        try (SharedSegment raw = SharedSegment.create(name, 32)) {
            raw.memory().set(ValueLayout.JAVA_LONG, 0, DescriptorHeader.MAGIC);
            IpcException e = expect(Reason.TRUNCATED, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
            assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
        }
        // a header that claims more payload than the file holds
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.RING, 64, CreateOptions.defaults(), p -> { })) {
            s.segment().memory().set(ValueLayout.JAVA_LONG, DescriptorHeader.PAYLOAD_LENGTH_OFFSET, 1L << 20);
            IpcException e = expect(Reason.TRUNCATED, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
            assertTrue(e.getMessage().contains("payload length 1048576"), e.getMessage());
        }
    }

    @Test
    void versionMismatch() {
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.RING, 64, CreateOptions.defaults(), p -> { })) {
            s.segment().memory().set(ValueLayout.JAVA_INT, DescriptorHeader.LAYOUT_VERSION_OFFSET, 99);
            IpcException e = expect(Reason.VERSION_MISMATCH, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
            assertTrue(e.getMessage().contains("version 99"), e.getMessage());
            assertTrue(e.getMessage().contains("reads version " + DescriptorHeader.LAYOUT_VERSION), e.getMessage());
        }
    }

    @Test
    void wrongKind() {
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.RING, 64, CreateOptions.defaults(), p -> { })) {
            IpcException e = expect(Reason.WRONG_KIND, () -> DescribedSegment.open(name, SegmentKind.EVENTS, LONG));
            assertTrue(e.getMessage().contains("ring segment, expected events"), e.getMessage());
            s.segment().memory().set(ValueLayout.JAVA_INT, DescriptorHeader.KIND_OFFSET, 4242);
            IpcException u = expect(Reason.WRONG_KIND, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
            assertTrue(u.getMessage().contains("kind#4242"), u.getMessage());
        }
    }

    @Test
    void checksRunInOrder() {
        // wrong magic AND wrong version AND wrong kind: the magic is reported
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.RING, 64)) {
            MemorySegment m = s.segment().memory();
            m.set(ValueLayout.JAVA_INT, DescriptorHeader.KIND_OFFSET, SegmentKind.SLAB.code());
            m.set(ValueLayout.JAVA_INT, DescriptorHeader.LAYOUT_VERSION_OFFSET, 2);
            expect(Reason.VERSION_MISMATCH, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
            m.set(ValueLayout.JAVA_LONG, DescriptorHeader.MAGIC_OFFSET, 1L);
            expect(Reason.WRONG_MAGIC, () -> DescribedSegment.open(name, SegmentKind.RING, LONG));
        }
    }

    @Test
    void corruptReadyWord() {
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.COUNTERS, 64)) {
            s.segment().memory().set(ValueLayout.JAVA_INT, DescriptorHeader.READY_OFFSET, 7);
            expect(Reason.CORRUPT, () -> DescribedSegment.open(name, SegmentKind.COUNTERS, LONG));
        }
    }

    @Test
    void notReadyAndCreatorGoneIsCreatorDeadWithoutWaitingForTheTimeout() throws Exception {
        ProcessIdentity dead = DeadProcess.identity();
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.SLAB, 64)) {
            forgeCreator(s.segment().memory(), dead);
            // without the liveness check this would end in NOT_READY after the timeout
            IpcException e = expect(Reason.CREATOR_DEAD, () -> DescribedSegment.open(name, SegmentKind.SLAB, LONG));
            assertTrue(e.getMessage().contains("pid " + dead.pid()), e.getMessage());
        }
    }

    @Test
    void creatorKilledBeforeReadyThenGcRemovesIt() throws Exception {
        try (TmpfsMount fs = TmpfsMount.mount("4m")) {
            ShmDirectory dir = fs.directory();
            long childPid;
            try (ChildJvm child = ChildJvm.start(ShmChild.class, "described", fs.path().toString(), "orphan", "4096")) {
                child.expect("created");
                childPid = child.process().pid();
                SegmentInfo info = SegmentInventory.of(dir).inspect("orphan").orElseThrow();
                assertEquals("generic", info.kind());
                assertEquals(Boolean.TRUE, info.creatorAlive());
                assertEquals(childPid, info.creatorPid());
                expect(Reason.NOT_READY, () -> DescribedSegment.open(dir, "orphan", SegmentKind.GENERIC, Duration.ofMillis(10), true));
                child.kill();
            }
            assertEquals(List.of("orphan"), fs.files(), "SIGKILL left the segment behind");
            IpcException e = expect(Reason.CREATOR_DEAD,
                    () -> DescribedSegment.open(dir, "orphan", SegmentKind.GENERIC, LONG, true));
            assertTrue(e.getMessage().contains("pid " + childPid), e.getMessage());

            SegmentInventory inv = SegmentInventory.of(dir);
            SegmentInfo info = inv.inspect("orphan").orElseThrow();
            assertEquals(Boolean.FALSE, info.creatorAlive());
            assertTrue(info.isLeftover());
            assertTrue(info.detail().contains("NOT READY"), info.detail());
            List<SegmentInfo> removed = inv.gc();
            assertEquals(List.of("orphan"), removed.stream().map(SegmentInfo::fileName).toList());
            assertEquals(List.of(), fs.files());
        }
    }

    @Test
    void readyHandshakeAcrossProcesses() throws Exception {
        try (ChildJvm child = ChildJvm.start(ShmChild.class, "described", ShmDirectory.DEV_SHM.toString(), name, "4096")) {
            child.expect("created");
            expect(Reason.NOT_READY, () -> DescribedSegment.open(name, SegmentKind.GENERIC, Duration.ZERO));
            CompletableFuture<long[]> seen = CompletableFuture.supplyAsync(() -> {
                try (DescribedSegment s = DescribedSegment.open(name, SegmentKind.GENERIC, LONG)) {
                    MemorySegment p = s.payload();
                    return new long[]{p.get(ValueLayout.JAVA_LONG, 0), p.get(ValueLayout.JAVA_LONG, 4088),
                            s.header().creatorPid()};
                }
            });
            child.send("ready 1000");
            long[] v = seen.get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(1000, v[0]);
            assertEquals(1000 + 4088, v[1]);
            assertEquals(child.process().pid(), v[2]);
            child.expect("ready");
            assertEquals(0, child.finish(), () -> child.transcript().toString());
        }
        assertFalse(SharedSegment.exists(name), "the child unlinked its segment on close");
    }

    @Test
    void persistentSegmentsOutliveCloseOnlyOnceReady() {
        CreateOptions persistent = CreateOptions.defaults().persistent(true);
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.GENERIC, 64, persistent)) {
            assertTrue(s.header().isPersistent());
        }
        assertFalse(SharedSegment.exists(name), "never marked ready: removed on close");
        try {
            DescribedSegment.create(name, SegmentKind.GENERIC, 64, persistent, p -> p.set(ValueLayout.JAVA_INT, 0, 5)).close();
            assertTrue(SharedSegment.exists(name));
            try (DescribedSegment r = DescribedSegment.open(name, SegmentKind.GENERIC, Duration.ZERO)) {
                assertTrue(r.header().isPersistent());
                assertEquals(5, r.payload().get(ValueLayout.JAVA_INT, 0));
            }
        } finally {
            SharedSegment.unlink(name);
        }
    }

    @Test
    void createRefusesAnExistingNameAndLeavesNoTemporary() {
        try (DescribedSegment s = DescribedSegment.create(name, SegmentKind.GENERIC, 64)) {
            expect(Reason.ALREADY_EXISTS, () -> DescribedSegment.create(name, SegmentKind.GENERIC, 64));
            String tempPrefix = ".ipc4j-tmp." + ProcessHandle.current().pid() + ".";
            assertTrue(ShmLeakCheck.snapshot().stream().noneMatch(n -> n.startsWith(tempPrefix) && n.endsWith(name)));
        }
    }

    @Test
    void failingInitializerRemovesTheSegment() {
        RuntimeException boom = new IllegalStateException("boom");
        RuntimeException e = assertThrows(IllegalStateException.class, () -> DescribedSegment.create(name,
                SegmentKind.GENERIC, 64, CreateOptions.defaults(), p -> { throw boom; }));
        assertEquals(boom, e);
        assertFalse(SharedSegment.exists(name));
    }

    @Test
    void emptyFileIsTruncated() {
        // a 0-byte file under the name, as a non-ipc4j creator that never sized it would leave
        int fd = PosixShm.shmOpen("/" + name, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0600);
        PosixFiles.close(fd);
        try {
            IpcException e = expect(Reason.TRUNCATED, () -> DescribedSegment.open(name, SegmentKind.GENERIC, LONG));
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
        } finally {
            SharedSegment.unlink(name);
        }
    }

    static void forgeCreator(MemorySegment m, ProcessIdentity who) {
        m.set(ValueLayout.JAVA_LONG, DescriptorHeader.CREATOR_PID_OFFSET, who.pid());
        m.set(ValueLayout.JAVA_LONG, DescriptorHeader.CREATOR_START_TICKS_OFFSET, who.startTicks());
    }

    private static IpcException expect(Reason reason, Executable call) {
        IpcException e = assertThrows(IpcException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
