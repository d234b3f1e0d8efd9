package io.ipc4j.cli.bench;

import io.ipc4j.IpcException;
import io.ipc4j.benchmarks.latency.ChronicleTransport;
import io.ipc4j.benchmarks.latency.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The class-path command the CLI runs for transports that cannot live on the module path. */
class ClassPathRelaunchTest {
    @Test
    void turnsTheModulePathIntoAClassPathWithTheTransportsOptions(@TempDir Path tmp) throws Exception {
        Path jar = Files.createFile(tmp.resolve("ipc-cli.jar"));
        Path lib = Files.createDirectory(tmp.resolve("lib"));
        String saved = System.getProperty("jdk.module.path");
        System.setProperty("jdk.module.path", jar + File.pathSeparator + lib);
        try {
            List<String> cmd = ClassPathRelaunch.command(Transports.byName(ChronicleTransport.NAME),
                    List.of("bench", "latency", "--transport", ChronicleTransport.NAME));
            int cp = cmd.indexOf("-cp");
            assertTrue(cp > 0, cmd.toString());
            assertEquals(jar + File.pathSeparator + lib + File.separator + "*", cmd.get(cp + 1));
            assertTrue(cmd.subList(0, cp).containsAll(ChronicleTransport.JVM_OPTIONS), cmd.toString());
            assertTrue(cmd.contains("--enable-native-access=ALL-UNNAMED"), cmd.toString());
            assertEquals(List.of("io.ipc4j.cli.Main", "bench", "latency", "--transport", ChronicleTransport.NAME),
                    cmd.subList(cp + 2, cmd.size()));
        } finally {
            if (saved == null) {
                System.clearProperty("jdk.module.path");
            } else {
                System.setProperty("jdk.module.path", saved);
            }
        }
    }

    @Test
    void testsRunOnTheClassPathSoNothingIsRelaunchedAndThereIsNoModulePath() {
        assertFalse(ClassPathRelaunch.onModulePath());
        String saved = System.getProperty("jdk.module.path");
        System.clearProperty("jdk.module.path");
        try {
            IpcException e = assertThrows(IpcException.class,
                    () -> ClassPathRelaunch.command(Transports.byName(ChronicleTransport.NAME), List.of()));
            assertEquals(IpcException.Reason.INVALID_ARGUMENT, e.reason());
        } finally {
            if (saved != null) {
                System.setProperty("jdk.module.path", saved);
            }
        }
    }
}
