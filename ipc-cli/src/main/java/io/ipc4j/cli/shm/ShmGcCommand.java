package io.ipc4j.cli.shm;

import io.ipc4j.cli.TextTable;
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
 * {@code ipc4j shm gc [--dir DIR] [--dry-run]}: removes what dead ipc4j processes left behind
 * ({@link SegmentInventory#gc()}: temporary names of crashed writers, non-persistent segments and
 * stores whose creator is gone). Foreign files, persistent segments and segments of running or
 * unknown creators are never removed. {@code --dry-run} lists the leftovers
 * ({@link SegmentInfo#isLeftover()}) and removes nothing.
 */
@Command(name = "gc",
        mixinStandardHelpOptions = true,
        description = {"Remove what dead ipc4j processes left: unpublished temporary names and non-persistent segments whose creator is gone.",
                "Never removes foreign files, persistent segments, or segments of running processes."})
public final class ShmGcCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DirectoryOption dir;

    @Option(names = {"-n", "--dry-run"}, description = "Only list what would be removed.")
    private boolean dryRun;

    /** Created by picocli. */
    public ShmGcCommand() {
    }

    @Override
    public Integer call() {
        SegmentInventory inventory = dir.inventory();
        List<SegmentInfo> infos = dryRun
                ? inventory.list().stream().filter(SegmentInfo::isLeftover).toList()
                : inventory.gc();
        PrintWriter out = spec.commandLine().getOut();
        if (infos.isEmpty()) {
            out.println("nothing to collect in " + inventory.directory().path());
        } else {
            long bytes = infos.stream().mapToLong(SegmentInfo::size).sum();
            out.println((dryRun ? "would remove " : "removed ") + infos.size()
                    + (infos.size() == 1 ? " leftover" : " leftovers") + " (" + Bytes.format(bytes) + ") from "
                    + inventory.directory().path() + (dryRun ? " (dry run: nothing removed)" : "") + ":");
            TextTable table = new TextTable("NAME", "KIND", "SIZE", "CREATOR", "DETAIL").rightAlign(2, 3);
            for (SegmentInfo i : infos) {
                table.row(i.fileName(), i.kind(), Bytes.format(i.size()), SegmentRows.creator(i), i.detail());
            }
            out.print(table.render());
        }
        out.flush();
        return 0;
    }
}
