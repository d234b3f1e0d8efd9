package io.ipc4j.workerpool.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary journal directories, deleted with everything in them. */
final class TempDirs {
    private TempDirs() {
    }

    static Path create(String what) throws IOException {
        return Files.createTempDirectory("ipc4j-journal-" + what + "-");
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
