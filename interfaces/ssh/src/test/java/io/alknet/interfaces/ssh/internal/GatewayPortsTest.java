package io.alknet.interfaces.ssh.internal;

import io.alknet.api.AlknetException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a remote forward listens for each GatewayPorts mode (OpenSSH channels.c, channel_fwd_bind_addr). */
class GatewayPortsTest {

    @Test
    void noListensOnLoopbackWhateverTheClientAsks() {
        for (String requested : new String[] {"", "*", "0.0.0.0", "::", "192.0.2.2", "example.org", "localhost", "127.0.0.1", "127.0.0.2"}) {
            assertThat(GatewayPorts.NO.bindAddress(requested)).as(requested).isEqualTo("localhost");
        }
        assertThat(GatewayPorts.NO.bindAddress("::1")).isEqualTo("::1");
        assertThat(GatewayPorts.NO.bindAddress("[::1]")).isEqualTo("::1");
    }

    @Test
    void yesListensOnEveryInterfaceWhateverTheClientAsks() {
        assertThat(GatewayPorts.YES.bindAddress("")).isEqualTo("0.0.0.0");
        assertThat(GatewayPorts.YES.bindAddress("127.0.0.1")).isEqualTo("0.0.0.0");
        assertThat(GatewayPorts.YES.bindAddress("192.0.2.2")).isEqualTo("0.0.0.0");
        assertThat(GatewayPorts.YES.bindAddress("::1")).isEqualTo("::");
    }

    @Test
    void clientSpecifiedListensWhereTheClientAsks() {
        assertThat(GatewayPorts.CLIENT_SPECIFIED.bindAddress("")).isEqualTo("0.0.0.0");
        assertThat(GatewayPorts.CLIENT_SPECIFIED.bindAddress("*")).isEqualTo("0.0.0.0");
        assertThat(GatewayPorts.CLIENT_SPECIFIED.bindAddress("localhost")).isEqualTo("localhost");
        assertThat(GatewayPorts.CLIENT_SPECIFIED.bindAddress("192.0.2.2")).isEqualTo("192.0.2.2");
        assertThat(GatewayPorts.CLIENT_SPECIFIED.bindAddress("[2001:db8::1]")).isEqualTo("2001:db8::1");
    }

    @Test
    void parsesOpenSshsWordsAndBooleans() {
        assertThat(GatewayPorts.parse("no")).isEqualTo(GatewayPorts.NO);
        assertThat(GatewayPorts.parse("false")).isEqualTo(GatewayPorts.NO);
        assertThat(GatewayPorts.parse("Yes")).isEqualTo(GatewayPorts.YES);
        assertThat(GatewayPorts.parse("true")).isEqualTo(GatewayPorts.YES);
        assertThat(GatewayPorts.parse("clientspecified")).isEqualTo(GatewayPorts.CLIENT_SPECIFIED);
        assertThatThrownBy(() -> GatewayPorts.parse("sometimes")).isInstanceOf(AlknetException.class)
                .hasMessageContaining("gateway-ports").hasMessageContaining("clientspecified");
    }
}
