package io.ipc4j.cli.example;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One runnable example: its name on the command line ({@code ipc4j example NAME}), a one-line
 * description for the list, and the runner, a supplier of a fresh picocli command object
 * (annotated with {@code @Command}, a {@link Runnable} or {@link java.util.concurrent.Callable})
 * whose options become the subcommand's options.
 *
 * @param name        lower-case words joined by {@code -}, e.g. {@code share-weights}
 * @param description one line, shown by {@code ipc4j example} and in the subcommand's help
 * @param runner      makes the command object that parses the options and runs the example
 */
public record Example(String name, String description, Supplier<Object> runner) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException for a name that is not lower-case words joined by {@code -},
     *                                  or a blank or multi-line description
     */
    public Example {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(runner, "runner");
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("example name must be lower-case words joined by '-': '" + name + "'");
        }
        if (description.isBlank() || description.contains("\n")) {
            throw new IllegalArgumentException("example '" + name + "': the description must be one non-blank line");
        }
    }

    /**
     * An example that is a picocli command (its own options, its own {@code --help}).
     *
     * @param name        the name
     * @param description one line
     * @param command     makes a fresh command object
     * @return the entry
     */
    public static Example ofCommand(String name, String description, Supplier<Object> command) {
        return new Example(name, description, command);
    }

    /**
     * An example that is a program with a {@code main} method, run in a child JVM started like
     * this one (module path, native access); the arguments after the name are passed to it and
     * its output is copied to this command's output. The exit code is the program's.
     *
     * @param name        the name
     * @param description one line
     * @param mainClass   the class whose {@code main(String[])} runs the example
     * @param argsHelp    lines describing the program's arguments, shown under {@code --help}
     * @return the entry
     */
    public static Example ofMain(String name, String description, Class<?> mainClass, String... argsHelp) {
        Objects.requireNonNull(mainClass, "mainClass");
        String[] help = argsHelp.clone();
        return new Example(name, description, () -> new MainClassCommand(mainClass, help));
    }
}
