package io.ipc4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Behaviour shared by commands that only group subcommands ({@code ipc4j}, {@code ipc4j shm}, ...). */
public final class ParentCommands {
    private ParentCommands() {
    }

    /**
     * The usage error for a group command run without a subcommand.
     *
     * @param spec the group command
     * @return an exception to throw (exit code 2)
     */
    public static CommandLine.ParameterException missingSubcommand(CommandSpec spec) {
        return new CommandLine.ParameterException(spec.commandLine(),
                "missing command: expected one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
