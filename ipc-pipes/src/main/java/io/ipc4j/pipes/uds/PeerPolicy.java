package io.ipc4j.pipes.uds;

import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides whether a connected peer may talk to a server (or, on the client side, whether the
 * server is who it should be). Policies print what they accept; the text appears in rejection
 * messages.
 */
@FunctionalInterface
public interface PeerPolicy {
    /**
     * @param peer the peer's credentials
     * @return true to keep the connection, false to close it
     */
    boolean accepts(PeerCredentials peer);

    /** @return only peers running as this process's effective user (the server default) */
    static PeerPolicy sameUser() {
        UserPrincipal self = Identity.self();
        return named("same user as this process (" + self.getName() + ")", p -> p.principal().user().equals(self));
    }

    /** @return every peer (the client default: a server is found by its address) */
    static PeerPolicy anyUser() {
        return named("any user", p -> true);
    }

    /**
     * @param users the users allowed
     * @return peers running as one of {@code users}
     */
    static PeerPolicy users(UserPrincipal... users) {
        List<UserPrincipal> allowed = List.of(users);
        return named("users " + allowed.stream().map(UserPrincipal::getName).toList(),
                p -> allowed.contains(p.principal().user()));
    }

    /**
     * @param description what the policy accepts, for messages
     * @param test        the check
     * @return a policy whose {@code toString()} is {@code description}
     */
    static PeerPolicy named(String description, Predicate<PeerCredentials> test) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(test, "test");
        return new PeerPolicy() {
            @Override
            public boolean accepts(PeerCredentials peer) {
                return test.test(peer);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
