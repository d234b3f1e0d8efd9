package io.ipc4j.pipes.uds;

import jdk.net.UnixDomainPrincipal;
import java.util.OptionalInt;

/**
 * Who is on the other end of a Unix domain socket, as the kernel recorded it at connect time.
 *
 * @param principal the peer's effective user and group
 * @param pid       the peer's process id where known (abstract-name sockets report it; Java NIO's
 *                  {@code SO_PEERCRED} on path sockets does not)
 */
public record PeerCredentials(UnixDomainPrincipal principal, OptionalInt pid) {
    /** @return e.g. {@code "user root, group root, pid 1234"} */
    @Override
    public String toString() {
        return "user " + principal.user().getName() + ", group " + principal.group().getName()
                + (pid.isPresent() ? ", pid " + pid.getAsInt() : "");
    }
}
