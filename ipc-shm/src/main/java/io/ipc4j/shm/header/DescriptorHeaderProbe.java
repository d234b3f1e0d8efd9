package io.ipc4j.shm.header;

import io.ipc4j.shm.Bytes;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SegmentProbe;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Recognises segments that start with a {@link DescriptorHeader} (by the magic) and reports
 * their kind, creator and state. The kind is the {@link SegmentKind#label()}.
 *
 * <p>For garbage collection: the creator's liveness comes from the recorded pid and start
 * time. A header this library cannot read (other layout version, truncated) reports the creator
 * as unknown, so it is never collected. A persistent segment counts as persistent only once it
 * was marked ready: one whose creator died before that is incomplete and is collected.
 */
public final class DescriptorHeaderProbe implements SegmentProbe {
    /** Kind reported for a segment with ipc4j's magic whose header cannot be read. */
    public static final String UNREADABLE_KIND = "ipc4j-header";

    /** Creates the probe (stateless). */
    public DescriptorHeaderProbe() {
    }

    @Override
    public Optional<SegmentInfo> probe(String fileName, MemorySegment memory) {
        if (!DescriptorHeader.hasMagic(memory)) {
            return Optional.empty();
        }
        long size = memory.byteSize();
        if (size < DescriptorHeader.LENGTH) {
            return Optional.of(new SegmentInfo(fileName, UNREADABLE_KIND, size, -1, null, false,
                    "truncated descriptor header: " + size + " of " + DescriptorHeader.LENGTH + " bytes"));
        }
        HeaderFields h = DescriptorHeader.read(memory);
        if (!h.hasSupportedVersion()) {
            return Optional.of(new SegmentInfo(fileName, UNREADABLE_KIND, size, -1, null, false,
                    "header layout version " + h.layoutVersion() + " (this library reads version "
                            + DescriptorHeader.LAYOUT_VERSION + ")"));
        }
        Boolean alive = h.creatorAlive().orElse(null);
        StringBuilder detail = new StringBuilder("v").append(h.layoutVersion());
        if (h.payloadVersion() != 0) {
            detail.append(", payload v").append(h.payloadVersion());
        }
        detail.append(", ").append(readyText(h));
        h.sizeProblem(size).ifPresentOrElse(
                p -> detail.append(", CORRUPT: ").append(p),
                () -> detail.append(", payload ").append(Bytes.format(h.payloadLength())));
        detail.append(", created ").append(h.creationTime());
        if (h.isPersistent()) {
            detail.append(h.isReady() ? ", persistent" : ", persistent once ready");
        }
        return Optional.of(new SegmentInfo(fileName, h.kindLabel(), size, h.creatorPid(), alive,
                h.isPersistent() && h.isReady(), detail.toString()));
    }

    private static String readyText(HeaderFields h) {
        if (h.isReady()) {
            return "ready";
        }
        return h.readyWord() == DescriptorHeader.NOT_READY ? "NOT READY" : "ready word " + h.readyWord() + " (corrupt)";
    }
}
