package io.ipc4j.cli.shm;

import io.ipc4j.cli.ParentCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ipc4j shm}: groups the shared-memory segment commands. Add a subcommand by writing its
 * class in this package and listing it in {@code subcommands}.
 */
@Command(name = "shm",
        mixinStandardHelpOptions = true,
        description = "Named shared-memory segments in /dev/shm.",
        subcommands = {ShmLsCommand.class, ShmInspectCommand.class, ShmLoadCommand.class, ShmRmCommand.class, ShmGcCommand.class})
public final class ShmCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Created by picocli. */
    public ShmCommand() {
    }

    @Override
    public void run() {
        throw ParentCommands.missingSubcommand(spec);
    }
}
