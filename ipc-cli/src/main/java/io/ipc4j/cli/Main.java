package io.ipc4j.cli;

import io.ipc4j.cli.bench.BenchCommand;
import io.ipc4j.cli.demo.DemoCommand;
import io.ipc4j.cli.stat.StatCommand;
import io.ipc4j.cli.example.ExampleCommand;
import io.ipc4j.cli.shm.ShmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

/**
 * The {@code ipc4j} command.
 *
 * <pre>
 *   ipc4j [--verbose] shm ls [--dir DIR] [--json]
 *   ipc4j [--verbose] shm inspect NAME [--dir DIR] [--json]
 *   ipc4j [--verbose] shm load FILE.safetensors --name NAME [--no-persistent] [--dir DIR]
 *   ipc4j [--verbose] shm rm [--force] NAME...
 *   ipc4j [--verbose] shm gc [--dir DIR] [--dry-run]
 *   ipc4j [--verbose] demo [--workers N] [--weights-mb MB] [--read-all] [--json FILE]
 *   ipc4j [--verbose] example [--list]                       (lists the examples)
 *   ipc4j [--verbose] example share-weights [the demo's options]
 *   ipc4j [--verbose] example quickstart
 *   ipc4j [--verbose] bench latency --transport spin --messages N --size BYTES ...
 *   ipc4j [--verbose] bench idle [--processes N] [--seconds S] [--json FILE]
 *   ipc4j --help | --version
 * </pre>
 *
 * <p>Exit codes: 0 success, 1 runtime error (one line {@code ipc4j: message} on stderr; the stack
 * trace too with {@code --verbose}), 2 usage error (one line naming the problem and the help to
 * read). {@link #main} exits the JVM; {@link #execute} only returns the code (tests).
 */
@Command(name = "ipc4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Zero-copy IPC between JVM processes on Linux: shared-memory segments, the share-weights demo, examples, benchmarks.",
        subcommands = {ShmCommand.class, DemoCommand.class, StatCommand.class, ExampleCommand.class, BenchCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 error, 2 usage error. Run 'ipc4j COMMAND --help' for a command's options."})
public final class Main implements Runnable {
    /** The long name of the global verbose option. */
    public static final String VERBOSE = "--verbose";

    @Spec
    private CommandSpec spec;

    @Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "On errors, print the stack trace too.")
    private boolean verbose;

    /** Created by picocli. */
    public Main() {
    }

    @Override
    public void run() {
        throw ParentCommands.missingSubcommand(spec);
    }

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command, writing to {@code System.out} and {@code System.err}.
     *
     * @param args command-line arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * A fully configured command line: error handlers installed, output to
     * {@code System.out}/{@code System.err} (change with {@link CommandLine#setOut} and
     * {@link CommandLine#setErr} before {@link CommandLine#execute}).
     *
     * @return a new command line for one execution
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setOut(new PrintWriter(System.out, true));
        cl.setErr(new PrintWriter(System.err, true));
        return cl;
    }

    /** @return this tool's version, from the build ({@code version.properties}) */
    public static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "unknown";
    }

    /** Supplies {@code --version} output. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ipc4j " + version(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
