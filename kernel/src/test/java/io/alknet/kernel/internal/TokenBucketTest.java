package io.alknet.kernel.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared bucket behind a bandwidth cap, on a clock the test moves. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long RATE = 10_000_000; // bytes per second: a burst of 1 MB

    @Test
    void theBurstGoesAtOnceAndWhatFollowsWaitsAtTheRate() {
        TokenBucket bucket = new TokenBucket(RATE, 0);
        assertThat(bucket.take(RATE / 10, 0)).as("a tenth of a second's worth: the burst").isZero();
        assertThat(bucket.take(RATE, 0)).as("a second's worth more waits one second").isEqualTo(SECOND);
        assertThat(bucket.take(RATE / 2, 0)).as("who takes next waits behind it").isEqualTo(SECOND + SECOND / 2);
    }

    @Test
    void overAnyLongRunTheBytesPaidForNeverExceedTheRate() {
        TokenBucket bucket = new TokenBucket(RATE, 0);
        long now = 0;
        long sent = 0;
        // two takers alternating 64 KiB chunks, each waiting for its own chunk to be paid before the next
        long[] readyAt = {0, 0};
        while (now < 10 * SECOND) {
            int taker = readyAt[0] <= readyAt[1] ? 0 : 1;
            now = Math.max(now, readyAt[taker]);
            readyAt[taker] = now + bucket.take(65_536, now);
            sent += 65_536;
        }
        double rate = sent / 10.0;
        assertThat(rate).isBetween(RATE * 0.99, RATE * 1.02); // the burst, once, is the only excess
    }

    @Test
    void takersWhoEachWaitForTheirTurnShareTheRateEvenly() {
        TokenBucket bucket = new TokenBucket(RATE, 0);
        long[] readyAt = new long[3];
        long[] sent = new long[3];
        long now = 0;
        while (now < 10 * SECOND) {
            int taker = 0;
            for (int i = 1; i < readyAt.length; i++) {
                if (readyAt[i] < readyAt[taker]) {
                    taker = i;
                }
            }
            now = Math.max(now, readyAt[taker]);
            readyAt[taker] = now + bucket.take(32_768, now);
            if (now >= SECOND) {
                sent[taker] += 32_768; // after the first second: the burst went to whoever came first
            }
        }
        for (long bytes : sent) {
            assertThat((double) bytes).isCloseTo(sent[0], org.assertj.core.data.Offset.offset(sent[0] * 0.02));
        }
    }

    @Test
    void aNewRateAppliesFromNowAndDebtStaysDebt() {
        TokenBucket bucket = new TokenBucket(RATE, 0);
        bucket.take(RATE / 10 + RATE, 0); // one second of debt at 10 MB/s
        bucket.rate(2 * RATE, 0);
        assertThat(bucket.take(0, 0)).as("the same debt at twice the rate").isEqualTo(SECOND / 2);
        assertThat(bucket.rate()).isEqualTo(2 * RATE);
        assertThatThrownBy(() -> bucket.rate(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
