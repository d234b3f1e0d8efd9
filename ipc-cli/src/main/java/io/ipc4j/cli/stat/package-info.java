/** {@code ipc4j stat}: live counters of a running worker pool, read from its counters segment. */
package io.ipc4j.cli.stat;
