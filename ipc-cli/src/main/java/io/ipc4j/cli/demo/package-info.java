/**
 * {@code ipc4j demo}: the share-weights demo ({@code io.ipc4j.examples.shareweights}) as a
 * command, with a progress bar and a JSON result file.
 */
package io.ipc4j.cli.demo;
