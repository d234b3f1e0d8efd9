/**
 * The {@code latency-histograms} example: IPC round-trip latency between two JVMs recorded with
 * HdrHistogram, written as {@code .hgrm} files and one percentile plot
 * ({@link io.ipc4j.examples.histograms.LatencyHistograms}).
 */
package io.ipc4j.examples.histograms;
