package io.ipc4j.pipes.framing;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.process.JvmCommand;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames over a real child JVM's stdin and stdout. */
class ChildProcessFramingTest {
    private static Process start(String mode) throws Exception {
        List<String> cmd = JvmCommand.forMain(EchoChildMain.class).jvmOption("-Xmx64m").jvmOption("-XX:+UseSerialGC")
                .jvmOption("-XX:TieredStopAtLevel=1").args(mode).build();
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void childEchoesFramesOverStdinAndStdout() throws Exception {
        Process p = start("echo");
        try (FramedChannel child = FramedChannel.of(p.getInputStream(), p.getOutputStream(), 1 << 20)) {
            for (int size : new int[]{0, 1, 64, 4096, 4097, 300_000}) {
                byte[] payload = FrameReaderTest.random(size, size);
                child.writeFrame(payload);
                assertArrayEquals(payload, FrameReaderTest.bytes(child.readFrame()), "size " + size);
            }
            p.getOutputStream().close();                 // the child's stdin ends: it exits cleanly
            assertNull(child.readFrame(), "clean end of stream after the child exits");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void childDyingMidFrameIsPeerClosed() throws Exception {
        Process p = start("truncate");
        try (FramedChannel child = FramedChannel.of(p.getInputStream(), p.getOutputStream(), 1 << 20)) {
            IpcException e = assertThrows(IpcException.class, child::readFrame);
            assertEquals(Reason.PEER_CLOSED, e.reason());
            assertTrue(e.getMessage().contains("after 17 of 64 payload bytes"), e.getMessage());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void writingToAChildThatExitedIsPeerClosed() throws Exception {
        Process p = start("truncate");
        try (FramedChannel child = FramedChannel.of(p.getInputStream(), p.getOutputStream(), 1 << 20)) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            IpcException e = assertThrows(IpcException.class, () -> {
                for (int i = 0; i < 100; i++) {             // the first write may still land in the pipe buffer
                    child.writeFrame(ByteBuffer.allocate(64 * 1024));
                }
            });
            assertEquals(Reason.PEER_CLOSED, e.reason(), e.getMessage());
        } finally {
            p.destroyForcibly();
        }
    }
}
