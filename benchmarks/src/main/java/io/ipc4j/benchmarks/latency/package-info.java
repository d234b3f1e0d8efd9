/**
 * Round-trip latency between this JVM and a spawned child JVM, per transport.
 *
 * <p>{@link io.ipc4j.benchmarks.latency.LatencyHarness} spawns a child JVM
 * ({@link io.ipc4j.benchmarks.latency.ChildMain}), sends it {@code warmup + messages} messages of
 * a fixed payload size one at a time through a {@link io.ipc4j.benchmarks.latency.Transport},
 * waits for each echo, and records every measured round trip (nanoseconds) in an HdrHistogram.
 * The result is a {@link io.ipc4j.benchmarks.latency.LatencyResult}. Transports are looked up by
 * name in {@link io.ipc4j.benchmarks.latency.Transports}; {@code spin}
 * ({@link io.ipc4j.benchmarks.latency.SpinTransport}) is the floor every other transport is
 * compared against. The others: {@code hybrid} (spin, yield, then park on a futex doorbell) and
 * {@code futex} (always sleep on a doorbell), both {@link io.ipc4j.benchmarks.latency.DoorbellTransport};
 * {@code posix-sem} ({@link io.ipc4j.benchmarks.latency.PosixSemTransport}, named POSIX
 * semaphores); {@code fifo} ({@link io.ipc4j.benchmarks.latency.FifoTransport}, blocking I/O on
 * two named FIFOs: the kernel-wake baseline); and the kernel byte streams of
 * {@link io.ipc4j.benchmarks.latency.StreamTransport}: {@code pipe} (the child's stdin/stdout),
 * {@code uds} (a Unix domain socket) and {@code tcp} (loopback), each carrying ipc4j frames, plus
 * {@code uds-raw} and {@code pipe-raw}, the same channels with bare fixed-size messages, so one
 * run shows what the framing costs. Peers to compare with: {@code aeron-ipc}
 * ({@link io.ipc4j.benchmarks.latency.AeronTransport}, Aeron IPC through an embedded media driver),
 * {@code chronicle-queue} ({@link io.ipc4j.benchmarks.latency.ChronicleTransport}, two Chronicle
 * Queues; runs from the class path) and {@code java-serialization}
 * ({@link io.ipc4j.benchmarks.latency.JavaSerializationTransport}, Object streams over a Unix domain
 * socket: what ipc4j replaces).
 *
 * <p>Every wait is bounded: a dead child, a dead parent or a silent peer ends the run with an
 * {@link io.ipc4j.IpcException} (parent) or an exit (child), never a hang.
 */
package io.ipc4j.benchmarks.latency;
