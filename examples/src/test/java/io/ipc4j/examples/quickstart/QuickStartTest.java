package io.ipc4j.examples.quickstart;

import io.ipc4j.process.JvmCommand;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the README example as a real writer JVM that starts a real reader JVM. */
class QuickStartTest {
    @Test
    void writerAndReaderShareTheStoreAndNothingIsLeft() throws Exception {
        Process p = new ProcessBuilder(JvmCommand.forMain(QuickStart.class).jvmOption("-Xmx128m").build())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        // w[17][3] is element 17*1024+3 = 17411 -> (17411 % 1000) / 1000 = 0.411
        assertTrue(out.contains("reader: w[17][3] = 0.411 (read-only: true)"), out);
        assertFalse(Files.exists(Path.of("/dev/shm/quickstart-" + p.pid())), "store left behind");
    }
}
