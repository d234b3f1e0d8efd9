package io.ipc4j.shm;

import io.ipc4j.posix.Futex;
import io.ipc4j.shm.testing.ChildJvm;
import io.ipc4j.shm.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two JVMs map one segment: each sees the other's writes; futex wake-ups cross the process boundary. */
@ExtendWith(ShmLeakCheck.class)
class MultiProcessSegmentTest {
    @Test
    void childSeesParentWritesAndParentSeesChildReply() throws Exception {
        String name = ShmLeakCheck.uniqueName("mp");
        int n = 1000;
        try (SharedSegment seg = SharedSegment.create(name, 64 + n * 8L);
             ChildJvm child = ChildJvm.start(ShmChild.class, "echo", ShmDirectory.DEV_SHM.toString(), name)) {
            // the child maps the segment first and goes to sleep on the state word
            child.expect("opened");
            MemorySegment m = seg.memory();
            long expected = 0;
            for (int i = 0; i < n; i++) {
                long v = (long) i * i - 7;
                m.set(ValueLayout.JAVA_LONG, ShmChild.DATA + i * 8L, v);
                expected += v;
            }
            m.set(ValueLayout.JAVA_LONG, ShmChild.COUNT, n);
            ShmChild.INT.setRelease(m, ShmChild.STATE, 1);
            Futex.wake(m, ShmChild.STATE, Integer.MAX_VALUE);

            assertTrue(ShmChild.awaitState(m, 2), () -> "no reply from child: " + child.transcript());
            assertEquals(expected, m.get(ValueLayout.JAVA_LONG, ShmChild.REPLY));
            assertEquals("replied " + expected, child.expect("replied"));
            assertEquals(0, child.finish(), () -> child.transcript().toString());
        }
        assertTrue(!SharedSegment.exists(name));
    }
}
