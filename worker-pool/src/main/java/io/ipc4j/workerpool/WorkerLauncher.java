package io.ipc4j.workerpool;

import io.ipc4j.process.JvmCommand;
import io.ipc4j.workerpool.worker.WorkerArgs;
import io.ipc4j.workerpool.worker.WorkerMain;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds worker command lines: this JVM's {@code java} (never PATH's), the same module or class
 * path, the context's JVM options, and a class-data-sharing archive. The archive is keyed on the
 * JDK and on every path entry with its modification time (the JVM rejects an archive whose jars
 * changed); when it does not exist yet, the first worker of the pool writes it at exit
 * ({@code -XX:ArchiveClassesAtExit}) to a private name that {@link #publishArchive()} renames.
 */
final class WorkerLauncher {
    private final PoolContext context;
    private final Path archive;
    private final Path pendingArchive;
    private final boolean archiveExisted;

    WorkerLauncher(PoolContext context) {
        this.context = context;
        this.archive = context.classDataSharing() ? archivePath() : null;
        this.archiveExisted = archive != null && Files.isRegularFile(archive);
        this.pendingArchive = archive == null ? null
                : archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    /** @return whether workers start from an existing class-data archive */
    boolean archiveInUse() {
        return archiveExisted;
    }

    List<String> command(WorkerArgs args) {
        JvmCommand cmd = JvmCommand.forMain(WorkerMain.class).jvmOptions(context.workerJvmOptions());
        Module handlerModule = context.handler().getModule();
        if (handlerModule.isNamed() && !handlerModule.getName().equals(WorkerMain.class.getModule().getName())) {
            cmd.jvmOption("--add-modules=" + handlerModule.getName());
        }
        if (archive != null) {
            if (archiveExisted) {
                cmd.jvmOption("-XX:SharedArchiveFile=" + archive);
            } else if (args.worker() == 0 && args.incarnation() == 1) {
                cmd.jvmOption("-XX:ArchiveClassesAtExit=" + pendingArchive);
            }
        }
        return cmd.args(args.toArgs().toArray(String[]::new)).build();
    }

    /** Moves an archive written by this pool's first worker into place (no-op otherwise). */
    void publishArchive() {
        if (archive == null || archiveExisted || !Files.isRegularFile(pendingArchive)) {
            return;
        }
        try {
            Files.move(pendingArchive, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(pendingArchive);
            } catch (IOException ignored) {
                // best effort: a temp file in java.io.tmpdir
            }
        }
    }

    private static Path archivePath() {
        StringBuilder key = new StringBuilder(System.getProperty("java.vm.version"))
                .append('\n').append(JvmCommand.javaExecutable());
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            for (String entry : System.getProperty(prop, "").split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                File f = new File(entry);
                key.append('\n').append(entry).append('@').append(f.lastModified());
                File[] jars = f.isDirectory() ? f.listFiles() : null;
                if (jars != null) {
                    Arrays.sort(jars);
                    for (File j : jars) {
                        key.append(';').append(j.getName()).append('@').append(j.lastModified());
                    }
                }
            }
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return Path.of(System.getProperty("java.io.tmpdir"), "ipc4j-pool-worker-" + HexFormat.of().formatHex(h, 0, 8) + ".jsa");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
