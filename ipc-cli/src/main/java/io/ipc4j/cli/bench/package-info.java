/**
 * {@code ipc4j bench ...}: benchmark commands, thin front ends over
 * {@code io.ipc4j.benchmarks}. Each subcommand is its own class, registered in
 * {@link io.ipc4j.cli.bench.BenchCommand}.
 */
package io.ipc4j.cli.bench;
