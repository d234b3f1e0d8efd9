/**
 * JMH micro-benchmarks. They run from the class path (JMH's generated harness classes live in
 * {@code io.ipc4j.benchmarks.jmh.jmh_generated}); this package is deliberately not exported:
 *
 * <pre>{@code
 * mvn -q -B -o -DskipTests package -pl benchmarks -am
 * java --enable-native-access=ALL-UNNAMED \
 *      -cp "benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *      org.openjdk.jmh.Main TensorSum
 * }</pre>
 */
package io.ipc4j.benchmarks.jmh;
