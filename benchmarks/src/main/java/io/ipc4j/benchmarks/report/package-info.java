/**
 * Reports for latency runs: HdrHistogram percentile files ({@link io.ipc4j.benchmarks.report.HgrmWriter}),
 * one percentile-distribution plot of many runs as a PNG ({@link io.ipc4j.benchmarks.report.PercentilePlot},
 * JFreeChart, rendered headless), and the side-by-side comparison of transports that
 * {@code ipc4j bench compare} writes ({@link io.ipc4j.benchmarks.report.CompareReport}: a Markdown
 * table, one {@code .hgrm} per transport and the plot).
 *
 * <pre>{@code
 * CompareReport report = CompareReport.run(List.of("spin", "futex", "uds"),
 *         LatencyOptions.of("spin").withMessages(20_000), System.err::println);
 * report.writeTo(Path.of("/tmp/cmp"));           // compare.md, spin.hgrm, ..., latency.png
 * System.out.print(report.markdown());
 * }</pre>
 *
 * <p>Histograms hold nanoseconds (as {@link io.ipc4j.benchmarks.latency.LatencyResult} records
 * them); every file and table shows microseconds.
 */
package io.ipc4j.benchmarks.report;
