package io.ipc4j.semaphores;

import io.ipc4j.process.JvmCommand;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** Spawns test child JVMs whose output goes to a temp file, shown when they fail. */
final class Children {
    private Children() {
    }

    record Child(Process process, File log) {
        int await(long seconds) throws Exception {
            try {
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("child " + process.pid() + " did not finish in " + seconds + " s: " + output());
                }
                int code = process.exitValue();
                if (code != 0) {
                    System.err.println("child " + process.pid() + " exited " + code + ":\n" + output());
                }
                return code;
            } finally {
                log.delete();
            }
        }

        String output() throws IOException {
            return log.exists() ? Files.readString(log.toPath()) : "";
        }
    }

    static Child spawn(Class<?> main, String... args) throws IOException {
        File log = File.createTempFile("ipc4j-child-", ".log");
        Process p = new ProcessBuilder(JvmCommand.forMain(main).jvmOption("-Xmx64m").jvmOption("-XX:+UseSerialGC").args(args).build())
                .redirectErrorStream(true).redirectOutput(log).start();
        return new Child(p, log);
    }
}
