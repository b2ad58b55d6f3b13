package io.alknet.forward.violation;

/** Deliberate violation: one plugin using another plugin's class. */
public final class PluginUsesOtherPlugin {
    public String fingerprint(java.security.PublicKey key) {
        return io.alknet.ssh.OpenSshKeys.fingerprint(key);
    }
}
