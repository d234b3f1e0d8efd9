package io.ipc4j.posix;

/**
 * The credentials of the process at the other end of a Unix domain socket
 * ({@code SO_PEERCRED}: {@code struct ucred}), as the kernel recorded them when the connection
 * (or socket pair) was made. They cannot be forged by the peer.
 *
 * @param pid the peer's process id (in this process's pid namespace; 0 if it is not visible)
 * @param uid the peer's effective user id
 * @param gid the peer's effective group id
 */
public record PeerCredentials(int pid, int uid, int gid) {
}
