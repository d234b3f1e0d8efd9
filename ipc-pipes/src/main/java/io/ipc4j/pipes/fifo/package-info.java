/**
 * Named pipes (FIFOs) without the classic open-blocks-forever trap.
 *
 * <p>{@code open(2)} of a FIFO blocks until the other side opens it too, so a plain
 * {@code FileChannel.open(fifo)} with no peer hangs the thread for good (and cannot be
 * interrupted). {@link io.ipc4j.pipes.fifo.NamedFifo} opens with {@code O_NONBLOCK} and defines:
 *
 * <table class="striped">
 *   <caption>Behaviour with and without a peer</caption>
 *   <tr><th>call</th><th>no peer</th><th>peer present</th></tr>
 *   <tr><td>{@code openRead(path)}</td><td>returns at once</td><td>returns at once</td></tr>
 *   <tr><td>read on that channel</td><td>waits for a writer to appear and write (no false EOF)</td>
 *       <td>data; EOF (-1) once every writer has closed</td></tr>
 *   <tr><td>{@code openWrite(path, timeout)}</td><td>retries until a reader opens; {@code TIMEOUT}
 *       after {@code timeout}</td><td>returns at once</td></tr>
 *   <tr><td>write on that channel</td><td>the reader left: {@code EPIPE}, an {@code IOException}
 *       (reason {@code PEER_CLOSED}); the JVM ignores SIGPIPE</td><td>writes; waits while the pipe
 *       (64 KiB) is full</td></tr>
 * </table>
 *
 * <p>Blocked reads and writes end when the channel is closed from another thread. Frames go over
 * the channels with {@link io.ipc4j.pipes.framing.FramedChannel}.
 */
package io.ipc4j.pipes.fifo;
