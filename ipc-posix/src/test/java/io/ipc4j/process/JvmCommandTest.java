package io.ipc4j.process;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmCommandTest {
    /** The child: prints its arguments, a system property and whether native access works. */
    public static void main(String[] args) {
        System.out.println("child " + String.join(",", args) + " prop=" + System.getProperty("ipc4j.test.prop")
                + " alive=" + ProcessIdentity.current().isAlive()
                + " ppid=" + io.ipc4j.posix.PosixProcess.getppid());
    }

    @Test
    void spawnsAJvmLikeThisOne() throws Exception {
        List<String> cmd = JvmCommand.forMain(JvmCommandTest.class).jvmOption("-Xmx32m")
                .jvmOption("-Dipc4j.test.prop=hello").args("a", "b").build();
        assertEquals(JvmCommand.javaExecutable(), cmd.getFirst());
        assertTrue(cmd.contains("--enable-native-access=ALL-UNNAMED"), cmd.toString());

        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertEquals("child a,b prop=hello alive=true ppid=" + ProcessHandle.current().pid(), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
