package io.alknet.integration;

import io.alknet.api.call.CallError;
import io.alknet.api.call.OperationException;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.storage.Account;
import io.alknet.storage.PeerCredential;
import io.alknet.storage.Storage;
import io.alknet.storage.StorageOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /storage/watch} through a real server over SSH (spec §4, §9): an account logged in with a key stored only in
 * the database and holding storage:watch replays the changes after a position, then receives live ones; each is the
 * projected integration event (version, position, topic, id) without the domain payload. A caller without the
 * scope is refused.
 */
class StorageWatchTest {

    @TempDir
    Path dir;

    /** Collects a subscription's items. */
    private static final class Collector implements Flow.Subscriber<Object> {
        final List<Object> items = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Object item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    private static void within(Duration timeout, Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void anAccountWithTheScopeReplaysThenFollowsProjectedChangesAndOthersAreRefused() throws Exception {
        Fixture fixture = new Fixture(dir);
        Path database = dir.resolve("state").resolve("alknet.db");
        String aliceId;
        PeerCredential aliceKey;
        try (Storage storage = Storage.open(StorageOptions.of(database.toString()))) {
            Account alice = storage.accounts().createAccount("alice@example.org", "Alice", Account.AccessLevel.USER,
                    Set.of("relay:connect", "storage:watch"));
            aliceId = alice.id();
            aliceKey = storage.accounts().addSshKey(alice.id(), OpenSshKeys.publicKeyLine(fixture.client.getPublic(), "alice"),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        Path bobKey = dir.resolve("bob_key");
        KeyPair bob = OpenSshKeys.generate(bobKey, "bob");
        java.nio.file.Files.writeString(fixture.authorizedKeys, OpenSshKeys.publicKeyLine(bob.getPublic(), "bob") + "\n");

        try (AlknetServer server = Alknet.server(fixture.server().identityProviders(List.of("storage", "keys"))
                .setting("identity.storage.url", database.toString()).build());
             AlknetClient alice = Alknet.client(fixture.client(server).build());
             AlknetClient bobClient = Alknet.client(BuiltIns.client(server.listenAddresses().getFirst()).identity(bobKey).user("bob")
                     .stateDirectory(dir.resolve("bob-state"))
                     .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic())))).build());
             Storage storage = Storage.open(StorageOptions.of(database.toString()))) {
            Collector refused = new Collector();
            bobClient.calls().subscribe("/storage/watch", Map.of()).subscribe(refused);
            Throwable error = refused.done.handle((ok, failure) -> failure).get(30, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(OperationException.class);
            assertThat(((OperationException) error).error().code()).isEqualTo(CallError.ACCESS_DENIED);

            Collector watch = new Collector();
            alice.calls().subscribe("/storage/watch", Map.of("after", 0)).subscribe(watch);
            within(Duration.ofSeconds(30), () -> assertThat(watch.items).hasSize(2));
            assertThat(watch.items.get(0)).isEqualTo(Map.of("version", 1, "position", 1, "topic", "accounts:created", "id", aliceId));
            assertThat(watch.items.get(1)).isEqualTo(Map.of("version", 1, "position", 2, "topic", "peer_credentials:created",
                    "id", aliceKey.id()));

            Account carol = storage.accounts().createAccount("carol@example.org", "Carol", Account.AccessLevel.USER, Set.of());
            storage.accounts().setStatus(carol.id(), Account.Status.SUSPENDED);
            within(Duration.ofSeconds(30), () -> assertThat(watch.items).hasSize(4));
            assertThat(watch.items.subList(2, 4)).containsExactly(
                    Map.of("version", 1, "position", 3, "topic", "accounts:created", "id", carol.id()),
                    Map.of("version", 1, "position", 4, "topic", "accounts:updated", "id", carol.id()));
            watch.subscription.cancel();
        }
    }
}
