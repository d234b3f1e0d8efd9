/**
 * Processes as ipc4j sees them: {@link io.ipc4j.process.ProcessIdentity} (pid plus start time,
 * because pids are reused) and {@link io.ipc4j.process.JvmCommand} (spawn a JVM like this one:
 * the same {@code java} binary, module or class path and native-access flags).
 */
package io.ipc4j.process;
