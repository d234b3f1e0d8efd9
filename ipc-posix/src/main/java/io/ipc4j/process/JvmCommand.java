package io.ipc4j.process;

import java.io.File;
import java.lang.module.ResolvedModule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the command line of a JVM "like this one": the running {@code java} executable (never
 * the one on {@code PATH}), the same module path or class path, and the flags ipc4j needs
 * (native access for {@code io.ipc4j.posix}, the {@code jdk.internal.misc} export Agrona uses).
 *
 * <pre>{@code
 * Process p = new ProcessBuilder(JvmCommand.forMain(Child.class).jvmOption("-Xmx64m").args("x").build())
 *         .inheritIO().start();
 * }</pre>
 */
public final class JvmCommand {
    private final String mainClass;
    private final String mainModule;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();

    private JvmCommand(String mainClass, String mainModule) {
        this.mainClass = mainClass;
        this.mainModule = mainModule;
    }

    /**
     * A command that runs {@code mainClass}: from its named module when it lives in one (module
     * path), otherwise from the class path.
     *
     * @param mainClass a class with a {@code main} method, visible on this JVM's path
     * @return the builder
     */
    public static JvmCommand forMain(Class<?> mainClass) {
        Module m = mainClass.getModule();
        return new JvmCommand(mainClass.getName(), m.isNamed() ? m.getName() : null);
    }

    /** @return the path of the {@code java} executable running this JVM */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /**
     * Adds a JVM option such as {@code -Xmx32m} or {@code -Dkey=value}.
     *
     * @param option the option
     * @return this
     */
    public JvmCommand jvmOption(String option) {
        jvmOptions.add(Objects.requireNonNull(option));
        return this;
    }

    /**
     * Adds JVM options.
     *
     * @param options the options
     * @return this
     */
    public JvmCommand jvmOptions(List<String> options) {
        options.forEach(this::jvmOption);
        return this;
    }

    /**
     * Adds program arguments.
     *
     * @param arguments the arguments
     * @return this
     */
    public JvmCommand args(String... arguments) {
        args.addAll(List.of(arguments));
        return this;
    }

    /** @return the full command line */
    public List<String> build() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        String modulePath = System.getProperty("jdk.module.path");
        boolean onModulePath = mainModule != null && modulePath != null && !modulePath.isEmpty();
        if (onModulePath) {
            cmd.add("--enable-native-access=io.ipc4j.posix");
            if (reaches(mainModule, "org.agrona")) {
                cmd.add("--add-exports=java.base/jdk.internal.misc=org.agrona");
            }
        } else {
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        }
        cmd.addAll(jvmOptions);
        if (onModulePath) {
            cmd.add("-p");
            cmd.add(modulePath);
            String cp = System.getProperty("java.class.path");
            if (cp != null && !cp.isEmpty()) {
                cmd.add("-cp");
                cmd.add(cp);
            }
            cmd.add("-m");
            cmd.add(mainModule + "/" + mainClass);
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass);
        }
        cmd.addAll(args);
        return List.copyOf(cmd);
    }

    /**
     * Whether the child's module graph will hold {@code target}: the boot layer's resolved
     * {@code root} reads it, directly or through the modules it reads. (Naming a module the child
     * does not resolve in {@code --add-exports} makes the child print a warning.)
     */
    private static boolean reaches(String root, String target) {
        var start = ModuleLayer.boot().configuration().findModule(root);
        if (start.isEmpty()) {
            return ModuleLayer.boot().findModule(target).isPresent(); // not in the boot layer: as before
        }
        Set<String> seen = new HashSet<>();
        ArrayDeque<ResolvedModule> todo = new ArrayDeque<>(List.of(start.get()));
        while (!todo.isEmpty()) {
            ResolvedModule m = todo.poll();
            if (!seen.add(m.name())) {
                continue;
            }
            if (m.name().equals(target)) {
                return true;
            }
            todo.addAll(m.reads());
        }
        return false;
    }
}
