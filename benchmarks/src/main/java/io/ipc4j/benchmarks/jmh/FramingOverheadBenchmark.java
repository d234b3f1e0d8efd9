package io.ipc4j.benchmarks.jmh;

import io.ipc4j.pipes.framing.FrameReader;
import io.ipc4j.pipes.framing.FrameWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What framing costs: a 64-byte round trip between two threads of one JVM (this thread sends,
 * an echo thread sends it back) over a Unix domain socket pair or over two
 * {@link java.nio.channels.Pipe}s, with ipc4j frames ({@code framed}: {@link FrameWriter} +
 * {@link FrameReader} on both sides) and without ({@code bare}: 64-byte writes and reads).
 * Figure: {@code framed} within 1.2x of {@code bare} on the same transport.
 *
 * <p>Run: {@code ./ipc4j jmh FramingOverhead}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class FramingOverheadBenchmark {
    private static final int PAYLOAD = 64;

    /** {@code uds}: a connected Unix socket pair; {@code pipe}: two java.nio pipes. */
    @Param({"uds", "pipe"})
    public String transport;

    /** {@code bare}: plain 64-byte writes/reads; {@code framed}: ipc4j frames. */
    @Param({"bare", "framed"})
    public String mode;

    private ReadableByteChannel in;
    private WritableByteChannel out;
    private final java.util.List<java.nio.channels.Channel> toClose = new java.util.ArrayList<>();
    private Path dir;
    private Thread echo;
    private final ByteBuffer payload = ByteBuffer.allocateDirect(PAYLOAD);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(PAYLOAD);
    private FrameWriter frameWriter;
    private FrameReader frameReader;

    /** Connects the channels and starts the echo thread. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ReadableByteChannel echoIn;
        WritableByteChannel echoOut;
        if (transport.equals("uds")) {
            dir = Files.createTempDirectory("ipc4j-bench-framing");
            UnixDomainSocketAddress a = UnixDomainSocketAddress.of(dir.resolve("s"));
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(a);
                SocketChannel client = SocketChannel.open(a);
                SocketChannel accepted = server.accept();
                in = client;
                out = client;
                echoIn = accepted;
                echoOut = accepted;
                toClose.add(client);
                toClose.add(accepted);
            }
        } else {
            Pipe there = Pipe.open();
            Pipe back = Pipe.open();
            out = there.sink();
            echoIn = there.source();
            echoOut = back.sink();
            in = back.source();
            toClose.add(there.sink());
            toClose.add(back.source());
            toClose.add(there.source());
            toClose.add(back.sink());
        }
        boolean framed = mode.equals("framed");
        if (framed) {
            frameWriter = new FrameWriter(out, 1 << 16);
            frameReader = new FrameReader(in, 1 << 16);
        }
        echo = Thread.ofPlatform().daemon().name("echo").start(framed ? () -> echoFramed(echoIn, echoOut)
                : () -> echoBare(echoIn, echoOut));
    }

    private static void echoBare(ReadableByteChannel in, WritableByteChannel out) {
        ByteBuffer b = ByteBuffer.allocateDirect(PAYLOAD);
        try {
            while (true) {
                b.clear();
                while (b.hasRemaining()) {
                    if (in.read(b) < 0) {
                        return;
                    }
                }
                b.flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
        } catch (IOException e) {
            // closed at tear-down
        }
    }

    private static void echoFramed(ReadableByteChannel in, WritableByteChannel out) {
        FrameReader r = new FrameReader(in, 1 << 16);
        FrameWriter w = new FrameWriter(out, 1 << 16);
        try {
            ByteBuffer f;
            while ((f = r.readFrame()) != null) {
                w.writeFrame(f);
            }
        } catch (RuntimeException e) {
            // closed at tear-down
        }
    }

    /** Closes everything; the echo thread ends on end of stream. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (java.nio.channels.Channel c : toClose) {
            c.close();
        }
        echo.join(10_000);
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        }
    }

    /** @return a byte of the reply: one 64-byte round trip, framed or bare per {@link #mode} */
    @Benchmark
    public byte roundTrip() {
        if (frameWriter != null) {
            payload.clear();
            frameWriter.writeFrame(payload);
            ByteBuffer f = frameReader.readFrame();
            return f.get(f.position());
        }
        try {
            payload.clear();
            while (payload.hasRemaining()) {
                out.write(payload);
            }
            reply.clear();
            while (reply.hasRemaining()) {
                if (in.read(reply) < 0) {
                    throw new IOException("echo thread gone");
                }
            }
            return reply.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
