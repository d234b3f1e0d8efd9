package io.ipc4j.benchmarks.report;

import io.ipc4j.IpcException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One percentile-distribution plot of several latency histograms, written as a PNG: the x axis is
 * the percentile on the usual "1/(1&minus;p)" log scale (ticks 0%, 50%, 90%, 99%, 99.9%, ...),
 * the y axis latency in microseconds on a log scale; one line per histogram.
 *
 * <pre>{@code
 * PercentilePlot.write(Path.of("latency.png"), "round trip, 64 B",
 *         Map.of("spin", spinNs, "uds", udsNs));
 * }</pre>
 *
 * <p>Rendering is headless: loading this class sets {@code java.awt.headless=true} unless the
 * property is already set, so it must load before anything else touches AWT (the JDK reads the
 * property once). JFreeChart renders with the JDK's fonts (fontconfig on Linux).
 */
public final class PercentilePlot {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Default image width in pixels. */
    public static final int DEFAULT_WIDTH = 1200;
    /** Default image height in pixels. */
    public static final int DEFAULT_HEIGHT = 750;
    /** Largest accepted width or height in pixels. */
    public static final int MAX_PIXELS = 8192;

    /** Line colours, in series order (distinguishable, colour-blind friendly first). */
    private static final Color[] COLORS = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
            new Color(0x7F7F7F), new Color(0x8C564B)};

    private PercentilePlot() {
    }

    /**
     * Writes the plot at {@link #DEFAULT_WIDTH} &times; {@link #DEFAULT_HEIGHT}.
     *
     * @param png    the file to write (replaced)
     * @param title  the chart title
     * @param series name &rarr; histogram of nanoseconds, in legend order
     * @throws IpcException OS_ERROR when the file cannot be written
     */
    public static void write(Path png, String title, Map<String, Histogram> series) {
        write(png, title, series, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * Writes the plot.
     *
     * @param png    the file to write (replaced)
     * @param title  the chart title
     * @param series name &rarr; histogram of nanoseconds, in legend order; empty histograms are left out
     * @param width  image width in pixels, 1..{@link #MAX_PIXELS}
     * @param height image height in pixels, 1..{@link #MAX_PIXELS}
     * @throws IpcException INVALID_ARGUMENT for a bad size, OS_ERROR when the file cannot be written
     */
    public static void write(Path png, String title, Map<String, Histogram> series, int width, int height) {
        if (width < 1 || height < 1 || width > MAX_PIXELS || height > MAX_PIXELS) {
            throw new IpcException(IpcException.Reason.INVALID_ARGUMENT, "plot size must be 1.." + MAX_PIXELS
                    + " pixels each way, was " + width + "x" + height);
        }
        JFreeChart chart = chart(title, series);
        try (OutputStream out = Files.newOutputStream(png)) {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new IpcException(IpcException.Reason.OS_ERROR, "write plot to " + png + ": " + e, e);
        }
    }

    /**
     * The points plotted for one histogram: x = log10(1/(1&minus;p)), y = microseconds. The last
     * point (p = 100%) is placed at 1/(1&minus;p) = the total count, so the maximum shows.
     *
     * @param histogram values in nanoseconds
     * @return {x, y} pairs in increasing x
     */
    static List<double[]> points(Histogram histogram) {
        List<double[]> pts = new ArrayList<>();
        long count = histogram.getTotalCount();
        if (count == 0) {
            return pts;
        }
        double maxX = Math.log10(Math.max(2, count));
        double lastX = -1;
        for (HistogramIterationValue v : histogram.percentiles(HgrmWriter.TICKS_PER_HALF_DISTANCE)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            double x = p >= 1.0 ? maxX : Math.min(maxX, -Math.log10(1.0 - p));
            double y = histogram.highestEquivalentValue(v.getValueIteratedTo()) / HgrmWriter.NS_PER_US;
            if (x < lastX) {
                continue;
            }
            pts.add(new double[]{x, Math.max(y, 0.001)});
            lastX = x;
        }
        return pts;
    }

    private static JFreeChart chart(String title, Map<String, Histogram> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        double maxX = 1;
        for (Map.Entry<String, Histogram> e : new LinkedHashMap<>(series).entrySet()) {
            List<double[]> pts = points(e.getValue());
            if (pts.isEmpty()) {
                continue;
            }
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : pts) {
                s.add(p[0], p[1]);
                maxX = Math.max(maxX, p[0]);
            }
            data.addSeries(s);
        }
        PercentileAxis x = new PercentileAxis();
        x.setRange(0, maxX * 1.02);
        LogAxis y = new LogAxis("round-trip latency (µs, log scale)");
        y.setBase(10);
        y.setSmallestValue(0.01);
        DecimalFormat f = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
        y.setNumberFormatOverride(f);
        y.setTickUnit(new NumberTickUnit(1.0)); // one labelled tick per decade: 0.1, 1, 10, 100, ...
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, COLORS[i % COLORS.length]);
            r.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * @param decade log10(1/(1-p)), an integer &gt;= 0
     * @return the percentile label of that decade: 0%, 90%, 99%, 99.9%, ...
     */
    static String label(int decade) {
        if (decade == 0) {
            return "0%";
        }
        return decade <= 2 ? (decade == 1 ? "90%" : "99%") : "99." + "9".repeat(decade - 2) + "%";
    }

    /** A linear axis over log10(1/(1-p)) whose ticks are labelled as percentiles. */
    private static final class PercentileAxis extends NumberAxis {
        @Serial
        private static final long serialVersionUID = 1L;

        PercentileAxis() {
            super("percentile");
        }

        @Override
        protected List<NumberTick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List<NumberTick> ticks = new ArrayList<>();
            int last = (int) Math.floor(getUpperBound());
            for (int d = 0; d <= last; d++) {
                ticks.add(new NumberTick(d, label(d), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
                if (d == 0 && last >= 1) {
                    ticks.add(new NumberTick(Math.log10(2), "50%", TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
                }
            }
            return ticks;
        }
    }
}
