package io.ipc4j.cli.example;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code ipc4j example [NAME [options]]}: without a name (or with {@code --list}) lists the
 * examples of {@link Examples#ALL} with their descriptions; with a name runs that example, whose
 * options and {@code --help} are its own. An unknown name is a usage error (exit code 2) naming
 * the valid ones.
 */
@Command(name = "example",
        mixinStandardHelpOptions = true,
        modelTransformer = ExampleCommand.AddExamples.class,
        description = {"Run one of the example programs by name; without a name, list them.",
                "Options after the name belong to the example: 'ipc4j example NAME --help'."})
public final class ExampleCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Option(names = "--list", description = "List the examples (the same as giving no name).")
    private boolean list;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "The example to run (see the list).")
    private String name;

    /** Created by picocli. */
    public ExampleCommand() {
    }

    @Override
    public void run() {
        if (name != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown example '" + name + "': expected one of " + String.join(", ", Examples.names()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(listing());
        out.flush();
    }

    /** @return the list as printed: a header line, then one line per example */
    static String listing() {
        int width = Examples.names().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder("Examples (run: ipc4j example NAME [options]; options: ipc4j example NAME --help):")
                .append(System.lineSeparator());
        for (Example e : Examples.ALL) {
            b.append("  ").append(e.name()).append(" ".repeat(width - e.name().length() + 2))
                    .append(e.description()).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** Adds one subcommand per entry of {@link Examples#ALL} when picocli builds this command. */
    static final class AddExamples implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Set<String> seen = new HashSet<>();
            for (Example e : Examples.ALL) {
                if (!seen.add(e.name())) {
                    throw new IllegalStateException("two examples named '" + e.name() + "'");
                }
                Object command = e.runner().get();
                CommandLine sub = new CommandLine(command);
                sub.getCommandSpec().name(e.name());
                if (command instanceof MainClassCommand m) {
                    sub.setUnmatchedOptionsArePositionalParams(true);
                    if (m.argsHelp().length > 0) {
                        String[] footer = sub.getCommandSpec().usageMessage().footer();
                        String[] all = new String[m.argsHelp().length + footer.length + 1];
                        all[0] = "";
                        System.arraycopy(m.argsHelp(), 0, all, 1, m.argsHelp().length);
                        System.arraycopy(footer, 0, all, 1 + m.argsHelp().length, footer.length);
                        sub.getCommandSpec().usageMessage().footer(all);
                    }
                }
                String[] own = sub.getCommandSpec().usageMessage().description();
                if (own.length == 0) {
                    sub.getCommandSpec().usageMessage().description(e.description());
                }
                spec.addSubcommand(e.name(), sub);
            }
            return spec;
        }
    }
}
