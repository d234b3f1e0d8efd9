package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;
import io.ipc4j.pipes.framing.StreamChannels;
import io.ipc4j.pipes.uds.PeerPolicy;
import io.ipc4j.pipes.uds.UdsAddress;
import io.ipc4j.pipes.uds.UdsClient;
import io.ipc4j.pipes.uds.UdsConnection;
import io.ipc4j.pipes.uds.UdsServer;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ping-pong over a kernel byte stream: a Unix domain socket ({@code uds}), loopback TCP
 * ({@code tcp}) or the child's standard input and output, i.e. one anonymous pipe each way
 * ({@code pipe}). Each message is {@code max(8, size)} bytes with the sequence number
 * (little-endian) in the first 8; the child sends back what it read. The framed transports carry
 * each message as an ipc4j frame ({@link io.ipc4j.pipes.framing.FramedChannel}: a 4-byte length,
 * then the bytes); the {@code -raw} ones send the bare fixed-size messages and read them with a
 * read-fully loop, the "C-style" baseline that shows what the framing costs.
 *
 * <ul>
 *   <li><b>uds</b>: the parent binds a {@link UdsServer} (same-user peers only) to {@code s} in a
 *       private temporary directory ({@code $TMPDIR/ipc4j-bench-uds-PID-*}), the child connects
 *       with {@link UdsClient}. The parent stops listening once the child is connected.</li>
 *   <li><b>tcp</b>: the parent listens on 127.0.0.1 on an ephemeral port and takes the first
 *       connection; {@code TCP_NODELAY} on both ends.</li>
 *   <li><b>pipe</b>: the harness starts the child with its stdin and stdout as pipes
 *       ({@link #usesChildStdio()}); the parent reads and writes the {@link Process} streams
 *       (through {@link StreamChannels}), the child file descriptors 0 and 1 as
 *       {@link FileChannel}s.</li>
 * </ul>
 *
 * <p><b>Bounded waits.</b> Every blocking call (accept, a round trip's write and read, the child's
 * read and echo) runs under an {@link IoWatchdog} that, when the wait outlasts its limit or the
 * peer dies, closes the channels (sockets and {@code FileChannel}s unblock) or, for the parent of
 * a pipe, kills the child (whose death turns the blocked read into end-of-file). A dead peer
 * usually shows sooner as end-of-file or a reset.
 *
 * <p>Buffers are allocated once per run (the frame reader's grows to the message size during the
 * first message), so multi-MiB messages are fine ({@code size} up to {@link SpinLayout#MAX_PAYLOAD}).
 * {@link ParentEndpoint#close()} closes every channel and deletes the socket and its directory;
 * a SIGKILLed parent leaves that directory behind.
 */
public final class StreamTransport implements Transport {
    /** Prefix of the temporary directory holding the {@code uds} socket. */
    static final String DIR_PREFIX = "ipc4j-bench-uds-";

    /** The byte stream underneath. */
    public enum Kind {
        /** A Unix domain stream socket. */
        UDS,
        /** A loopback TCP connection. */
        TCP,
        /** The child's stdin and stdout: two anonymous pipes. */
        PIPE
    }

    private final String name;
    private final Kind kind;
    private final boolean framed;

    private StreamTransport(String name, Kind kind, boolean framed) {
        this.name = name;
        this.kind = kind;
        this.framed = framed;
    }

    /** @return framed messages over a Unix domain socket ({@code uds}) */
    public static StreamTransport uds() {
        return new StreamTransport("uds", Kind.UDS, true);
    }

    /** @return bare fixed-size messages over a Unix domain socket ({@code uds-raw}) */
    public static StreamTransport udsRaw() {
        return new StreamTransport("uds-raw", Kind.UDS, false);
    }

    /** @return framed messages over loopback TCP ({@code tcp}) */
    public static StreamTransport tcp() {
        return new StreamTransport("tcp", Kind.TCP, true);
    }

    /** @return framed messages over the child's stdin/stdout pipes ({@code pipe}) */
    public static StreamTransport pipe() {
        return new StreamTransport("pipe", Kind.PIPE, true);
    }

    /** @return bare fixed-size messages over the child's stdin/stdout pipes ({@code pipe-raw}) */
    public static StreamTransport pipeRaw() {
        return new StreamTransport("pipe-raw", Kind.PIPE, false);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the byte stream underneath */
    public Kind kind() {
        return kind;
    }

    /** @return true when messages travel as ipc4j frames, false for bare fixed-size messages */
    public boolean framed() {
        return framed;
    }

    @Override
    public String description() {
        String what = switch (kind) {
            case UDS -> "a Unix domain socket";
            case TCP -> "loopback TCP (TCP_NODELAY)";
            case PIPE -> "the child's stdin/stdout (anonymous pipes)";
        };
        return (framed ? "ipc4j frames over " : "bare fixed-size messages (no framing) over ") + what;
    }

    @Override
    public boolean usesChildStdio() {
        return kind == Kind.PIPE;
    }

    @Override
    public ParentEndpoint openParent(int payloadSize, Duration timeout) {
        SpinLayout.checkPayload(payloadSize);
        Endpoint ep = new Endpoint(this, FifoTransport.messageBytes(payloadSize), timeout.toNanos());
        return Endpoints.opened(ep, ep::open);
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        int expected = kind == Kind.PIPE ? 1 : 2;
        if (args.size() != expected) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, name + " child: expected " + expected
                    + " arguments (" + (kind == Kind.PIPE ? "" : "address, ") + "message bytes), got " + args);
        }
        int bytes = parseInt(args.getLast(), "message size");
        if (bytes < Long.BYTES || bytes > SpinLayout.MAX_PAYLOAD) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, name + " child: message size " + bytes
                    + " outside " + Long.BYTES + ".." + SpinLayout.MAX_PAYLOAD);
        }
        List<Closeable> resources = new ArrayList<>();
        try {
            Wire wire = connectChild(args.getFirst(), bytes, resources);
            echo(wire, bytes, resources, parent, idleTimeout);
        } finally {
            closeAll(resources);
        }
    }

    private Wire connectChild(String address, int bytes, List<Closeable> resources) {
        switch (kind) {
            case UDS -> {
                UdsConnection c = UdsClient.connect(UdsAddress.path(Path.of(address)), PeerPolicy.sameUser(), bytes);
                resources.add(c::close);
                return framed ? new Wire.Framed(c.framed()) : Wire.of(false, c.channel(), c.channel(), bytes);
            }
            case TCP -> {
                int port = parseInt(address, "port");
                SocketChannel s;
                try {
                    s = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    resources.add(s);
                    s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                } catch (IOException e) {
                    throw new IpcException(IpcException.Reason.OS_ERROR, name + " child: connect to 127.0.0.1:" + port
                            + ": " + e, e);
                }
                return Wire.of(framed, s, s, bytes);
            }
            case PIPE -> {
                FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
                resources.add(in);
                FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
                resources.add(out);
                return Wire.of(framed, in, out, bytes);
            }
            default -> throw new AssertionError(kind);
        }
    }

    private void echo(Wire wire, int bytes, List<Closeable> resources, Peer parent, Duration idleTimeout) {
        long timeoutNanos = idleTimeout.toNanos();
        ByteBuffer ready = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        ready.putLong(0, SpinLayout.READY);
        try (IoWatchdog watchdog = new IoWatchdog("ipc4j-" + name + "-child-watchdog", () -> closeAll(resources), parent)) {
            while (true) {
                watchdog.begin(timeoutNanos);
                int length;
                long seq;
                try {
                    if (ready != null) {
                        wire.send(ready);
                        ready = null;
                    }
                    ByteBuffer m = wire.receive();
                    length = m == null ? -1 : m.remaining();
                    seq = length == bytes ? m.getLong(m.position()) : 0;
                    if (length == bytes && seq != SpinLayout.STOP) {
                        wire.send(m);
                    }
                } catch (IOException | IpcException e) {
                    if (watchdog.verdict() == IoWatchdog.Verdict.TIMED_OUT) {
                        throw new IpcException(IpcException.Reason.TIMEOUT, name + " child: no message from the "
                                + parent.description() + " for " + idleTimeout.toMillis() + " ms", e);
                    }
                    throw new IpcException(IpcException.Reason.PEER_CLOSED, name + " child: the "
                            + parent.description() + " is gone (" + e.getMessage() + ")", e);
                } finally {
                    watchdog.end();
                }
                if (length < 0) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            name + " child: the " + parent.description() + " closed the connection");
                }
                if (length != bytes) {
                    throw new IpcException(IpcException.Reason.CORRUPT, name + " child: a message of "
                            + length + " bytes, expected " + bytes);
                }
                if (seq == SpinLayout.STOP) {
                    return;
                }
            }
        }
    }

    private int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, name + " child: bad " + what + " '" + s + "'");
        }
    }

    /** Closes in reverse order, ignoring failures. */
    static void closeAll(List<? extends AutoCloseable> resources) {
        List<AutoCloseable> copy;
        synchronized (resources) {
            copy = List.copyOf(resources);
        }
        for (int i = copy.size() - 1; i >= 0; i--) {
            try {
                copy.get(i).close();
            } catch (Exception ignored) {
                // releasing; the first failure is what matters
            }
        }
    }

    /** The parent's side: owns the listening socket (and its directory), the connection or the child's streams. */
    static final class Endpoint implements ParentEndpoint {
        private final StreamTransport transport;
        private final String name;
        private final int bytes;
        private final long timeoutNanos;
        private final ByteBuffer out;
        private final List<Closeable> resources = new ArrayList<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        private Path dir;
        private UdsServer udsServer;
        private ServerSocketChannel tcpServer;
        private volatile Process process;
        private volatile Wire wire;
        private volatile IoWatchdog watchdog;
        private ByteBuffer lastReply;

        Endpoint(StreamTransport transport, int bytes, long timeoutNanos) {
            this.transport = transport;
            this.name = transport.name;
            this.bytes = bytes;
            this.timeoutNanos = timeoutNanos;
            this.out = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = Long.BYTES; i < bytes; i++) {
                out.put(i, (byte) i); // a recognisable payload after the sequence
            }
        }

        private void track(Closeable c) {
            synchronized (resources) {
                resources.add(c);
            }
        }

        /** Creates the listening socket (uds, tcp); nothing for pipes. */
        void open() {
            switch (transport.kind) {
                case UDS -> {
                    try {
                        dir = Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
                    } catch (IOException e) {
                        throw new IpcException(IpcException.Reason.OS_ERROR, name
                                + ": cannot create a temporary directory: " + e, e);
                    }
                    udsServer = UdsServer.bind(UdsAddress.path(dir.resolve("s")), PeerPolicy.sameUser(), bytes);
                    track(udsServer::close);
                }
                case TCP -> {
                    try {
                        tcpServer = ServerSocketChannel.open();
                        track(tcpServer);
                        tcpServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
                    } catch (IOException e) {
                        throw new IpcException(IpcException.Reason.OS_ERROR, name + ": cannot listen on 127.0.0.1: " + e, e);
                    }
                }
                case PIPE -> {
                }
            }
        }

        @Override
        public List<String> childArgs() {
            String size = Integer.toString(bytes);
            return switch (transport.kind) {
                case UDS -> List.of(udsServer.address().toString(), size);
                case TCP -> {
                    try {
                        yield List.of(Integer.toString(((InetSocketAddress) tcpServer.getLocalAddress()).getPort()), size);
                    } catch (IOException e) {
                        throw new IpcException(IpcException.Reason.OS_ERROR, name + ": " + e, e);
                    }
                }
                case PIPE -> List.of(size);
            };
        }

        @Override
        public void attachChild(Process child) {
            if (transport.kind != Kind.PIPE) {
                return;
            }
            process = child;
            int chunk = (int) Math.min(1 << 20, Math.max(8192L, bytes + 4L)); // one copy chunk per message, up to 1 MiB
            ReadableByteChannel in = StreamChannels.readable(child.getInputStream(), chunk);
            WritableByteChannel o = StreamChannels.flushing(child.getOutputStream(), chunk);
            track(in);
            track(o);
            wire = Wire.of(transport.framed, in, o, bytes);
        }

        /** @return the last message read back from the child (position 0, limit = message bytes) */
        ByteBuffer lastReply() {
            return lastReply.slice().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void awaitReady(Peer child, Duration startupTimeout) {
            if (closed.get()) {
                throw new IpcException(IpcException.Reason.CLOSED, name + ": endpoint closed");
            }
            if (transport.kind == Kind.PIPE && process == null) {
                throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, name
                        + ": the child's streams were not attached (attachChild)");
            }
            IoWatchdog w = new IoWatchdog("ipc4j-" + name + "-parent-watchdog", this::unblock, child);
            watchdog = w;
            w.begin(startupTimeout.toNanos());
            ByteBuffer m;
            try {
                accept();
                m = wire.receive();
            } catch (IOException | IpcException e) {
                IoWatchdog.Verdict v = w.verdict();
                if (v == IoWatchdog.Verdict.TIMED_OUT) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, name + ": the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms", e);
                }
                if (v == IoWatchdog.Verdict.PEER_DEAD || (e instanceof IpcException ipc && ipc.reason() == IpcException.Reason.PEER_CLOSED)) {
                    throw new IpcException(IpcException.Reason.PEER_CLOSED,
                            name + ": the " + child.description() + " exited before it was ready", e);
                }
                throw new IpcException(IpcException.Reason.CLOSED, name + ": waiting for the child: " + e.getMessage(), e);
            } finally {
                w.end();
            }
            if (m == null) {
                throw new IpcException(w.verdict() == IoWatchdog.Verdict.TIMED_OUT ? IpcException.Reason.TIMEOUT
                        : IpcException.Reason.PEER_CLOSED, name + ": the " + child.description()
                        + " closed its end before it was ready");
            }
            if (m.remaining() != bytes || m.getLong(m.position()) != SpinLayout.READY) {
                throw new IpcException(IpcException.Reason.CORRUPT, name + ": the " + child.description() + " sent "
                        + m.remaining() + " bytes instead of its ready message");
            }
        }

        /** Takes the child's connection (uds, tcp) and stops listening. */
        private void accept() throws IOException {
            switch (transport.kind) {
                case UDS -> {
                    UdsConnection c = udsServer.accept();
                    track(c::close);
                    udsServer.close(); // nobody else may connect; unlinks the socket file
                    wire = transport.framed ? new Wire.Framed(c.framed()) : Wire.of(false, c.channel(), c.channel(), bytes);
                }
                case TCP -> {
                    SocketChannel s = tcpServer.accept();
                    track(s);
                    tcpServer.close();
                    s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    wire = Wire.of(transport.framed, s, s, bytes);
                }
                case PIPE -> {
                }
            }
        }

        @Override
        public Status roundTrip(long sequence) {
            IoWatchdog w = watchdog;
            out.clear();
            out.putLong(0, sequence);
            ByteBuffer m;
            w.begin(timeoutNanos);
            try {
                wire.send(out);
                m = wire.receive();
            } catch (IOException | IpcException e) {
                // EOF mid-message / reset (child gone), or the watchdog or close() closed the channel
                return w.verdict() == IoWatchdog.Verdict.TIMED_OUT ? Status.TIMED_OUT : Status.PEER_DEAD;
            } finally {
                w.end();
            }
            if (m == null) {
                return w.verdict() == IoWatchdog.Verdict.TIMED_OUT ? Status.TIMED_OUT : Status.PEER_DEAD;
            }
            lastReply = m;
            return m.remaining() == bytes && m.getLong(m.position()) == sequence ? Status.OK : Status.TIMED_OUT;
        }

        @Override
        public void stop() {
            Wire wi = wire;
            if (closed.get() || wi == null) {
                return;
            }
            IoWatchdog w = watchdog;
            out.clear();
            out.putLong(0, SpinLayout.STOP);
            if (w != null) {
                w.begin(timeoutNanos); // a large message into a child that reads nothing must not block forever
            }
            try {
                wi.send(out);
            } catch (IOException | IpcException ignored) {
                // best effort: the child may be gone already
            } finally {
                if (w != null) {
                    w.end();
                }
            }
        }

        /** Ends every blocked wait: kills a pipe child (its death is our end-of-file), closes every channel. */
        private void unblock() {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
            closeAll(resources);
        }

        /** Closes every channel, deletes the socket and its directory. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            IoWatchdog w = watchdog;
            if (w != null) {
                w.close();
            }
            closeAll(resources);
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("s"));
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    throw new IpcException(IpcException.Reason.OS_ERROR, name + ": cannot remove " + dir + ": " + e, e);
                }
            }
        }
    }
}
