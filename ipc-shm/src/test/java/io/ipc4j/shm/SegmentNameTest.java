package io.ipc4j.shm;

import io.ipc4j.IpcException;
import io.ipc4j.posix.Errno;
import io.ipc4j.shm.testing.ShmLeakCheck;
import io.ipc4j.shm.testing.TmpfsMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class SegmentNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "/", "..", ".", "a/b", "/etc", "../x", "a..b", "wei ghts", "wéights", "名前",
            "tab\tname", "nul\0name", ".ipc4j-tmp.1.2.3.x"})
    void badNamesAreRefusedEverywhere(String name) {
        assertInvalid(() -> SegmentName.validate(name));
        assertInvalid(() -> SharedSegment.create(name, 4096));
        assertInvalid(() -> SharedSegment.open(name));
        assertInvalid(() -> SharedSegment.unlink(name));
        assertInvalid(() -> SharedSegment.exists(name));
        assertFalse(SegmentName.isValid(name));
    }

    @Test
    void nullAndTooLongNames() {
        assertInvalid(() -> SegmentName.validate(null));
        String longest = "n".repeat(SegmentName.MAX_LENGTH);
        assertEquals(longest, SegmentName.validate(longest));
        IpcException e = assertInvalid(() -> SharedSegment.create(longest + "n", 4096));
        assertTrue(e.getMessage().contains("longer than " + SegmentName.MAX_LENGTH), e.getMessage());
    }

    @Test
    void messageNamesTheOffendingCharacter() {
        IpcException e = assertInvalid(() -> SegmentName.validate("ab/c"));
        assertTrue(e.getMessage().contains("'/' at position 2"), e.getMessage());
        IpcException u = assertInvalid(() -> SegmentName.validate("caf\u00e9"));
        assertTrue(u.getMessage().contains("U+00E9"), u.getMessage());
    }

    @Test
    void goodNames() {
        for (String n : List.of("weights", "a", "model-v1.2_final", "A.b-C_d", "0")) {
            assertEquals(n, SegmentName.validate(n));
        }
    }

    @Test
    void temporaryNamesRoundTrip() {
        String t = SegmentName.temporary("weights.v2", 1234, 5678, 0xfeedL);
        TemporaryName parsed = TemporaryName.parse(t).orElseThrow();
        assertEquals("weights.v2", parsed.finalName());
        assertEquals(1234, parsed.writer().pid());
        assertEquals(5678, parsed.writer().startTicks());
        assertEquals(0xfeedL, parsed.nonce());
        String negativeNonce = SegmentName.temporary("w", 1, 2, -1L);
        assertEquals(-1L, TemporaryName.parse(negativeNonce).orElseThrow().nonce());
        for (String bad : List.of("weights", ".ipc4j-tmp.", ".ipc4j-tmp.x.2.3.w", ".ipc4j-tmp.1.2.3", ".ipc4j-tmp.1.2.zz.w",
                ".ipc4j-tmp.-1.2.3.w", ".ipc4j-tmp.1.2.3.a..b")) {
            assertTrue(TemporaryName.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void symlinksInTheDirectoryAreNeverFollowed() throws Exception {
        try (TmpfsMount fs = TmpfsMount.mount("1m")) {
            Path victim = fs.path().resolve("victim");
            Files.writeString(victim, "secret");
            Files.createSymbolicLink(fs.path().resolve("link"), victim);
            Path dangling = fs.path().resolve("not-there");
            Files.createSymbolicLink(fs.path().resolve("dangling"), dangling);
            ShmDirectory dir = fs.directory();

            IpcException open = assertThrows(IpcException.class, () -> SharedSegment.open(dir, "link", true));
            assertEquals(Errno.ELOOP, open.errno(), open.getMessage());
            assertTrue(open.getMessage().contains("ELOOP"), open.getMessage());
            assertThrows(IpcException.class, () -> SharedSegment.open(dir, "link", false));

            // create over a link (even a dangling one) never writes through it
            IpcException create = assertThrows(IpcException.class, () -> SharedSegment.create(dir, "dangling", 4096, 0600));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, create.reason(), create.getMessage());
            assertFalse(Files.exists(dangling));
            assertThrows(IpcException.class, () -> SharedSegment.create(dir, "link", 4096, 0600));
            assertEquals("secret", Files.readString(victim));
        }
    }

    private static IpcException assertInvalid(org.junit.jupiter.api.function.Executable call) {
        IpcException e = assertThrows(IpcException.class, call);
        assertEquals(IpcException.Reason.INVALID_NAME, e.reason(), e.getMessage());
        return e;
    }
}
