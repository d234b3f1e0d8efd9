package io.ipc4j.shm.ring;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A child JVM for the multi-process ring tests.
 *
 * <ul>
 *   <li>{@code produce NAME ID COUNT}: writes COUNT messages (type ID + 1, payload: int ID, long
 *       seq) into the many-to-one ring NAME, prints {@code DONE ID}.</li>
 *   <li>{@code claim NAME}: claims a 16-byte message, prints {@code CLAIMED INDEX} and waits to be
 *       killed without committing.</li>
 * </ul>
 */
public final class RingChild {
    private RingChild() {
    }

    /**
     * @param args see the class description
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        try (SharedRing shared = SharedRing.open(args[1], Duration.ofSeconds(30))) {
            ManyToOneRing ring = shared.manyToOne();
            switch (args[0]) {
                case "produce" -> {
                    int id = Integer.parseInt(args[2]);
                    long count = Long.parseLong(args[3]);
                    MemorySegment msg = MemorySegment.ofArray(new byte[12]);
                    msg.set(ValueLayout.JAVA_INT_UNALIGNED, 0, id);
                    System.out.println("STARTED " + id);
                    for (long seq = 0; seq < count; seq++) {
                        msg.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, seq);
                        if ((seq & 1) == 0) {
                            while (!ring.write(id + 1, msg, 0, 12)) {
                                Thread.yield();
                            }
                        } else {
                            long at;
                            while ((at = ring.tryClaim(id + 1, 12)) < 0) {
                                Thread.yield();
                            }
                            MemorySegment.copy(msg, 0, ring.buffer(), at, 12);
                            ring.commit(at);
                        }
                    }
                    System.out.println("DONE " + id);
                }
                case "claim" -> {
                    long at = ring.tryClaim(9, 16);
                    System.out.println("CLAIMED " + at);
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        }
    }
}
