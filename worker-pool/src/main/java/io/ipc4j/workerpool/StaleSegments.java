package io.ipc4j.workerpool;

import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SegmentInventory;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;
import io.ipc4j.workerpool.stat.PoolCounters;

import java.util.List;
import java.util.Optional;

/**
 * Removes what a killed supervisor of the same pool name left behind, so the next start with that
 * name succeeds. Only segments whose creator is known to be dead are removed; a live pool's
 * segments stay and the start fails with ALREADY_EXISTS.
 */
final class StaleSegments {
    private StaleSegments() {
    }

    static void removeLeftovers(ShmDirectory dir, String pool) {
        SegmentInventory inventory = SegmentInventory.of(dir);
        for (String n : List.of(pool, pool + "-slab", PoolCounters.segmentName(pool), pool + "-weights")) {
            if (!SharedSegment.exists(dir, n)) {
                continue;
            }
            Optional<SegmentInfo> info = inventory.inspect(n);
            if (info.isPresent() && info.get().isLeftover()) {
                SharedSegment.unlink(dir, n);
            }
        }
    }
}
