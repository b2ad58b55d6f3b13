package io.alknet.stream.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SerialExecutorTest {

    @Test
    void inlineRunsOnTheCallerWhenIdleAndQueuesNestedTasksAfterTheCurrentOne() {
        SerialExecutor executor = SerialExecutor.inline();
        List<String> log = new ArrayList<>();
        Thread caller = Thread.currentThread();
        executor.execute(() -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            assertThat(executor.inExecutor()).isTrue();
            executor.execute(() -> log.add("nested"));
            log.add("outer");
        });
        assertThat(log).containsExactly("outer", "nested");
        assertThat(executor.inExecutor()).isFalse();
    }

    @Test
    void tasksFromManyThreadsNeverOverlapAndKeepEachThreadsOrder() throws Exception {
        for (SerialExecutor executor : List.of(SerialExecutor.inline(), SerialExecutor.on(r -> Thread.ofVirtual().start(r)))) {
            AtomicBoolean running = new AtomicBoolean();
            AtomicInteger overlaps = new AtomicInteger();
            List<String> log = new CopyOnWriteArrayList<>();
            int threads = 4;
            int each = 1000;
            CountDownLatch done = new CountDownLatch(threads * each);
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        Runnable task = () -> {
                            if (!running.compareAndSet(false, true)) {
                                overlaps.incrementAndGet();
                            }
                            log.add(id + ":" + n);
                            running.set(false);
                            done.countDown();
                        };
                        if (n % 3 != 0 || !executor.tryRunNow(task)) {
                            executor.execute(task);
                        }
                    }
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            for (int t = 0; t < threads; t++) {
                String prefix = t + ":";
                List<String> mine = log.stream().filter(entry -> entry.startsWith(prefix)).toList();
                assertThat(mine).hasSize(each);
                for (int i = 0; i < each; i++) {
                    assertThat(mine.get(i)).isEqualTo(prefix + i);
                }
            }
        }
    }

    @Test
    void onAnExecutorNeverRunsOnTheSubmittingThread() throws Exception {
        SerialExecutor executor = SerialExecutor.on(r -> Thread.ofVirtual().start(r));
        CountDownLatch ran = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        executor.execute(() -> {
            threads.add(Thread.currentThread());
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).doesNotContain(caller);
        // the runner lets go just after the task counted down: once it has, the executor is idle
        boolean ranHere = false;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); !ranHere && System.nanoTime() < deadline; ) {
            ranHere = executor.tryRunNow(() -> threads.add(Thread.currentThread()));
            if (!ranHere) {
                Thread.sleep(1);
            }
        }
        assertThat(ranHere).as("idle: an I/O thread may run it").isTrue();
        assertThat(threads).last().isSameAs(caller);
    }
}
