package io.ipc4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteSizeConverterTest {
    @Test
    void parsesBinaryUnits() {
        assertEquals(64, ByteSizeConverter.parse("64"));
        assertEquals(4096, ByteSizeConverter.parse("4k"));
        assertEquals(4096, ByteSizeConverter.parse("4KiB"));
        assertEquals(3L << 20, ByteSizeConverter.parse("3 MB"));
        assertEquals(1L << 30, ByteSizeConverter.parse("1g"));
    }

    @Test
    void rejectsNonsense() {
        for (String s : new String[]{"", "-1", "1.5k", "12x", "99999999999999999999", "9999999999T"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> ByteSizeConverter.parse(s), s);
        }
    }
}
