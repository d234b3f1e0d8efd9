/** Symbol lookup, downcall handles and errno capture shared by the bindings (not exported). */
package io.ipc4j.posix.internal;
