package io.ipc4j.cli.bench;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.latency.Transport;
import io.ipc4j.process.JvmCommand;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command again in a class-path JVM, for transports whose library cannot live on the module
 * path ({@link Transport#needsClassPath()}, e.g. Chronicle Queue, which reflects into the JDK with
 * flags granted to {@code ALL-UNNAMED} and needs explicit modules it does not declare). The
 * {@code ipc4j} launcher runs the CLI on the module path; this puts every entry of that module
 * path on a class path instead (a directory as {@code DIR/*}), adds the flags a class-path ipc4j
 * JVM needs and the transport's {@link Transport#jvmOptions()}, and runs {@code io.ipc4j.cli.Main}
 * with the same arguments, its standard streams being this JVM's. That JVM is the benchmark's
 * parent; it spawns the child from the class path with the same options.
 */
final class ClassPathRelaunch {
    private ClassPathRelaunch() {
    }

    /** @return true when this CLI runs from the module path (the {@code ipc4j} launcher) */
    static boolean onModulePath() {
        return ClassPathRelaunch.class.getModule().isNamed();
    }

    /**
     * Builds the class-path command line.
     *
     * @param transport the transport that needs it
     * @param args      the CLI arguments to run again
     * @return the command
     * @throws IpcException INVALID_ARGUMENT when this JVM has no module path to translate
     */
    static List<String> command(Transport transport, List<String> args) {
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isEmpty()) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "cannot run '" + transport.name()
                    + "' from the class path: this JVM has no module path to take the jars from");
        }
        List<String> classPath = new ArrayList<>();
        for (String entry : modulePath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.add(Files.isDirectory(Path.of(entry)) ? entry + File.separator + "*" : entry);
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmCommand.javaExecutable());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        cmd.addAll(transport.jvmOptions());
        // settings given to this JVM (e.g. -Dipc4j.bench.hybrid.spins=N) apply to the relaunched one too
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ipc4j.")).sorted()
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        cmd.add("io.ipc4j.cli.Main");
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs {@link #command} with this JVM's standard streams and waits for it. The class-path JVM is
     * killed if this one exits first (Ctrl-C reaches both: the terminal signals the process group).
     *
     * @param transport the transport that needs it
     * @param args      the CLI arguments to run again
     * @return its exit code
     * @throws IpcException OS_ERROR when it cannot be started
     */
    static int run(Transport transport, List<String> args) {
        Process p;
        try {
            p = new ProcessBuilder(command(transport, args)).inheritIO().start();
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "cannot start a class-path JVM for '"
                    + transport.name() + "': " + e, e);
        }
        Thread hook = new Thread(p::destroy, "ipc4j-classpath-relaunch");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new IpcException(IpcException.Reason.CLOSED, "interrupted waiting for the class-path JVM", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
