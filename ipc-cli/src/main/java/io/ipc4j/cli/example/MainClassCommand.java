package io.ipc4j.cli.example;

import io.ipc4j.IpcException;
import io.ipc4j.process.JvmCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs a class's {@code main} in a child JVM (see {@link Example#ofMain}): the arguments are
 * passed on, stdout and stderr of the child are copied to this command's output, and the exit
 * code is the child's. The child is destroyed if this JVM exits first.
 */
@Command(mixinStandardHelpOptions = true,
        footer = {"", "Runs the program in a child JVM; its exit code is this command's."})
final class MainClassCommand implements Callable<Integer> {
    private final Class<?> mainClass;
    private final String[] argsHelp;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ARG", arity = "0..*", description = "Passed to the program.")
    private List<String> args = new ArrayList<>();

    MainClassCommand(Class<?> mainClass, String... argsHelp) {
        this.mainClass = mainClass;
        this.argsHelp = argsHelp.clone();
    }

    /** @return lines describing the program's arguments (may be empty) */
    String[] argsHelp() {
        return argsHelp.clone();
    }

    @Override
    public Integer call() {
        JvmCommand jvm = JvmCommand.forMain(mainClass);
        if (mainClass.getModule().isNamed()) {
            // an example may use modules its own module only 'requires static' (e.g. the benchmarks)
            jvm.jvmOption("--add-modules=ALL-MODULE-PATH");
        }
        List<String> command = jvm.args(args.toArray(String[]::new)).build();
        Process child;
        try {
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "start " + mainClass.getName() + ": " + e.getMessage(), e);
        }
        Thread reaper = new Thread(child::destroy, "destroy " + mainClass.getSimpleName());
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            PrintWriter out = spec.commandLine().getOut();
            try (Reader in = new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                throw new IpcException(IpcException.Reason.OS_ERROR, "read the output of " + mainClass.getName()
                        + ": " + e.getMessage(), e);
            }
            int code = child.waitFor();
            if (code != 0) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("ipc4j: example " + spec.name() + ": the program exited with status " + code);
                err.flush();
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcException(IpcException.Reason.OS_ERROR, "interrupted while " + mainClass.getName() + " ran", e);
        } finally {
            child.destroy();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
