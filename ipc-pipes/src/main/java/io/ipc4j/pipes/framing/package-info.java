/**
 * Length-prefixed message framing over any byte stream: anonymous pipes, a child process's
 * stdin/stdout, FIFOs, Unix domain sockets, TCP.
 *
 * <h2>Wire format</h2>
 * <pre>
 *  0               4                         4 + length
 *  +---------------+-------------------------+
 *  | length (LE32) | payload (length bytes)  |   repeated; no padding, no trailer
 *  +---------------+-------------------------+
 * </pre>
 * The length is a signed 32-bit <b>little-endian</b> integer (like every other ipc4j layout; the
 * machines ipc4j runs on are little-endian) counting payload bytes only; 0 is a valid empty frame.
 *
 * <h2>Errors</h2>
 * Every violation throws {@link io.ipc4j.IpcException} and closes the channel, because the
 * stream position is lost after any of them:
 * <ul>
 *   <li>{@code TOO_LARGE}: a length above the configured maximum, detected from the 4 length bytes
 *       before anything is allocated (a hostile 2<sup>31</sup>-1 costs nothing);</li>
 *   <li>{@code CORRUPT}: a negative length;</li>
 *   <li>{@code PEER_CLOSED}: end of stream inside a frame ("after 3 of 4 length bytes",
 *       "after 17 of 64 payload bytes") or a broken pipe / reset connection while writing.
 *       End of stream <em>between</em> frames is not an error: {@link FrameReader#readFrame()}
 *       returns {@code null}.</li>
 * </ul>
 *
 * <h2>Blocking and non-blocking use</h2>
 * {@link io.ipc4j.pipes.framing.FrameReader#readFrame()} and
 * {@link io.ipc4j.pipes.framing.FrameWriter#writeFrame(java.nio.ByteBuffer)} block (blocking
 * channels). In a {@link java.nio.channels.Selector} loop use
 * {@link io.ipc4j.pipes.framing.FrameReader#readAvailable()} +
 * {@link io.ipc4j.pipes.framing.FrameReader#nextFrame()} on readability and
 * {@link io.ipc4j.pipes.framing.FrameWriter#enqueue(java.nio.ByteBuffer)} +
 * {@link io.ipc4j.pipes.framing.FrameWriter#flush()} for writes (partial writes stay queued).
 */
package io.ipc4j.pipes.framing;
