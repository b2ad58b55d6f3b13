package io.alknet.secret;

/** What a {@link DerivedKey} is for; {@link #wireName()} is how the call protocol names it. */
public enum KeyType {
    ED25519("Ed25519"),
    AES256_GCM("Aes256Gcm"),
    SECP256K1("Secp256k1");

    private final String wireName;

    KeyType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
