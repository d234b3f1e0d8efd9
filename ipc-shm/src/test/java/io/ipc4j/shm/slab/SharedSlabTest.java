package io.ipc4j.shm.slab;

import io.ipc4j.IpcException;
import io.ipc4j.shm.header.CreateOptions;
import io.ipc4j.shm.header.DescribedSegment;
import io.ipc4j.shm.header.SegmentKind;
import io.ipc4j.process.ProcessIdentity;
import io.ipc4j.shm.testing.ChildJvm;
import io.ipc4j.shm.testing.DeadProcess;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ShmLeakCheck.class)
class SharedSlabTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final String name = ShmLeakCheck.uniqueName("slab");

    @Test
    void allocatesUntilExhaustedThenReusesWithNewGeneration() {
        try (SharedSlab slab = SharedSlab.create(name, 128, 8, 4)) {
            assertEquals(8, slab.slotCount());
            assertEquals(128, slab.slotSize());
            int me = slab.register();
            List<Long> handles = new ArrayList<>();
            Set<Integer> indices = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                long h = slab.allocate(me);
                assertTrue(h >= 0, "allocate " + i + " gave " + h);
                assertTrue(indices.add(SharedSlab.slotIndex(h)), "slot handed out twice");
                MemorySegment s = slab.slot(h);
                assertEquals(128, s.byteSize());
                assertEquals(0, s.address() % 64, "slot alignment");
                handles.add(h);
            }
            assertEquals(SharedSlab.EXHAUSTED, slab.allocate(me));
            assertEquals(8, slab.usedSlots());

            long first = handles.get(0);
            assertEquals(SharedSlab.OK, slab.free(first, me));
            assertEquals(SharedSlab.STALE, slab.free(first, me), "double free");
            assertEquals(7, slab.usedSlots());
            long again = slab.allocate(me);
            assertEquals(SharedSlab.slotIndex(first), SharedSlab.slotIndex(again));
            assertEquals(SharedSlab.generation(first) + 1, SharedSlab.generation(again));
            IpcException e = assertThrows(IpcException.class, () -> slab.slot(first));
            assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
            assertEquals(SharedSlab.STALE, slab.free(first, me), "stale handle of a reused slot");
            assertEquals(SharedSlab.OK, slab.status(again, me));
            assertEquals(SharedSlab.OK, slab.free(again, me));
        }
    }

    @Test
    void rejectsForeignOwnersAndBadHandlesAndTransfers() {
        try (SharedSlab slab = SharedSlab.create(name, 64, 4, 4)) {
            int a = slab.register();
            int b = slab.register();
            assertNotEquals(a, b);
            long h = slab.allocate(a);
            assertEquals(SharedSlab.NOT_OWNER, slab.free(h, b));
            assertEquals(SharedSlab.BAD_HANDLE, slab.free(-7, a));
            assertEquals(SharedSlab.BAD_HANDLE, slab.free((long) 4 << 32, a));
            assertEquals(SharedSlab.BAD_OWNER, slab.allocate(0));
            assertEquals(SharedSlab.BAD_OWNER, slab.allocate(a | 0xFF));   // index past the table

            slab.slot(h).set(ValueLayout.JAVA_LONG, 0, 42);
            assertEquals(SharedSlab.OK, slab.transfer(h, a, b));
            assertEquals(SharedSlab.NOT_OWNER, slab.free(h, a));
            assertEquals(SharedSlab.NOT_OWNER, slab.transfer(h, a, b));
            assertEquals(42, slab.slot(h).get(ValueLayout.JAVA_LONG, 0), "same slot, same bytes");
            assertEquals(SharedSlab.OK, slab.free(h, b));
            assertEquals(SharedSlab.STALE, slab.transfer(h, b, a));

            long h2 = slab.allocate(a);
            int unregistered = (b & 0xFF) == 3 ? 2 | 1 << 8 : 3 | 1 << 8;
            assertEquals(SharedSlab.BAD_OWNER, slab.transfer(h2, a, unregistered));
            assertEquals(SharedSlab.OK, slab.status(h2, a));
        }
    }

    @Test
    void unregisterReturnsSlotsAndTableFillsUp() {
        try (SharedSlab slab = SharedSlab.create(name, 64, 6, 2)) {
            int a = slab.register();
            int b = slab.register();
            IpcException full = assertThrows(IpcException.class, slab::register);
            assertEquals(IpcException.Reason.TOO_LARGE, full.reason());
            long h1 = slab.allocate(a);
            slab.allocate(a);
            slab.allocate(b);
            assertEquals(2, slab.unregister(a));
            assertEquals(SharedSlab.BAD_OWNER, slab.unregister(a));
            assertEquals(1, slab.usedSlots());
            int c = slab.register();
            assertEquals(a & 0xFF, c & 0xFF, "the freed entry is reused");
            assertNotEquals(a, c, "with a new epoch");
            assertEquals(SharedSlab.STALE, slab.free(h1, c));
            assertThrows(IpcException.class, () -> slab.slot(h1));
            assertEquals(0, slab.reclaimDeadOwners(), "nobody is dead");
        }
    }

    @Test
    void threadsNeverShareASlot() throws Exception {
        int slots = 16;
        int perThread = 50_000;
        try (SharedSlab slab = SharedSlab.create(name, 64, slots, 4)) {
            AtomicIntegerArray inUse = new AtomicIntegerArray(slots);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            long[] allocations = new long[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        int me = slab.register();
                        long[] held = new long[6];
                        int n = 0;
                        long seq = 0;
                        for (int i = 0; i < perThread; i++) {
                            if (n < held.length && (n == 0 || (i * 31 + id) % 3 != 0)) {
                                long h = slab.allocate(me);
                                if (h == SharedSlab.EXHAUSTED) {
                                    continue;   // a racing scan may miss a slot freed behind it
                                }
                                assertTrue(h >= 0, "allocate: " + h);
                                assertEquals(0, inUse.getAndSet(SharedSlab.slotIndex(h), 1), "slot handed out twice");
                                MemorySegment s = slab.slot(h);
                                s.set(ValueLayout.JAVA_INT, 0, me);
                                s.set(ValueLayout.JAVA_LONG, 8, ++seq);
                                held[n++] = h;
                                allocations[id]++;
                            } else {
                                long h = held[--n];
                                MemorySegment s = slab.slot(h);
                                assertEquals(me, s.get(ValueLayout.JAVA_INT, 0), "marker overwritten");
                                inUse.set(SharedSlab.slotIndex(h), 0);
                                assertEquals(SharedSlab.OK, slab.free(h, me));
                            }
                        }
                        while (n > 0) {
                            long h = held[--n];
                            inUse.set(SharedSlab.slotIndex(h), 0);
                            assertEquals(SharedSlab.OK, slab.free(h, me));
                        }
                        assertEquals(0, slab.unregister(me));
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(0, slab.usedSlots());
            assertTrue(allocations[0] > 0 && allocations[1] > 0);
        }
    }

    @Test
    void reclaimsExactlyTheSlotsOfAKilledChild() throws Exception {
        int k = 5;
        try (SharedSlab slab = SharedSlab.create(name, 64, 10, 4);
             ChildJvm child = ChildJvm.start(SlabChild.class, "hold", name, String.valueOf(k))) {
            int me = slab.register();
            long mine1 = slab.allocate(me);
            long mine2 = slab.allocate(me);
            String[] held = child.expect("HELD ").split(" ");
            assertEquals(k + 2, held.length, child.transcript().toString());
            int childOwner = Integer.parseInt(held[1]);
            List<Long> childHandles = new ArrayList<>();
            for (int i = 2; i < held.length; i++) {
                long h = Long.parseLong(held[i]);
                childHandles.add(h);
                assertEquals(SharedSlab.OK, slab.status(h, childOwner));
                assertEquals(childOwner, slab.slot(h).get(ValueLayout.JAVA_INT, 0));
            }
            assertEquals(k + 2, slab.usedSlots());
            assertEquals(0, slab.reclaimDeadOwners(), "the child is alive");

            child.kill();
            assertEquals(k, slab.reclaimDeadOwners());
            assertEquals(0, slab.reclaimDeadOwners());
            assertEquals(2, slab.usedSlots());
            assertEquals(SharedSlab.OK, slab.status(mine1, me));
            assertEquals(SharedSlab.OK, slab.status(mine2, me));
            for (long h : childHandles) {
                assertEquals(SharedSlab.STALE, slab.status(h, childOwner));
                assertThrows(IpcException.class, () -> slab.slot(h));
            }
            int got = 0;
            while (slab.allocate(me) >= 0) {
                got++;
                assertTrue(got <= 10);
            }
            assertEquals(8, got, "the reclaimed slots can be allocated again");
        }
    }

    @Test
    void reclaimsOwnersThatDiedWhileRegisteringOrWithForgedState() throws Exception {
        ProcessIdentity dead = DeadProcess.identity();
        try (SharedSlab slab = SharedSlab.create(name, 64, 6, 4)) {
            int me = slab.register();
            long mine = slab.allocate(me);
            MemorySegment p = slab.segment().payload();
            // entry 2: a process that died between claiming its entry and marking it ACTIVE
            int claiming = 2 | 7 << 8;
            p.set(ValueLayout.JAVA_LONG, SlabLayout.OWNER_TABLE_OFFSET + 2 * SlabLayout.OWNER_ENTRY_LENGTH,
                    SlabLayout.ownerWord(SlabLayout.OWNER_CLAIMING, 7, dead.pid()));
            // entry 3: a dead ACTIVE owner
            int active = 3 | 9 << 8;
            long entry3 = SlabLayout.OWNER_TABLE_OFFSET + 3 * SlabLayout.OWNER_ENTRY_LENGTH;
            p.set(ValueLayout.JAVA_LONG, entry3, SlabLayout.ownerWord(SlabLayout.OWNER_ACTIVE, 9, dead.pid()));
            p.set(ValueLayout.JAVA_LONG, entry3 + SlabLayout.OWNER_TICKS_OFFSET, dead.startTicks());
            long a = slab.allocate(claiming);
            long b = slab.allocate(active);
            long c = slab.allocate(active);
            assertTrue(a >= 0 && b >= 0 && c >= 0);
            assertEquals(4, slab.usedSlots());
            assertEquals(3, slab.reclaimDeadOwners());
            assertEquals(1, slab.usedSlots());
            assertEquals(SharedSlab.OK, slab.status(mine, me));
            assertEquals(SharedSlab.STALE, slab.free(b, active));
            assertEquals(SharedSlab.BAD_OWNER, slab.unregister(active), "entry retired");
            // a slot left marked with a retired owner id (a transfer racing a reclaim) is an orphan too
            long d = slab.allocate(active);
            assertEquals(1, slab.reclaimDeadOwners());
            assertEquals(SharedSlab.STALE, slab.status(d, active));
            assertEquals(1, slab.usedSlots());
        }
    }

    @Test
    void openChecksVersionHeaderAndStateWords() {
        try (SharedSlab slab = SharedSlab.create(name, 64, 4, 2)) {
            try (SharedSlab other = SharedSlab.open(name, WAIT)) {
                assertEquals(4, other.slotCount());
                assertEquals(64, other.slotSize());
                assertEquals(2, other.ownerCapacity());
            }
            MemorySegment p = slab.segment().payload();
            long stateWord = SlabLayout.stateOffset(2) + 8;
            p.set(ValueLayout.JAVA_LONG, stateWord, 0x7FL << 56);
            assertReason(IpcException.Reason.CORRUPT, "slot 1");
            p.set(ValueLayout.JAVA_LONG, stateWord, SlabLayout.slotWord(SlabLayout.SLOT_FREE, 5, 0));
            assertReason(IpcException.Reason.CORRUPT, "slot 1");
            p.set(ValueLayout.JAVA_LONG, stateWord, SlabLayout.slotWord(SlabLayout.SLOT_HELD, 2 | 1 << 8, 0));
            assertReason(IpcException.Reason.CORRUPT, "slot 1");
            p.set(ValueLayout.JAVA_LONG, stateWord, 0);

            p.set(ValueLayout.JAVA_LONG, SlabLayout.OWNER_TABLE_OFFSET, 9L << 56);
            assertReason(IpcException.Reason.CORRUPT, "owner entry 0");
            p.set(ValueLayout.JAVA_LONG, SlabLayout.OWNER_TABLE_OFFSET, 0);

            p.set(ValueLayout.JAVA_INT, SlabLayout.SLOT_COUNT_OFFSET, 1 << 20);
            assertReason(IpcException.Reason.CORRUPT, "offsets");
            p.set(ValueLayout.JAVA_INT, SlabLayout.SLOT_COUNT_OFFSET, 4);
            p.set(ValueLayout.JAVA_INT, SlabLayout.SLOT_SIZE_OFFSET, 100);
            assertReason(IpcException.Reason.CORRUPT, "slot size");
            p.set(ValueLayout.JAVA_INT, SlabLayout.SLOT_SIZE_OFFSET, 1 << 20);
            assertReason(IpcException.Reason.CORRUPT, "payload");
            p.set(ValueLayout.JAVA_INT, SlabLayout.SLOT_SIZE_OFFSET, 64);
            SharedSlab.open(name, WAIT).close();
        }
    }

    @Test
    void openRejectsOtherPayloadVersion() {
        try (DescribedSegment seg = DescribedSegment.create(name, SegmentKind.SLAB,
                SlabLayout.payloadBytes(64, 4, 2), CreateOptions.defaults().payloadVersion(2), p -> { })) {
            assertReason(IpcException.Reason.VERSION_MISMATCH, "version 2");
        }
    }

    @Test
    void createRejectsBadParameters() {
        assertThrows(IpcException.class, () -> SharedSlab.create(name, 100, 4, 2));
        assertThrows(IpcException.class, () -> SharedSlab.create(name, 64, 0, 2));
        assertThrows(IpcException.class, () -> SharedSlab.create(name, 64, 4, 0));
        assertThrows(IpcException.class, () -> SharedSlab.create(name, 64, 4, SlabLayout.MAX_OWNERS + 1));
    }

    private void assertReason(IpcException.Reason reason, String mentions) {
        IpcException e = assertThrows(IpcException.class, () -> SharedSlab.open(name, WAIT).close());
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }
}
