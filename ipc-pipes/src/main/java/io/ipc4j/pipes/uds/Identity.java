package io.ipc4j.pipes.uds;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;

import java.io.IOException;
import jdk.net.UnixDomainPrincipal;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.OptionalInt;

/** Users and groups as principals: this process's own, and a peer's from numeric ids. */
final class Identity {
    private static volatile UserPrincipal self;

    private Identity() {
    }

    /**
     * @return this process's effective user: the owner of {@code /proc/self} (a link to
     *         /proc/PID, owned by the process's effective uid), with its name resolved
     */
    static UserPrincipal self() {
        UserPrincipal s = self;
        if (s == null) {
            try {
                s = Files.getOwner(Path.of("/proc/self"));
            } catch (IOException | RuntimeException e) {
                throw new IpcException(Reason.UNSUPPORTED, "cannot tell this process's user from /proc/self: " + e, e);
            }
            self = s;
        }
        return s;
    }

    /**
     * Principals for numeric ids: the JDK looks a numeric name up as the id itself, and its Unix
     * principals compare by id, so these equal the ones {@code SO_PEERCRED} gives NIO channels.
     */
    static PeerCredentials of(io.ipc4j.posix.PeerCredentials c) {
        try {
            UserPrincipalLookupService l = lookup();
            UserPrincipal user = l.lookupPrincipalByName(String.valueOf(c.uid()));
            if (user.equals(self())) {
                user = self();                   // same id, and a readable name
            }
            return new PeerCredentials(new UnixDomainPrincipal(user,
                    l.lookupPrincipalByGroupName(String.valueOf(c.gid()))), OptionalInt.of(c.pid()));
        } catch (IOException e) {
            throw new IpcException(Reason.OS_ERROR, "peer uid " + c.uid() + " gid " + c.gid() + ": " + e, e);
        }
    }

    private static UserPrincipalLookupService lookup() {
        return FileSystems.getDefault().getUserPrincipalLookupService();
    }
}
