package io.alknet.interfaces.forward.violation;

/** Deliberate violation: one plugin using another plugin's class. */
public final class PluginUsesOtherPlugin {
    public String fingerprint(java.security.PublicKey key) {
        return io.alknet.interfaces.ssh.OpenSshKeys.fingerprint(key);
    }
}
