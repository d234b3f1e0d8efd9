/**
 * The ipc4j-wide error type: {@link io.ipc4j.IpcException} with a {@link io.ipc4j.IpcException.Reason}
 * and, where the OS reported one, the errno.
 *
 * <p>Setup paths (create, open, map, parse) throw; hot paths (offer, poll, signal) return a
 * status instead.
 */
package io.ipc4j;
