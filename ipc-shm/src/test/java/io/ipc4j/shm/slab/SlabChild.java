package io.ipc4j.shm.slab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A child JVM for the multi-process slab tests.
 *
 * <ul>
 *   <li>{@code hold NAME K}: registers with slab NAME, allocates K slots, writes its owner id into
 *       each, prints {@code HELD OWNER H1 H2 ...} and waits (on stdin) to be killed.</li>
 * </ul>
 */
public final class SlabChild {
    private SlabChild() {
    }

    /**
     * @param args see the class description
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        if (!"hold".equals(args[0])) {
            throw new IllegalArgumentException("unknown command " + args[0]);
        }
        try (SharedSlab slab = SharedSlab.open(args[1], Duration.ofSeconds(30))) {
            int me = slab.register();
            int k = Integer.parseInt(args[2]);
            StringBuilder line = new StringBuilder("HELD ").append(me);
            for (int i = 0; i < k; i++) {
                long h = slab.allocate(me);
                if (h < 0) {
                    throw new IllegalStateException("allocate failed: " + h);
                }
                slab.slot(h).set(ValueLayout.JAVA_INT, 0, me);
                line.append(' ').append(h);
            }
            System.out.println(line);
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
