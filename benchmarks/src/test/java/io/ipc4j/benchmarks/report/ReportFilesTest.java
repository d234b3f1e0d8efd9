package io.ipc4j.benchmarks.report;

import io.ipc4j.benchmarks.latency.LatencyResult;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hgrm files, the PNG and the Markdown table from synthetic histograms (no child JVM). */
class ReportFilesTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Values 1..n microseconds, once each, in nanoseconds. */
    private static Histogram uniformUs(int n, int scale) {
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 1; i <= n; i++) {
            h.recordValue(i * 1000L * scale);
        }
        return h;
    }

    @Test
    void hgrmHoldsPercentilesInMicroseconds(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.hgrm");
        HgrmWriter.write(uniformUs(1000, 1), f);
        List<String> lines = Files.readAllLines(f);
        assertTrue(lines.getFirst().trim().matches("Value\\s+Percentile\\s+TotalCount\\s+1/\\(1-Percentile\\)"),
                lines.getFirst());
        Map<Double, Double> valueAtPercentile = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 3 && !line.startsWith("#")) {
                valueAtPercentile.put(Double.parseDouble(cols[1]), Double.parseDouble(cols[0]));
            }
        }
        assertEquals(500.0, valueAtPercentile.get(0.5), 0.5, "p50 in us: " + valueAtPercentile);
        assertEquals(900.0, valueAtPercentile.get(0.9), 0.9, "p90 in us");
        assertEquals(1000.0, valueAtPercentile.get(1.0), 1.0, "p100 in us");
        assertTrue(lines.stream().anyMatch(l -> l.matches("#\\[Max\\s+=\\s+1000\\.\\d+, Total count\\s+=\\s+1000]")),
                String.join("\n", lines));
    }

    @Test
    void pngIsAValidPngOfTheRequestedSize(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("p.png");
        Map<String, Histogram> series = new LinkedHashMap<>();
        series.put("fast", uniformUs(10_000, 1));
        series.put("slow", uniformUs(10_000, 20));
        series.put("empty", new Histogram(3));
        PercentilePlot.write(png, "test", series, 640, 400);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
        ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian: length, "IHDR", width, height
        assertEquals("IHDR", new String(bytes, 12, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(640, b.getInt(16));
        assertEquals(400, b.getInt(20));
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void plotPointsAndLabels() {
        List<double[]> pts = PercentilePlot.points(uniformUs(1000, 1));
        for (int i = 1; i < pts.size(); i++) {
            assertTrue(pts.get(i)[0] >= pts.get(i - 1)[0], "x increases");
            assertTrue(pts.get(i)[1] >= pts.get(i - 1)[1], "y increases");
        }
        assertEquals(3.0, pts.getLast()[0], 1e-9, "the max sits at 1/(1-p) = count");
        assertEquals(1000.0, pts.getLast()[1], 1.0);
        assertEquals(List.of("0%", "90%", "99%", "99.9%", "99.99%"),
                List.of(PercentilePlot.label(0), PercentilePlot.label(1), PercentilePlot.label(2),
                        PercentilePlot.label(3), PercentilePlot.label(4)));
    }

    @Test
    void markdownHasRatiosAgainstFastestAndSpin(@TempDir Path dir) throws IOException {
        LatencyResult uds = LatencyResult.of("uds", 64, 10, uniformUs(1000, 30));
        LatencyResult spin = LatencyResult.of("spin", 64, 10, uniformUs(1000, 2));
        LatencyResult hybrid = LatencyResult.of("hybrid", 64, 10, uniformUs(1000, 1));
        CompareReport report = CompareReport.of(List.of(uds, spin, hybrid));
        assertEquals("hybrid", report.fastest().transport());
        String md = report.markdown();
        assertTrue(md.contains("| transport | p50 | p99 | p99.9 | max | p50 × fastest | p99 × fastest | p50 × spin | p99 × spin |"), md);
        // uds is 30x hybrid and 15x spin at every percentile
        assertTrue(md.contains("| uds | 150") && md.contains("| 30.00 | 30.00 | 15.00 | 15.00 |"), md);
        assertTrue(md.contains("| hybrid | 500.") && md.contains("| 1.00 | 1.00 | 0.50 | 0.50 |"), md);

        List<Path> files = report.writeTo(dir.resolve("out"));
        for (String name : List.of("compare.md", "uds.hgrm", "spin.hgrm", "hybrid.hgrm", "latency.png")) {
            assertTrue(files.contains(dir.resolve("out").resolve(name)), name + " in " + files);
            assertTrue(Files.size(dir.resolve("out").resolve(name)) > 0, name);
        }
        assertEquals(md, Files.readString(dir.resolve("out/compare.md")));
        // without spin: no spin columns
        assertTrue(!CompareReport.of(List.of(uds, hybrid)).markdown().contains("× spin"));
        assertEquals("a_b", CompareReport.fileName("a/b"));
        assertEquals("_..", CompareReport.fileName(".."));
    }
}
