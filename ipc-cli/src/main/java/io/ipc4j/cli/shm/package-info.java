/**
 * {@code ipc4j shm ...}: commands on named shared-memory segments in {@code /dev/shm}. Each
 * subcommand is its own class, registered in {@link io.ipc4j.cli.shm.ShmCommand}.
 */
package io.ipc4j.cli.shm;
