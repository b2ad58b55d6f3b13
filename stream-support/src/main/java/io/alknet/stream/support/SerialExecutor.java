package io.alknet.stream.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * A {@link StreamExecutor} without a thread of its own: tasks run one at a time, in the order they were submitted.
 * {@link #inline()} runs a task at once on the submitting thread when no other thread runs tasks (a trampoline, as
 * in Netty's or gRPC's serializing executors), so an uncontended stream never changes threads; a task submitted
 * while another thread runs tasks is queued, and that thread runs it before it lets go. {@link #on(Executor)} never
 * runs a submitted task on the submitting thread: a batch of queued tasks runs on the given executor (a virtual
 * thread, say), which keeps callbacks off threads that must not run them.
 *
 * <p>A task that throws is reported to the thread's uncaught-exception handler; the executor carries on.
 */
public final class SerialExecutor implements StreamExecutor {

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(SerialExecutor.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Where queued tasks run in {@link #on} mode; null in {@link #inline} mode. */
    private final Executor runner;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** The thread running tasks now, or null. */
    @SuppressWarnings("unused") // through OWNER
    private volatile Thread owner;

    private SerialExecutor(Executor runner) {
        this.runner = runner;
    }

    /** Runs tasks on the submitting thread whenever no other thread is running them. */
    public static SerialExecutor inline() {
        return new SerialExecutor(null);
    }

    /** Runs submitted tasks on {@code runner}, never on the submitting thread. */
    public static SerialExecutor on(Executor runner) {
        return new SerialExecutor(Objects.requireNonNull(runner, "runner"));
    }

    @Override
    public boolean inExecutor() {
        return owner == Thread.currentThread();
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        Thread me = Thread.currentThread();
        if (runner == null && OWNER.compareAndSet(this, null, me)) {
            // Idle: run it here, unless tasks queued earlier are still waiting (they go first).
            if (queue.isEmpty()) {
                run(task);
            } else {
                queue.add(task);
            }
            runQueuedAndRelease(me);
            return;
        }
        queue.add(task);
        if (owner == me) {
            return; // runs after the current task, on this thread
        }
        if (runner == null) {
            if (OWNER.compareAndSet(this, null, me)) {
                runQueuedAndRelease(me);
            }
        } else {
            scheduleRunner();
        }
    }

    @Override
    public boolean tryRunNow(Runnable task) {
        Thread me = Thread.currentThread();
        if (owner == me) {
            task.run();
            return true;
        }
        if (!queue.isEmpty() || !OWNER.compareAndSet(this, null, me)) {
            return false;
        }
        try {
            run(task);
        } finally {
            if (runner == null) {
                runQueuedAndRelease(me);
            } else {
                owner = null;
                if (!queue.isEmpty()) {
                    scheduleRunner();
                }
            }
        }
        return true;
    }

    private void scheduleRunner() {
        if (!queue.isEmpty() && OWNER.compareAndSet(this, null, RUNNER_CLAIM)) {
            runner.execute(this::runOnRunner);
        }
    }

    /** Marks the executor as claimed between scheduling the runner and the runner starting. */
    private static final Thread RUNNER_CLAIM = Thread.ofVirtual().unstarted(() -> { });

    private void runOnRunner() {
        Thread me = Thread.currentThread();
        owner = me;
        runQueuedAndRelease(me);
    }

    /** Runs what is queued, then lets go; takes over again when a task was queued just before letting go. */
    private void runQueuedAndRelease(Thread me) {
        do {
            Runnable next;
            while ((next = queue.poll()) != null) {
                run(next);
            }
            owner = null;
        } while (!queue.isEmpty() && OWNER.compareAndSet(this, null, me));
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            Thread current = Thread.currentThread();
            current.getUncaughtExceptionHandler().uncaughtException(current, e);
        }
    }
}
