package io.ipc4j.cli.shm;

import io.ipc4j.IpcException;
import io.ipc4j.shm.SegmentName;
import io.ipc4j.shm.SharedSegment;
import io.ipc4j.shm.ShmDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ipc4j shm rm [--force] NAME...}: removes segment names from {@code /dev/shm}. Processes
 * that have a segment mapped keep their mapping; the memory is freed when the last one unmaps.
 *
 * <p>All names are validated before anything is removed, so a typo removes nothing. Names that
 * do not exist are an error (after removing the others) unless {@code --force} is given.
 */
@Command(name = "rm",
        mixinStandardHelpOptions = true,
        description = {"Remove shared-memory segments by name.",
                "Processes that have a segment mapped keep using it; its memory is freed when the last one unmaps."})
public final class ShmRmCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Ignore names that do not exist.")
    private boolean force;

    @Parameters(paramLabel = "NAME", arity = "1..*",
            description = "Segment names (letters, digits, '.', '_', '-'; no '/').")
    private List<String> names;

    /** Created by picocli. */
    public ShmRmCommand() {
    }

    @Override
    public Integer call() {
        for (String name : names) {
            SegmentName.validate(name);
        }
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (!SharedSegment.unlink(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty() && !force) {
            throw new IpcException(IpcException.Reason.NOT_FOUND, (missing.size() == 1 ? "no segment " : "no segments ")
                    + missing.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
                    + " in " + ShmDirectory.defaultDirectory().path());
        }
        return 0;
    }
}
