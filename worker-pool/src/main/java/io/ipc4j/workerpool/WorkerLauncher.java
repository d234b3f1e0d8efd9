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
 * path, the context's JVM options, and an ahead-of-time cache (JDK 25: classes loaded and linked
 * ahead of time, JEP 483/514; method profiles left out) that all workers map. Measured with 32
 * workers: ready in 3.8-4.3 s instead of 7.0 s with a dynamic CDS archive, ~26 MiB PSS each. The cache is keyed on the JDK and on every path
 * entry with its modification time (the JVM rejects a cache whose jars changed); when it does not
 * exist yet, the pool's first worker records a configuration ({@code -XX:AOTMode=record}) and
 * {@link #publishArchive()}, when the pool closes, creates the cache from it and renames it into place. {@code -Dipc4j.pool.aot=false} uses a
 * dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}) instead. Class paths with directories are
 * not archived (the JVM archives classes from jars only).
 */
final class WorkerLauncher {
    private final PoolContext context;
    /** AOT cache (JDK 24+, JEP 483/514/515) instead of a dynamic CDS archive; {@code -Dipc4j.pool.aot=false} turns it off. */
    private static final boolean AOT = !"false".equals(System.getProperty("ipc4j.pool.aot"));
    private static final String ARCHIVE_PREFIX = "ipc4j-pool-worker-";
    private final Path archive;
    private final Path pendingArchive;
    private final boolean archiveExisted;
    private final Path pendingConfig;
    private volatile List<String> recordCommand;
    /** "worker/incarnation" of the process recording the AOT configuration, null when none does. */
    private String recorder;

    WorkerLauncher(PoolContext context) {
        this.context = context;
        this.archive = context.classDataSharing() && archivable() ? archivePath() : null;
        this.archiveExisted = archive != null && Files.isRegularFile(archive);
        this.pendingArchive = archive == null ? null
                : archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        this.pendingConfig = archive == null ? null
                : archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".config");
    }

    /** @return whether workers start from an existing class-data archive */
    boolean archiveInUse() {
        return archiveExisted;
    }

    synchronized List<String> command(WorkerArgs args) {
        List<String> options = context.workerJvmOptions();
        if (archive != null && AOT) {
            // an AOT cache replaces the JDK's CDS archive; the JVM refuses -Xshare next to it
            options = options.stream().filter(o -> !o.startsWith("-Xshare:")).toList();
        }
        JvmCommand cmd = JvmCommand.forMain(WorkerMain.class).jvmOptions(options);
        Module handlerModule = context.handler().getModule();
        if (handlerModule.isNamed() && !handlerModule.getName().equals(WorkerMain.class.getModule().getName())) {
            cmd.jvmOption("--add-modules=" + handlerModule.getName());
        }
        if (archive != null) {
            if (AOT) {
                cmd.jvmOption("-Xlog:aot*=off");
                cmd.jvmOption("-Xlog:cds*=off");
                // classes loaded and linked ahead of time, but no method profiles: replaying them makes
                // 32 workers compile eagerly with C2 at start (measured: +14 MiB PSS each, slower start)
                cmd.jvmOption("-XX:+UnlockDiagnosticVMOptions");
                cmd.jvmOption("-XX:-AOTRecordTraining");
                cmd.jvmOption("-XX:-AOTReplayTraining");
                if (archiveExisted) {
                    cmd.jvmOption("-XX:AOTCache=" + archive);
                } else if (recorder == null) {
                    // training run: this worker records which classes it loads and links (written at exit)
                    recorder = args.worker() + "/" + args.incarnation();
                    cmd.jvmOption("-XX:AOTMode=record");
                    cmd.jvmOption("-XX:AOTConfiguration=" + pendingConfig);
                    List<String> record = cmd.args(args.toArgs().toArray(String[]::new)).build();
                    recordCommand = record;
                    return record;
                }
            } else if (archiveExisted) {
                cmd.jvmOption("-XX:SharedArchiveFile=" + archive);
            } else if (args.worker() == 0 && args.incarnation() == 1) {
                cmd.jvmOption("-XX:ArchiveClassesAtExit=" + pendingArchive);
            }
        }
        return cmd.args(args.toArgs().toArray(String[]::new)).build();
    }

    /**
     * Tells the launcher a worker process ended. When it was the one recording the AOT
     * configuration and it did not exit normally (killed before it could write it), the next
     * worker started records instead.
     *
     * @param worker      slot
     * @param incarnation its incarnation
     * @param exitCode    its exit status
     */
    synchronized void exited(int worker, int incarnation, int exitCode) {
        if (exitCode != 0 && (worker + "/" + incarnation).equals(recorder)) {
            recorder = null;
            recordCommand = null;
        }
    }

    /**
     * Makes the archive from what this pool's recording worker recorded and moves it into place (no-op
     * when there is nothing to do). For an AOT cache this runs the JVM once more in
     * {@code -XX:AOTMode=create} with the recording worker's own command line (about 1-3 s, output
     * discarded).
     */
    void publishArchive() {
        if (archive == null || archiveExisted) {
            return;
        }
        if (AOT) {
            createAotCache();
        }
        if (!Files.isRegularFile(pendingArchive)) {
            return;
        }
        try {
            Files.move(pendingArchive, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeStaleArchives();
        } catch (IOException e) {
            try {
                Files.deleteIfExists(pendingArchive);
            } catch (IOException ignored) {
                // best effort: a temp file in java.io.tmpdir
            }
        }
    }

    /**
     * Every build of a class path gets its own archive (its key includes the jars' times): remove
     * the other archives made more than a day ago, so java.io.tmpdir does not fill up with 17 MiB
     * files. A pool still mapping one is not disturbed (an unlinked file stays mapped); the next
     * pool of that class path records a new one.
     */
    private void removeStaleArchives() {
        long dayAgo = System.currentTimeMillis() - 24L * 3600 * 1000;
        try (var files = Files.list(archive.getParent())) {
            files.filter(f -> f.getFileName().toString().startsWith(ARCHIVE_PREFIX) && !f.equals(archive))
                    .filter(f -> {
                        try {
                            return Files.getLastModifiedTime(f).toMillis() < dayAgo;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .forEach(f -> {
                        try {
                            Files.deleteIfExists(f);
                        } catch (IOException ignored) {
                            // another user's file, or gone
                        }
                    });
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private void createAotCache() {
        List<String> record = recordCommand;
        if (record == null || !Files.isRegularFile(pendingConfig)) {
            return;
        }
        List<String> create = new java.util.ArrayList<>();
        for (String a : record) {
            if (a.equals("-XX:AOTMode=record")) {
                create.add("-XX:AOTMode=create");
                create.add("-XX:AOTCache=" + pendingArchive);
            } else {
                create.add(a);
            }
        }
        try {
            Process p = new ProcessBuilder(create).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // no cache this time: the next pool records again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(pendingConfig);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    /**
     * The JVM archives classes from jars only: a class path holding a directory, or a module path
     * holding an exploded module (a build's {@code target/classes}), cannot be archived.
     */
    private static boolean archivable() {
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && new File(entry).isDirectory()) {
                return false;
            }
        }
        for (String entry : System.getProperty("jdk.module.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && new File(entry, "module-info.class").isFile()) {
                return false;
            }
        }
        return true;
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
            return Path.of(System.getProperty("java.io.tmpdir"), ARCHIVE_PREFIX + HexFormat.of().formatHex(h, 0, 8) + (AOT ? ".aot" : ".jsa"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
