/** Internal: the main class and job loop of a worker JVM. Not exported. */
package io.ipc4j.workerpool.worker;
