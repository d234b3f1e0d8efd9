/** The README's example, runnable: one process writes a tensor store, another maps it read-only. */
package io.ipc4j.examples.quickstart;
