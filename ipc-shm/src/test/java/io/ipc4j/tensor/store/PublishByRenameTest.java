package io.ipc4j.tensor.store;

import io.ipc4j.process.JvmCommand;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SegmentName;
import io.ipc4j.shm.SharedSegment;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A writer killed before publishing leaves only its temporary name; the final name never appears. */
class PublishByRenameTest {
    @Test
    void killedWriterLeavesOnlyItsTemporaryName() throws Exception {
        String name = StoreTestSupport.unique("killed");
        Process p = new ProcessBuilder(JvmCommand.forMain(UnpublishedWriterChild.class).jvmOption("-Xmx64m")
                .args(name).build()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Path temp = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String tempName = out.readLine();
            assertNotNull(tempName, "child printed nothing (exit " + (p.isAlive() ? "running" : p.exitValue()) + ")");
            assertTrue(tempName.startsWith(SegmentName.TEMP_PREFIX) && tempName.endsWith("." + name), tempName);
            temp = Path.of("/dev/shm", tempName);
            assertTrue(Files.exists(temp), "the writer works under its temporary name");
            assertFalse(SharedSegment.exists(name), "the final name is absent until publish");

            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertFalse(SharedSegment.exists(name), "a killed writer never publishes");
            assertTrue(Files.exists(temp), "only the temporary name is left behind");

            // the leftover is recognised as a store whose creator is dead: garbage collection may remove it
            try (FileChannel ch = FileChannel.open(temp); Arena arena = Arena.ofConfined()) {
                MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
                SegmentInfo info = new TensorStoreProbe().probe(tempName, m).orElseThrow();
                assertEquals(p.pid(), info.creatorPid());
                assertEquals(Boolean.FALSE, info.creatorAlive());
                assertTrue(info.isLeftover(), info.toString());
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            try (var files = Files.list(Path.of("/dev/shm"))) { // whatever the child left if it failed early
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith("." + name)).toList()) {
                    Files.deleteIfExists(f);
                }
            }
            if (SharedSegment.exists(name)) {
                SharedSegment.unlink(name);
            }
        }
    }
}
