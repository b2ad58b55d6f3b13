package io.alknet.api.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaTest {

    @Test
    void readsEveryLimitWithDecimalAndBinaryUnits() {
        Quota quota = Quota.parse("sessions=2,channels=16 bytes-per-day=20GB rate=10MB/s");
        assertThat(quota).isEqualTo(new Quota(2, 16, 20_000_000_000L, 10_000_000, 10_000_000));
        assertThat(Quota.parse("rate-up=1MiB/s,rate-down=1.5kB")).isEqualTo(new Quota(0, 0, 0, 1 << 20, 1500));
        assertThat(Quota.parse("bytes-per-day=1TiB").bytesPerDay()).isEqualTo(1L << 40);
        assertThat(Quota.parse("rate=500").upBytesPerSecond()).isEqualTo(500);
        assertThat(Quota.parse("").isNone()).isTrue();
    }

    @Test
    void writesWhatItReads() {
        Quota quota = Quota.parse("sessions=2,channels=16,bytes-per-day=20GB,rate-up=1MB/s,rate-down=2MB/s");
        assertThat(quota.toString()).isEqualTo("sessions=2,channels=16,bytes-per-day=20000000000,rate-up=1000000/s,rate-down=2000000/s");
        assertThat(Quota.parse(quota.toString())).isEqualTo(quota);
        assertThat(Quota.NONE.toString()).isEqualTo("none");
    }

    @Test
    void theStricterOfEachLimitWinsAndALimitBeatsNone() {
        Quota policy = Quota.parse("channels=8,rate=10MB/s");
        Quota key = Quota.parse("channels=4,sessions=1,rate-down=50MB/s");
        assertThat(policy.tighter(key)).isEqualTo(new Quota(1, 4, 0, 10_000_000, 10_000_000));
        assertThat(Quota.NONE.tighter(key)).isEqualTo(key);
        assertThat(key.tighter(Quota.NONE)).isEqualTo(key);
    }

    @Test
    void refusesWhatItCannotReadAndSaysWhatIsExpected() {
        assertThatThrownBy(() -> Quota.parse("rate=fast")).hasMessageContaining("rate must be a size such as 500MB");
        assertThatThrownBy(() -> Quota.parse("rate=10Mb")).hasMessageContaining("rate must be a size"); // bits are not bytes
        assertThatThrownBy(() -> Quota.parse("channels=0")).hasMessageContaining("channels must be a whole number above 0");
        assertThatThrownBy(() -> Quota.parse("sessions=-1")).hasMessageContaining("sessions must be a whole number above 0");
        assertThatThrownBy(() -> Quota.parse("bandwidth=1MB")).hasMessageContaining("unknown quota 'bandwidth'");
        assertThatThrownBy(() -> Quota.parse("rate")).hasMessageContaining("expected key=value");
        assertThatThrownBy(() -> Quota.parse("rate=0.1")).hasMessageContaining("at least 1 byte");
        assertThatThrownBy(() -> Quota.parse("bytes-per-day=99999999999999999999TB")).hasMessageContaining("too large");
    }
}
