package io.ipc4j.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextTableAndJsonTest {
    private static final String NL = System.lineSeparator();

    @Test
    void tableAlignsColumnsWithoutTrailingSpaces() {
        String t = new TextTable("NAME", "SIZE", "NOTE").rightAlign(1)
                .row("a", "10 B", "x").row("long-name", "1.0 GiB", null).render();
        assertEquals("NAME          SIZE  NOTE" + NL
                + "a             10 B  x" + NL
                + "long-name  1.0 GiB  -" + NL, t);
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").row("only one"));
    }

    @Test
    void jsonEscapesAndNests() {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("k", "v");
        String s = Json.object().put("s", "a\"b\\c\n\u0001").put("n", 3L).put("d", Double.NaN).put("b", true)
                .put("z", null).put("l", List.of(1, "x")).put("shape", new long[] {2, 3}).put("m", md).toString();
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":3,\"d\":null,\"b\":true,\"z\":null,\"l\":[1,\"x\"],"
                + "\"shape\":[2,3],\"m\":{\"k\":\"v\"}}", s);
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void printStreamForwardsWholeUtf8LinesToTheWriter() {
        StringWriter sw = new StringWriter();
        PrintStream ps = WriterOutputStream.printStream(new PrintWriter(sw));
        ps.print("größe ");
        assertEquals("größe ", sw.toString()); // the auto-flushing stream flushes each print
        ps.println("1.0 GiB");
        ps.printf("%d%n", 42);
        assertEquals("größe 1.0 GiB" + NL + "42" + NL, sw.toString());
        WriterOutputStream raw = new WriterOutputStream(new PrintWriter(sw));
        byte[] e = "é\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        raw.write(e[0]);
        assertEquals("größe 1.0 GiB" + NL + "42" + NL, sw.toString()); // half a character: held back
        raw.write(e, 1, e.length - 1);
        assertEquals("größe 1.0 GiB" + NL + "42" + NL + "é\n", sw.toString());
    }
}
