/**
 * Passing open file descriptors between processes over Unix domain sockets ({@code SCM_RIGHTS}),
 * typically to hand a {@code memfd_create} segment to another process: anonymous shared memory
 * that needs no name and vanishes when its last holder exits.
 *
 * <ul>
 *   <li>{@link io.ipc4j.pipes.fdpass.FdListener}: binds a path or Linux abstract name and accepts
 *       connections, admitting only peers of the same user by default ({@code SO_PEERCRED}).</li>
 *   <li>{@link io.ipc4j.pipes.fdpass.FdChannel}: one connected endpoint ({@code connect},
 *       {@code accept}, or {@code pair()} for a socket pair); each {@code send} is one message of
 *       1 to {@value io.ipc4j.pipes.fdpass.FdChannel#MAX_MESSAGE_BYTES} bytes with up to
 *       {@value io.ipc4j.pipes.fdpass.FdChannel#MAX_FDS} descriptors ({@code SOCK_SEQPACKET}: message
 *       boundaries are kept, so data and descriptors always arrive together).</li>
 *   <li>{@link io.ipc4j.pipes.fdpass.FdMessage} and {@link io.ipc4j.pipes.fdpass.ReceivedFds}: what
 *       {@code receive} returns. Received descriptors belong to the receiver: claim the ones you
 *       keep; closing the message closes the rest.</li>
 * </ul>
 *
 * <p>Every wait is bounded (accept, connect, receive, and send when the peer does not read), a peer
 * that dies shows up as {@link io.ipc4j.IpcException.Reason#PEER_CLOSED}, and nothing a peer sends
 * can make this side allocate more than the fixed per-channel buffers or keep descriptors it did
 * not hand out.
 */
package io.ipc4j.pipes.fdpass;
