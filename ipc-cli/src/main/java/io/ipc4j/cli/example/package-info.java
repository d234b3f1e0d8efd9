/**
 * {@code ipc4j example}: runs the programs of the {@code examples} module by name. The list of
 * examples is {@link io.ipc4j.cli.example.Examples#ALL}, one {@link io.ipc4j.cli.example.Example}
 * entry (name, one-line description, runner) per program; each becomes a subcommand.
 */
package io.ipc4j.cli.example;
