package io.alknet.secret;

import io.alknet.api.plugin.PluginContext;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SecretPluginTest {

    @TempDir
    Path dir;

    /** The kernel tells a plugin when a server stops: the secret plugin locks that server's service. */
    @Test
    void aStoppedServerLeavesItsServiceLockedAndItsCredentialProviderAnsweringLocked() {
        SecretPlugin plugin = new SecretPlugin();
        PluginContext context = TestPluginContext.in(dir);
        SecretService service = plugin.service(context);
        SecretCredentialProvider credentials = plugin.credentialProvider(context);
        service.unlockWithSeed(new byte[64]);
        assertThat(credentials.credentials("billing")).isEmpty();

        plugin.serverStopped(TestPluginContext.in(dir));

        assertThat(service.isUnlocked()).isFalse();
        assertThat(catchThrowableOfType(SecretException.class, () -> credentials.credentials("billing")).error().code())
                .isEqualTo(SecretException.LOCKED);
        assertThat(plugin.service(context)).as("the same service, to unlock again").isSameAs(service);
    }
}
