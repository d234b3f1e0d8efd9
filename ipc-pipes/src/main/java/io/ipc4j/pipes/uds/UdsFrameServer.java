package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.pipes.framing.FrameReader;
import io.ipc4j.pipes.framing.FrameWriter;
import io.ipc4j.pipes.framing.ReadStatus;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Unix domain socket server on a path that serves every peer from one selector thread: frames
 * are decoded without blocking ({@link FrameReader#readAvailable()}), handed to a {@link Handler}
 * on that thread, and replies are queued ({@link FrameWriter#enqueue}) and written as the socket
 * takes them. Holds thousands of idle peers at the cost of two descriptors' worth of kernel
 * memory and a small buffer each.
 *
 * <pre>{@code
 * try (UdsFrameServer echo = UdsFrameServer.start(path, (session, frame) -> session.send(frame))) {
 *     ...
 * }
 * }</pre>
 *
 * Abstract names are not supported here (Java selectors only take NIO channels; see the
 * {@linkplain io.ipc4j.pipes.uds package notes}).
 */
public final class UdsFrameServer implements AutoCloseable {
    /** Accept queue length: large, so bursts of connects wait in the kernel, not in connect(2) retries. */
    public static final int BACKLOG = 4096;

    /** Called on the selector thread; must not block. */
    @FunctionalInterface
    public interface Handler {
        /**
         * A frame arrived.
         *
         * @param session who sent it
         * @param frame   the payload, valid only during this call
         */
        void onFrame(Session session, ByteBuffer frame);

        /**
         * A peer passed the policy and is connected.
         *
         * @param session the new session
         */
        default void onOpen(Session session) {
        }

        /**
         * A session ended.
         *
         * @param session the session
         * @param cause   null when the peer closed cleanly or the server closed it; otherwise why
         *                (TOO_LARGE, CORRUPT, PEER_CLOSED mid-frame, a handler failure, ...)
         */
        default void onClose(Session session, IpcException cause) {
        }
    }

    /** One connected peer. Use it only on the selector thread (inside {@link Handler} calls). */
    public interface Session {
        /** @return a number unique within this server */
        long id();

        /** @return the peer's credentials */
        PeerCredentials peer();

        /**
         * Queues a frame and writes what the socket takes now; the rest goes when it is writable.
         *
         * @param payload the bytes between position and limit (copied)
         * @return false when the peer does not read and its queue is full (the frame is dropped)
         */
        boolean send(ByteBuffer payload);

        /** Closes the connection. */
        void close();
    }

    private final Path path;
    private final Object fileKey;
    private final PeerPolicy policy;
    private final int maxFrameBytes;
    private final Handler handler;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long nextId;

    private UdsFrameServer(Path path, PeerPolicy policy, int maxFrameBytes, Handler handler) throws IOException {
        this.path = path;
        this.policy = policy;
        this.maxFrameBytes = maxFrameBytes;
        this.handler = handler;
        SocketFiles.Bound b = SocketFiles.bind(path, BACKLOG);
        this.server = b.channel();
        this.fileKey = b.fileKey();
        try {
            this.selector = Selector.open();
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            SocketFiles.closeQuietly(server);
            SocketFiles.unlinkIfOurs(path, fileKey);
            throw e;
        }
        this.thread = Thread.ofPlatform().name("uds-frame-server " + path).daemon().unstarted(this::run);
    }

    /**
     * Starts a server with the defaults: same-user peers only, 1 MiB frames.
     *
     * @param path    the socket file (a stale one is replaced)
     * @param handler the frame callback
     * @return the running server
     */
    public static UdsFrameServer start(Path path, Handler handler) {
        return start(path, PeerPolicy.sameUser(), FrameReader.DEFAULT_MAX_FRAME_BYTES, handler);
    }

    /**
     * @param path          the socket file (a stale one is replaced)
     * @param policy        which peers to keep (others are closed at once and counted in
     *                      {@link #rejectedCount()})
     * @param maxFrameBytes the largest frame in either direction
     * @param handler       the callbacks, run on the selector thread
     * @return the running server
     */
    public static UdsFrameServer start(Path path, PeerPolicy policy, int maxFrameBytes, Handler handler) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(handler, "handler");
        UdsFrameServer s;
        try {
            s = new UdsFrameServer(path, policy, maxFrameBytes, handler);
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "start frame server on " + path + ": " + e.getMessage(), e);
        }
        s.thread.start();
        return s;
    }

    /** @return the socket file */
    public Path path() {
        return path;
    }

    /** @return peers connected now */
    public int connectionCount() {
        return connections.get();
    }

    /** @return the most peers ever connected at the same time */
    public int peakConnectionCount() {
        return peak.get();
    }

    /** @return peers closed because they failed the policy */
    public long rejectedCount() {
        return rejected.get();
    }

    /** @return frames handed to the handler */
    public long frameCount() {
        return frames.get();
    }

    /** @return what stopped the selector thread unexpectedly, or null */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            while (running) {
                selector.select();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.channel() == server) {
                        acceptAll();
                    } else {
                        SessionImpl s = (SessionImpl) key.attachment();
                        if (key.isValid() && key.isWritable()) {
                            s.onWritable();
                        }
                        if (key.isValid() && key.isReadable()) {
                            s.onReadable();
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof SessionImpl s) {
                    s.end(null);
                }
            }
            SocketFiles.closeQuietly(server);
            try {
                selector.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
            stopped.countDown();
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            PeerCredentials peer;
            try {
                peer = new PeerCredentials(ch.getOption(ExtendedSocketOptions.SO_PEERCRED), OptionalInt.empty());
            } catch (IOException e) {
                SocketFiles.closeQuietly(ch);
                continue;
            }
            if (!policy.accepts(peer)) {
                rejected.incrementAndGet();
                SocketFiles.closeQuietly(ch);
                continue;
            }
            ch.configureBlocking(false);
            SessionImpl s = new SessionImpl(nextId++, ch, peer);
            s.key = ch.register(selector, SelectionKey.OP_READ, s);
            peak.accumulateAndGet(connections.incrementAndGet(), Math::max);
            try {
                handler.onOpen(s);
            } catch (RuntimeException e) {
                s.end(new IpcException(Reason.CLOSED, "handler.onOpen failed: " + e, e));
            }
        }
    }

    /** Stops the selector thread, closes every connection and unlinks the socket file. Idempotent. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            if (Thread.currentThread() != thread && thread.isAlive() && !stopped.await(10, TimeUnit.SECONDS)) {
                throw new IpcException(Reason.TIMEOUT, "frame server on " + path + " did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            SocketFiles.unlinkIfOurs(path, fileKey);
        }
    }

    private final class SessionImpl implements Session {
        private final long id;
        private final SocketChannel channel;
        private final PeerCredentials peer;
        private final FrameReader reader;
        private final FrameWriter writer;
        private SelectionKey key;
        private boolean ended;

        SessionImpl(long id, SocketChannel channel, PeerCredentials peer) {
            this.id = id;
            this.channel = channel;
            this.peer = peer;
            this.reader = new FrameReader(channel, maxFrameBytes);
            this.writer = new FrameWriter(channel, maxFrameBytes);
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public PeerCredentials peer() {
            return peer;
        }

        @Override
        public boolean send(ByteBuffer payload) {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("Session.send must run on the selector thread (inside a Handler call)");
            }
            if (ended) {
                return false;
            }
            if (!writer.enqueue(payload)) {
                return false;
            }
            onWritable();
            return true;
        }

        void onWritable() {
            try {
                boolean empty = writer.flush();
                if (key.isValid()) {
                    int ops = key.interestOps();
                    int wanted = empty ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE;
                    if (wanted != ops) {
                        key.interestOps(wanted);
                    }
                }
            } catch (IpcException e) {
                end(e);
            }
        }

        void onReadable() {
            try {
                while (!ended) {
                    ReadStatus st = reader.readAvailable();
                    if (st == ReadStatus.END_OF_STREAM) {
                        end(null);
                        return;
                    }
                    if (st == ReadStatus.NEED_MORE) {
                        return;
                    }
                    ByteBuffer frame;
                    while (!ended && (frame = reader.nextFrame()) != null) {
                        frames.incrementAndGet();
                        try {
                            handler.onFrame(this, frame);
                        } catch (RuntimeException e) {
                            end(new IpcException(Reason.CLOSED, "session " + id + ": handler.onFrame failed: " + e, e));
                        }
                    }
                }
            } catch (IpcException e) {
                end(e);
            }
        }

        void end(IpcException cause) {
            if (ended) {
                return;
            }
            ended = true;
            key.cancel();
            SocketFiles.closeQuietly(channel);
            connections.decrementAndGet();
            try {
                handler.onClose(this, cause);
            } catch (RuntimeException ignored) {
                // the session is gone either way
            }
        }

        @Override
        public void close() {
            end(null);
        }

        @Override
        public String toString() {
            return "Session[" + id + ", " + peer + "]";
        }
    }
}
