package io.ipc4j.cli.shm;

import io.ipc4j.cli.Json;
import io.ipc4j.cli.TextTable;
import io.ipc4j.shm.Bytes;
import io.ipc4j.shm.SegmentInfo;

import java.util.List;

/** How the {@code shm} commands show {@link SegmentInfo}s: table cells and JSON objects. */
final class SegmentRows {
    private SegmentRows() {
    }

    static boolean isForeign(SegmentInfo i) {
        return SegmentInfo.FOREIGN.equals(i.kind());
    }

    /** @return the creator's pid, or {@code -} when unknown */
    static String creator(SegmentInfo i) {
        return i.creatorPid() > 0 ? Long.toString(i.creatorPid()) : "-";
    }

    /** @return {@code yes}, {@code no}, {@code ?} (creator known, state unknown) or {@code -} (no creator) */
    static String alive(SegmentInfo i) {
        if (i.creatorAlive() != null) {
            return i.creatorAlive() ? "yes" : "no";
        }
        return i.creatorPid() > 0 ? "?" : "-";
    }

    static String persistent(SegmentInfo i) {
        return isForeign(i) ? "-" : i.persistent() ? "yes" : "no";
    }

    static String detail(SegmentInfo i) {
        return i.isLeftover() ? i.detail() + " [leftover: 'ipc4j shm gc' removes it]" : i.detail();
    }

    /** @return a table with the columns NAME, KIND, SIZE, CREATOR, ALIVE, PERSISTENT, DETAIL */
    static TextTable table(List<SegmentInfo> infos) {
        TextTable t = new TextTable("NAME", "KIND", "SIZE", "CREATOR", "ALIVE", "PERSISTENT", "DETAIL").rightAlign(2, 3);
        for (SegmentInfo i : infos) {
            t.row(i.fileName(), i.kind(), Bytes.format(i.size()), creator(i), alive(i), persistent(i), detail(i));
        }
        return t;
    }

    /** @return the info as a JSON object (unknown values are {@code null}) */
    static Json json(SegmentInfo i) {
        return Json.object()
                .put("name", i.fileName())
                .put("kind", i.kind())
                .put("size", i.size())
                .put("creator_pid", i.creatorPid() > 0 ? i.creatorPid() : null)
                .put("creator_alive", i.creatorAlive())
                .put("persistent", i.persistent())
                .put("foreign", isForeign(i))
                .put("leftover", i.isLeftover())
                .put("detail", i.detail());
    }
}
