package io.ipc4j.workerpool.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * What the supervisor tells a worker on its command line.
 *
 * @param pool            the pool's name
 * @param directory       the segments' directory
 * @param worker          the worker's slot index
 * @param incarnation     how many processes this slot has had, this one included
 * @param supervisorPid   the supervisor's pid (the expected parent)
 * @param handlerClass    the {@code JobHandler} class name
 * @param weights         the weight store's name, empty for none
 * @param heartbeatMillis heartbeat interval
 * @param spins           idle spins before yielding
 * @param yields          idle yields before parking
 */
public record WorkerArgs(String pool, String directory, int worker, int incarnation, long supervisorPid,
                         String handlerClass, String weights, long heartbeatMillis, long spins, long yields) {
    /** @return the arguments, in the order {@link #parse} reads them */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>();
        a.add(pool);
        a.add(directory);
        a.add(Integer.toString(worker));
        a.add(Integer.toString(incarnation));
        a.add(Long.toString(supervisorPid));
        a.add(handlerClass);
        a.add(weights.isEmpty() ? "-" : weights);
        a.add(Long.toString(heartbeatMillis));
        a.add(Long.toString(spins));
        a.add(Long.toString(yields));
        return a;
    }

    /**
     * @param a the command line
     * @return the parsed arguments
     * @throws IllegalArgumentException when they are not what the supervisor writes
     */
    public static WorkerArgs parse(String[] a) {
        if (a.length != 10) {
            throw new IllegalArgumentException("an ipc4j worker is started by WorkerPool with 10 arguments, got "
                    + a.length + ": " + String.join(" ", a));
        }
        return new WorkerArgs(a[0], a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Long.parseLong(a[4]), a[5],
                a[6].equals("-") ? "" : a[6], Long.parseLong(a[7]), Long.parseLong(a[8]), Long.parseLong(a[9]));
    }
}
