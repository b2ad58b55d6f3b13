package io.alknet.api.transport;

import io.alknet.api.AlknetException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportAddressTest {

    @Test
    void parsesHostPortAndQuery() {
        TransportAddress address = TransportAddress.parse("tcp://example.com:2222?a=1&a=2&b=x%20y", 22);
        assertThat(address.scheme()).isEqualTo("tcp");
        assertThat(address.host()).isEqualTo("example.com");
        assertThat(address.port()).isEqualTo(2222);
        assertThat(address.params().get("a")).containsExactly("1", "2");
        assertThat(address.param("b")).contains("x y");
    }

    @Test
    void ipv6LiteralsLoseTheirBracketsAndGetThemBackInUris() {
        TransportAddress address = TransportAddress.parse("tls://[::1]:443", 0);
        assertThat(address.host()).isEqualTo("::1");
        assertThat(address.toString()).isEqualTo("tls://[::1]:443");
    }

    @Test
    void missingPortTakesTheDefault() {
        assertThat(TransportAddress.parse("tcp://host", 2222).port()).isEqualTo(2222);
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(TransportAddress.parse("TCP://host:1", 0).scheme()).isEqualTo("tcp");
    }

    @Test
    void authorityThatIsNotAHostNameIsKept() {
        TransportAddress address = TransportAddress.parse("iroh://abc_def?addr=1.2.3.4:5", 0);
        assertThat(address.host()).isEqualTo("abc_def");
        assertThat(address.param("addr")).contains("1.2.3.4:5");
    }

    @Test
    void refusesMalformedAddressesWithAReason() {
        assertThatThrownBy(() -> TransportAddress.parse("example.com:22", 0))
                .isInstanceOf(AlknetException.class).hasMessageContaining("expected scheme://host:port");
        assertThatThrownBy(() -> TransportAddress.parse("tcp://host:99999", 0))
                .isInstanceOf(AlknetException.class).hasMessageContaining("invalid address");
        assertThatThrownBy(() -> TransportAddress.parse("tcp://host:1/path", 0))
                .isInstanceOf(AlknetException.class).hasMessageContaining("path");
        assertThatThrownBy(() -> TransportAddress.parse("tcp://", 0))
                .isInstanceOf(AlknetException.class);
    }
}
