package io.ipc4j.process;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessIdentityTest {
    @Test
    void currentProcessIsAlive() {
        ProcessIdentity me = ProcessIdentity.current();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.startTicks() > 0);
        assertTrue(me.isAlive());
        assertEquals(me, ProcessIdentity.of(me.pid()).orElseThrow());
    }

    @Test
    void sameStartTimeIsRequired() {
        ProcessIdentity me = ProcessIdentity.current();
        // the same pid with another start time: what a reused pid looks like
        assertFalse(new ProcessIdentity(me.pid(), me.startTicks() + 1).isAlive());
    }

    @Test
    void noSuchPid() {
        assertTrue(ProcessIdentity.of(0).isEmpty());
        assertTrue(ProcessIdentity.of(-5).isEmpty());
        assertTrue(ProcessIdentity.of(Long.MAX_VALUE).isEmpty());
        assertFalse(new ProcessIdentity(Long.MAX_VALUE, 1).isAlive());
    }

    @Test
    void childThatExitedIsNotAlive() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            ProcessIdentity id = ProcessIdentity.of(child.pid()).orElseThrow();
            assertTrue(id.isAlive());
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertFalse(id.isAlive());
            assertTrue(ProcessIdentity.of(child.pid()).map(p -> !p.equals(id)).orElse(true));
        } finally {
            child.destroyForcibly();
        }
    }
}
