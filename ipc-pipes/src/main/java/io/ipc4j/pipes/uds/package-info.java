/**
 * Unix domain stream sockets carrying frames: {@link io.ipc4j.pipes.uds.UdsServer} /
 * {@link io.ipc4j.pipes.uds.UdsClient} (blocking, one {@link io.ipc4j.pipes.uds.UdsConnection}
 * per peer) and {@link io.ipc4j.pipes.uds.UdsFrameServer} (one selector thread for thousands of
 * peers).
 *
 * <h2>Addresses</h2>
 * {@link io.ipc4j.pipes.uds.UdsAddress}: a file system path, or a Linux <em>abstract</em> name
 * written {@code @name}. Java NIO's {@link java.net.UnixDomainSocketAddress} cannot express
 * abstract names (a path may not contain the leading NUL byte), so path sockets go through NIO
 * ({@link java.nio.channels.SocketChannel}, selectable) and abstract sockets through
 * {@link io.ipc4j.posix.PosixSockets} (FFM; blocking use via {@link io.ipc4j.posix.FdByteChannel},
 * not selectable). Both yield the same framed {@link io.ipc4j.pipes.uds.UdsConnection}.
 * Abstract names are not files: nobody can leave a stale one behind, but any process in the
 * same network namespace can bind or connect to them; file permissions do not apply, so the
 * peer check below is the only guard.
 *
 * <h2>Peer credentials</h2>
 * The kernel records the pid, uid and gid of each side at connect time ({@code SO_PEERCRED};
 * for NIO channels read through {@link jdk.net.ExtendedSocketOptions#SO_PEERCRED}). A server
 * checks every accepted peer against a {@link io.ipc4j.pipes.uds.PeerPolicy}; the default,
 * {@link io.ipc4j.pipes.uds.PeerPolicy#sameUser()}, accepts only this process's effective user.
 * A rejected peer's connection is closed at once (it reads end of stream).
 *
 * <h2>Socket files</h2>
 * Binding a path that exists: a socket nobody listens on (connect: {@code ECONNREFUSED}) is a
 * stale leftover of a crashed server and is replaced; a socket with a live server fails with
 * {@code ALREADY_EXISTS}; anything else (regular file, directory, symbolic link) is never
 * deleted ({@code ALREADY_EXISTS}). A closing server unlinks its socket file if it is still the
 * one it created. Two servers racing to replace the same stale file are not serialized: the
 * loser may unlink the winner's fresh socket; use one server per path.
 */
package io.ipc4j.pipes.uds;
