package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.process.ProcessIdentity;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Recognises segments written under a temporary name and never published ({@link TemporaryName}).
 * The writer's liveness comes from the pid and start time encoded in the name, so the file's
 * bytes are never read. A name with the reserved prefix that does not decode is reported with
 * an unknown writer, which garbage collection leaves alone.
 */
public final class TemporaryNameProbe implements SegmentProbe {
    /** Creates the probe (stateless). */
    public TemporaryNameProbe() {
    }

    @Override
    public Optional<SegmentInfo> probe(String fileName, MemorySegment memory) {
        if (!TemporaryName.hasTemporaryPrefix(fileName)) {
            return Optional.empty();
        }
        long size = memory.byteSize();
        Optional<TemporaryName> parsed = TemporaryName.parse(fileName);
        if (parsed.isEmpty()) {
            return Optional.of(new SegmentInfo(fileName, SegmentInfo.TEMPORARY, size, -1, null, false,
                    "malformed temporary name (writer unknown)"));
        }
        TemporaryName t = parsed.get();
        ProcessIdentity w = t.writer();
        Boolean alive;
        try {
            alive = w.isAlive();
        } catch (IpcException e) {
            alive = null;
        }
        String state = alive == null ? "writer state unknown" : alive ? "writer running" : "writer gone";
        return Optional.of(new SegmentInfo(fileName, SegmentInfo.TEMPORARY, size, w.pid(), alive, false,
                "unpublished '" + t.finalName() + "' (" + state + ")"));
    }
}
