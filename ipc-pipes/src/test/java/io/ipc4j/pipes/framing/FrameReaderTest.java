package io.ipc4j.pipes.framing;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Pipe;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameReaderTest {
    private static final int MAX = 1 << 20;

    static byte[] frames(byte[]... payloads) {
        int total = 0;
        for (byte[] p : payloads) {
            total += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] p : payloads) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    static byte[] random(int n, long seed) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    @Test
    void wireFormatIsLittleEndianLengthThenPayload() {
        TrickleChannel ch = new TrickleChannel(new byte[0], Integer.MAX_VALUE);
        new FrameWriter(ch, MAX).writeFrame(ByteBuffer.wrap(new byte[]{7, 8, 9}));
        assertArrayEquals(new byte[]{3, 0, 0, 0, 7, 8, 9}, ch.written());
    }

    @Test
    void oneByteAtATimeReadsAndWritesGiveTheSameFrames() {
        byte[][] payloads = {random(64, 1), new byte[0], random(1, 2), random(20_000, 3), random(4096, 4), random(4097, 5)};
        TrickleChannel sink = new TrickleChannel(new byte[0], 1);
        FrameWriter w = new FrameWriter(sink, MAX);
        for (byte[] p : payloads) {
            ByteBuffer b = ByteBuffer.wrap(p);
            w.writeFrame(b);
            assertFalse(b.hasRemaining(), "payload consumed");
        }
        byte[] wire = sink.written();
        assertArrayEquals(frames(payloads), wire);

        TrickleChannel source = new TrickleChannel(wire, 1);
        FrameReader r = new FrameReader(source, MAX);
        for (byte[] p : payloads) {
            ByteBuffer f = r.readFrame();
            assertNotNull(f);
            assertArrayEquals(p, bytes(f));
        }
        assertNull(r.readFrame(), "clean end of stream between frames");
    }

    @Test
    void aSmallFrameCostsOneWriteAndOneRead() {
        TrickleChannel sink = new TrickleChannel(new byte[0], Integer.MAX_VALUE);
        new FrameWriter(sink, MAX).writeFrame(ByteBuffer.allocateDirect(64));
        assertEquals(1, sink.writes, "header and payload leave in one write");
        TrickleChannel source = new TrickleChannel(sink.written(), Integer.MAX_VALUE);
        FrameReader r = new FrameReader(source, MAX);
        assertEquals(64, r.readFrame().remaining());
        assertEquals(1, source.reads, "header and payload arrive in one read");
    }

    @Test
    void largeFrameGoesOutAsOneGatheringWrite() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            int[] calls = new int[2];
            java.nio.channels.GatheringByteChannel counting = new java.nio.channels.GatheringByteChannel() {
                public long write(ByteBuffer[] srcs, int offset, int length) throws java.io.IOException {
                    calls[0]++;
                    return sink.write(srcs, offset, length);
                }

                public long write(ByteBuffer[] srcs) throws java.io.IOException {
                    return write(srcs, 0, srcs.length);
                }

                public int write(ByteBuffer src) throws java.io.IOException {
                    calls[1]++;
                    return sink.write(src);
                }

                public boolean isOpen() {
                    return sink.isOpen();
                }

                public void close() throws java.io.IOException {
                    sink.close();
                }
            };
            byte[] p = random(10_000, 41);
            new FrameWriter(counting, MAX).writeFrame(ByteBuffer.wrap(p));
            assertEquals(0, calls[1], "no separate header write");
            assertTrue(calls[0] >= 1);
            assertArrayEquals(p, bytes(new FrameReader(source, MAX).readFrame()));
        }
    }

    @Test
    void manySmallFramesComeFromFewReads() {
        byte[][] payloads = new byte[100][];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = random(i, i);
        }
        TrickleChannel source = new TrickleChannel(frames(payloads), Integer.MAX_VALUE);
        FrameReader r = new FrameReader(source, MAX);
        for (byte[] p : payloads) {
            assertArrayEquals(p, bytes(r.readFrame()));
        }
        assertNull(r.readFrame());
        assertTrue(source.reads < 20, "buffered reading: " + source.reads + " reads for 100 frames");
    }

    @Test
    void frameOfExactlyTheMaximumPassesOneMoreFails() {
        byte[] ok = random(1000, 9);
        FrameReader r = new FrameReader(new TrickleChannel(frames(ok, new byte[1001]), 7), 1000);
        assertArrayEquals(ok, bytes(r.readFrame()));
        IpcException e = assertThrows(IpcException.class, r::readFrame);
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("1001") && e.getMessage().contains("1000"), e.getMessage());
        assertFalse(r.channel().isOpen(), "channel closed on error");
    }

    @Test
    void hugeLengthFailsFromTheHeaderAloneWithoutAllocating() {
        byte[] header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MAX_VALUE).array();
        TrickleChannel source = new TrickleChannel(header, Integer.MAX_VALUE);  // nothing after the header
        FrameReader r = new FrameReader(source, MAX);
        IpcException e = assertThrows(IpcException.class, r::readFrame);
        // TOO_LARGE, not PEER_CLOSED: it did not wait for (or try to buffer) the 2 GiB payload
        assertEquals(Reason.TOO_LARGE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), e.getMessage());
        assertEquals(4, source.bytesRead);
        assertEquals(8192, r.bufferCapacity(), "no buffer grown for the announced frame");
        assertFalse(source.isOpen());
    }

    @Test
    void announcedLargeFrameGrowsTheBufferOnlyAsBytesArrive() {
        byte[] wire = Arrays.copyOf(frames(new byte[MAX]), 4 + 100);   // announces 1 MiB, sends 100 bytes
        FrameReader r = new FrameReader(new TrickleChannel(wire, Integer.MAX_VALUE), MAX);
        IpcException e = assertThrows(IpcException.class, r::readFrame);
        assertEquals(Reason.PEER_CLOSED, e.reason());
        assertTrue(e.getMessage().contains("after 100 of " + MAX + " payload bytes"), e.getMessage());
        assertEquals(8192, r.bufferCapacity());
    }

    @Test
    void negativeLengthIsCorrupt() {
        byte[] header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).array();
        FrameReader r = new FrameReader(new TrickleChannel(header, 1), MAX);
        IpcException e = assertThrows(IpcException.class, r::readFrame);
        assertEquals(Reason.CORRUPT, e.reason());
        assertFalse(r.channel().isOpen());
    }

    @Test
    void endOfStreamInsideTheLengthIsPeerClosed() {
        byte[] wire = Arrays.copyOf(frames(new byte[64]), 3);
        FrameReader r = new FrameReader(new TrickleChannel(wire, 1), MAX);
        IpcException e = assertThrows(IpcException.class, r::readFrame);
        assertEquals(Reason.PEER_CLOSED, e.reason());
        assertTrue(e.getMessage().contains("after 3 of 4 length bytes"), e.getMessage());
        assertFalse(r.channel().isOpen());
    }

    @Test
    void endOfStreamInsideThePayloadIsPeerClosed() {
        byte[] wire = Arrays.copyOf(frames(new byte[64]), 4 + 17);
        FrameReader r = new FrameReader(new TrickleChannel(wire, 5), MAX);
        IpcException e = assertThrows(IpcException.class, r::readFrame);
        assertEquals(Reason.PEER_CLOSED, e.reason());
        assertTrue(e.getMessage().contains("after 17 of 64 payload bytes"), e.getMessage());
        assertFalse(r.channel().isOpen());
    }

    @Test
    void bufferGrowsForLargeFramesAndStillReadsSmallOnesAfter() {
        byte[] big = random(MAX, 11);
        byte[] small = random(10, 12);
        FrameReader r = new FrameReader(new TrickleChannel(frames(small, big, small, big), 100_000), MAX);
        assertArrayEquals(small, bytes(r.readFrame()));
        assertArrayEquals(big, bytes(r.readFrame()));
        assertArrayEquals(small, bytes(r.readFrame()));
        assertArrayEquals(big, bytes(r.readFrame()));
        assertNull(r.readFrame());
        assertTrue(r.bufferCapacity() <= 4 + MAX, "capacity " + r.bufferCapacity());
    }

    @Test
    void writerRefusesOversizedPayloadWithoutWritingOrClosing() {
        TrickleChannel sink = new TrickleChannel(new byte[0], Integer.MAX_VALUE);
        FrameWriter w = new FrameWriter(sink, 10);
        ByteBuffer big = ByteBuffer.wrap(new byte[11]);
        IpcException e = assertThrows(IpcException.class, () -> w.writeFrame(big));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals(0, sink.written().length);
        assertEquals(0, big.position());
        assertTrue(sink.isOpen());
        w.writeFrame(ByteBuffer.wrap(new byte[10]));
        assertEquals(14, sink.written().length);
    }

    @Test
    void nonBlockingPipeDecodesFramesArrivingInPieces() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            source.configureBlocking(false);
            FrameReader r = new FrameReader(source, MAX);
            assertEquals(ReadStatus.NEED_MORE, r.readAvailable());
            assertThrows(IllegalStateException.class, r::readFrame, "blocking read on a non-blocking channel");
            byte[] p1 = random(300, 21);
            byte[] p2 = random(5, 22);
            byte[] wire = frames(p1, p2);
            int[] cuts = {2, 4, 150, 303, 304, wire.length};
            int from = 0;
            int got = 0;
            for (int cut : cuts) {
                sink.write(ByteBuffer.wrap(wire, from, cut - from));
                from = cut;
                ReadStatus st = r.readAvailable();
                ByteBuffer f;
                while ((f = r.nextFrame()) != null) {
                    assertArrayEquals(got == 0 ? p1 : p2, bytes(f));
                    got++;
                }
                if (st == ReadStatus.FRAME_READY) {
                    assertTrue(got > 0);
                }
            }
            assertEquals(2, got);
            sink.close();
            assertEquals(ReadStatus.END_OF_STREAM, r.readAvailable());
        }
    }

    @Test
    void queuedWritesSurvivePartialWrites() {
        TrickleChannel sink = new TrickleChannel(new byte[0], 3) {
            private int calls;

            @Override
            public int write(ByteBuffer src) throws java.io.IOException {
                return (calls++ % 2 == 0) ? super.write(src) : 0;   // like a full socket every other call
            }
        };
        FrameWriter w = new FrameWriter(sink, MAX, 100);
        byte[] a = random(40, 31);
        byte[] b = random(50, 32);
        assertTrue(w.enqueue(ByteBuffer.wrap(a)));
        assertTrue(w.enqueue(ByteBuffer.wrap(b)));
        assertFalse(w.enqueue(ByteBuffer.wrap(new byte[20])), "queue bound reached: back-pressure");
        int flushes = 0;
        while (!w.flush()) {
            flushes++;
            assertTrue(flushes < 1000);
        }
        assertEquals(0, w.queuedBytes());
        assertArrayEquals(frames(a, b), sink.written());
    }

    @Test
    void framedChannelOverTwoPipes() throws Exception {
        Pipe ab = Pipe.open();
        Pipe ba = Pipe.open();
        try (FramedChannel left = FramedChannel.of(ba.source(), ab.sink(), MAX);
             FramedChannel right = FramedChannel.of(ab.source(), ba.sink(), MAX)) {
            Thread echo = Thread.ofPlatform().start(() -> {
                ByteBuffer f;
                while ((f = right.readFrame()) != null) {
                    right.writeFrame(f);
                }
                right.close();
            });
            for (int i = 0; i < 50; i++) {
                byte[] p = random(i * 97, i);
                left.writeFrame(p);
                assertArrayEquals(p, bytes(left.readFrame()));
            }
            ab.sink().close();
            echo.join(30_000);
            assertFalse(echo.isAlive());
            assertNull(left.readFrame());
        }
    }
}
