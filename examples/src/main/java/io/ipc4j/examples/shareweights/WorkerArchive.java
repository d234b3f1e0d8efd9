package io.ipc4j.examples.shareweights;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the demo keeps the workers' class-data-sharing (CDS) archive: one file per JDK and
 * module/class path, in {@code java.io.tmpdir}, so a rebuilt project or another JDK gets its own
 * archive instead of one the JVM would reject. Starting 32 JVMs that map an archive instead of
 * loading and verifying every class halves their start-up on a 2-core machine.
 */
final class WorkerArchive {
    private WorkerArchive() {
    }

    /** @return the archive's path (it may not exist yet) */
    static Path path() {
        StringBuilder key = new StringBuilder(System.getProperty("java.vm.version"))
                .append('\n').append(ProcessHandle.current().info().command().orElse(""));
        // the JVM rejects an archive whose jars changed: key on every path entry and its mtime
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            for (String entry : System.getProperty(prop, "").split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    java.io.File f = new java.io.File(entry);
                    key.append('\n').append(entry).append('@').append(f.lastModified());
                    java.io.File[] jars = f.isDirectory() ? f.listFiles() : null;
                    if (jars != null) {
                        java.util.Arrays.sort(jars);
                        for (java.io.File j : jars) {
                            key.append(';').append(j.getName()).append('@').append(j.lastModified());
                        }
                    }
                }
            }
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return Path.of(System.getProperty("java.io.tmpdir"), "ipc4j-worker-" + HexFormat.of().formatHex(h, 0, 8) + ".jsa");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
