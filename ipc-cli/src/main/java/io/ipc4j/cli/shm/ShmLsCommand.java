package io.ipc4j.cli.shm;

import io.ipc4j.cli.Json;
import io.ipc4j.shm.Bytes;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.shm.SegmentInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ipc4j shm ls [--dir DIR] [--json]}: every file in the shared-memory directory, sorted by
 * name, as recognised by {@link SegmentInventory} with the tensor-store probe: tensor stores,
 * descriptor-header segments, unpublished temporary names, and foreign files (kind
 * {@code foreign}: not made by ipc4j, never touched by {@code gc}). Leftovers that
 * {@code ipc4j shm gc} would remove are marked in the detail.
 */
@Command(name = "ls",
        mixinStandardHelpOptions = true,
        description = {"List the shared-memory directory: tensor stores, ipc4j segments, temporary names and foreign files.",
                "ALIVE: yes/no whether the creating process still runs (pid and start time), ? when it cannot be told, - when there is no creator on record."},
        footer = {"", "JSON (--json): an array of objects with name, kind, size, creator_pid, creator_alive, persistent, foreign, leftover, detail."})
public final class ShmLsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DirectoryOption dir;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    private boolean json;

    /** Created by picocli. */
    public ShmLsCommand() {
    }

    @Override
    public Integer call() {
        SegmentInventory inventory = dir.inventory();
        List<SegmentInfo> infos = inventory.list();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(infos.stream().map(SegmentRows::json).toList()));
        } else if (infos.isEmpty()) {
            out.println("no segments in " + inventory.directory().path());
        } else {
            out.print(SegmentRows.table(infos).render());
            long total = infos.stream().mapToLong(SegmentInfo::size).sum();
            long foreign = infos.stream().filter(SegmentRows::isForeign).count();
            long leftovers = infos.stream().filter(SegmentInfo::isLeftover).count();
            out.println(infos.size() + (infos.size() == 1 ? " file, " : " files, ") + Bytes.format(total)
                    + " in " + inventory.directory().path()
                    + (foreign > 0 ? "; " + foreign + " foreign" : "")
                    + (leftovers > 0 ? "; " + leftovers + (leftovers == 1 ? " leftover" : " leftovers")
                    + " ('ipc4j shm gc' removes them)" : ""));
        }
        out.flush();
        return 0;
    }
}
