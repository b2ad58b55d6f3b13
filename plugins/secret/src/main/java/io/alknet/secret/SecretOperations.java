package io.alknet.secret;

import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.secret.internal.Secp256k1;
import io.alknet.secret.internal.Wipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The secret service over the call protocol (spec services.md 7.3): {@code /secret/derive/ed25519},
 * {@code …/encryption-key}, {@code …/ethereum}, {@code …/password}, {@code /secret/encrypt}, {@code /secret/decrypt},
 * {@code /secret/lock}, {@code /secret/unlock} and {@code /secret/status}, each behind its own scope. Derivations
 * answer with public keys; a private key leaves the process only when the input asks for it ({@code "export": true})
 * <em>and</em> the caller holds {@value #SCOPE_EXPORT} (or is a trusted in-process call). Binary values are standard
 * padded base64; field names follow the spec ({@code key_type}, {@code public_key}, {@code key_version}, …).
 */
public final class SecretOperations {

    /** Derive public keys (and, with {@link #SCOPE_EXPORT}, private ones). */
    public static final String SCOPE_DERIVE = "secrets:derive";
    /** Receive private keys from a derivation. */
    public static final String SCOPE_EXPORT = "secrets:export";
    /** Derive site passwords. */
    public static final String SCOPE_PASSWORD = "secrets:password";
    /** Encrypt with the seed's encryption keys. */
    public static final String SCOPE_ENCRYPT = "secrets:encrypt";
    /** Decrypt with them. */
    public static final String SCOPE_DECRYPT = "secrets:decrypt";
    /** Lock, unlock, status. */
    public static final String SCOPE_ADMIN = "secrets:admin";

    private static final String[] CODES = SecretException.CODES.toArray(String[]::new);
    private static final Map<String, Object> STRING = Map.of("type", "string");
    private static final Map<String, Object> PATH = Map.of("type", "string", "minLength", 1, "maxLength", 4096);
    private static final Map<String, Object> BOOLEAN = Map.of("type", "boolean");
    private static final Map<String, Object> VERSION = Map.of("type", "integer", "minimum", 0, "maximum", Integer.MAX_VALUE);

    private final SecretService service;

    public SecretOperations(SecretService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /** Every operation, bound to this service. */
    public List<Operation> operations() {
        return List.of(
                Operation.of(spec("/secret/derive/ed25519", OperationType.QUERY,
                        "The Ed25519 key at a hardened path of the seed (default m/74'/0'/0'/0', the identity); the private key only "
                                + "with export and the " + SCOPE_EXPORT + " scope",
                        object(Map.of("path", PATH, "export", BOOLEAN)), derivedKeySchema(), SCOPE_DERIVE), this::deriveEd25519),
                Operation.of(spec("/secret/derive/encryption-key", OperationType.QUERY,
                        "The AES-256-GCM key of a key version (path m/74'/2'/0'/N', default version 0): its id, and the key itself "
                                + "only with export and the " + SCOPE_EXPORT + " scope",
                        object(Map.of("path", PATH, "key_version", VERSION, "export", BOOLEAN)), derivedKeySchema(), SCOPE_DERIVE),
                        this::deriveEncryptionKey),
                Operation.of(spec("/secret/derive/ethereum", OperationType.QUERY,
                        "The secp256k1 key at a path below m/44'/60' (default m/44'/60'/0'/0/0) and its Ethereum address; the private "
                                + "key only with export and the " + SCOPE_EXPORT + " scope",
                        object(Map.of("path", PATH, "export", BOOLEAN)), derivedKeySchema(), SCOPE_DERIVE), this::deriveEthereum),
                Operation.of(spec("/secret/derive/password", OperationType.QUERY,
                        "Deterministic password bytes (base64) for a name such as a site (m/74'/1'/0'/H' where H hashes the name)",
                        required(object(Map.of("name", Map.of("type", "string", "minLength", 1, "maxLength", KeyPaths.MAX_NAME_LENGTH),
                                "length", Map.of("type", "integer", "minimum", 1, "maximum", 1024))), "name"),
                        required(object(Map.of("path", STRING, "password", STRING)), "path", "password"), SCOPE_PASSWORD), this::derivePassword),
                Operation.of(spec("/secret/encrypt", OperationType.MUTATION,
                        "Encrypts a string with AES-256-GCM under a key version of the seed (default 0); returns EncryptedData",
                        required(object(Map.of("plaintext", Map.of("type", "string", "maxLength", 1 << 20), "key_version", VERSION)), "plaintext"),
                        encryptedDataSchema(), SCOPE_ENCRYPT), this::encrypt),
                Operation.of(spec("/secret/decrypt", OperationType.MUTATION,
                        "Decrypts EncryptedData {key_version, salt, iv, data} made by /secret/encrypt with the same seed",
                        encryptedDataSchema(), object(Map.of("plaintext", STRING, "plaintext_base64", STRING)), SCOPE_DECRYPT), this::decrypt),
                Operation.of(spec("/secret/lock", OperationType.MUTATION,
                        "Wipes the seed and every cached key from memory; everything but unlock and status is refused until unlock",
                        object(Map.of()), stateSchema(), SCOPE_ADMIN), this::lock),
                Operation.of(spec("/secret/unlock", OperationType.MUTATION,
                        "Unlocks with the passphrase of the seed file (alknet secret init), or with a mnemonic (and an optional BIP39 "
                                + "passphrase) without writing anything",
                        unlockSchema(), stateSchema(), SCOPE_ADMIN), this::unlock),
                Operation.of(spec("/secret/status", OperationType.QUERY,
                        "Whether the secret service is locked, and whether a seed file exists",
                        object(Map.of()), stateSchema(), SCOPE_ADMIN), this::status));
    }

    private Object deriveEd25519(Object input, OperationContext context) {
        Map<?, ?> in = (Map<?, ?>) input;
        DerivationPath path = path(in, KeyPaths.IDENTITY);
        boolean export = exportAllowed(in, context);
        KeyPaths.requireSigningKeyPath(path);
        try (DerivedKey key = service.deriveEd25519(path)) {
            return describe(key, export, Map.of());
        }
    }

    private Object deriveEncryptionKey(Object input, OperationContext context) {
        Map<?, ?> in = (Map<?, ?>) input;
        boolean export = exportAllowed(in, context);
        int version;
        if (in.get("path") != null) {
            DerivationPath path = path(in, null);
            version = KeyPaths.encryptionKeyVersion(path);
            if (version < 0) {
                throw new SecretException(SecretException.INVALID_PATH, "an encryption-key path is m/74'/2'/0'/N' (N the key version); got "
                        + path);
            }
            if (in.get("key_version") instanceof Number given && given.intValue() != version) {
                throw new SecretException(SecretException.INVALID_PATH, "path " + path + " is key version " + version + ", not "
                        + given.intValue());
            }
        } else {
            version = in.get("key_version") instanceof Number given ? given.intValue() : 0;
        }
        try (DerivedKey key = service.deriveEncryptionKey(version)) {
            byte[] secret = key.privateKey();
            try {
                return describe(key, export, Map.of("key_version", version, "key_id", keyId(secret)));
            } finally {
                Wipe.bytes(secret);
            }
        }
    }

    private Object deriveEthereum(Object input, OperationContext context) {
        Map<?, ?> in = (Map<?, ?>) input;
        DerivationPath path = path(in, KeyPaths.ETHEREUM);
        boolean export = exportAllowed(in, context);
        if (!path.startsWith(KeyPaths.ETHEREUM_BRANCH) || path.depth() == KeyPaths.ETHEREUM_BRANCH.depth()) {
            throw new SecretException(SecretException.INVALID_PATH, "an Ethereum path is below m/44'/60' (e.g. m/44'/60'/0'/0/0); got " + path);
        }
        try (DerivedKey key = service.deriveSecp256k1(path)) {
            return describe(key, export, Map.of("address", Secp256k1.ethereumAddress(key.publicKey())));
        }
    }

    private Object derivePassword(Object input, OperationContext context) {
        Map<?, ?> in = (Map<?, ?>) input;
        String name = (String) in.get("name");
        int length = in.get("length") instanceof Number given ? given.intValue() : 32;
        byte[] password = service.derivePassword(name, length);
        try {
            return Map.of("path", KeyPaths.password(name).toString(), "password", Base64.getEncoder().encodeToString(password));
        } finally {
            Wipe.bytes(password);
        }
    }

    private Object encrypt(Object input, OperationContext context) {
        Map<?, ?> in = (Map<?, ?>) input;
        byte[] plaintext = ((String) in.get("plaintext")).getBytes(StandardCharsets.UTF_8);
        try {
            return service.encrypt(plaintext, in.get("key_version") instanceof Number given ? given.intValue() : 0).toJson();
        } finally {
            Wipe.bytes(plaintext);
        }
    }

    private Object decrypt(Object input, OperationContext context) {
        byte[] plaintext = service.decrypt(EncryptedData.fromJson(input));
        try {
            return Map.of("plaintext", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(plaintext)).toString());
        } catch (CharacterCodingException notText) {
            return Map.of("plaintext_base64", Base64.getEncoder().encodeToString(plaintext));
        } finally {
            Wipe.bytes(plaintext);
        }
    }

    private Object lock(Object input, OperationContext context) {
        service.lock();
        return state();
    }

    private Object unlock(Object input, OperationContext context) {
        Map<?, ?> in = (Map<?, ?>) input;
        if (in.get("passphrase") instanceof String passphrase) {
            if (in.containsKey("bip39_passphrase")) {
                throw new SecretException(SecretException.INVALID_INPUT, "bip39_passphrase goes with a mnemonic, not with the seed file's passphrase");
            }
            char[] chars = passphrase.toCharArray();
            try {
                service.unlock(chars);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the seed file " + service.seedFile() + ": " + e.getMessage(), e);
            } finally {
                Wipe.chars(chars);
            }
        } else {
            char[] mnemonic = ((String) in.get("mnemonic")).toCharArray();
            char[] bip39 = in.get("bip39_passphrase") instanceof String text ? text.toCharArray() : new char[0];
            try {
                service.unlockWithMnemonic(mnemonic, bip39);
            } finally {
                Wipe.chars(mnemonic, bip39);
            }
        }
        return state();
    }

    private Object status(Object input, OperationContext context) {
        Map<String, Object> status = new LinkedHashMap<>(state());
        status.put("seed_file", java.nio.file.Files.exists(service.seedFile()));
        return status;
    }

    private Map<String, Object> state() {
        return Map.of("state", service.isUnlocked() ? "unlocked" : "locked");
    }

    private static DerivationPath path(Map<?, ?> in, DerivationPath fallback) {
        return in.get("path") instanceof String text ? DerivationPath.parse(text) : fallback;
    }

    /** Whether the caller asked for the private key; refused unless it holds the export scope or is a trusted in-process call. */
    private static boolean exportAllowed(Map<?, ?> in, OperationContext context) {
        if (!Boolean.TRUE.equals(in.get("export"))) {
            return false;
        }
        if (!context.trusted() && !context.identity().hasScope(SCOPE_EXPORT)) {
            throw new OperationException(CallError.ACCESS_DENIED, "a private key leaves the process only for callers with the scope "
                    + SCOPE_EXPORT + "; ask without export for the public key");
        }
        return true;
    }

    private static Map<String, Object> describe(DerivedKey key, boolean export, Map<String, Object> extra) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key_type", key.type().wireName());
        out.put("path", key.path().toString());
        byte[] publicKey = key.publicKey();
        if (publicKey.length > 0) {
            out.put("public_key", Base64.getEncoder().encodeToString(publicKey));
        }
        out.putAll(extra);
        if (export) {
            byte[] privateKey = key.privateKey();
            try {
                // a String cannot be wiped: this is why export needs its own scope (docs/secret.md)
                out.put("private_key", Base64.getEncoder().encodeToString(privateKey));
            } finally {
                Wipe.bytes(privateKey);
            }
        }
        return out;
    }

    /** A non-secret name for a symmetric key: the first 8 bytes of its SHA-256, in hex. */
    private static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static OperationSpec spec(String path, OperationType type, String description, Map<String, Object> input,
                                      Map<String, Object> output, String scope) {
        return OperationSpec.builder(path, type)
                .version("1.0.0")
                .description(description)
                .input(input)
                .output(output)
                .requiredScopes(scope)
                .errorCodes(CODES)
                .build();
    }

    private static Map<String, Object> object(Map<String, Object> properties) {
        return Map.of("type", "object", "properties", properties, "additionalProperties", false);
    }

    private static Map<String, Object> required(Map<String, Object> schema, String... names) {
        Map<String, Object> copy = new LinkedHashMap<>(schema);
        copy.put("required", List.of(names));
        return copy;
    }

    private static Map<String, Object> derivedKeySchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("key_type", Map.of("type", "string", "enum", List.of("Ed25519", "Aes256Gcm", "Secp256k1")));
        properties.put("path", STRING);
        properties.put("public_key", STRING);
        properties.put("private_key", STRING);
        properties.put("key_version", VERSION);
        properties.put("key_id", STRING);
        properties.put("address", STRING);
        return required(Map.of("type", "object", "properties", properties), "key_type", "path");
    }

    private static Map<String, Object> encryptedDataSchema() {
        return required(object(Map.of("key_version", VERSION, "salt", STRING, "iv", STRING, "data", STRING)),
                "key_version", "salt", "iv", "data");
    }

    private static Map<String, Object> stateSchema() {
        return required(Map.of("type", "object", "properties", Map.of("state", Map.of("type", "string", "enum", List.of("locked", "unlocked")),
                "seed_file", BOOLEAN)), "state");
    }

    private static Map<String, Object> unlockSchema() {
        Map<String, Object> schema = new LinkedHashMap<>(object(Map.of(
                "passphrase", Map.of("type", "string", "minLength", 1, "maxLength", 1024),
                "mnemonic", Map.of("type", "string", "minLength", 1, "maxLength", 1024),
                "bip39_passphrase", Map.of("type", "string", "maxLength", 1024))));
        schema.put("oneOf", List.of(Map.of("required", List.of("passphrase")), Map.of("required", List.of("mnemonic"))));
        return schema;
    }
}
