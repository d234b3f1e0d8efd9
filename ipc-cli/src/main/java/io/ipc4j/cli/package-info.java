/**
 * The {@code ipc4j} command: {@link io.ipc4j.cli.Main} (entry point, global options, error
 * handling) and tools shared by the subcommands, such as {@link io.ipc4j.cli.ProgressBar}.
 * Subcommands live in one package per command group ({@code io.ipc4j.cli.shm},
 * {@code io.ipc4j.cli.bench}).
 */
package io.ipc4j.cli;
