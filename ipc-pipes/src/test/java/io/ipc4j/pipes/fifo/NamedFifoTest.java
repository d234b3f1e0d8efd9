package io.ipc4j.pipes.fifo;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.pipes.framing.FrameReader;
import io.ipc4j.pipes.framing.FrameWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FIFO semantics with and without a peer; every potentially blocking step runs under a deadline. */
class NamedFifoTest {
    private static final Duration NEVER_HANGS = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void createMakesAFifoWithMode0600AndCloseUnlinksIt() throws Exception {
        Path p = dir.resolve("f");
        try (NamedFifo fifo = NamedFifo.create(p)) {
            assertEquals(p, fifo.path());
            assertTrue(Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            IpcException e = assertThrows(IpcException.class, () -> NamedFifo.create(p));
            assertEquals(Reason.ALREADY_EXISTS, e.reason());
        }
        assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void writerWithoutReaderTimesOut() {
        try (NamedFifo fifo = NamedFifo.create(dir.resolve("w"))) {
            IpcException e = assertTimeoutPreemptively(NEVER_HANGS,
                    () -> assertThrows(IpcException.class, () -> fifo.openWrite(Duration.ofMillis(200))));
            assertEquals(Reason.TIMEOUT, e.reason());
            assertTrue(e.getMessage().contains("no reader"), e.getMessage());
        }
    }

    @Test
    void readerOpensWithoutWriterAndWaitsForOneInsteadOfEof() throws Exception {
        try (NamedFifo fifo = NamedFifo.create(dir.resolve("r"));
             FifoChannel in = assertTimeoutPreemptively(NEVER_HANGS, () -> fifo.openRead())) {
            assertTrue(in.isReadSide());
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                FrameReader r = new FrameReader(in, 1024);
                ByteBuffer f = r.readFrame();
                byte[] a = new byte[f.remaining()];
                f.get(a);
                return a;
            });
            Thread.sleep(300);
            assertFalse(read.isDone(), "no writer yet: the read must wait, not report end of stream");
            try (FifoChannel out = assertTimeoutPreemptively(NEVER_HANGS, () -> fifo.openWrite(Duration.ofSeconds(10)))) {
                new FrameWriter(out, 1024).writeFrame(ByteBuffer.wrap(new byte[]{1, 2, 3}));
            }
            assertArrayEquals(new byte[]{1, 2, 3}, read.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void readerSeesEndOfStreamAfterTheWriterCloses() throws Exception {
        try (NamedFifo fifo = NamedFifo.create(dir.resolve("eof"));
             FifoChannel in = fifo.openRead()) {
            try (FifoChannel out = fifo.openWrite(Duration.ofSeconds(10))) {
                FrameWriter w = new FrameWriter(out, 1 << 20);
                w.writeFrame(ByteBuffer.wrap(new byte[100]));
                w.writeFrame(ByteBuffer.allocate(0));
            }
            FrameReader r = new FrameReader(in, 1 << 20);
            assertTimeoutPreemptively(NEVER_HANGS, () -> {
                assertEquals(100, r.readFrame().remaining());
                assertEquals(0, r.readFrame().remaining());
                assertNull(r.readFrame(), "writer gone: clean end of stream");
            });
        }
    }

    @Test
    void writerWhoseReaderLeftGetsPeerClosedNotSigpipe() throws Exception {
        try (NamedFifo fifo = NamedFifo.create(dir.resolve("pipe"))) {
            FifoChannel in = fifo.openRead();
            try (FifoChannel out = fifo.openWrite(Duration.ofSeconds(10))) {
                in.close();
                FrameWriter w = new FrameWriter(out, 1 << 20);
                IpcException e = assertTimeoutPreemptively(NEVER_HANGS,
                        () -> assertThrows(IpcException.class, () -> w.writeFrame(ByteBuffer.allocate(64))));
                assertEquals(Reason.PEER_CLOSED, e.reason());
                assertTrue(e.getMessage().contains("EPIPE"), e.getMessage());
                assertFalse(out.isOpen(), "framing closes the channel on error");
            }
        }
    }

    @Test
    void writerBlockedOnAFullPipeGetsPeerClosedWhenTheReaderLeaves() throws Exception {
        try (NamedFifo fifo = NamedFifo.create(dir.resolve("full"))) {
            FifoChannel in = fifo.openRead();
            try (FifoChannel out = fifo.openWrite(Duration.ofSeconds(10))) {
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                    try {
                        out.write(ByteBuffer.allocate(1 << 20));   // larger than the 64 KiB pipe
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                Thread.sleep(200);
                assertFalse(writing.isDone());
                in.close();
                ExecutionException e = assertThrows(ExecutionException.class, () -> writing.get(30, TimeUnit.SECONDS));
                IOException io = assertInstanceOf(IOException.class, e.getCause().getCause());
                assertInstanceOf(IpcException.class, io.getCause());
                assertEquals(Reason.PEER_CLOSED, ((IpcException) io.getCause()).reason());
            }
        }
    }

    @Test
    void closingTheChannelEndsABlockedRead() throws Exception {
        try (NamedFifo fifo = NamedFifo.create(dir.resolve("close"))) {
            FifoChannel in = fifo.openRead();
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.read(ByteBuffer.allocate(10));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(100);
            in.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(30, TimeUnit.SECONDS));
            assertInstanceOf(AsynchronousCloseException.class, e.getCause().getCause());
        }
    }

    @Test
    void openingSomethingThatIsNotAFifoFails() throws Exception {
        Path file = Files.writeString(dir.resolve("regular"), "keep me");
        IpcException e = assertThrows(IpcException.class, () -> NamedFifo.openRead(file));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("not a FIFO"), e.getMessage());
        assertEquals(Reason.INVALID_ARGUMENT,
                assertThrows(IpcException.class, () -> NamedFifo.openWrite(file, Duration.ZERO)).reason());
        assertEquals("keep me", Files.readString(file));
        assertEquals(Reason.NOT_FOUND,
                assertThrows(IpcException.class, () -> NamedFifo.openRead(dir.resolve("missing"))).reason());
    }

    @Test
    void framesFlowBetweenThreadsThroughAFifo() throws Exception {
        try (NamedFifo fifo = NamedFifo.create(dir.resolve("frames"));
             FifoChannel in = fifo.openRead()) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (FifoChannel out = NamedFifo.openWrite(fifo.path(), Duration.ofSeconds(10))) {
                    FrameWriter w = new FrameWriter(out, 1 << 20);
                    for (int i = 0; i < 200; i++) {
                        ByteBuffer b = ByteBuffer.allocate(i * 50);
                        if (i > 0) {
                            b.put(0, (byte) i);
                        }
                        w.writeFrame(b);
                    }
                }
            });
            FrameReader r = new FrameReader(in, 1 << 20);
            assertTimeoutPreemptively(NEVER_HANGS, () -> {
                for (int i = 0; i < 200; i++) {
                    ByteBuffer f = r.readFrame();
                    if (f == null) {
                        writer.get(10, TimeUnit.SECONDS);    // shows the writer's failure, if any
                    }
                    assertNotNull(f, "frame " + i);
                    assertEquals(i * 50, f.remaining());
                    if (i > 0) {
                        assertEquals((byte) i, f.get(f.position()));
                    }
                }
                assertNull(r.readFrame());
            });
            writer.get(30, TimeUnit.SECONDS);
        }
    }
}
