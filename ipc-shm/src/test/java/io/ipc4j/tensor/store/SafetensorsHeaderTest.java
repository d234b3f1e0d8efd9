package io.ipc4j.tensor.store;

import io.ipc4j.IpcException;
import io.ipc4j.IpcException.Reason;
import io.ipc4j.shm.SegmentInfo;
import io.ipc4j.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static io.ipc4j.tensor.store.StoreTestSupport.file;
import static io.ipc4j.tensor.store.StoreTestSupport.unique;
import static io.ipc4j.tensor.store.StoreTestSupport.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SafetensorsHeaderTest {
    @TempDir
    Path tmp;

    private static String t(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    private static Arguments hostile(String label, byte[] file, Reason reason, String fragment) {
        return Arguments.of(label, file, reason, fragment);
    }

    private static Arguments hostile(String label, String header, int dataBytes, Reason reason, String fragment) {
        return hostile(label, file(header, zeros(dataBytes)), reason, fragment);
    }

    static Stream<Arguments> hostileHeaders() {
        String a8 = t("a", "F32", "[2]", "[0,8]");
        byte[] brace = "{}".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                hostile("file shorter than the length field", new byte[5], Reason.TRUNCATED, "shorter than the 8-byte"),
                hostile("empty file", new byte[0], Reason.TRUNCATED, "file is 0 bytes"),
                hostile("header length beyond the file", file(1000, brace, zeros(8)), Reason.TRUNCATED,
                        "header length 1000 exceeds the 10 bytes"),
                hostile("header length 0", file(0, new byte[0], zeros(8)), Reason.CORRUPT, "header length is 0"),
                hostile("huge header length", file(1L << 40, brace, zeros(0)), Reason.TOO_LARGE, "1099511627776 exceeds the limit"),
                hostile("header length with the sign bit", file(-1L, brace, zeros(0)), Reason.TOO_LARGE, "18446744073709551615"),
                hostile("not JSON", "hello", 0, Reason.CORRUPT, "not JSON: unexpected 'h'"),
                hostile("JSON but an array", "[1,2]", 0, Reason.CORRUPT, "header JSON is an array, not an object"),
                hostile("unterminated object", "{\"a\":", 0, Reason.CORRUPT, "unexpected end of header"),
                hostile("unterminated string", "{\"abc", 0, Reason.CORRUPT, "unterminated string"),
                hostile("missing comma", "{\"a\":1 \"b\":2}", 0, Reason.CORRUPT, "expected ',' or '}'"),
                hostile("nested too deep", "{\"a\":{\"dtype\":[[[[[[[[[1]]]]]]]]]}}", 0, Reason.CORRUPT,
                        "nested deeper than 8 levels"),
                hostile("entry not an object", "{\"a\":5}", 0, Reason.CORRUPT, "tensor 'a': its description is the number 5"),
                hostile("unknown dtype", "{" + t("w", "F8_E4M3", "[1]", "[0,1]") + "}", 1, Reason.UNSUPPORTED,
                        "tensor 'w': unknown dtype 'F8_E4M3'"),
                hostile("dtype not a string", "{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,1]}}", 1,
                        Reason.CORRUPT, "tensor 'w': dtype is the number 4"),
                hostile("missing data_offsets", "{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1, Reason.CORRUPT,
                        "tensor 'w': missing data_offsets"),
                hostile("unknown key in entry", "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":1}}", 1,
                        Reason.CORRUPT, "tensor 'w': unknown key 'x'"),
                hostile("negative dimension", "{" + t("w", "F32", "[-1,2]", "[0,8]") + "}", 8, Reason.CORRUPT,
                        "tensor 'w': shape[0] is the number -1: must be a non-negative integer"),
                hostile("fractional dimension", "{" + t("w", "F32", "[2.5]", "[0,8]") + "}", 8, Reason.CORRUPT,
                        "tensor 'w': shape[0] is the number 2.5"),
                hostile("exponent dimension", "{" + t("w", "F32", "[2e0]", "[0,8]") + "}", 8, Reason.CORRUPT,
                        "shape[0] is the number 2e0"),
                hostile("dimension beyond 64 bits", "{" + t("w", "U8", "[99999999999999999999]", "[0,8]") + "}", 8,
                        Reason.CORRUPT, "shape[0] is the number 99999999999999999999"),
                hostile("dimension a string", "{" + t("w", "U8", "[\"2\"]", "[0,2]") + "}", 2, Reason.CORRUPT,
                        "shape[0] is the string '2'"),
                hostile("shape not an array", "{" + t("w", "U8", "3", "[0,3]") + "}", 3, Reason.CORRUPT,
                        "tensor 'w': shape is the number 3, not an array"),
                hostile("shape product overflows", "{" + t("w", "F32", "[4294967296,4294967296]", "[0,8]") + "}", 8,
                        Reason.CORRUPT, "tensor 'w': byte length of F32[4294967296, 4294967296] overflows 64 bits"),
                hostile("byte length overflows only with the dtype size",
                        "{" + t("w", "F64", "[2305843009213693952]", "[0,8]") + "}", 8, Reason.CORRUPT, "overflows 64 bits"),
                hostile("leading zero", "{" + t("w", "U8", "[01]", "[0,1]") + "}", 1, Reason.CORRUPT, "leading zero"),
                hostile("offsets reversed", "{" + t("w", "F32", "[2]", "[8,0]") + "}", 8, Reason.CORRUPT,
                        "tensor 'w': data_offsets [8, 0] are reversed"),
                hostile("offsets beyond the data", "{" + t("w", "F32", "[2]", "[0,8]") + "}", 4, Reason.TRUNCATED,
                        "tensor 'w': data_offsets end 8 lies beyond the data area of 4 bytes"),
                hostile("offsets of three elements", "{" + t("w", "F32", "[2]", "[0,4,8]") + "}", 8, Reason.CORRUPT,
                        "tensor 'w': data_offsets has 3 elements, expected 2"),
                hostile("negative offset", "{" + t("w", "F32", "[2]", "[-8,0]") + "}", 8, Reason.CORRUPT,
                        "data_offsets[0] is the number -8"),
                hostile("byte length mismatch", "{" + t("w", "F32", "[3]", "[0,8]") + "}", 8, Reason.CORRUPT,
                        "tensor 'w': data_offsets [0, 8] span 8 bytes but F32[3] needs 12"),
                hostile("overlapping tensors", "{" + a8 + "," + t("b", "F32", "[2]", "[4,12]") + "}", 12, Reason.CORRUPT,
                        "tensor 'b': data_offsets [4, 12) overlap tensor 'a' [0, 8)"),
                hostile("same range twice", "{" + a8 + "," + t("b", "F32", "[2]", "[0,8]") + "}", 8, Reason.CORRUPT,
                        "overlap tensor"),
                hostile("gap between tensors", "{" + t("a", "F32", "[1]", "[0,4]") + "," + t("b", "F32", "[1]", "[8,12]") + "}",
                        12, Reason.CORRUPT, "tensor 'b': data_offsets begin 8 leaves a gap of 4 bytes after tensor 'a'"),
                hostile("gap at the start", "{" + t("a", "F32", "[1]", "[4,8]") + "}", 8, Reason.CORRUPT,
                        "leaves a gap of 4 bytes after the start of the data area"),
                hostile("tensors not covering the data", "{" + t("a", "F32", "[1]", "[0,4]") + "}", 8, Reason.CORRUPT,
                        "the data area holds 8 bytes but the tensors cover only 4 (the last is 'a')"),
                hostile("data but no tensors", "{}", 4, Reason.CORRUPT, "cover only 0 (there are no tensors)"),
                hostile("duplicate tensor names", "{" + a8 + "," + a8 + "}", 16, Reason.CORRUPT, "duplicate tensor name 'a'"),
                hostile("duplicate key in an entry", "{\"a\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                        1, Reason.CORRUPT, "duplicate key 'dtype' in 'a'"),
                hostile("bad UTF-8 continuation", "{\"\u00C3(\":1}", 0, Reason.CORRUPT, "invalid UTF-8 continuation byte 0x28"),
                hostile("bad UTF-8 lead byte", "{\"\u00FF\":1}", 0, Reason.CORRUPT, "invalid UTF-8 lead byte 0xFF"),
                hostile("overlong UTF-8", "{\"\u00E0\u0080\u00AF\":1}", 0, Reason.CORRUPT, "overlong UTF-8 encoding"),
                hostile("UTF-8 encoded surrogate", "{\"\u00ED\u00A0\u0080\":1}", 0, Reason.CORRUPT, "UTF-8 encoded surrogate U+D800"),
                hostile("truncated UTF-8", "{\"\u00E2\u0082", 0, Reason.CORRUPT, "truncated UTF-8 sequence"),
                hostile("invalid escape", "{\"a\\x\":1}", 0, Reason.CORRUPT, "invalid escape '\\x'"),
                hostile("lone surrogate escape", "{\"a\\ud800\":1}", 0, Reason.CORRUPT, "lone escaped high surrogate"),
                hostile("raw control character", "{\"a\u0001\":1}", 0, Reason.CORRUPT, "unescaped control character byte 0x01"),
                hostile("metadata value not a string", "{\"__metadata__\":{\"k\":1}}", 0, Reason.CORRUPT,
                        "__metadata__ value of 'k' is the number 1: metadata values must be strings"),
                hostile("metadata not an object", "{\"__metadata__\":[\"k\"]}", 0, Reason.CORRUPT,
                        "__metadata__ is an array, not an object of strings"),
                hostile("trailing garbage", "{} x", 0, Reason.CORRUPT, "trailing garbage after the JSON value: 'x'"),
                hostile("trailing NUL padding", "{}\u0000\u0000", 0, Reason.CORRUPT, "trailing garbage after the JSON value: byte 0x00"),
                hostile("second JSON value", "{}{}", 0, Reason.CORRUPT, "trailing garbage"),
                hostile("bad literal", "{\"a\":tru}", 0, Reason.CORRUPT, "not JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileHeaders")
    void hostileHeaderFailsWithItsOwnError(String label, byte[] bytes, Reason reason, String fragment) throws Exception {
        IpcException e = assertThrows(IpcException.class,
                () -> SafetensorsHeader.parse(MemorySegment.ofArray(bytes), HeaderLimits.DEFAULT), label);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());

        // the same verdict when the header is read from a file through a channel
        Path f = tmp.resolve("hostile.safetensors");
        Files.write(f, bytes);
        try (FileChannel ch = FileChannel.open(f)) {
            IpcException e2 = assertThrows(IpcException.class, () -> SafetensorsHeader.read(ch, HeaderLimits.DEFAULT));
            assertEquals(e.getMessage(), e2.getMessage());
        }
        // mapFile and load refuse it (load without creating a segment), naming the file
        IpcException m = assertThrows(IpcException.class, () -> TensorStore.mapFile(f));
        assertEquals(reason, m.reason());
        assertTrue(m.getMessage().contains(fragment) && m.getMessage().contains("hostile.safetensors"), m.getMessage());
        String name = unique("hostile");
        assertEquals(reason, assertThrows(IpcException.class, () -> TensorStore.load(f, name)).reason());

        // a probe reports it, never throws
        Optional<SegmentInfo> info = new TensorStoreProbe().probe("hostile", MemorySegment.ofArray(bytes));
        info.ifPresent(i -> assertTrue(i.detail().startsWith("corrupt: "), i.detail()));
    }

    @Test
    void configuredLimitsAreEnforced() {
        HeaderLimits small = new HeaderLimits(64, 3, 2, 8, 2);
        String three = "{" + t("a", "U8", "[0]", "[0,0]") + "," + t("b", "U8", "[0]", "[0,0]") + ","
                + t("c", "U8", "[0]", "[0,0]") + "}";
        HeaderLimits wide = new HeaderLimits(1 << 20, 3, 2, 64, 4);
        IpcException tooMany = assertThrows(IpcException.class,
                () -> SafetensorsHeader.parse(MemorySegment.ofArray(file(three, zeros(0))), wide));
        assertEquals(Reason.TOO_LARGE, tooMany.reason());
        IpcException longHeader = assertThrows(IpcException.class,
                () -> SafetensorsHeader.parse(MemorySegment.ofArray(file(three, zeros(0))), small));
        assertEquals(Reason.TOO_LARGE, longHeader.reason());
        assertTrue(longHeader.getMessage().contains("maxHeaderBytes"), longHeader.getMessage());
        IpcException longString = assertThrows(IpcException.class,
                () -> SafetensorsHeader.parse(MemorySegment.ofArray(file("{\"abcdefghijkl\":1}", zeros(0))), small));
        assertEquals(Reason.TOO_LARGE, longString.reason());
        assertTrue(longString.getMessage().contains("maxStringBytes"), longString.getMessage());
        IpcException rank = assertThrows(IpcException.class, () -> SafetensorsHeader.parse(
                MemorySegment.ofArray(file("{" + t("w", "U8", "[1,1,1]", "[0,1]") + "}", zeros(1))), small));
        assertEquals(Reason.TOO_LARGE, rank.reason());
        assertTrue(rank.getMessage().contains("maxRank") && rank.getMessage().contains("'w.shape'"), rank.getMessage());
    }

    @Test
    void validEdgeCasesParse() {
        // escapes, non-ASCII names, surrogate pairs, whitespace, zero-size tensors anywhere, empty store
        String json = " {\n\t\"caf\u00C3\u00A9 \\\"q\\\" \\ud83d\\ude00\" : {\"shape\":[0],\"dtype\":\"F32\",\"data_offsets\":[4,4]},"
                + t("z", "BOOL", "[]", "[4,5]") + "," + t("w", "I32", "[1]", "[0,4]") + ","
                + "\"__metadata__\":{\"k\":\"\\u00e9\\n\",\"\":\"\"}}   ";
        SafetensorsHeader h = SafetensorsHeader.parse(MemorySegment.ofArray(file(json, zeros(5))), HeaderLimits.DEFAULT);
        assertEquals(List.of("w", "café \"q\" \uD83D\uDE00", "z"), h.entries().stream().map(SafetensorsHeader.Entry::name).toList());
        assertEquals(DType.BOOL, h.entry("z").orElseThrow().dtype());
        assertEquals("é\n", h.metadata().get("k"));
        assertEquals(5, h.dataSize());
        SafetensorsHeader empty = SafetensorsHeader.parse(MemorySegment.ofArray(file("{}", zeros(0))), HeaderLimits.DEFAULT);
        assertTrue(empty.entries().isEmpty());
    }

    /** Every truncation of a valid store is rejected as truncated, without a crash. */
    @Test
    void everyTruncationIsRejected() throws Exception {
        byte[] full;
        try (TensorStore s = TensorStore.builder(unique("trunc")).add("a", DType.F32, 3).add("b", DType.I64, 2)
                .add("c", DType.U8, 5).metadata("k", "v").build()) {
            full = StoreTestSupport.bytesOf(s.segment());
        }
        SafetensorsHeader.parse(MemorySegment.ofArray(full), HeaderLimits.DEFAULT);
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            IpcException e = assertThrows(IpcException.class,
                    () -> SafetensorsHeader.parse(MemorySegment.ofArray(cut), HeaderLimits.DEFAULT), "length " + len);
            assertEquals(Reason.TRUNCATED, e.reason(), "length " + len + ": " + e.getMessage());
        }
        for (int len : new int[]{0, 7, 8, 100, full.length - 1}) {
            Path f = tmp.resolve("cut-" + len + ".safetensors");
            Files.write(f, Arrays.copyOf(full, len));
            assertEquals(Reason.TRUNCATED, assertThrows(IpcException.class, () -> TensorStore.mapFile(f)).reason());
        }
    }

    /** Random byte changes in a valid header: parse succeeds or fails with an IpcException, nothing else. */
    @Test
    void mutatedHeadersNeverEscapeAsOtherExceptions() {
        byte[] base = file("{\"__metadata__\":{\"k\":\"v\\u00e9\"}," + t("a", "F32", "[2,2]", "[0,16]") + ","
                + t("b", "I16", "[2]", "[16,20]") + "}  ", zeros(20));
        Random rnd = new Random(42);
        TensorStoreProbe probe = new TensorStoreProbe();
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] m = base.clone();
            int changes = 1 + rnd.nextInt(3);
            for (int c = 0; c < changes; c++) {
                int at = rnd.nextInt(m.length - 20);
                m[at] = switch (rnd.nextInt(4)) {
                    case 0 -> (byte) rnd.nextInt(256);
                    case 1 -> (byte) "{}[]\",:0123456789-.eE\\u ".charAt(rnd.nextInt(24));
                    case 2 -> (byte) (m[at] + 1);
                    default -> (byte) (m[at] - 1);
                };
            }
            try {
                SafetensorsHeader.parse(MemorySegment.ofArray(m), HeaderLimits.DEFAULT);
                accepted++;
            } catch (IpcException expected) {
                assertFalse(expected.getMessage().isBlank());
            } catch (RuntimeException other) {
                fail("mutation " + i + " escaped as " + other, other);
            }
            probe.probe("m", MemorySegment.ofArray(m));
        }
        assertTrue(accepted < 5000, "mutations must be detected");
    }
}
