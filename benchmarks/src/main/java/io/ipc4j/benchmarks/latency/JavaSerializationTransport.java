package io.ipc4j.benchmarks.latency;

import io.ipc4j.IpcException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What ipc4j replaces: a job queue of serialized Java objects over a Unix domain socket
 * ({@code java-serialization}). The parent writes each message as a {@link Job} (a record: the
 * sequence number as its id and a {@code byte[]} of exactly the payload size) with
 * {@link ObjectOutputStream#writeObject}, then {@link ObjectOutputStream#reset()} and
 * {@link ObjectOutputStream#flush()}; the child reads it with {@link ObjectInputStream#readObject},
 * answers with a {@link Result} carrying the same id and the payload array it received, written
 * the same way. Because of {@code reset()} nothing is cached across messages: every message carries
 * its class descriptors again and every read builds new objects, as in a real job queue that
 * does not keep the stream's back-references growing forever.
 *
 * <p>Streams: {@link Channels#newOutputStream}/{@link Channels#newInputStream} on a blocking
 * {@link SocketChannel} ({@link StandardProtocolFamily#UNIX}), each behind a 64 KiB
 * {@link BufferedOutputStream}/{@link BufferedInputStream}. The socket {@code s} lives in a private
 * temporary directory ({@code $TMPDIR/ipc4j-bench-jser-PID-*}) that the parent deletes on close;
 * the parent stops listening once the child is connected.
 *
 * <p>Both sides read with an {@link ObjectInputFilter} that accepts only {@link Job},
 * {@link Result} and byte arrays no longer than the payload, so a hostile peer cannot make
 * either side build arbitrary objects or allocate without bound. Every blocking call runs under an
 * {@link IoWatchdog} that closes the socket when the wait outlasts its limit or the peer dies.
 */
public final class JavaSerializationTransport implements Transport {
    /** The name on the command line. */
    public static final String NAME = "java-serialization";
    /** Prefix of the temporary directory holding the socket. */
    static final String DIR_PREFIX = "ipc4j-bench-jser-";
    /** Largest payload per direction. */
    public static final int MAX_PAYLOAD = SpinLayout.MAX_PAYLOAD;
    private static final int BUFFER = 64 << 10;

    /**
     * A job the parent sends.
     *
     * @param id      the sequence number ({@link SpinLayout#STOP} asks the child to exit)
     * @param payload the job's data
     */
    public record Job(long id, byte[] payload) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * The child's answer to a {@link Job}.
     *
     * @param id      the job's id ({@link SpinLayout#READY} for the child's ready message)
     * @param payload the job's data, echoed
     */
    public record Result(long id, byte[] payload) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** Creates the transport (stateless). */
    public JavaSerializationTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ObjectOutputStream/ObjectInputStream job queue over a Unix domain socket (what ipc4j replaces)";
    }

    /** The only classes and sizes either side accepts. */
    static ObjectInputFilter filter(int payload) {
        return info -> {
            if (info.depth() > 2 || info.arrayLength() > payload) {
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null || c == Job.class || c == Result.class || c == byte[].class) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            return ObjectInputFilter.Status.REJECTED;
        };
    }

    @Override
    public ParentEndpoint openParent(int payloadSize, Duration timeout) {
        if (payloadSize < 0 || payloadSize > MAX_PAYLOAD) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT,
                    NAME + ": payload size must be 0.." + MAX_PAYLOAD + " bytes, was " + payloadSize);
        }
        Endpoint ep = new Endpoint(payloadSize, timeout.toNanos());
        return Endpoints.opened(ep, ep::open);
    }

    @Override
    public void runChild(List<String> args, Peer parent, Duration idleTimeout) {
        ChildArgs.expect(NAME, args, "socket path", "payload bytes");
        int payload = ChildArgs.size(NAME, args, 1, "payload size", 0, MAX_PAYLOAD);
        long timeoutNanos = idleTimeout.toNanos();
        List<Closeable> resources = new ArrayList<>();
        try (IoWatchdog watchdog = new IoWatchdog("ipc4j-jser-child-watchdog",
                () -> StreamTransport.closeAll(resources), parent)) {
            watchdog.begin(timeoutNanos);
            try {
                SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
                synchronized (resources) {
                    resources.add(s);
                }
                s.connect(UnixDomainSocketAddress.of(args.get(0)));
                ObjectOutputStream out = new ObjectOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(s), BUFFER));
                out.flush(); // the stream header: the parent's ObjectInputStream waits for it
                ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Channels.newInputStream(s), BUFFER));
                in.setObjectInputFilter(filter(payload));
                send(out, new Result(SpinLayout.READY, new byte[0]));
                while (true) {
                    watchdog.end();
                    watchdog.begin(timeoutNanos);
                    Object o = in.readObject();
                    if (!(o instanceof Job(long id, byte[] data))) {
                        throw new IpcException(IpcException.Reason.CORRUPT, NAME + " child: expected a Job, got "
                                + (o == null ? "null" : o.getClass().getName()));
                    }
                    if (id == SpinLayout.STOP) {
                        return;
                    }
                    send(out, new Result(id, data));
                }
            } catch (IOException | ClassNotFoundException e) {
                if (watchdog.verdict() == IoWatchdog.Verdict.TIMED_OUT) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, NAME + " child: no message from the "
                            + parent.description() + " for " + idleTimeout.toMillis() + " ms", e);
                }
                throw new IpcException(IpcException.Reason.PEER_CLOSED, NAME + " child: the "
                        + parent.description() + " is gone or sent garbage (" + e + ")", e);
            } finally {
                watchdog.end();
            }
        } finally {
            StreamTransport.closeAll(resources);
        }
    }

    /** writeObject, then reset (forget every object and class written) and flush. */
    private static void send(ObjectOutputStream out, Object message) throws IOException {
        out.writeObject(message);
        out.reset();
        out.flush();
    }

    /** The parent's side: owns the listening socket (and its directory) and the connection. */
    static final class Endpoint implements ParentEndpoint {
        private final int payload;
        private final long timeoutNanos;
        private final byte[] data;
        private final List<Closeable> resources = new ArrayList<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        private Path dir;
        private Path socket;
        private ServerSocketChannel server;
        private volatile IoWatchdog watchdog;
        private ObjectOutputStream out;
        private ObjectInputStream in;
        private Result last;

        Endpoint(int payload, long timeoutNanos) {
            this.payload = payload;
            this.timeoutNanos = timeoutNanos;
            this.data = new byte[payload];
            for (int i = 0; i < payload; i++) {
                data[i] = (byte) (i * 31 + 7); // a recognisable payload
            }
        }

        private void track(Closeable c) {
            synchronized (resources) {
                resources.add(c);
            }
        }

        void open() {
            try {
                dir = Files.createTempDirectory(DIR_PREFIX + ProcessHandle.current().pid() + "-");
                socket = dir.resolve("s");
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                track(server);
                server.bind(UnixDomainSocketAddress.of(socket), 1);
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, NAME + ": cannot listen on a Unix domain socket in "
                        + dir + ": " + e, e);
            }
        }

        /** @return the payload every job carries */
        byte[] payload() {
            return data;
        }

        /** @return the last result read back from the child, or null */
        Result lastResult() {
            return last;
        }

        @Override
        public List<String> childArgs() {
            return List.of(socket.toString(), Integer.toString(payload));
        }

        @Override
        public void awaitReady(Peer child, Duration startupTimeout) {
            if (closed.get()) {
                throw new IpcException(IpcException.Reason.CLOSED, NAME + ": endpoint closed");
            }
            IoWatchdog w = new IoWatchdog("ipc4j-jser-parent-watchdog", () -> StreamTransport.closeAll(resources), child);
            watchdog = w;
            w.begin(startupTimeout.toNanos());
            Object o;
            try {
                SocketChannel s = server.accept();
                track(s);
                server.close();
                Files.deleteIfExists(socket); // nobody else may connect
                out = new ObjectOutputStream(new BufferedOutputStream(Channels.newOutputStream(s), BUFFER));
                out.flush();
                in = new ObjectInputStream(new BufferedInputStream(Channels.newInputStream(s), BUFFER));
                in.setObjectInputFilter(filter(payload));
                o = in.readObject();
            } catch (IOException | ClassNotFoundException e) {
                IoWatchdog.Verdict v = w.verdict();
                if (v == IoWatchdog.Verdict.TIMED_OUT) {
                    throw new IpcException(IpcException.Reason.TIMEOUT, NAME + ": the " + child.description()
                            + " was not ready within " + startupTimeout.toMillis() + " ms", e);
                }
                throw new IpcException(IpcException.Reason.PEER_CLOSED,
                        NAME + ": the " + child.description() + " exited before it was ready (" + e + ")", e);
            } finally {
                w.end();
            }
            if (!(o instanceof Result(long id, byte[] ignored)) || id != SpinLayout.READY) {
                throw new IpcException(IpcException.Reason.CORRUPT, NAME + ": the " + child.description()
                        + " sent something other than its ready message");
            }
        }

        @Override
        public Status roundTrip(long sequence) {
            IoWatchdog w = watchdog;
            w.begin(timeoutNanos);
            Object o;
            try {
                send(out, new Job(sequence, data));
                o = in.readObject();
            } catch (IOException | ClassNotFoundException e) {
                return w.verdict() == IoWatchdog.Verdict.TIMED_OUT ? Status.TIMED_OUT : Status.PEER_DEAD;
            } finally {
                w.end();
            }
            if (o instanceof Result r && r.id() == sequence && r.payload().length == payload) {
                last = r;
                return Status.OK;
            }
            return Status.TIMED_OUT;
        }

        @Override
        public void stop() {
            IoWatchdog w = watchdog;
            if (closed.get() || out == null || w == null) {
                return;
            }
            w.begin(timeoutNanos);
            try {
                send(out, new Job(SpinLayout.STOP, new byte[0]));
            } catch (IOException ignored) {
                // best effort: the child may be gone already
            } finally {
                w.end();
            }
        }

        /** Closes the sockets, deletes the socket file and its directory. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            IoWatchdog w = watchdog;
            if (w != null) {
                w.close();
            }
            StreamTransport.closeAll(resources);
            if (dir != null) {
                try {
                    Files.deleteIfExists(socket);
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    throw new IpcException(IpcException.Reason.OS_ERROR, NAME + ": cannot remove " + dir + ": " + e, e);
                }
            }
        }
    }
}
